"""Learner support under QĐ 46/2015 is paid once per person: the enrol form and the trainee
import refuse a second payment with a message and change nothing; support on a course of
another funding source is recorded without the rule; two clerks at the same moment cannot
both pay it (the partial unique index on enrolment (person_id, support_policy))."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.clock import utcnow
from models.errors import ConflictError, InvalidError
from models.excel.columns import TRAINEE_COLUMNS
from models.tables import AuthSession, Enrolment, UserAccount
from tests import factories
from tests.html import field_errors, find_all, parse
from tests.web import test_courses as shared
from tests.web.test_courses import World, count, fresh, signed_in, vi
from tests.web.test_imports import error_table
from web.auth import Principal
from web.services import trainees as trainee_service
from web.services.person_form import PersonForm

world = shared.world  # two institutions, a course at A (funded by the ethnic programme)

MINH_ID = "011201000123"  # a man born on 04/05/2001
TWICE = (
    "This person has already received learner support under QĐ 46/2015 on another course: it "
    "is paid once per person. Record 0 for this course."
)


def _qd46_course(world: World, code: str) -> int:
    course = factories.course(
        world.session, institution_id=world.institution_a, funding_source="qd46", code=code,
        start_date=date(2026, 3, 2), end_date=date(2026, 6, 30),
    )  # fmt: skip
    world.session.commit()  # an open transaction would hold SQLite's write lock
    return course.id or 0


def _supported_once(world: World) -> int:
    """Minh, paid 1,500,000 đồng of QĐ 46 support on an earlier course; returns his id."""
    earlier = factories.course(
        world.session, institution_id=world.institution_b, funding_source="qd46", code="CU-1",
        start_date=date(2025, 3, 2), end_date=date(2025, 6, 30),
    )  # fmt: skip
    person = factories.person(world.session, citizen_id=MINH_ID)
    factories.enrolment(
        world.session, person_id=person.id, course_id=earlier.id, enrolled_on=date(2025, 3, 1),
        support_amount=1_500_000, support_policy="qd46",
    )  # fmt: skip
    world.session.commit()
    return person.id or 0


def _enrol_existing(client, course_id: int, support: str):
    form = {
        "existing": "1",
        "citizen_id": MINH_ID,
        "birth_date": "2001-05-04",
        "enrolled_on": "2026-03-02",
        "support_amount": support,
    }
    return client.post(f"/courses/{course_id}/enrol", data=form, follow_redirects=False)


def _enrolments(world: World, person_id: int) -> list[tuple[int, int, str | None]]:
    rows = fresh(world.session).exec(
        select(Enrolment).where(col(Enrolment.person_id) == person_id).order_by(col(Enrolment.id))
    )
    return [(e.course_id, e.support_amount, e.support_policy) for e in rows]


def test_a_second_qd46_support_is_refused_on_the_form_and_nothing_is_written(client, world):
    person_id = _supported_once(world)
    course_id = _qd46_course(world, "QD46-1")
    signed_in(client, world, "staff_a")

    response = _enrol_existing(client, course_id, "1.200.000")

    assert response.status_code == 400
    page = parse(response.text)
    assert field_errors(page) == {"support_amount": vi(TWICE)}
    assert len(find_all(page, "#enrol-found")) == 1  # the found person's form is shown again
    assert len(_enrolments(world, person_id)) == 1  # only the earlier course's


def test_the_same_person_may_enrol_without_support_or_with_another_funding(client, world):
    person_id = _supported_once(world)
    course_id = _qd46_course(world, "QD46-1")
    signed_in(client, world, "staff_a")

    assert _enrol_existing(client, course_id, "0").status_code == 303
    # The ethnic-minority programme's course: support recorded, QĐ 46's rule does not apply.
    assert _enrol_existing(client, world.course, "900000").status_code == 303

    earlier, *later = _enrolments(world, person_id)
    assert earlier[1:] == (1_500_000, "qd46")
    assert later == [(course_id, 0, None), (world.course, 900_000, None)]


def test_a_first_qd46_support_is_recorded_with_its_policy(client, world):
    course_id = _qd46_course(world, "QD46-1")
    signed_in(client, world, "staff_a")
    form = {
        "citizen_id": MINH_ID, "full_name": "Lò Văn Minh", "birth_date": "2001-05-04",
        "sex": "nam", "ethnicity_code": "03", "commune_code": "03158",
        "enrolled_on": "2026-03-02", "support_amount": "2 400 000",
    }  # fmt: skip
    response = client.post(f"/courses/{course_id}/enrol", data=form, follow_redirects=False)
    assert response.status_code == 303
    [enrolment] = fresh(world.session).exec(select(Enrolment)).all()
    assert (enrolment.support_amount, enrolment.support_policy) == (2_400_000, "qd46")


@pytest.mark.parametrize(
    ("typed", "msgid", "params"),
    [
        ("-5", "Write the amount in đồng as a whole number, such as 1500000.", {}),
        ("1,5 triệu", "Write the amount in đồng as a whole number, such as 1500000.", {}),
        ("60000000", "The support is at most {max} đồng.", {"max": 50_000_000}),
    ],
)
def test_a_bad_support_amount_is_refused_next_to_its_field(client, world, typed, msgid, params):
    course_id = _qd46_course(world, "QD46-1")
    signed_in(client, world, "staff_a")
    form = {
        "citizen_id": MINH_ID, "full_name": "Lò Văn Minh", "birth_date": "2001-05-04",
        "sex": "nam", "ethnicity_code": "03", "commune_code": "03158",
        "enrolled_on": "2026-03-02", "support_amount": typed,
    }  # fmt: skip
    response = client.post(f"/courses/{course_id}/enrol", data=form)
    assert response.status_code == 400
    assert field_errors(parse(response.text))["support_amount"] == vi(msgid, **params)
    assert count(world.session, Enrolment) == 0


def test_the_database_holds_one_qd46_support_per_person(world):
    person_id = _supported_once(world)
    course_id = _qd46_course(world, "QD46-1")
    world.session.commit()
    with pytest.raises(IntegrityError):
        factories.enrolment(
            world.session, person_id=person_id, course_id=course_id,
            support_amount=1_000_000, support_policy="qd46",
        )  # fmt: skip
    world.session.rollback()
    # Without a policy (no support, or support of another funding source) any number is fine.
    factories.enrolment(world.session, person_id=person_id, course_id=course_id)
    world.session.commit()


def test_two_clerks_paying_the_same_person_at_once_pay_once(engine, world):
    """Two courses, two clerks, the same person with support at the same moment: the course
    row locks do not serialise them (two courses); the unique index does."""
    courses = [_qd46_course(world, "QD46-1"), _qd46_course(world, "QD46-2")]
    factories.person(world.session, citizen_id=MINH_ID)
    staff = world.session.exec(
        select(UserAccount).where(col(UserAccount.username) == world.usernames["staff_a"])
    ).one()
    world.session.commit()
    auth = AuthSession(token_hash="-", user_id=0, csrf_token="-", expires_at=utcnow())
    principal = Principal(user=staff, auth=auth)

    def attempt(course_id: int) -> str:
        person = PersonForm(citizen_id=MINH_ID, birth_date="2001-05-04")
        form = trainee_service.EnrolForm(
            person=person, existing=True, enrolled_on="2026-03-02", support_amount="1500000"
        )
        with Session(engine, expire_on_commit=False) as session:
            try:
                trainee_service.enrol(session, principal=principal, course_id=course_id, form=form)
            except (ConflictError, InvalidError) as error:
                assert error.field == "support_amount"
                return "refused"
        return "paid"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(attempt, courses))
    assert outcomes == ["paid", "refused"]
    paid = (
        fresh(world.session)
        .exec(select(Enrolment).where(col(Enrolment.support_policy) == "qd46"))
        .all()
    )
    assert len(paid) == 1


# --- the trainee import -------------------------------------------------------------------


HEADERS = {column.key: column.header for column in TRAINEE_COLUMNS}


def _trainee_file(rows: list[dict[str, object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    keys = list(HEADERS)
    sheet.append([HEADERS[key] for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(citizen_id: str, name: str, support: object) -> dict[str, object]:
    return {
        "full_name": name, "birth_date": "04/05/2001", "sex": "Nam", "ethnicity": "Thái",
        "citizen_id": citizen_id, "commune": "Xã Quài Tở", "enrolled_on": "02/03/2026",
        "support_amount": support,
    }  # fmt: skip


def test_an_import_row_paying_qd46_support_twice_is_refused_and_nothing_is_written(client, world):
    _supported_once(world)
    course_id = _qd46_course(world, "QD46-1")
    signed_in(client, world, "staff_a")
    before = count(world.session, Enrolment)
    rows = [
        _row("011201000124", "Lò Văn Ún", 1_200_000),  # a first payment: fine
        _row(MINH_ID, "Lò Văn Minh", "1.200.000"),  # paid on the earlier course
    ]
    response = client.post(
        "/imports",
        data={"kind": "trainees", "course_id": str(course_id)},
        files={"file": ("hoc-vien.xlsx", _trainee_file(rows), "application/octet-stream")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    preview = client.get(response.headers["location"])
    assert error_table(preview.text) == [(3, HEADERS["support_amount"], vi(TWICE))]
    assert find_all(parse(preview.text), "form#confirm-form") == []
    assert count(world.session, Enrolment) == before
