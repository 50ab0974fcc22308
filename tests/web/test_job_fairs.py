"""Job fairs end to end: the centre makes a session for some communes, employers bring their
own vacancies, the engine invites the graduates and the job seekers (people with an open
application from the public board) of those communes (consenting ones only, each once),
the lists print by commune and download as CSV with formulas neutralised, and on the day the
staff record attendance, interviews, offers and hires on the phone page. A hire fills one of
the vacancy's places, never more, and enters the new-jobs register once per person with the
session as its source and the job's own channel; the report sets the session against the
previous ones. Who sees what is checked per role."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.clock import VIETNAM
from models.i18n import translate
from models.monitoring.read import figure_table
from models.monitoring.store import refresh_year
from models.queries.reference import commune_options
from models.tables import (
    Application,
    AuditEntry,
    EmploymentSpell,
    JobFair,
    JobFairGuest,
    JobFairMatch,
    JobFairStep,
    JobFairVacancy,
    NewJobLine,
    NewJobReport,
    Referral,
    Vacancy,
)
from seed.reference import load_reference_data
from tests import factories
from tests.html import body_rows, cells, field_errors, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in
from tests.web.test_courses import fresh

pytestmark = pytest.mark.today("2026-04-10")
FAIR_DAY = date(2026, 4, 20)


@contextmanager
def on_the_day(
    client: TestClient, world: dict[str, Any], who: str = "centre", day: date = FAIR_DAY
) -> Iterator[None]:
    """Days later (signed in again: the earlier sign-in has expired by then)."""
    with time_machine.travel(datetime.combine(day, time(9), tzinfo=VIETNAM), tick=True):
        as_user(client, world, who)
        yield


def _graduate(session: Session, course_id: int, name: str, commune: str, **extra: Any) -> int:
    person = factories.person(
        session, full_name=name, commune_code=commune, consent_to_employers=True, **extra
    )
    factories.enrolment(
        session,
        person_id=person.id,
        course_id=course_id,
        status="tot_nghiep",
        graduated_on=date(2026, 1, 15),
    )
    assert person.id is not None
    return person.id


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    load_reference_data(session)
    session.commit()
    codes = [option.value for option in commune_options(session, on=date(2026, 4, 10))][:3]
    served_a, served_b, other = codes
    own = factories.employer(session)
    rival = factories.employer(session)
    course = factories.course(session)
    people = {
        "an": _graduate(session, course.id, "Lò Văn An", served_a, phone="+84912345678"),
        "binh": _graduate(session, course.id, "Quàng Thị Bình", served_a),
        "cuong": _graduate(session, course.id, "Giàng A Cường", served_b),
        "far": _graduate(session, course.id, "Lò Thị Xa", other),
        "shy": _graduate(session, course.id, "Cà Văn Kín", served_a),
    }
    shy = session.get(factories.Person, people["shy"])
    assert shy is not None
    shy.consent_to_employers = False
    one_place = factories.vacancy(session, employer_id=own.id, quantity=1, title="Thợ may")
    abroad = factories.vacancy(
        session,
        employer_id=own.id,
        quantity=2,
        title="=HYPERLINK(1) Kỹ thuật viên",
        location_kind="abroad",
        commune_code=None,
        country_code="JP",
    )
    rivals = factories.vacancy(session, employer_id=rival.id, quantity=1, title="Phụ bếp")
    session.commit()
    users = {
        "centre": make_account(session, "job_centre", "trung.tam"),
        "official": make_account(session, "official", "can.bo"),
        "employer": make_account(session, "employer", "dn.own", employer_id=own.id),
        "rival": make_account(session, "employer", "dn.rival", employer_id=rival.id),
        "commune": make_account(session, "commune", "xa.a", commune_code=served_a),
        "other_commune": make_account(session, "commune", "xa.khac", commune_code=other),
        "institution": make_account(session, "institution", "truong"),
    }
    return {
        "users": users,
        "communes": (served_a, served_b, other),
        "people": people,
        "vacancies": {"one_place": one_place.id, "abroad": abroad.id, "rival": rivals.id},
        "occupation": course.occupation_id,
    }


def as_user(client: TestClient, world: dict[str, Any], who: str) -> TestClient:
    client.cookies.clear()
    client.headers.pop("x-csrf-token", None)
    sign_in(client, world["users"][who])
    return client


def _rows(session: Session, model: type) -> list[Any]:
    rows = list(fresh(session).exec(select(model)).all())
    session.rollback()
    return rows


def make_fair(client: TestClient, world: dict[str, Any], **overrides: Any) -> int:
    served_a, served_b, _ = world["communes"]
    data: dict[str, Any] = {
        "title": "Phiên giao dịch việc làm tháng 4",
        "held_on": FAIR_DAY.strftime("%d/%m/%Y"),
        "place": "Trung tâm Dịch vụ việc làm, TP Điện Biên Phủ",
        "communes": [served_a, served_b],
    }
    data.update(overrides)
    response = client.post("/job-fairs", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def register(client: TestClient, fair_id: int, vacancy_id: int) -> int:
    return client.post(
        f"/job-fairs/{fair_id}/vacancies",
        data={"vacancy_id": str(vacancy_id)},
        follow_redirects=False,
    ).status_code


def step(client: TestClient, fair_id: int, person_id: int, vacancy_id: int, kind: str) -> Any:
    return client.post(
        f"/job-fairs/{fair_id}/day/steps",
        data={"person_id": str(person_id), "vacancy_id": str(vacancy_id), "step": kind},
        follow_redirects=False,
    )


def prepared(client: TestClient, world: dict[str, Any]) -> int:
    """A session with both of the employer's vacancies and its invitations made."""
    as_user(client, world, "centre")
    fair_id = make_fair(client, world)
    as_user(client, world, "employer")
    for vacancy_id in (world["vacancies"]["one_place"], world["vacancies"]["abroad"]):
        assert register(client, fair_id, vacancy_id) == 303
    as_user(client, world, "centre")
    assert client.post(f"/job-fairs/{fair_id}/invitations").status_code == 200
    return fair_id


# --- making a session ---------------------------------------------------------------------


def test_the_centre_makes_a_session_once_even_on_a_double_click(client, world, session):
    as_user(client, world, "centre")
    first = make_fair(client, world)
    second = make_fair(client, world)
    assert first == second
    (fair,) = _rows(session, JobFair)
    assert (fair.held_on, fair.online) == (FAIR_DAY, False)
    page = parse(client.get(f"/job-fairs/{first}").text)
    assert text(one(page, "[data-field=held_on]")) == "20/04/2026"
    assert len(body_rows(parse(client.get("/job-fairs").text), "#fairs")) == 1


def test_a_bad_session_form_says_what_is_wrong_and_keeps_what_was_typed(client, world, session):
    as_user(client, world, "centre")
    response = client.post(
        "/job-fairs",
        data={
            "title": "Phiên trực tuyến",
            "held_on": "31/02/2026",
            "online": "1",
            "place": "zoom.example/abc",
        },
    )
    assert response.status_code == 400
    page = parse(response.text)
    assert set(field_errors(page)) >= {"held_on", "place", "communes"}
    assert one(page, "#title").attributes["value"] == "Phiên trực tuyến"
    assert _rows(session, JobFair) == []


def test_the_centre_edits_and_cancels_a_session(client, world, session):
    as_user(client, world, "centre")
    fair_id = make_fair(client, world)
    served_a, _, _ = world["communes"]
    response = client.post(
        f"/job-fairs/{fair_id}/edit",
        data={
            "title": "Phiên trực tuyến",
            "held_on": "21/04/2026",
            "online": "1",
            "place": "https://meet.example/phien",
            "communes": [served_a],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    (fair,) = _rows(session, JobFair)
    assert (fair.title, fair.held_on, fair.online) == ("Phiên trực tuyến", date(2026, 4, 21), True)
    assert client.post(f"/job-fairs/{fair_id}/cancel").status_code == 200
    assert client.post(f"/job-fairs/{fair_id}/cancel").status_code == 200  # twice: once
    (fair,) = _rows(session, JobFair)
    assert fair.cancelled_at is not None
    cancels = [a for a in _rows(session, AuditEntry) if a.action == "cancel"]
    assert len(cancels) == 1


# --- registering vacancies ----------------------------------------------------------------


def test_an_employer_registers_only_their_own_vacancies_and_withdraws_before_the_day(
    client, world, session
):
    as_user(client, world, "centre")
    fair_id = make_fair(client, world)
    as_user(client, world, "employer")
    page = parse(client.get(f"/job-fairs/{fair_id}").text)
    offered = {n.attributes["value"] for n in find_all(page, "#vacancy_id option")}
    assert offered == {str(world["vacancies"]["one_place"]), str(world["vacancies"]["abroad"])}
    assert register(client, fair_id, world["vacancies"]["one_place"]) == 303
    assert register(client, fair_id, world["vacancies"]["one_place"]) == 303  # double click
    assert register(client, fair_id, world["vacancies"]["rival"]) == 404
    assert len(_rows(session, JobFairVacancy)) == 1
    withdraw = f"/job-fairs/{fair_id}/vacancies/{world['vacancies']['one_place']}/withdraw"
    as_user(client, world, "rival")
    assert client.post(withdraw).status_code == 404
    as_user(client, world, "employer")
    with on_the_day(client, world, "employer"):
        assert client.post(withdraw).status_code == 409  # on the day: too late
    as_user(client, world, "employer")
    assert client.post(withdraw, follow_redirects=False).status_code == 303
    assert _rows(session, JobFairVacancy) == []


# --- invitations --------------------------------------------------------------------------


def test_invitations_go_to_consenting_graduates_of_the_communes_served(client, world, session):
    fair_id = prepared(client, world)
    people = world["people"]
    invited = {guest.person_id for guest in _rows(session, JobFairGuest)}
    assert invited == {people["an"], people["binh"], people["cuong"]}  # not "far", not "shy"
    served_a, served_b, _ = world["communes"]
    page = parse(client.get(f"/job-fairs/{fair_id}/invitations").text)
    lists = {n.attributes["data-commune"]: n for n in find_all(page, "section[data-commune]")}
    assert set(lists) == {served_a, served_b}
    names_a = [cells(row)[1] for row in body_rows(lists[served_a], "table")]
    assert sorted(names_a) == ["Lò Văn An", "Quàng Thị Bình"]
    phone_cells = [cells(row)[4] for row in body_rows(lists[served_a], "table")]
    assert "0912 345 678" in phone_cells
    # Making the lists again changes nothing.
    client.post(f"/job-fairs/{fair_id}/invitations")
    assert len(_rows(session, JobFairGuest)) == 3
    assert len(_rows(session, JobFairMatch)) == 6  # each person, both vacancies


def _seeker(
    session: Session,
    name: str,
    commune: str,
    *,
    applied_to: int,
    occupation_id: int | None,
    consent: bool = True,
    status: str = "open",
) -> int:
    """Someone who applied to a vacancy from the public board, with no graduation here."""
    person = factories.person(
        session, full_name=name, commune_code=commune, consent_to_employers=consent
    )
    assert person.id is not None
    session.add(
        Application(
            vacancy_id=applied_to,
            person_id=person.id,
            trade="may",
            occupation_id=occupation_id,
            status=status,
            created_at=datetime(2026, 3, 2, 8, tzinfo=VIETNAM),
        )
    )
    session.flush()
    return person.id


def test_job_seekers_of_the_communes_served_are_invited_once_and_labelled(client, world, session):
    served_a, served_b, other = world["communes"]
    trade = world["occupation"]
    applied_to = world["vacancies"]["rival"]
    own = session.get(Vacancy, world["vacancies"]["one_place"])
    assert own is not None
    sewing = factories.vacancy(
        session, employer_id=own.employer_id, quantity=2, title="Thợ may", occupation_id=trade
    )
    cooking = factories.occupation(session, name="Nấu ăn", group="nau_an").id
    seekers = {
        "dung": _seeker(
            session, "Lò Văn Dũng", served_b, applied_to=applied_to, occupation_id=trade
        ),
        "shy": _seeker(
            session,
            "Cà Thị Kín",
            served_a,
            applied_to=applied_to,
            occupation_id=trade,
            consent=False,
        ),
        "far": _seeker(session, "Lò Văn Xa", other, applied_to=applied_to, occupation_id=trade),
        "hired": _seeker(
            session, "Lường Văn Làm", served_a, applied_to=applied_to, occupation_id=trade
        ),
        "cook": _seeker(
            session, "Quàng Văn Bếp", served_a, applied_to=applied_to, occupation_id=cooking
        ),
        "gone": _seeker(
            session,
            "Tòng Thị Rút",
            served_a,
            applied_to=applied_to,
            occupation_id=trade,
            status="withdrawn",
        ),
    }
    factories.employment_spell(session, person_id=seekers["hired"], start_date=date(2026, 3, 20))
    graduate = world["people"]["an"]  # a graduate who also applied from the board
    session.add(Application(vacancy_id=applied_to, person_id=graduate, occupation_id=trade))
    session.commit()
    as_user(client, world, "centre")
    fair_id = make_fair(client, world)
    as_user(client, world, "employer")
    assert register(client, fair_id, sewing.id) == 303
    as_user(client, world, "centre")
    assert client.post(f"/job-fairs/{fair_id}/invitations").status_code == 200
    guests = [guest.person_id for guest in _rows(session, JobFairGuest)]
    people = world["people"]
    assert sorted(guests) == sorted(
        [people["an"], people["binh"], people["cuong"], seekers["dung"]]
    )
    page = parse(client.get(f"/job-fairs/{fair_id}/invitations").text)
    labels = {
        int(row.attributes["data-person"]): cells(row)[3]
        for row in find_all(page, "tr[data-person]")
    }
    assert labels[seekers["dung"]] == "Người tìm việc"
    assert labels[graduate] == "Người tốt nghiệp"
    assert len(labels) == 4  # the graduate who applied is listed once
    response = client.get(f"/job-fairs/{fair_id}/invitations.csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    kinds = {row[1]: row[3] for row in rows[1:]}
    assert kinds["Lò Văn Dũng"] == translate("Job seeker", "vi")
    assert kinds["Lò Văn An"] == translate("Graduate", "vi")
    assert len(rows) == 5


def test_the_csv_of_the_lists_neutralises_formulas(client, world, session):
    fair_id = prepared(client, world)
    response = client.get(f"/job-fairs/{fair_id}/invitations.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == 4  # the header and three people
    vacancies = [row[5] for row in rows[1:]]
    assert all(cell.startswith("'=HYPERLINK") or "; '=" not in cell for cell in vacancies)
    assert not any(cell.startswith("=") for row in rows for cell in row)
    views = [a for a in _rows(session, AuditEntry) if a.entity == "job_fair_invitations"]
    assert views  # every list shown is audited


def test_a_commune_officer_sees_only_the_list_of_their_commune(client, world, session):
    fair_id = prepared(client, world)
    served_a, _, _ = world["communes"]
    as_user(client, world, "commune")
    page = parse(client.get(f"/job-fairs/{fair_id}/invitations").text)
    assert [n.attributes["data-commune"] for n in find_all(page, "section[data-commune]")] == [
        served_a
    ]
    assert len(body_rows(parse(client.get("/job-fairs").text), "#fairs")) == 1
    link = one(parse(client.get(f"/job-fairs/{fair_id}").text), "#commune-list")
    assert link.attributes["href"] == f"/job-fairs/{fair_id}/invitations"
    assert client.get(f"/job-fairs/{fair_id}/day").status_code == 403
    as_user(client, world, "other_commune")
    assert client.get(f"/job-fairs/{fair_id}/invitations").status_code == 404
    assert client.get(f"/job-fairs/{fair_id}").status_code == 404
    assert find_all(parse(client.get("/job-fairs").text), "#fairs tr[data-fair]") == []


def test_employers_see_the_session_but_not_the_lists_and_only_their_candidates(
    client, world, session
):
    fair_id = prepared(client, world)
    as_user(client, world, "rival")
    assert client.get(f"/job-fairs/{fair_id}").status_code == 200
    assert client.get(f"/job-fairs/{fair_id}/invitations").status_code == 404
    assert client.get(f"/job-fairs/{fair_id}/invitations.csv").status_code == 404
    page = parse(client.get(f"/job-fairs/{fair_id}").text)
    assert find_all(page, "#fair-vacancies li") == []  # the other employer's are not shown
    assert find_all(page, "#candidates tr[data-person]") == []
    as_user(client, world, "employer")
    page = parse(client.get(f"/job-fairs/{fair_id}").text)
    assert len(find_all(page, "#candidates tr[data-person]")) == 3
    as_user(client, world, "institution")
    assert client.get(f"/job-fairs/{fair_id}").status_code == 403


# --- the day ------------------------------------------------------------------------------


def test_on_the_day_attendance_interview_offer_and_hire_are_each_recorded_once(
    client, world, session
):
    fair_id = prepared(client, world)
    an, vacancy = world["people"]["an"], world["vacancies"]["one_place"]
    with on_the_day(client, world):
        attend = {"person_id": str(an)}
        for _ in range(2):
            assert client.post(f"/job-fairs/{fair_id}/day/attend", data=attend).status_code == 200
        for kind in ("interview", "interview", "offer", "offer", "hire", "hire"):
            assert step(client, fair_id, an, vacancy, kind).status_code == 303
        page = parse(client.get(f"/job-fairs/{fair_id}/day").text)
    (row,) = [r for r in _rows(session, JobFairStep) if r.person_id == an]
    assert row.interviewed_at and row.offered_at and row.hired_at
    guest = next(g for g in _rows(session, JobFairGuest) if g.person_id == an)
    assert guest.attended_at is not None
    (hired_vacancy,) = [v for v in _rows(session, Vacancy) if v.id == vacancy]
    assert (hired_vacancy.filled, hired_vacancy.status) == (1, "filled")
    referrals = [r for r in _rows(session, Referral) if r.person_id == an]
    assert [r.status for r in referrals] == ["hired"]
    section = one(page, f"section[data-person='{an}']")
    assert section.attributes["data-attended"] == "1"
    assert one(section, f"li[data-vacancy='{vacancy}'] [data-status=hired]")


def test_the_phone_page_works_without_javascript(client, world, session):
    fair_id = prepared(client, world)
    with on_the_day(client, world):
        html = client.get(f"/job-fairs/{fair_id}/day").text
    page = parse(html)
    assert "<script" not in html
    forms = find_all(page, "form[method=post]")
    assert all(find_all(form, "input[name=csrf_token]") for form in forms)
    assert len(find_all(page, "section.fair-guest")) == 3


def test_the_day_is_not_recorded_before_it_comes(client, world, session):
    fair_id = prepared(client, world)
    response = step(client, fair_id, world["people"]["an"], world["vacancies"]["abroad"], "hire")
    assert response.status_code == 409
    assert _rows(session, JobFairStep) == []


def test_a_vacancy_is_never_filled_beyond_its_places(client, world, session):
    fair_id = prepared(client, world)
    people, vacancy = world["people"], world["vacancies"]["one_place"]
    with on_the_day(client, world):
        assert step(client, fair_id, people["an"], vacancy, "hire").status_code == 303
        refused = step(client, fair_id, people["binh"], vacancy, "hire")
    assert refused.status_code == 409
    assert "đủ người" in text(one(parse(refused.text), ".form-error"))
    (row,) = [v for v in _rows(session, Vacancy) if v.id == vacancy]
    assert row.filled == 1
    assert [s.person_id for s in _rows(session, JobFairStep) if s.hired_at] == [people["an"]]


def test_a_hire_enters_the_register_once_with_the_session_as_source_and_the_jobs_channel(
    client, world, session
):
    fair_id = prepared(client, world)
    people, vacancies = world["people"], world["vacancies"]
    with on_the_day(client, world):
        assert (
            step(client, fair_id, people["cuong"], vacancies["abroad"], "hire").status_code == 303
        )
        assert (
            step(client, fair_id, people["cuong"], vacancies["abroad"], "hire").status_code == 303
        )
        # The same person hired from the session's other vacancy: refused, not counted twice.
        again = step(client, fair_id, people["cuong"], vacancies["one_place"], "hire")
        assert again.status_code == 409
    (fair,) = _rows(session, JobFair)
    (report,) = _rows(session, NewJobReport)
    assert fair.report_id == report.id
    assert (report.source, report.period_start, report.person_lines) == (
        "centre_report",
        FAIR_DAY,
        1,
    )
    (line,) = _rows(session, NewJobLine)
    assert (line.person_id, line.channel, line.source) == (
        people["cuong"],
        "xuat_khau_lao_dong",
        "centre_report",
    )
    session.rollback()
    refresh_year(session.get_bind(), 2026)  # type: ignore[arg-type]
    figures = figure_table(fresh(session), 2026)
    total = figures.get("new_jobs", "people")
    assert total is not None and total.value == 1  # platform hire and register line: one person
    abroad = figures.get("new_jobs", "people", "channel", "xuat_khau_lao_dong")
    assert abroad is not None and abroad.value == 1


def test_a_walk_in_is_found_by_citizen_id_and_birth_date_or_registered(client, world, session):
    fair_id = prepared(client, world)
    walk_in = f"/job-fairs/{fair_id}/day/walk-in"
    far = world["people"]["far"]
    with on_the_day(client, world):
        person = fresh(session).get(factories.Person, far)
        assert person is not None
        citizen_id = "011301000777"
        person.citizen_id = citizen_id
        person.birth_date = date(2001, 5, 4)
        session.commit()
        wrong = client.post(walk_in, data={"citizen_id": citizen_id, "birth_date": "05/05/2001"})
        assert wrong.status_code == 400
        assert "citizen_id" in field_errors(parse(wrong.text))
        found = {"citizen_id": citizen_id, "birth_date": "04/05/2001"}
        for _ in range(2):
            assert client.post(walk_in, data=found, follow_redirects=False).status_code == 303
        new = {
            "citizen_id": "011200000888",
            "birth_date": "02/03/2000",
            "full_name": "Lò Văn Mới",
            "sex": "nam",
            "ethnicity_code": "03",
            "commune_code": world["communes"][0],
            "consent": "1",
        }
        assert client.post(walk_in, data=new, follow_redirects=False).status_code == 303
        guests = [g for g in _rows(session, JobFairGuest) if not g.invited]
        assert len(guests) == 2 and all(g.attended_at for g in guests)
        # A walk-in can be hired for a vacancy of the session.
        newcomer = next(g.person_id for g in guests if g.person_id != far)
        hired = step(client, fair_id, newcomer, world["vacancies"]["abroad"], "hire")
        assert hired.status_code == 303
    assert len(_rows(session, NewJobLine)) == 1


# --- the report ---------------------------------------------------------------------------


def test_the_report_sets_the_session_against_previous_ones(client, world, session):
    as_user(client, world, "centre")
    earlier = make_fair(client, world, title="Phiên tháng 3", held_on="15/04/2026")
    as_user(client, world, "employer")
    register(client, earlier, world["vacancies"]["abroad"])
    as_user(client, world, "centre")
    client.post(f"/job-fairs/{earlier}/invitations")
    with on_the_day(client, world, day=date(2026, 4, 15)):
        step(client, earlier, world["people"]["an"], world["vacancies"]["abroad"], "interview")
        client.post(
            f"/job-fairs/{earlier}/day/attend", data={"person_id": str(world["people"]["binh"])}
        )
    fair_id = prepared(client, world)
    with on_the_day(client, world):
        for who in ("binh", "cuong"):
            client.post(
                f"/job-fairs/{fair_id}/day/attend", data={"person_id": str(world["people"][who])}
            )
        step(client, fair_id, world["people"]["cuong"], world["vacancies"]["abroad"], "hire")
        page = parse(client.get(f"/job-fairs/{fair_id}/report").text)
    figures = {n.attributes["data-field"]: text(n) for n in find_all(page, "#report-figures dd")}
    assert (figures["employers"], figures["vacancies"], figures["places"]) == ("1", "2", "3")
    assert (figures["invited"], figures["attended"], figures["hired"]) == ("3", "2", "1")
    assert figures["hire_rate"] == "50.0 %"
    rows = body_rows(page, "#sessions")
    assert [r.attributes["data-fair"] for r in rows] == [str(fair_id), str(earlier)]
    assert cells(rows[1])[4:7] == ["2", "1", "0"]  # came, interviewed, hired at the earlier one


def test_a_hire_made_at_the_session_can_be_undone_by_its_employer(client, world, session):
    fair_id = prepared(client, world)
    cuong, abroad = world["people"]["cuong"], world["vacancies"]["abroad"]
    with on_the_day(client, world):
        assert step(client, fair_id, cuong, abroad, "hire").status_code == 303
    with on_the_day(client, world, "employer"):
        undone = client.post(
            f"/vacancies/{abroad}/candidates/{cuong}/undo_hire", follow_redirects=False
        )
    assert undone.status_code == 303
    (row,) = _rows(session, JobFairStep)
    assert row.hired_at is None and row.employment_spell_id is None
    (vacancy,) = [v for v in _rows(session, Vacancy) if v.id == abroad]
    assert vacancy.filled == 0


def test_undoing_a_fair_hire_takes_it_out_of_the_register_and_it_can_be_made_again(
    client, world, session
):
    fair_id = prepared(client, world)
    cuong, abroad = world["people"]["cuong"], world["vacancies"]["abroad"]

    def new_jobs() -> int:
        session.rollback()
        refresh_year(session.get_bind(), 2026)  # type: ignore[arg-type]
        total = figure_table(fresh(session), 2026).get("new_jobs", "people")
        session.rollback()
        return 0 if total is None else int(total.value)

    with on_the_day(client, world):
        assert step(client, fair_id, cuong, abroad, "hire").status_code == 303
    assert new_jobs() == 1
    with on_the_day(client, world, "employer"):
        undone = client.post(
            f"/vacancies/{abroad}/candidates/{cuong}/undo_hire", follow_redirects=False
        )
    assert undone.status_code == 303
    assert [line for line in _rows(session, NewJobLine) if line.person_id == cuong] == []
    (report,) = _rows(session, NewJobReport)
    assert report.person_lines == 0
    spells = [s for s in _rows(session, EmploymentSpell) if s.person_id == cuong]
    assert spells == []  # neither the platform's job nor the register's is left
    assert new_jobs() == 0
    # Hired again at the session: the same start and channel enter the register once more.
    with on_the_day(client, world):
        assert step(client, fair_id, cuong, abroad, "hire").status_code == 303
    (line,) = [line for line in _rows(session, NewJobLine) if line.person_id == cuong]
    assert line.report_id == report.id
    (report,) = _rows(session, NewJobReport)
    assert report.person_lines == 1
    assert new_jobs() == 1


def test_an_employer_reaches_only_the_guests_of_the_session_tied_to_its_own_vacancy(
    client, world, session
):
    """A guest invited for another employer's vacancy, or who walked in and was seen for it,
    is nobody to this employer: trying their ids gives 404, never a referral."""
    fair_id = prepared(client, world)
    own, rivals = world["vacancies"]["one_place"], world["vacancies"]["rival"]
    as_user(client, world, "rival")
    assert register(client, fair_id, rivals) == 303
    db = fresh(session)
    guests = {}
    for key, name in (("theirs", "Lò Văn Khác"), ("walk_in", "Cà Thị Vào"), ("mine", "Lò Văn Ta")):
        person = factories.person(
            db, full_name=name, commune_code=world["communes"][2], consent_to_employers=True
        )
        assert person.id is not None
        guests[key] = person.id
        db.add(JobFairGuest(fair_id=fair_id, person_id=person.id, invited=key != "walk_in"))
    db.add(JobFairMatch(fair_id=fair_id, person_id=guests["theirs"], vacancy_id=rivals))
    db.add(JobFairMatch(fair_id=fair_id, person_id=guests["mine"], vacancy_id=own))
    db.commit()
    with on_the_day(client, world):
        seen = step(client, fair_id, guests["walk_in"], rivals, "interview")
        assert seen.status_code == 303
    with on_the_day(client, world, "employer"):
        for key in ("theirs", "walk_in"):
            refer = f"/vacancies/{own}/candidates/{guests[key]}/refer"
            assert client.post(refer, follow_redirects=False).status_code == 404, key
        mine = f"/vacancies/{own}/candidates/{guests['mine']}/refer"
        assert client.post(mine, follow_redirects=False).status_code == 303
        page = client.get(f"/vacancies/{own}/referrals")
    assert page.status_code == 200
    assert "Lò Văn Ta" in page.text
    assert "Lò Văn Khác" not in page.text and "Cà Thị Vào" not in page.text
    referred = {r.person_id for r in _rows(session, Referral)}
    assert guests["mine"] in referred
    assert not {guests["theirs"], guests["walk_in"]} & referred
