"""Courses, enrolments and results pushed by an institution's own system through the API:
scopes, another institution's course or enrolment answered 404, batches that are written in
full or not at all with a pointer per bad item, idempotent retries, sync by cursor and
update time, personal data only with personal-data:read (audited), messages in vi and en."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from models.clock import today, utcnow
from models.enums import ApiScope
from models.i18n import translate
from models.tables import AuditEntry, Course, Enrolment, Person
from seed.reference import load_reference_data
from tests import factories
from tests.web.api_world import bearer, make_token

PROBLEM = "application/problem+json"
ALL = (
    ApiScope.COURSES_WRITE,
    ApiScope.ENROLMENTS_WRITE,
    ApiScope.RESULTS_WRITE,
)


@dataclass(frozen=True)
class World:
    institution_id: int
    course_id: int
    other_course_id: int
    other_enrolment_id: int
    occupation_id: int
    token: str  # the centre: courses, enrolments and results
    personal: str  # the centre: the same and personal-data:read
    other: str  # another institution: the same scopes
    reader_only: str  # the centre: results:write only (reads, pushes no enrolments)


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    start = today() - timedelta(days=100)
    centre = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
    other = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    occupation = factories.occupation(session)
    course = factories.course(
        session,
        institution_id=centre.id,
        occupation_id=occupation.id,
        capacity=30,
        start_date=start,
        end_date=today() - timedelta(days=5),
        code="MAY-01",
    )
    other_course = factories.course(
        session, institution_id=other.id, start_date=start, end_date=today(), code="HAN-01"
    )
    hidden = factories.person(session, citizen_id="011201000900", full_name="Cà Văn Bí")
    other_enrolment = factories.enrolment(
        session, person_id=hidden.id, course_id=other_course.id, enrolled_on=start
    )
    session.commit()
    return World(
        centre.id or 0,
        course.id or 0,
        other_course.id or 0,
        other_enrolment.id or 0,
        occupation.id or 0,
        make_token(session, institution_id=centre.id, scopes=ALL),
        make_token(session, institution_id=centre.id, scopes=(*ALL, ApiScope.PERSONAL_DATA_READ)),
        make_token(session, institution_id=other.id, scopes=(*ALL, ApiScope.PERSONAL_DATA_READ)),
        make_token(session, institution_id=centre.id, scopes=(ApiScope.RESULTS_WRITE,)),
    )


def trainee(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid item: the ID number agrees with the birth date (2001) and the sex."""
    female = n % 2 == 0
    item: dict[str, Any] = {
        "citizen_id": f"011{3 if female else 2}01{n:06d}",
        "full_name": "Quàng Thị Mai" if female else "Lò Văn Minh",
        "birth_date": "2001-05-04",
        "sex": "nu" if female else "nam",
        "ethnicity": "03",
        "commune": "03127",
        "village": "Bản Có",
        "consent": True,
    }
    item.update(overrides)
    return item


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def push(client, world: World, items: list[dict], *, token: str | None = None, **headers: str):
    return client.post(
        f"/api/v1/courses/{world.course_id}/enrolments",
        json={"items": items},
        headers={**bearer(token or world.token), **headers},
    )


def enrolled(session: Session, course_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course_id)
    ).one()


# Courses -----------------------------------------------------------------------------------


def course_json(world: World, **overrides: Any) -> dict[str, Any]:
    start = today() + timedelta(days=10)
    values: dict[str, Any] = {
        "code": "MAY-02",
        "name": "May công nghiệp khóa 2",
        "occupation_id": world.occupation_id,
        "level_code": "so_cap",
        "hours": 320,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=120)).isoformat(),
        "capacity": 25,
        "funding_source": "ctmtqg_dtts",
    }
    values.update(overrides)
    return values


def test_an_institution_registers_and_changes_its_course_with_the_forms_rules(
    client, session, world
):
    created = client.post("/api/v1/courses", json=course_json(world), headers=bearer(world.token))
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    assert created.json()["institution_id"] == world.institution_id
    assert created.headers["location"].endswith(f"/api/v1/courses/{course_id}")
    shown = client.get(f"/api/v1/courses/{course_id}", headers=bearer(world.token))
    stale = shown.headers["etag"]
    changed = client.patch(
        f"/api/v1/courses/{course_id}",
        json={"capacity": 28},
        headers={**bearer(world.token), "If-Match": stale},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["capacity"] == 28
    again = client.patch(
        f"/api/v1/courses/{course_id}",
        json={"capacity": 20},
        headers={**bearer(world.token), "If-Match": stale},
    )
    assert_problem(again, 412)
    assert session.get(Course, course_id).capacity == 28
    entries = session.exec(
        select(AuditEntry).where(
            AuditEntry.entity == "course", AuditEntry.entity_id == str(course_id)
        )
    ).all()
    assert {entry.action for entry in entries} == {"create", "update"}
    assert all(entry.details["api_token_id"] for entry in entries)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_course_the_form_refuses_is_refused_with_its_messages(client, world, lang):
    short = course_json(world, end_date=(today() + timedelta(days=30)).isoformat(), code="")
    problem = assert_problem(
        client.post("/api/v1/courses", json=short, headers=bearer(world.token, lang)), 422
    )
    by_pointer = {each["pointer"]: each["detail"] for each in problem["errors"]}
    assert by_pointer["/code"] == translate("This field is required.", lang)
    assert "/end_date" in by_pointer


def test_a_token_without_courses_write_cannot_register_a_course(client, world):
    problem = assert_problem(
        client.post("/api/v1/courses", json=course_json(world), headers=bearer(world.reader_only)),
        403,
    )
    assert "courses:write" in problem["detail"]


def test_another_institutions_course_is_not_found_and_leaks_nothing(client, world):
    for path in (
        f"/api/v1/courses/{world.other_course_id}",
        f"/api/v1/courses/{world.other_course_id}/enrolments",
        f"/api/v1/enrolments/{world.other_enrolment_id}",
    ):
        problem = assert_problem(client.get(path, headers=bearer(world.personal)), 404)
        assert "HAN-01" not in str(problem) and "Bí" not in str(problem)
    pushed = client.post(
        f"/api/v1/courses/{world.other_course_id}/enrolments",
        json={"items": [trainee(1)]},
        headers=bearer(world.token),
    )
    assert_problem(pushed, 404)
    changed = client.patch(
        f"/api/v1/courses/{world.other_course_id}",
        json={"capacity": 5},
        headers={**bearer(world.token), "If-Match": "*"},
    )
    assert_problem(changed, 404)
    listed = client.get("/api/v1/courses", headers=bearer(world.token)).json()
    assert [each["id"] for each in listed["items"]] == [world.course_id]


def test_courses_sync_by_cursor_and_update_time(client, session, world):
    for _ in range(3):
        factories.course(
            session, institution_id=world.institution_id, occupation_id=world.occupation_id
        )
    session.commit()
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/courses", params=params, headers=bearer(world.token)).json()
        seen += [each["id"] for each in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 4 == len(set(seen))
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    empty = client.get(
        "/api/v1/courses", params={"updated_since": later}, headers=bearer(world.token)
    ).json()
    assert empty["items"] == []


# Enrolment batches -------------------------------------------------------------------------


def test_a_batch_enrols_everyone_and_reuses_a_registered_person(client, session, world):
    known = factories.person(
        session, citizen_id="011201000001", birth_date=date(2001, 5, 4), full_name="Lò Văn Minh"
    )
    session.commit()
    response = push(client, world, [trainee(1), trainee(2), trainee(3)])
    assert response.status_code == 201, response.text
    body = response.json()
    assert [each["index"] for each in body["items"]] == [0, 1, 2]
    assert [each["note"] for each in body["items"]] == ["existing", "new", "new"]
    assert body["summary"]["enrolments"] == 3 and body["summary"]["people_created"] == 2
    assert enrolled(session, world.course_id) == 3
    people = session.exec(select(func.count()).select_from(Person)).one()
    assert people == 4  # the hidden person, the known one and two new: no duplicate
    first = session.get(Enrolment, body["items"][0]["enrolment_id"])
    assert first.person_id == known.id
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "enrol")).one()
    assert audit.details["enrolments"] == 3 and audit.details["api_token_id"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_one_bad_item_refuses_the_whole_batch_with_its_pointer(client, session, world, lang):
    items = [trainee(1), trainee(2), trainee(3, citizen_id="011201999"), trainee(4)]
    items[1]["commune"] = "Không có xã này"
    problem = assert_problem(push(client, world, items, **{"Accept-Language": lang}), 422)
    pointers = {each["pointer"] for each in problem["errors"]}
    assert pointers == {"/items/1/commune", "/items/2/citizen_id"}
    assert problem["detail"] == translate(
        "Nothing was written: {rows} items of the batch have errors.", lang, rows=2
    )
    assert enrolled(session, world.course_id) == 0
    assert session.exec(select(func.count()).select_from(Person)).one() == 1


def test_a_registered_id_with_another_birth_date_is_refused_and_shows_nothing(
    client, session, world
):
    problem = assert_problem(
        push(client, world, [trainee(1, citizen_id="011201000900", birth_date="2001-06-07")]), 422
    )
    assert [each["pointer"] for each in problem["errors"]] == ["/items/0/birth_date"]
    assert "Bí" not in str(problem)


def test_the_same_person_twice_and_a_full_course_are_refused_on_their_items(client, session, world):
    session.get(Course, world.course_id).capacity = 2
    session.commit()
    items = [trainee(1), trainee(1), trainee(3), trainee(5)]
    problem = assert_problem(push(client, world, items, **{"Accept-Language": "en"}), 422)
    by_pointer = {each["pointer"]: each["detail"] for each in problem["errors"]}
    assert by_pointer["/items/1/citizen_id"] == "This ID number is also on row 0."
    assert "/items/3" in by_pointer  # beyond the course's places
    assert enrolled(session, world.course_id) == 0


def test_a_retried_batch_with_its_key_is_a_no_op_with_the_same_answer(client, session, world):
    key = {"Idempotency-Key": "batch-2026-001"}
    first = push(client, world, [trainee(1), trainee(2)], **key)
    again = push(client, world, [trainee(1), trainee(2)], **key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert enrolled(session, world.course_id) == 2
    other = push(client, world, [trainee(3)], **key)
    assert_problem(other, 422)
    without_key = push(client, world, [trainee(1)])
    problem = assert_problem(without_key, 422)  # already enrolled: nothing new
    assert problem["errors"][0]["pointer"] == "/items/0/citizen_id"


def test_enrolment_scopes(client, world):
    problem = assert_problem(push(client, world, [trainee(1)], token=world.reader_only), 403)
    assert "enrolments:write" in problem["detail"]
    assert_problem(push(client, world, [trainee(1)], token="dbj_unknown"), 401)
    too_many = push(client, world, [trainee(n) for n in range(501)])
    assert assert_problem(too_many, 422)["errors"][0]["pointer"] == "/items"


# Reading enrolments: personal data ---------------------------------------------------------


def test_personal_data_only_with_its_scope_and_audited(client, session, world):
    push(client, world, [trainee(1), trainee(2)])
    plain = client.get(
        f"/api/v1/courses/{world.course_id}/enrolments", headers=bearer(world.token)
    ).json()
    assert len(plain["items"]) == 2
    assert all(each["person"] is None for each in plain["items"])
    views = (
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "view_personal_data")
    )
    assert session.exec(views).one() == 0
    full = client.get(
        f"/api/v1/courses/{world.course_id}/enrolments", headers=bearer(world.personal)
    ).json()
    assert {each["person"]["citizen_id"] for each in full["items"]} == {
        "011201000001",
        "011301000002",
    }
    one = client.get(f"/api/v1/enrolments/{full['items'][0]['id']}", headers=bearer(world.personal))
    assert one.json()["person"]["full_name"]
    session.rollback()  # end the test's read: see what the requests wrote
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.action == "view_personal_data")
    ).all()
    assert len(entries) == 2
    assert all(entry.details["api_token_id"] for entry in entries)
    assert all("011201000001" not in str(entry.details) for entry in entries)


def test_enrolments_sync_by_cursor_and_update_time(client, world):
    push(client, world, [trainee(n) for n in range(1, 6)])
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(
            f"/api/v1/courses/{world.course_id}/enrolments",
            params=params,
            headers=bearer(world.token),
        ).json()
        seen += [each["id"] for each in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 == len(set(seen))
    bad = client.get(
        f"/api/v1/courses/{world.course_id}/enrolments",
        params={"cursor": "nonsense!"},
        headers=bearer(world.token, "en"),
    )
    assert assert_problem(bad, 422)["errors"][0]["parameter"] == "cursor"


# Results -----------------------------------------------------------------------------------


def test_results_are_recorded_for_the_whole_batch_or_not_at_all(client, session, world):
    push(client, world, [trainee(1), trainee(2)])
    graduated = (today() - timedelta(days=2)).isoformat()
    bad = client.post(
        f"/api/v1/courses/{world.course_id}/results",
        json={
            "items": [
                {"citizen_id": "011201000001", "result": "dat", "graduated_on": graduated},
                {"citizen_id": "011301000099", "result": "dat", "graduated_on": graduated},
            ]
        },
        headers=bearer(world.token, "en"),
    )
    problem = assert_problem(bad, 422)
    assert [each["pointer"] for each in problem["errors"]] == ["/items/1/citizen_id"]
    assert problem["errors"][0]["detail"] == "No trainee of this course has this ID number."
    statuses = session.exec(
        select(Enrolment.status).where(Enrolment.course_id == world.course_id)
    ).all()
    assert set(statuses) == {"dang_hoc"}
    good = client.post(
        f"/api/v1/courses/{world.course_id}/results",
        json={
            "items": [
                {"citizen_id": "011201000001", "result": "dat", "graduated_on": graduated},
                {"citizen_id": "011301000002", "result": "khong_dat"},
            ]
        },
        headers=bearer(world.reader_only),
    )
    assert good.status_code == 200, good.text
    assert good.json()["summary"] == {"results": 2, "graduates": 1}
    session.rollback()  # end the test's read: see what the request wrote
    statuses = session.exec(
        select(Enrolment.status).where(Enrolment.course_id == world.course_id)
    ).all()
    assert sorted(statuses) == ["hoan_thanh", "tot_nghiep"]


def test_results_need_their_scope_and_the_institutions_own_course(client, session, world):
    item = {"citizen_id": "011201000900", "result": "dat"}
    other_course = client.post(
        f"/api/v1/courses/{world.other_course_id}/results",
        json={"items": [item]},
        headers=bearer(world.token),
    )
    assert "Bí" not in str(assert_problem(other_course, 404))
    courses_only = make_token(
        session, institution_id=world.institution_id, scopes=(ApiScope.COURSES_WRITE,)
    )
    refused = client.post(
        f"/api/v1/courses/{world.course_id}/results",
        json={"items": [item]},
        headers=bearer(courses_only),
    )
    assert "results:write" in assert_problem(refused, 403)["detail"]
