"""Course pages as each role meets them: who may list, open, register and edit courses; the
filters and paging; the form's errors next to its fields; results of a whole course saved
in one transaction or not at all.

`World`, `signed_in` and the other helpers below are shared with test_trainees.py, test_users.py,
test_targets.py and test_labour_force.py; pages are read with tests/html.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.accounts import hash_password
from models.i18n import translate
from models.tables import (
    AuditEntry,
    Course,
    Enrolment,
    TrainingOccupation,
    TrainingOrder,
    UserAccount,
)
from seed.reference import load_reference_data
from tests import factories
from tests.html import (
    attr,
    body_rows,
    field_errors,
    find_all,
    first,
    one,
    options,
    parse,
    selected,
    text,
)
from tests.web.helpers import PASSWORD, sign_in
from web.labels import LABELS

ROLES = ("admin", "official", "staff_a", "staff_b", "employer", "anonymous")


def vi(msgid: str, **params: Any) -> str:
    return translate(msgid, "vi", **params)


# --- the people and records every test starts from ----------------------------------------


@dataclass
class World:
    """Two institutions (A with a course, B without), an employer and an account of every
    role: staff_a belongs to A, staff_b to B. Tests that read the database roll back before
    the next request: on SQLite every transaction begins IMMEDIATE and holds the write lock."""

    session: Session
    institution_a: int
    institution_b: int
    employer: int
    course: int
    occupation_id: int  # May công nghiệp, taught at duoi_3_thang and so_cap
    usernames: dict[str, str]


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per test run


def account(session: Session, role: str, username: str, **binding: int | None) -> str:
    """An account that signs in with tests.web.helpers.PASSWORD."""
    session.add(
        UserAccount(
            username=username,
            full_name=f"Người dùng {username}",
            role=role,
            password_hash=_password_hash(),
            **binding,
        )
    )
    return username


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    institution_a = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    institution_b = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
    employer = factories.employer(session)
    occupation = session.exec(
        select(TrainingOccupation).where(col(TrainingOccupation.key) == "MAY_CONG_NGHIEP")
    ).one()
    course = factories.course(
        session,
        institution_id=institution_a.id,
        occupation_id=occupation.id,
        level_code="so_cap",
        code="MAY-01",
        name="May công nghiệp lớp 1",
        capacity=3,
        start_date=date(2026, 3, 2),
        end_date=date(2026, 6, 30),
    )
    usernames = {
        "admin": account(session, "admin", "quan.tri"),
        "official": account(session, "official", "can.bo"),
        "staff_a": account(session, "institution", "giao.vu.a", institution_id=institution_a.id),
        "staff_b": account(session, "institution", "giao.vu.b", institution_id=institution_b.id),
        "employer": account(session, "employer", "nhan.su", employer_id=employer.id),
    }
    assert occupation.levels == ["duoi_3_thang", "so_cap"]
    ids = (institution_a.id, institution_b.id, employer.id, course.id, occupation.id)
    session.commit()
    # Plain ids only: a row object would reload itself after a rollback and so open a
    # transaction (on SQLite one that blocks the app's writes).
    return World(session, *ids, usernames)


def signed_in(client: TestClient, world: World, role: str) -> TestClient:
    """The client signed in as `role` (anonymous stays a visitor)."""
    if role != "anonymous":
        sign_in(client, world.usernames[role])
    return client


def fresh(session: Session) -> Session:
    """The session, about to read what the app committed: rows it holds are reloaded (a
    rollback alone does nothing when no transaction is open, and the identity map would
    hand back the old values)."""
    session.rollback()
    session.expire_all()
    return session


def count(session: Session, model: type) -> int:
    """Rows in a table, read in a transaction of its own: on SQLite a transaction left open
    by the test (they all begin IMMEDIATE) would block the app's next request."""
    session.rollback()
    rows = session.exec(select(func.count()).select_from(model)).one()
    session.rollback()
    return rows


def course_form(world: World, **overrides: str) -> dict[str, str]:
    values = {
        "code": "MAY-02",
        "name": "May công nghiệp lớp 2",
        "occupation_id": str(world.occupation_id),
        "level_code": "so_cap",
        "hours": "320",
        "start_date": "2026-09-07",
        "end_date": "2026-12-18",
        "capacity": "25",
        "venue_commune_code": "03127",
        "funding_source": "ctmtqg_dtts",
        "status": "planned",
    }
    return values | overrides


# --- who may do what ----------------------------------------------------------------------

ACCESS: dict[str, Callable[[World], str]] = {
    "list": lambda w: "/courses",
    "new": lambda w: "/courses/new",
    "detail": lambda w: f"/courses/{w.course}",
    "edit": lambda w: f"/courses/{w.course}/edit",
    "results": lambda w: f"/courses/{w.course}/results",
}
EXPECTED = {  # role -> status per page, in ACCESS order
    "admin": (200, 200, 200, 200, 200),
    "official": (200, 403, 200, 403, 403),
    "staff_a": (200, 200, 200, 200, 200),
    "staff_b": (200, 200, 404, 404, 404),  # another institution's course: as if missing
    "employer": (403, 403, 403, 403, 403),
    "anonymous": (303, 303, 303, 303, 303),
}


@pytest.mark.parametrize("role", ROLES)
def test_course_pages_answer_each_role_as_the_policy_says(client, world, role):
    signed_in(client, world, role)
    for (page, path), expected in zip(ACCESS.items(), EXPECTED[role], strict=True):
        response = client.get(path(world), follow_redirects=False)
        assert response.status_code == expected, (role, page)
        if expected == 303:
            assert response.headers["location"].startswith("/login?next=")
        if expected == 403:
            assert text(one(parse(response.text), "h1")) == vi("Not allowed")
        if expected == 404:
            missing = client.get(path(world).replace(f"/{world.course}", "/999999"))
            assert text(one(parse(response.text), "main")) == text(one(parse(missing.text), "main"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 303), ("staff_a", 303), ("official", 403), ("staff_b", 404), ("employer", 403)],
)
def test_only_the_owning_institution_and_admins_edit_a_course(client, world, role, expected):
    signed_in(client, world, role)
    form = course_form(world, code="MAY-01", name="Tên mới", capacity="4")
    response = client.post(f"/courses/{world.course}/edit", data=form, follow_redirects=False)
    assert response.status_code == expected
    course = fresh(world.session).get(Course, world.course)
    assert course is not None
    assert (course.name == "Tên mới") is (expected == 303)


def test_an_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, world):
    response = client.post("/courses/new", data=course_form(world), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert count(world.session, Course) == 1


# --- the list -----------------------------------------------------------------------------


def _more_courses(world: World) -> None:
    session = world.session
    other = session.exec(
        select(TrainingOccupation).where(col(TrainingOccupation.key) == "HAN")
    ).one()
    for n in range(4):
        factories.course(
            session,
            institution_id=world.institution_b,
            occupation_id=other.id,
            level_code="trung_cap",
            code=f"HAN-{n}",
            start_date=date(2025, 9, 1),
            end_date=date(2027, 6, 30),
            status="running",
        )
    session.commit()


def test_staff_see_only_their_institution_and_officials_see_all(client, world):
    _more_courses(world)
    signed_in(client, world, "staff_b")
    page = parse(client.get("/courses").text)
    assert len(body_rows(page, "table#courses")) == 4
    assert attr(page, ".result-count", "data-total") == "4"

    official = TestClient(client.app)
    signed_in(official, world, "official")
    assert len(body_rows(parse(official.get("/courses").text), "table#courses")) == 5


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("level=trung_cap", {"HAN-0", "HAN-1", "HAN-2", "HAN-3"}),
        ("status=planned", {"MAY-01"}),
        ("year=2026", {"MAY-01"}),
        ("year=2025&status=running", {"HAN-0", "HAN-1", "HAN-2", "HAN-3"}),
        ("year=2024", set()),
        ("occupation=junk&level=", {"MAY-01", "HAN-0", "HAN-1", "HAN-2", "HAN-3"}),
    ],
)
def test_filters_narrow_the_list(client, world, query, codes):
    _more_courses(world)
    signed_in(client, world, "admin")
    response = client.get(f"/courses?{query}")
    assert response.status_code == 200
    page = parse(response.text)
    rows = body_rows(page, "table#courses") if codes else []
    assert {text(first(row, "a")) for row in rows} == codes
    if not codes:
        assert text(one(page, ".empty")) == vi("No course matches these filters.")


def test_the_occupation_filter_keeps_its_choice_and_finds_the_course(client, world):
    _more_courses(world)
    signed_in(client, world, "official")
    page = parse(client.get(f"/courses?occupation={world.occupation_id}").text)
    rows = body_rows(page, "table#courses")
    assert [text(first(row, "a")) for row in rows] == ["MAY-01"]
    assert selected(page, 'select[name="occupation"]') == [str(world.occupation_id)]
    status_cell = one(rows[0], 'td[data-status="planned"]')
    assert text(status_cell) == vi(LABELS["course_status"]["planned"])


def test_the_list_is_paged(client, world):
    for n in range(30):
        factories.course(session=world.session, institution_id=world.institution_a, code=f"P{n:02}")
    world.session.commit()
    signed_in(client, world, "staff_a")
    page_one = parse(client.get("/courses").text)
    assert len(body_rows(page_one, "table#courses")) == 25
    next_link = attr(page_one, 'a[rel="next"]', "href")
    page_two = parse(client.get(next_link).text)
    assert len(body_rows(page_two, "table#courses")) == 6
    assert find_all(page_two, 'a[rel="next"]') == []
    rows = body_rows(page_one, "table#courses") + body_rows(page_two, "table#courses")
    codes = {text(first(row, "a")) for row in rows}
    assert len(codes) == 31


# --- registering and editing --------------------------------------------------------------


def test_staff_register_a_course_for_their_own_institution(client, world):
    signed_in(client, world, "staff_a")
    form = course_form(world, institution_id=str(world.institution_b))  # ignored for staff
    response = client.post("/courses/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    fresh(world.session)
    course = world.session.exec(select(Course).where(col(Course.code) == "MAY-02")).one()
    assert course.institution_id == world.institution_a
    assert response.headers["location"] == f"/courses/{course.id}"
    assert (course.capacity, course.start_date, course.venue_commune_code) == (
        25,
        date(2026, 9, 7),
        "03127",
    )
    entry = world.session.exec(select(AuditEntry).where(col(AuditEntry.entity) == "course")).one()
    assert (entry.action, entry.entity_id) == ("create", str(course.id))
    world.session.rollback()  # SQLite: a test's open transaction would block the app's
    detail = parse(client.get(response.headers["location"]).text)
    assert text(one(detail, '[data-field="venue"]')) == "Phường Điện Biên Phủ"


def test_the_form_offers_the_45_communes_and_the_occupations_levels(client, world):
    signed_in(client, world, "staff_a")
    page = parse(client.get("/courses/new").text)
    communes = [value for value, _ in options(page, 'select[name="venue_commune_code"]') if value]
    assert len(communes) == 45
    label = dict(options(page, 'select[name="occupation_id"]'))[str(world.occupation_id)]
    assert label == "May công nghiệp (Đào tạo dưới 3 tháng, Sơ cấp)"
    assert find_all(page, 'select[name="institution_id"]') == []  # staff: their own


def test_a_bad_form_shows_each_error_next_to_its_field_and_saves_nothing(client, world):
    signed_in(client, world, "staff_a")
    form = course_form(
        world,
        code="",
        level_code="cao_dang",
        start_date="2026-09-07",
        end_date="2026-09-01",
        capacity="0",
        venue_commune_code="99999",
        funding_source="",
    )
    response = client.post("/courses/new", data=form)
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert errors["code"] == vi("This field is required.")
    assert errors["level_code"] == vi(
        "{occupation} is not taught at the level {level}.",
        occupation="May công nghiệp",
        level="Cao đẳng",
    )
    assert errors["end_date"] == vi(
        "The end date {end} is before the start date {start}.",
        end=date(2026, 9, 1),
        start=date(2026, 9, 7),
    )
    assert errors["capacity"] == vi("The quantity must be at least 1.")
    assert errors["venue_commune_code"] == vi("Choose a commune of the province.")
    assert errors["funding_source"] == vi("Choose a funding source.")
    assert attr(page, 'input[name="name"]', "value") == "May công nghiệp lớp 2"
    assert count(world.session, Course) == 1


def test_a_taken_code_is_refused_even_on_a_double_submit(client, world):
    signed_in(client, world, "staff_a")
    first = client.post("/courses/new", data=course_form(world), follow_redirects=False)
    again = client.post("/courses/new", data=course_form(world), follow_redirects=False)
    assert first.status_code == 303
    assert again.status_code == 400
    assert field_errors(parse(again.text))["code"] == vi(
        "The institution already has a course with the code {code}.", code="MAY-02"
    )
    assert count(world.session, Course) == 2


def test_an_admin_registers_a_course_for_the_institution_chosen(client, world):
    signed_in(client, world, "admin")
    missing = client.post("/courses/new", data=course_form(world))
    assert missing.status_code == 400
    assert field_errors(parse(missing.text))["institution_id"] == vi("Choose an institution.")
    form = course_form(world, institution_id=str(world.institution_b))
    assert client.post("/courses/new", data=form, follow_redirects=False).status_code == 303
    fresh(world.session)
    course = world.session.exec(select(Course).where(col(Course.code) == "MAY-02")).one()
    assert course.institution_id == world.institution_b


def _order(world: World, institution_id: int, status: str, occupation_id: int | None = None) -> int:
    order = TrainingOrder(
        employer_id=world.employer,
        institution_id=institution_id,
        occupation_id=occupation_id or world.occupation_id,
        level_code="so_cap",
        quantity=20,
        needed_by=date(2026, 12, 31),
        status=status,
    )
    world.session.add(order)
    world.session.commit()
    assert order.id is not None
    return order.id


def test_only_accepted_orders_addressed_to_the_institution_can_be_served(client, world):
    accepted = _order(world, world.institution_a, "accepted")
    requested = _order(world, world.institution_a, "requested")
    elsewhere = _order(world, world.institution_b, "accepted")
    signed_in(client, world, "staff_a")
    page = parse(client.get("/courses/new").text)
    offered = [value for value, _ in options(page, 'select[name="training_order_id"]')]
    assert offered == ["", str(accepted)]

    for refused in (requested, elsewhere):
        response = client.post(
            "/courses/new", data=course_form(world, training_order_id=str(refused))
        )
        assert response.status_code == 400
        assert "training_order_id" in field_errors(parse(response.text))
    assert count(world.session, Course) == 1

    form = course_form(world, training_order_id=str(accepted))
    assert client.post("/courses/new", data=form, follow_redirects=False).status_code == 303
    fresh(world.session)
    course = world.session.exec(select(Course).where(col(Course.code) == "MAY-02")).one()
    assert course.training_order_id == accepted


def test_an_order_for_another_occupation_is_refused(client, world):
    other = world.session.exec(
        select(TrainingOccupation).where(col(TrainingOccupation.key) == "HAN")
    ).one()
    order_id = _order(world, world.institution_a, "accepted", occupation_id=other.id)
    signed_in(client, world, "staff_a")
    response = client.post("/courses/new", data=course_form(world, training_order_id=str(order_id)))
    assert response.status_code == 400
    assert field_errors(parse(response.text))["training_order_id"] == vi(
        "The training order is for another occupation than the course."
    )


def test_editing_keeps_the_form_and_refuses_a_capacity_below_the_enrolled(client, world):
    for n in range(2):
        person = factories.person(world.session, full_name=f"Quàng Thị Mai {chr(65 + n)}")
        factories.enrolment(world.session, person_id=person.id, course_id=world.course)
    world.session.commit()
    signed_in(client, world, "staff_a")
    page = parse(client.get(f"/courses/{world.course}/edit").text)
    assert attr(page, 'input[name="start_date"]', "value") == "2026-03-02"
    assert selected(page, 'select[name="level_code"]') == ["so_cap"]
    response = client.post(
        f"/courses/{world.course}/edit", data=course_form(world, code="MAY-01", capacity="1")
    )
    assert response.status_code == 400
    assert field_errors(parse(response.text))["capacity"] == vi(
        "The capacity may not be below the {taken} trainees already enrolled.", taken=2
    )
    fresh(world.session)
    assert world.session.get(Course, world.course).capacity == 3  # type: ignore[union-attr]


# --- one course ---------------------------------------------------------------------------


def _enrol(world: World, name: str, status: str = "dang_hoc", **extra: Any) -> Enrolment:
    person = factories.person(world.session, full_name=name)
    return factories.enrolment(
        world.session, person_id=person.id, course_id=world.course, status=status, **extra
    )


def test_the_course_page_counts_and_lists_trainees_the_vietnamese_way(client, world):
    _enrol(world, "Nguyễn Văn Bình", status="tot_nghiep", result="dat")
    _enrol(world, "Lò Thị Anh")
    _enrol(world, "Vàng A Chứ", status="bo_hoc")
    world.session.commit()
    signed_in(client, world, "official")
    page = parse(client.get(f"/courses/{world.course}").text)
    counts = {
        node.attributes["data-count"]: text(one(node, ".figure-value"))
        for node in find_all(page, "[data-count]")
    }
    assert counts == {
        "capacity": "3",
        "enrolled": "3",
        "graduated": "1",
        "dropped": "1",
        "places_left": "1",
    }
    names = [text(first(row, "a")) for row in body_rows(page, "table#roster")]
    assert names == ["Lò Thị Anh", "Nguyễn Văn Bình", "Vàng A Chứ"]  # Anh, Bình, Chứ
    assert find_all(page, f'a[href="/courses/{world.course}/edit"]') == []  # read-only

    fresh(world.session)
    entry = world.session.exec(
        select(AuditEntry).where(col(AuditEntry.action) == "view_personal_data")
    ).one()
    people = world.session.exec(select(Enrolment.person_id)).all()
    assert (entry.entity, sorted(entry.details["person_ids"])) == ("course", sorted(people))


# --- results of a whole course ------------------------------------------------------------


def _results_form(rows: dict[int, dict[str, str]]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {"rows": [str(enrolment_id) for enrolment_id in rows]}
    for enrolment_id, cells in rows.items():
        data |= {f"row-{enrolment_id}-{name}": value for name, value in cells.items()}
    return data


def _graduate(number: str) -> dict[str, str]:
    return {
        "status": "tot_nghiep",
        "result": "dat",
        "graduated_on": "2026-07-01",
        "certificate_kind": "chung_chi_so_cap",
        "certificate_number": number,
    }


def test_the_results_table_has_a_row_per_trainee_with_the_levels_certificate(client, world):
    first, second = _enrol(world, "Lò Văn Minh"), _enrol(world, "Quàng Thị Hoa")
    world.session.commit()
    signed_in(client, world, "staff_a")
    page = parse(client.get(f"/courses/{world.course}/results").text)
    rows = body_rows(page, "table#results")
    ids = [row.attributes["data-enrolment-id"] for row in rows]
    assert ids == [str(second.id), str(first.id)]
    kind = selected(page, f'select[name="row-{first.id}-certificate_kind"]')
    assert kind == ["chung_chi_so_cap"]
    assert selected(page, f'select[name="row-{first.id}-status"]') == ["dang_hoc"]


def test_results_of_the_whole_course_are_saved_together(client, world):
    first, second, third = (
        _enrol(world, name) for name in ("Lò Văn Minh", "Quàng Thị Hoa", "Vàng A Páo")
    )
    world.session.commit()
    signed_in(client, world, "staff_a")
    form = _results_form(
        {
            first.id: _graduate("CC-2026-001"),
            second.id: {"status": "hoan_thanh", "result": "khong_dat"},
            third.id: {"status": "bo_hoc"},
        }
    )
    response = client.post(f"/courses/{world.course}/results", data=form, follow_redirects=False)
    assert response.status_code == 303
    fresh(world.session)
    saved = {e.id: e for e in world.session.exec(select(Enrolment))}
    assert (saved[first.id].status, saved[first.id].graduated_on) == (
        "tot_nghiep",
        date(2026, 7, 1),
    )
    assert saved[first.id].certificate_number == "CC-2026-001"
    assert (saved[second.id].status, saved[second.id].result) == ("hoan_thanh", "khong_dat")
    assert saved[third.id].status == "bo_hoc"
    updates = world.session.exec(
        select(AuditEntry).where(col(AuditEntry.entity) == "enrolment")
    ).all()
    assert {entry.person_id for entry in updates} == {e.person_id for e in saved.values()}


def test_one_bad_row_saves_nothing_and_shows_its_error_in_its_cell(client, world):
    first, second = _enrol(world, "Lò Văn Minh"), _enrol(world, "Quàng Thị Hoa")
    world.session.commit()
    signed_in(client, world, "staff_a")
    bad = _graduate("") | {"graduated_on": "2026-01-15"}  # before the start, no number
    form = _results_form({first.id: _graduate("CC-2026-001"), second.id: bad})
    response = client.post(f"/courses/{world.course}/results", data=form)
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert errors == {
        f"row-{second.id}-graduated_on": vi(
            "The graduation date {date} is before the course started ({start}).",
            date=date(2026, 1, 15),
            start=date(2026, 3, 2),
        ),
        f"row-{second.id}-certificate_number": vi("A graduate needs a certificate number."),
    }
    # The typed values come back, in the row they were typed in.
    typed = attr(page, f'input[name="row-{first.id}-certificate_number"]', "value")
    assert typed == "CC-2026-001"
    bad_row = one(page, f'table#results > tbody > tr[data-enrolment-id="{second.id}"]')
    assert "has-error" in (bad_row.attributes.get("class") or "").split()
    fresh(world.session)
    assert {e.status for e in world.session.exec(select(Enrolment))} == {"dang_hoc"}


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize(
    ("graduated_on", "msgid", "params"),
    [
        # The course runs from 02/03/2026 to 30/06/2026; the trainee enrolled on 20/03/2026.
        ("2026-03-19", "The graduation date {date} is before the enrolment ({enrolled}).",
         {"enrolled": date(2026, 3, 20)}),
        ("2026-09-29", "The graduation date {date} is more than {days} days after the course "
         "ended ({end}).", {"days": 90, "end": date(2026, 6, 30)}),
        ("2026-09-28", None, {}),  # 90 days after the end: exams and certificates take time
        ("2026-03-20", None, {}),  # the day they enrolled
    ],
)  # fmt: skip
def test_a_graduation_date_falls_inside_the_course(client, world, graduated_on, msgid, params):
    trainee = _enrol(world, "Lò Văn Minh", enrolled_on=date(2026, 3, 20))
    world.session.commit()
    signed_in(client, world, "staff_a")
    form = _results_form({trainee.id: _graduate("CC-1") | {"graduated_on": graduated_on}})
    response = client.post(f"/courses/{world.course}/results", data=form, follow_redirects=False)
    fresh(world.session)
    saved = world.session.exec(select(Enrolment)).one()
    if msgid is None:
        assert response.status_code == 303
        assert saved.graduated_on == date.fromisoformat(graduated_on)
        return
    assert response.status_code == 400
    assert field_errors(parse(response.text)) == {
        f"row-{trainee.id}-graduated_on": vi(msgid, date=date.fromisoformat(graduated_on), **params)
    }
    assert (saved.status, saved.graduated_on) == ("dang_hoc", None)


def test_a_certificate_number_is_unique_within_the_institution(client, world):
    other_course = factories.course(world.session, institution_id=world.institution_a, code="X")
    person = factories.person(world.session, full_name="Cà Văn Tâm")
    factories.enrolment(
        world.session,
        person_id=person.id,
        course_id=other_course.id,
        status="tot_nghiep",
        certificate_number="CC-2026-001",
    )
    first, second = _enrol(world, "Lò Văn Minh"), _enrol(world, "Quàng Thị Hoa")
    world.session.commit()
    signed_in(client, world, "staff_a")
    taken = client.post(
        f"/courses/{world.course}/results", data=_results_form({first.id: _graduate("CC-2026-001")})
    )
    twice = client.post(
        f"/courses/{world.course}/results",
        data=_results_form({first.id: _graduate("CC-9"), second.id: _graduate("CC-9")}),
    )
    message = "The certificate number {number} is already used at this institution."
    assert taken.status_code == twice.status_code == 400
    assert field_errors(parse(taken.text)) == {
        f"row-{first.id}-certificate_number": vi(message, number="CC-2026-001")
    }
    assert set(field_errors(parse(twice.text))) == {
        f"row-{first.id}-certificate_number",
        f"row-{second.id}-certificate_number",
    }
    fresh(world.session)
    assert (
        world.session.exec(select(func.count()).where(col(Enrolment.status) == "tot_nghiep")).one()
        == 1
    )


def test_results_of_another_institutions_course_are_refused(client, world):
    enrolment = _enrol(world, "Lò Văn Minh")
    world.session.commit()
    signed_in(client, world, "staff_b")
    form = _results_form({enrolment.id: _graduate("CC-1")})
    assert client.post(f"/courses/{world.course}/results", data=form).status_code == 404
    fresh(world.session)
    assert world.session.get(Enrolment, enrolment.id).status == "dang_hoc"  # type: ignore[union-attr]


def test_every_label_of_a_stored_code_has_a_vietnamese_translation():
    for kind, labels in LABELS.items():
        for code, msgid in labels.items():
            assert vi(msgid) != msgid, (kind, code)


@pytest.mark.parametrize(
    ("level", "hours", "end", "field", "message"),
    [
        (
            "so_cap",
            "320",
            "2026-11-20",  # 7 September to 20 November: under 3 months
            "end_date",
            "A sơ cấp course lasts from 3 months to under a year (from {start}: until {earliest} "
            "at the earliest); a shorter one is a course under 3 months.",
        ),
        (
            "so_cap",
            "240",
            "2026-12-18",
            "hours",
            "A sơ cấp course has at least {hours} hours; a shorter one is a course under 3 months.",
        ),
        (
            "duoi_3_thang",
            "200",
            "2026-12-18",  # over 3 months
            "end_date",
            "A course under 3 months ends before {date}; a longer one is a sơ cấp course.",
        ),
    ],
)
def test_a_course_whose_length_does_not_fit_its_level_is_refused(
    client, world, level, hours, end, field, message
):
    signed_in(client, world, "staff_a")
    form = course_form(world, level_code=level, hours=hours, end_date=end)

    response = client.post("/courses/new", data=form)

    assert response.status_code == 400
    params = {"start": date(2026, 9, 7), "earliest": date(2026, 12, 6), "hours": 300}
    params["date"] = date(2026, 12, 6)
    assert field_errors(parse(response.text))[field] == vi(message, **params)
    assert count(world.session, Course) == 1


def test_a_course_of_exactly_three_months_is_so_cap_and_a_shorter_one_under_3_months(client, world):
    signed_in(client, world, "staff_a")
    so_cap = course_form(world, end_date="2026-12-06")
    short = course_form(
        world, code="MAY-03", level_code="duoi_3_thang", hours="200", end_date="2026-12-05"
    )
    for form in (so_cap, short):
        assert client.post("/courses/new", data=form, follow_redirects=False).status_code == 303
    assert count(world.session, Course) == 3


def test_a_course_recorded_before_the_length_rule_can_still_move_on(client, world):
    """An eight-week sơ cấp course from before the rule: its status can be changed without
    touching its dates; changing its dates applies the rule."""
    signed_in(client, world, "staff_a")
    course = world.session.get(Course, world.course)
    assert course is not None
    course.start_date, course.end_date, course.level_code, course.hours = (
        date(2026, 3, 2),
        date(2026, 4, 24),
        "so_cap",
        320,
    )
    world.session.add(course)
    world.session.commit()
    form = course_form(
        world,
        code=course.code,
        name=course.name,
        start_date="2026-03-02",
        end_date="2026-04-24",
        hours="320",
        capacity=str(course.capacity),
        status="finished",
    )

    moved = client.post(f"/courses/{world.course}/edit", data=form, follow_redirects=False)
    longer = client.post(f"/courses/{world.course}/edit", data=form | {"end_date": "2026-05-01"})

    assert moved.status_code == 303, field_errors(parse(moved.text))
    assert longer.status_code == 400
    assert "end_date" in field_errors(parse(longer.text))
