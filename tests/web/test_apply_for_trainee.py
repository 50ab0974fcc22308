"""An institution applies to a job for one of its own trainees, who asked it to (a graduate
without a phone, or who came to the centre): the employer sees the application among its
candidates and is told of it. Only the institution's own trainees, only with their consent,
only once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.tables import Application, AuditEntry, Notification
from tests import factories
from tests.html import find_all, one, parse, text
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import make_account, sign_in
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER

pytestmark = pytest.mark.today("2026-08-10")


@dataclass
class World:
    person_id: int
    no_consent_id: int
    vacancy_id: int
    closed_id: int


@pytest.fixture
def world(session: Session) -> World:
    ours = factories.institution(session)
    theirs = factories.institution(session)
    course = factories.course(session, institution_id=ours.id)
    person = factories.person(session, consent_to_employers=True, phone="+84912345678")
    shy = factories.person(session, full_name="Quàng Thị Mai")
    for each in (person, shy):
        factories.enrolment(session, person_id=each.id, course_id=course.id)
    employer = factories.employer(session)
    vacancy = factories.vacancy(session, employer_id=employer.id, deadline=date(2026, 9, 30))
    closed = factories.vacancy(session, employer_id=employer.id, deadline=date(2026, 8, 1))
    session.commit()
    make_account(session, "institution", "can.bo.truong", institution_id=ours.id)
    make_account(session, "institution", "truong.khac", institution_id=theirs.id)
    make_account(session, "employer", "tuyen.dung", employer_id=employer.id)
    return World(person.id, shy.id, vacancy.id, closed.id)


def _apply(client, world: World, person_id: int, vacancy_id: int | str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/trainees/{person_id}/apply", data={"vacancy_id": str(vacancy_id)}, follow_redirects=False
    )


def _as(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    """A browser of its own, signed in as `username`."""
    other = TestClient(app)
    other.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
    other.headers[CSRF_HEADER] = VISITOR_TOKEN
    sign_in(other, username)
    return other


def _applications(session: Session) -> list[tuple[int, int]]:
    rows = session.exec(select(Application).order_by(col(Application.id))).all()
    return [(row.vacancy_id, row.person_id) for row in rows]


def test_the_institution_applies_for_its_trainee_and_the_employer_sees_it(
    app, client, session, world
) -> None:
    sign_in(client, "can.bo.truong")
    page = parse(client.get(f"/trainees/{world.person_id}").text)
    offered = [o.attributes["value"] for o in find_all(page, "form#apply-for option")]
    assert str(world.vacancy_id) in offered and str(world.closed_id) not in offered
    response = _apply(client, world, world.person_id, world.vacancy_id)
    assert response.status_code == 303
    confirmed = parse(client.get(response.headers["location"]).text)
    assert "nhà tuyển dụng thấy người này" in text(one(confirmed, "#saved-notice"))
    assert _applications(session) == [(world.vacancy_id, world.person_id)]
    note = session.exec(select(Notification)).one()
    assert str(world.vacancy_id) in (note.link or "")
    audited = session.exec(select(AuditEntry).where(col(AuditEntry.action) == "apply_for")).one()
    assert audited.person_id == world.person_id

    employer = _as(app, "tuyen.dung")
    candidates = parse(employer.get(f"/vacancies/{world.vacancy_id}/candidates").text)
    assert one(candidates, "[data-applications]").attributes["data-applications"] == "1"


def test_a_second_click_sends_one_application(client, session, world) -> None:
    sign_in(client, "can.bo.truong")
    for _ in range(2):
        assert _apply(client, world, world.person_id, world.vacancy_id).status_code == 303
    assert _applications(session) == [(world.vacancy_id, world.person_id)]


def test_without_consent_or_to_a_closed_job_it_is_refused_with_a_message(
    client, session, world
) -> None:
    sign_in(client, "can.bo.truong")
    refused = _apply(client, world, world.no_consent_id, world.vacancy_id)
    assert refused.status_code == 400
    assert "chưa đồng ý" in text(one(parse(refused.text), "#apply-error"))
    closed = _apply(client, world, world.person_id, world.closed_id)
    assert closed.status_code == 400
    assert _apply(client, world, world.person_id, "abc").status_code == 400
    assert _applications(session) == []


def test_nobody_else_can_apply_for_the_trainee(app, client, session, world) -> None:
    sign_in(client, "truong.khac")  # another institution: the person is not theirs
    assert _apply(client, world, world.person_id, world.vacancy_id).status_code == 404
    employer = _as(app, "tuyen.dung")  # employers manage no trainees
    assert _apply(employer, world, world.person_id, world.vacancy_id).status_code in (403, 404)
    assert _applications(session) == []
