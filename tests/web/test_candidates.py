"""The candidates of a vacancy as an employer, an official and an administrator meet them:
graduates ranked best first with the reason in one line, personal data masked for employers
and each page view audited once; referrals, interviews, rejections with a reason, hires that
never fill a vacancy beyond its places, and people employed elsewhere shown and refused.
Every route is tried by every role and by an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from models.clock import today
from models.i18n import translate
from models.ranking import score_of
from models.tables import (
    AuditEntry,
    EmploymentSpell,
    Person,
    Referral,
    TrainingOrder,
    UserAccount,
    Vacancy,
)
from models.validation import mask_citizen_id, mask_phone
from tests import factories
from tests.html import Node, attrs, data_attrs, find_all, one, parse, text, texts
from tests.web.helpers import make_account, sign_in

SKILLS = ["cắt vải", "vắt sổ", "may máy một kim"]
EMPLOYER, OTHER_EMPLOYER = "tuyen.dung", "cong.ty.khac"


# --- reading the page ----------------------------------------------------------------------


@dataclass
class Item:
    person: int
    rank: str | None
    score: str | None
    classes: set[str]
    name: str = ""
    reason: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    steps: set[str] = field(default_factory=set)
    status: str | None = None
    errors: list[str] = field(default_factory=list)


class Page:
    """The candidates (or referrals) page as a reader sees it: one Item per person, the
    notice, the heading and the errors of the filter form."""

    def __init__(self, html: str) -> None:
        page = parse(html)
        self.items = [_item(node) for node in find_all(page, "li.candidate")]
        self.notice = " ".join(texts(page, ".notice"))
        self.h1 = text(one(page, "h1"))
        self.filter_errors = {
            data_attrs(node).get("field", ""): text(node)
            for node in find_all(page, ".field-error")
            if not _inside_item(node)
        }

    @property
    def people(self) -> list[int]:
        return [item.person for item in self.items]

    def item(self, person_id: int) -> Item:
        return next(item for item in self.items if item.person == person_id)


def _item(node: Node) -> Item:
    values = data_attrs(node)
    statuses = find_all(node, "[data-status]")
    return Item(
        person=int(values["person"]),
        rank=values.get("rank"),
        score=values.get("score"),
        classes=set(attrs(node).get("class", "").split()),
        name=" ".join(texts(node, ".candidate-name")),
        reason=" ".join(texts(node, ".candidate-reason")),
        facts={data_attrs(dd)["fact"]: text(dd) for dd in find_all(node, "dd[data-fact]")},
        steps={data_attrs(button)["step"] for button in find_all(node, "button[data-step]")},
        status=data_attrs(statuses[-1])["status"] if statuses else None,
        errors=texts(node, ".field-error"),
    )


def _inside_item(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "li" and "candidate" in attrs(parent).get("class", "").split():
            return True
        parent = parent.parent
    return False


def error_message(response) -> str:
    """The message of an error page."""
    return text(one(parse(response.text), ".error-message"))


# --- the world -----------------------------------------------------------------------------


def graduate(session: Session, course, name: str, **person) -> Person:
    values = {
        "full_name": name,
        "consent_to_employers": True,
        "commune_code": "03127",
        **person,
    }
    row = factories.person(session, **values)
    factories.enrolment(
        session,
        person_id=row.id,
        course_id=course.id,
        status="tot_nghiep",
        result="dat",
        graduated_on=date(2026, 6, 30),
    )
    return row


@dataclass
class World:
    """Ids only: a test reads rows afresh rather than trusting objects it may have expired."""

    vacancy_id: int
    other_id: int
    title: str
    people: dict[str, int]
    sewing_id: int


def build_world(session: Session, *, quantity: int = 2) -> World:
    """A sewing vacancy (its employer has an account) and graduates: Mai has two of its
    three skills and lives in its commune; Hùng and Hoa are sewers from another commune;
    Lan is an electrician; Tú did not consent; Sơn is still studying."""
    sewing = factories.occupation(session, key="MAY_CONG_NGHIEP", name="May công nghiệp")
    electric = factories.occupation(
        session, key="DIEN_DAN_DUNG", name="Điện dân dụng", group="dien"
    )
    for level in ("duoi_3_thang", "trung_cap", "cao_dang"):
        factories.level(session, level)
    course = factories.course(session, occupation_id=sewing.id)
    electric_course = factories.course(session, occupation_id=electric.id)
    people = {
        "mai": graduate(
            session,
            course,
            "Lò Thị Mai",
            sex="nu",
            skills=SKILLS[:2],
            citizen_id="011301012345",
            phone="+84912345678",
        ),
        "hung": graduate(session, course, "Quàng Văn Hùng", commune_code="03160"),
        "hoa": graduate(session, course, "Cầm Thị Hoa", sex="nu", commune_code="03160"),
        "lan": graduate(session, electric_course, "Cà Thị Lan", sex="nu", commune_code="03160"),
        "tu": graduate(session, course, "Lường Văn Tú", consent_to_employers=False),
    }
    son = factories.person(session, full_name="Tòng Văn Sơn", consent_to_employers=True)
    factories.enrolment(session, person_id=son.id, course_id=course.id)
    people["son"] = son
    employer = factories.employer(session)
    vacancy = factories.vacancy(
        session,
        employer_id=employer.id,
        occupation_id=sewing.id,
        skills=SKILLS,
        quantity=quantity,
        start_date=date(2026, 9, 1),
    )
    other_vacancy = factories.vacancy(session, title="Thợ điện", occupation_id=electric.id)
    session.commit()
    make_account(session, "employer", EMPLOYER, employer_id=employer.id)
    ids = {key: person.id for key, person in people.items()}
    return World(vacancy.id, other_vacancy.id, vacancy.title, ids, sewing.id)


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def candidates_url(vacancy_id: int, **query: str) -> str:
    base = f"/vacancies/{vacancy_id}/candidates"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def step_url(vacancy_id: int, person_id: int, step: str) -> str:
    return f"/vacancies/{vacancy_id}/candidates/{person_id}/{step}"


def post(client, vacancy_id: int, person_id: int, step: str, **data: str):
    return client.post(step_url(vacancy_id, person_id, step), data=data, follow_redirects=False)


def done_reading(session: Session) -> None:
    """End the test's read transaction: on SQLite every transaction holds the write lock
    (BEGIN IMMEDIATE), so the app's requests would wait for it."""
    session.commit()


def referrals(session: Session, vacancy_id: int) -> list[Referral]:
    query = select(Referral).where(col(Referral.vacancy_id) == vacancy_id).order_by(Referral.id)
    found = list(session.execute(query.execution_options(populate_existing=True)).scalars())
    done_reading(session)
    return found


def fresh(session: Session, model, key: int):
    """The row as the database holds it now."""
    row = session.get(model, key, populate_existing=True)
    done_reading(session)
    return row


def refer_directly(session: Session, vacancy_id: int, person_id: int, status: str = "referred"):
    session.add(Referral(person_id=person_id, vacancy_id=vacancy_id, status=status))
    session.commit()


def count(session: Session, model) -> int:
    found = session.execute(select(func.count()).select_from(model)).scalar_one()
    done_reading(session)
    return found


# --- the list ------------------------------------------------------------------------------


def test_candidates_are_ranked_best_first_with_the_reason_in_one_line(client, session, world):
    sign_in(client, EMPLOYER)
    response = client.get(candidates_url(world.vacancy_id))

    assert response.status_code == 200
    page = Page(response.text)
    assert [item.rank for item in page.items] == [str(i) for i in range(1, len(page.items) + 1)]
    people = world.people
    assert page.people == [people["mai"], people["hung"], people["hoa"]]
    # Lan is an electrician, Tú did not consent, Sơn is still studying.
    assert {people["lan"], people["tu"], people["son"]}.isdisjoint(page.people)
    mai = page.item(people["mai"])
    assert mai.name == "Lò Thị Mai"
    assert translate("has {skills}", "vi", skills="cắt vải, vắt sổ") in mai.reason
    assert translate("lacks {skills}", "vi", skills="may máy một kim") in mai.reason
    assert translate("lives in the commune of the job", "vi") in mai.reason
    assert mai.reason.startswith(
        translate(
            "Trained in {occupation}, the occupation of the job",
            "vi",
            occupation="May công nghiệp",
        )
    )
    scores = [float(item.score or 0) for item in page.items]  # shown to 0.1 percent
    assert scores == sorted(scores, reverse=True)
    vacancy = session.get(Vacancy, world.vacancy_id)
    engine = [score_of(session, vacancy, person, on=today()) for person in page.people]
    assert scores == [round((score or 0) * 100, 1) for score in engine]


def test_employers_see_ids_and_phones_masked_and_the_view_is_audited_once(client, session, world):
    sign_in(client, EMPLOYER)
    page = Page(client.get(candidates_url(world.vacancy_id)).text)

    mai = page.item(world.people["mai"])
    assert mai.facts["citizen_id"] == mask_citizen_id("011301012345")
    assert mai.facts["phone"] == mask_phone("+84912345678")
    assert "ethnicity" not in mai.facts
    views = (
        session.execute(select(AuditEntry).where(col(AuditEntry.action) == "view_personal_data"))
        .scalars()
        .all()
    )
    assert len(views) == 1
    assert views[0].entity == "vacancy_candidates"
    assert views[0].entity_id == str(world.vacancy_id)
    assert views[0].details["person_ids"] == page.people


def test_an_employer_never_sees_a_graduate_who_withdrew_consent(client, session, world):
    mai = session.get(Person, world.people["mai"])
    mai.consent_to_employers = False
    session.add(mai)
    session.commit()
    sign_in(client, EMPLOYER)

    page = Page(client.get(candidates_url(world.vacancy_id)).text)

    assert world.people["mai"] not in page.people
    assert "011301012345" not in client.get(candidates_url(world.vacancy_id)).text


def test_officials_see_the_full_record(client, session, world):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    page = Page(client.get(candidates_url(world.vacancy_id)).text)
    mai = page.item(world.people["mai"])
    assert mai.facts["citizen_id"] == "011301012345"
    assert page.item(world.people["mai"]).steps == {"refer"}  # officials refer, never hire


def test_filters_narrow_the_list(client, session, world):
    sign_in(client, EMPLOYER)
    first = Page(client.get(candidates_url(world.vacancy_id)).text)
    everyone = first.people
    threshold = int(float(first.item(world.people["mai"]).score or 0))  # whole percent

    best = Page(client.get(candidates_url(world.vacancy_id, min_score=str(threshold))).text)
    local = Page(client.get(candidates_url(world.vacancy_id, commune="03127")).text)
    trained_higher = Page(client.get(candidates_url(world.vacancy_id, level="trung_cap")).text)
    trained_at_all = Page(client.get(candidates_url(world.vacancy_id, level="so_cap")).text)

    assert world.people["mai"] in best.people and len(best.people) < len(everyone)
    assert local.people == [world.people["mai"]]
    assert trained_higher.people == []  # all were trained at sơ cấp
    assert trained_at_all.people == everyone


def test_only_order_linked_keeps_the_graduates_of_the_vacancys_order(client, session, world):
    vacancy = session.get(Vacancy, world.vacancy_id)
    order = TrainingOrder(
        employer_id=vacancy.employer_id,
        occupation_id=world.sewing_id,
        level_code="so_cap",
        quantity=5,
        needed_by=date(2026, 9, 1),
    )
    session.add(order)
    session.flush()
    ordered = factories.course(session, occupation_id=world.sewing_id, training_order_id=order.id)
    linh = graduate(session, ordered, "Vừ Thị Linh", sex="nu", commune_code="03160")
    vacancy.training_order_id = order.id
    session.add(vacancy)
    session.commit()
    sign_in(client, EMPLOYER)

    page = Page(client.get(candidates_url(vacancy.id, order_only="1")).text)

    assert page.people == [linh.id]
    assert translate("trained under this vacancy's training order", "vi") in page.items[0].reason


def test_a_bad_filter_is_shown_next_to_its_field_with_400(client, session, world):
    sign_in(client, EMPLOYER)
    response = client.get(candidates_url(world.vacancy_id, min_score="nhiều"))

    assert response.status_code == 400
    page = Page(response.text)
    assert page.filter_errors["min_score"] == translate(
        "The minimum score is a whole number from 0 to 100.", "vi"
    )
    assert page.people  # the list is still shown, unfiltered
    unknown = client.get(candidates_url(world.vacancy_id, level="tien_si"))
    assert unknown.status_code == 400
    assert Page(unknown.text).filter_errors["level"] == translate(
        "Choose a training level from the list.", "vi"
    )


def test_an_edited_vacancy_is_ranked_again_at_once(client, session, world):
    sign_in(client, EMPLOYER)
    before = Page(client.get(candidates_url(world.vacancy_id)).text).people
    vacancy = session.get(Vacancy, world.vacancy_id)
    vacancy.location_kind, vacancy.commune_code = "commune", "03160"
    session.add(vacancy)
    session.commit()
    hung = session.get(Person, world.people["hung"])
    hung.willing_to_work = ["commune"]  # Hùng lives in 03160: still willing
    mai = session.get(Person, world.people["mai"])
    mai.willing_to_work = ["commune"]  # Mai lives in 03127: the job is elsewhere now
    session.add_all([hung, mai])
    session.commit()

    after = Page(client.get(candidates_url(world.vacancy_id)).text).people

    assert world.people["mai"] in before
    assert world.people["mai"] not in after and world.people["hung"] in after


def test_the_page_is_in_english_on_request(client, session, world):
    sign_in(client, EMPLOYER)
    client.cookies.set("lang", "en")
    page = Page(client.get(candidates_url(world.vacancy_id)).text)
    assert page.h1 == f"Candidates for {world.title}"
    assert "has cắt vải, vắt sổ" in page.item(world.people["mai"]).reason


def test_an_unknown_vacancy_is_a_404_page(client, session, world):
    sign_in(client, EMPLOYER)
    assert client.get(candidates_url(99999)).status_code == 404


# --- referring, interviewing, rejecting ----------------------------------------------------


def test_refer_twice_makes_one_referral_and_says_so(client, session, world):
    sign_in(client, EMPLOYER)
    mai = world.people["mai"]
    back = candidates_url(world.vacancy_id)

    first = post(client, world.vacancy_id, mai, "refer", back=back)
    second = post(client, world.vacancy_id, mai, "refer", back=back)

    assert first.status_code == 303
    target = urlsplit(first.headers["location"])
    assert target.path == back and parse_qs(target.query)["done"] == ["referred"]
    assert second.status_code == 409
    assert error_message(second) == translate(
        "This person has already been referred to this vacancy.", "vi"
    )
    assert [(r.person_id, r.status) for r in referrals(session, world.vacancy_id)] == [
        (mai, "referred")
    ]
    page = Page(client.get(first.headers["location"]).text)
    assert page.notice == translate("The candidate has been referred.", "vi")
    assert page.item(mai).status == "referred"
    assert page.item(mai).steps == {"interview", "hire", "reject", "withdraw"}


def test_a_rejection_needs_a_reason(client, session, world):
    sign_in(client, EMPLOYER)
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai)

    refused = post(client, world.vacancy_id, mai, "reject", reason="   ")

    assert refused.status_code == 400
    page = Page(refused.text)
    assert page.item(mai).errors == [translate("Give the reason for the rejection.", "vi")]
    assert [r.status for r in referrals(session, world.vacancy_id)] == ["referred"]

    done = post(client, world.vacancy_id, mai, "reject", reason="Không đạt phỏng vấn")
    assert done.status_code == 303
    (referral,) = referrals(session, world.vacancy_id)
    assert (referral.status, referral.reason) == ("rejected", "Không đạt phỏng vấn")


def test_interview_then_withdraw(client, session, world):
    sign_in(client, EMPLOYER)
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai)

    assert post(client, world.vacancy_id, mai, "interview").status_code == 303
    assert referrals(session, world.vacancy_id)[0].status == "interview"
    again = post(client, world.vacancy_id, mai, "interview")
    assert again.status_code == 409  # already recorded: nothing changes
    assert post(client, world.vacancy_id, mai, "withdraw").status_code == 303
    assert referrals(session, world.vacancy_id)[0].status == "withdrawn"
    assert post(client, world.vacancy_id, mai, "reject", reason="x").status_code == 404


def test_a_rejected_candidate_may_be_referred_again(client, session, world):
    sign_in(client, EMPLOYER)
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai, status="rejected")
    assert post(client, world.vacancy_id, mai, "refer").status_code == 303
    assert [r.status for r in referrals(session, world.vacancy_id)] == ["rejected", "referred"]


# --- hiring --------------------------------------------------------------------------------


def test_hire_records_the_job_and_claims_a_place(client, session, world):
    sign_in(client, EMPLOYER)
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai)
    assert "hire" in Page(client.get(candidates_url(world.vacancy_id)).text).item(mai).steps

    response = post(client, world.vacancy_id, mai, "hire", back=candidates_url(world.vacancy_id))

    assert response.status_code == 303
    vacancy = fresh(session, Vacancy, world.vacancy_id)
    (referral,) = referrals(session, vacancy.id)
    spell = session.execute(select(EmploymentSpell)).scalars().one()
    assert (vacancy.filled, vacancy.status, referral.status) == (1, "open", "hired")
    assert (spell.person_id, spell.vacancy_id, spell.referral_id) == (mai, vacancy.id, referral.id)
    assert (spell.source, spell.kind, spell.channel) == ("platform", "wage", "dn_trong_tinh")
    assert spell.in_trained_occupation is True
    assert spell.enrolment_id is not None
    assert spell.wage == vacancy.wage_min
    assert spell.employer_id == vacancy.employer_id
    assert spell.start_date == max(today(), date(2026, 9, 1))
    hires = session.execute(select(AuditEntry).where(col(AuditEntry.action) == "hire")).scalars()
    assert [(h.entity, h.person_id) for h in hires] == [("referral", mai)]
    done_reading(session)
    page = Page(client.get(response.headers["location"]).text)
    assert page.item(mai).status == "hired" and page.item(mai).steps == {"undo_hire"}


def test_a_hire_abroad_counts_in_the_abroad_channel(client, session, world):
    vacancy = session.get(Vacancy, world.vacancy_id)
    vacancy.location_kind, vacancy.commune_code, vacancy.country_code = "abroad", None, "KR"
    session.add(vacancy)
    session.commit()
    sign_in(client, EMPLOYER)
    assert post(client, vacancy.id, world.people["hung"], "hire").status_code == 303
    spell = session.execute(select(EmploymentSpell)).scalars().one()
    assert (spell.kind, spell.channel, spell.country_code) == (
        "abroad",
        "xuat_khau_lao_dong",
        "KR",
    )


def test_no_place_left_is_refused_clearly(client, session):
    world = build_world(session, quantity=1)
    sign_in(client, EMPLOYER)
    first = post(client, world.vacancy_id, world.people["mai"], "hire")
    second = post(client, world.vacancy_id, world.people["hung"], "hire")

    assert first.status_code == 303
    assert second.status_code == 409
    assert error_message(second) == translate("This vacancy has no place left.", "vi")
    vacancy = fresh(session, Vacancy, world.vacancy_id)
    assert (vacancy.filled, vacancy.status) == (1, "filled")
    assert count(session, EmploymentSpell) == 1
    assert [r.person_id for r in referrals(session, vacancy.id)] == [world.people["mai"]]


def test_hiring_the_same_person_twice_is_refused(client, session, world):
    sign_in(client, EMPLOYER)
    mai = world.people["mai"]
    assert post(client, world.vacancy_id, mai, "hire").status_code == 303
    again = post(client, world.vacancy_id, mai, "hire")
    assert again.status_code == 409
    assert error_message(again) == translate("This person is already hired for this vacancy.", "vi")
    assert fresh(session, Vacancy, world.vacancy_id).filled == 1


@pytest.mark.parametrize("how", ["hired on the platform", "a job found since graduating"])
def test_a_person_employed_elsewhere_is_not_ranked_and_refused(client, session, world, how):
    hung = world.people["hung"]
    if how == "hired on the platform":
        refer_directly(session, world.other_id, hung, status="hired")
    else:
        session.add(
            EmploymentSpell(
                person_id=hung,
                start_date=date(2026, 8, 1),
                kind="self_employed",
                channel="chuong_trinh_khac_tu_tao",
                source="commune_report",
            )
        )
        session.commit()
    sign_in(client, EMPLOYER)

    page = Page(client.get(candidates_url(world.vacancy_id)).text)
    refused = post(client, world.vacancy_id, hung, "hire")

    assert hung not in page.people and world.people["hoa"] in page.people
    assert refused.status_code == 409  # still eligible: told why, not that nobody is there
    assert error_message(refused) == translate(
        "This person has meanwhile been employed elsewhere and cannot be taken here.", "vi"
    )
    assert fresh(session, Vacancy, world.vacancy_id).filled == 0
    assert referrals(session, world.vacancy_id) == []


# --- who may do what -----------------------------------------------------------------------

ROLES = ("anonymous", "institution", "other_employer", "employer", "official", "admin")
# What each role gets on each route: 200/303 allowed, 403 refused for the role, 404 for
# another employer's vacancy (as if it did not exist), "login" sent to sign in.
EXPECTED = {
    "list": {"institution": 403, "other_employer": 404, "employer": 200, "official": 200},
    "referrals": {"institution": 403, "other_employer": 404, "employer": 200, "official": 200},
    "refer": {"institution": 403, "other_employer": 404, "employer": 303, "official": 303},
    "interview": {"institution": 403, "other_employer": 404, "employer": 303, "official": 403},
    "hire": {"institution": 403, "other_employer": 404, "employer": 303, "official": 403},
    "reject": {"institution": 403, "other_employer": 404, "employer": 303, "official": 403},
    "withdraw": {"institution": 403, "other_employer": 404, "employer": 303, "official": 303},
}


def _sign_in_as(client, session, role: str) -> None:
    if role == "anonymous":
        return
    if role == "employer":
        sign_in(client, EMPLOYER)
        return
    name = {"other_employer": OTHER_EMPLOYER}.get(role, role)
    make_account(session, "employer" if role == "other_employer" else role, name)
    sign_in(client, name)


def _state(session: Session, world: World) -> tuple:
    vacancy = fresh(session, Vacancy, world.vacancy_id)
    rows = [(r.person_id, r.status, r.reason) for r in referrals(session, vacancy.id)]
    return vacancy.filled, rows, count(session, EmploymentSpell)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(EXPECTED))
def test_permission_matrix(client, session, world, route, role):
    mai = world.people["mai"]
    if route not in ("list", "referrals", "refer"):
        refer_directly(session, world.vacancy_id, mai)
    _sign_in_as(client, session, role)
    before = _state(session, world)

    if route in ("list", "referrals"):
        suffix = "candidates" if route == "list" else "referrals"
        response = client.get(f"/vacancies/{world.vacancy_id}/{suffix}", follow_redirects=False)
    else:
        response = post(client, world.vacancy_id, mai, route, reason="Không phù hợp")

    expected = EXPECTED[route].get(role, 303 if route not in ("list", "referrals") else 200)
    if role == "anonymous":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
        assert _state(session, world) == before
    elif expected in (403, 404):
        assert response.status_code == expected
        assert _state(session, world) == before
    else:
        assert response.status_code == expected, response.text[:300]


def test_the_referrals_page_lists_every_referral_sorted_by_name(client, session, world):
    people = world.people
    for key, status in (("hung", "referred"), ("mai", "rejected"), ("hoa", "interview")):
        refer_directly(session, world.vacancy_id, people[key], status=status)
    sign_in(client, EMPLOYER)

    response = client.get(f"/vacancies/{world.vacancy_id}/referrals")

    assert response.status_code == 200
    page = Page(response.text)
    # Vietnamese order: by given name (Hoa, Hùng, Mai), not by family name.
    assert page.people == [people["hoa"], people["hung"], people["mai"]]
    assert [item.status for item in page.items] == ["interview", "referred", "rejected"]
    assert page.item(people["hoa"]).steps == {"hire", "reject", "withdraw"}
    assert page.item(people["mai"]).facts["citizen_id"] == mask_citizen_id("011301012345")
    entry = session.execute(
        select(AuditEntry).where(col(AuditEntry.entity) == "vacancy_referrals")
    ).scalar_one()
    assert sorted(entry.details["person_ids"]) == sorted(page.people)


def test_a_step_taken_from_the_referrals_page_comes_back_to_it(client, session, world):
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai)
    sign_in(client, EMPLOYER)
    back = f"/vacancies/{world.vacancy_id}/referrals"

    done = post(client, world.vacancy_id, mai, "interview", back=back)
    no_reason = post(client, world.vacancy_id, mai, "reject", back=back)
    elsewhere = post(client, world.vacancy_id, mai, "withdraw", back="https://example.org/x")
    refused = post(client, world.vacancy_id, mai, "reject", back=back, reason="Muộn")

    assert urlsplit(done.headers["location"]).path == back
    assert no_reason.status_code == 400  # the referrals page again, the error at its field
    again = Page(no_reason.text)
    assert again.h1 == translate("Referrals to {title}", "vi", title=world.title)
    assert again.item(mai).errors == [translate("Give the reason for the rejection.", "vi")]
    assert urlsplit(elsewhere.headers["location"]).path == candidates_url(world.vacancy_id)
    assert refused.status_code == 404  # withdrawn meanwhile: nothing left to reject


def test_admins_may_do_everything(client, session, world):
    make_account(session, "admin", "quan.tri")
    sign_in(client, "quan.tri")
    mai = world.people["mai"]
    assert client.get(candidates_url(world.vacancy_id)).status_code == 200
    assert post(client, world.vacancy_id, mai, "refer").status_code == 303
    assert post(client, world.vacancy_id, mai, "hire").status_code == 303
    hired = session.execute(select(Referral)).scalars().one()
    admin = session.execute(
        select(UserAccount).where(col(UserAccount.username) == "quan.tri")
    ).scalar_one()
    assert (hired.status, hired.created_by_id) == ("hired", admin.id)


def test_nobody_is_referred_without_their_consent(client, session, world):
    # Tú, who never agreed, is related to the vacancy: an earlier referral was withdrawn.
    refer_directly(session, world.vacancy_id, world.people["tu"], status="withdrawn")
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    refused = post(client, world.vacancy_id, world.people["tu"], "refer")
    assert refused.status_code == 403
    assert error_message(refused) == translate(
        "This person has not agreed to be shown to employers.", "vi"
    )
    assert [r.status for r in referrals(session, world.vacancy_id)] == ["withdrawn"]


def test_an_unknown_step_is_a_404_page(client, session, world):
    sign_in(client, EMPLOYER)
    response = post(client, world.vacancy_id, world.people["mai"], "promote")
    assert response.status_code == 404
    assert referrals(session, world.vacancy_id) == []


def test_a_referral_whose_person_withdrew_consent_stays_listed_without_data(client, session, world):
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai)
    person = session.get(Person, mai)
    person.consent_to_employers = False
    session.add(person)
    session.commit()
    sign_in(client, EMPLOYER)

    page = Page(client.get(f"/vacancies/{world.vacancy_id}/referrals").text)

    item = page.item(mai)
    assert item.name == translate("Not shown: consent withdrawn", "vi")
    assert "citizen_id" not in item.facts and "phone" not in item.facts
    assert item.steps == {"interview", "reject", "withdraw"}  # but no hire
    entry = session.execute(
        select(AuditEntry).where(col(AuditEntry.entity) == "vacancy_referrals")
    ).scalar_one()
    assert entry.details["person_ids"] == []


# --- only people related to the vacancy -----------------------------------------------------


@pytest.mark.parametrize("step", ["refer", "hire"])
def test_a_person_never_ranked_referred_or_trained_for_the_employer_is_missing(
    client, session, world, step
):
    """The reproduction: an employer hires a consenting person by raw id. Sơn is in
    training (not eligible), never referred, and not in a course for this employer's order;
    the answer is the one for a person who does not exist."""
    son = world.people["son"]
    sign_in(client, EMPLOYER)
    response = post(client, world.vacancy_id, son, step)
    missing = post(client, world.vacancy_id, 2_000_000, step)
    assert (response.status_code, missing.status_code) == (404, 404)
    assert error_message(response) == error_message(missing)
    assert referrals(session, world.vacancy_id) == []
    assert count(session, EmploymentSpell) == 0


def test_the_cohort_of_the_employers_training_order_may_be_hired(client, session, world):
    vacancy = session.get(Vacancy, world.vacancy_id)
    order = factories.training_order(session, employer_id=vacancy.employer_id)
    course = factories.course(session, training_order_id=order.id)
    factories.enrolment(session, person_id=world.people["son"], course_id=course.id)
    session.commit()
    sign_in(client, EMPLOYER)
    assert post(client, world.vacancy_id, world.people["son"], "hire").status_code == 303
    assert [r.person_id for r in referrals(session, world.vacancy_id)] == [world.people["son"]]
