"""Correcting mistakes, with history: a person's record corrected by their institution or an
official (the old values kept, the phone sealed, the name keys recomputed); an enrolment
removed and an empty course deleted by the course's institution, refused with a message
when something depends on them; institutions and employers added and corrected by an
administrator; people's requests about their own data recorded, listed with their due date
and closed, and the "my data" export. Every role that may not do it is refused (403, or 404
for another institution's record) and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text as sql
from sqlmodel import col, select

from models.tables import (
    AuditEntry,
    Course,
    DataRequest,
    Employer,
    Enrolment,
    FollowUp,
    Institution,
    Person,
    PersonChange,
)
from tests import factories
from tests.html import attr, body_rows, field_errors, find_all, one, parse, text
from tests.web import test_courses as shared
from tests.web.test_courses import ROLES, World, count, fresh, signed_in, vi

world = shared.world  # two institutions, a course at A, an account per role

MINH_ID = "011201000123"  # a man born in 2001


def _minh(world: World, *, enrolled: bool = True) -> int:
    person = factories.person(
        world.session,
        full_name="Lò Văn Minh",
        citizen_id=MINH_ID,
        birth_date=date(2001, 5, 4),
        phone="+84912345678",
        commune_code="03158",
    )
    if enrolled:
        factories.enrolment(world.session, person_id=person.id, course_id=world.course)
    world.session.commit()
    assert person.id is not None
    return person.id


def edit_form(**overrides: str) -> dict[str, str]:
    values = {
        "full_name": "Lò Văn Minh",
        "birth_date": "2001-05-04",
        "sex": "nam",
        "ethnicity_code": "03",
        "commune_code": "03158",
        "village": "",
        "phone": "+84912345678",
    }
    return values | overrides


# --- correcting a person -------------------------------------------------------------------

EDIT_PAGE = {
    "admin": 200,
    "official": 200,
    "staff_a": 200,
    "staff_b": 404,  # the person is not enrolled at B: as if there were no such person
    "employer": 403,
    "anonymous": 303,
}


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize("role", ROLES)
def test_the_edit_page_answers_each_role(client, world, role):
    person_id = _minh(world)
    signed_in(client, world, role)
    response = client.get(f"/trainees/{person_id}/edit", follow_redirects=False)
    assert response.status_code == EDIT_PAGE[role]
    if response.status_code == 200:
        assert attr(parse(response.text), "input#full_name", "value") == "Lò Văn Minh"


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize("role", ["staff_a", "official"])
def test_a_correction_keeps_the_old_values_and_recomputes_the_keys(client, world, role):
    person_id = _minh(world)
    signed_in(client, world, role)
    form = edit_form(full_name="Lò Văn Mình", phone="0987 654 321", village="Bản Mới")
    response = client.post(f"/trainees/{person_id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/trainees/{person_id}?done=edited"
    person = fresh(world.session).get(Person, person_id)
    assert person is not None
    assert (person.full_name, person.given_name, person.phone) == (
        "Lò Văn Mình",
        "Mình",
        "+84987654321",
    )
    assert person.name_key == "lo van minh"
    assert person.sort_key is not None and person.sort_key.startswith("minh")
    changes = {c.field: c for c in world.session.exec(select(PersonChange))}
    assert set(changes) == {"full_name", "phone", "village"}
    assert (changes["full_name"].old_value, changes["full_name"].new_value) == (
        "Lò Văn Minh",
        "Lò Văn Mình",
    )
    assert (changes["phone"].old_sealed, changes["phone"].new_sealed) == (
        "+84912345678",
        "+84987654321",
    )
    assert changes["phone"].old_value is None
    # At rest the phones of the history are sealed, like the person's own.
    raw = world.session.execute(
        sql("SELECT old_sealed, new_sealed FROM person_change WHERE field = 'phone'")
    ).one()
    assert "912345678" not in raw[0] and "987654321" not in raw[1]
    entry = world.session.exec(select(AuditEntry).where(col(AuditEntry.action) == "update")).one()
    assert entry.details["fields"] == ["full_name", "village", "phone"]
    world.session.rollback()

    page = parse(client.get(response.headers["location"]).text)
    assert text(one(page, "#notice")) == vi(
        "The record has been corrected; the old values are kept in its history."
    )
    rows = {row.attributes["data-field"]: row for row in body_rows(page, "#person-changes")}
    assert text(one(rows["phone"], "[data-value=old]")) == "+84912345678"


@pytest.mark.today("2026-12-01")
def test_a_bad_correction_is_shown_with_its_errors_and_changes_nothing(client, world):
    person_id = _minh(world)
    signed_in(client, world, "staff_a")
    form = edit_form(phone="12345", birth_date="2002-05-04", full_name="")
    response = client.post(f"/trainees/{person_id}/edit", data=form)
    assert response.status_code == 400
    errors = field_errors(parse(response.text))
    assert {"phone", "full_name"} <= set(errors)
    person = fresh(world.session).get(Person, person_id)
    assert person is not None and person.full_name == "Lò Văn Minh"
    assert count(world.session, PersonChange) == 0


@pytest.mark.today("2026-12-01")
def test_a_birth_date_that_contradicts_the_citizen_id_is_refused(client, world):
    person_id = _minh(world)
    signed_in(client, world, "official")
    response = client.post(f"/trainees/{person_id}/edit", data=edit_form(birth_date="2002-05-04"))
    assert response.status_code == 400
    assert "birth_date" in field_errors(parse(response.text))
    assert count(world.session, PersonChange) == 0


@pytest.mark.today("2026-12-01")
def test_saving_the_same_values_records_no_change(client, world):
    person_id = _minh(world)
    signed_in(client, world, "staff_a")
    response = client.post(f"/trainees/{person_id}/edit", data=edit_form(), follow_redirects=False)
    assert response.headers["location"].endswith("?done=unchanged")
    assert count(world.session, PersonChange) == 0


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize(("role", "expected"), [("staff_b", 404), ("employer", 403)])
def test_those_who_may_not_correct_change_nothing(client, world, role, expected):
    person_id = _minh(world)
    signed_in(client, world, role)
    form = edit_form(full_name="Người Khác")
    response = client.post(f"/trainees/{person_id}/edit", data=form, follow_redirects=False)
    assert response.status_code == expected
    person = fresh(world.session).get(Person, person_id)
    assert person is not None and person.full_name == "Lò Văn Minh"
    assert count(world.session, PersonChange) == 0


# --- removing an enrolment, deleting a course ---------------------------------------------


def _enrolment(world: World, **values: object) -> int:
    person = factories.person(world.session, full_name="Quàng Thị Hoa", sex="nu")
    row = factories.enrolment(world.session, person_id=person.id, course_id=world.course, **values)
    world.session.commit()
    assert row.id is not None
    return row.id


def test_an_enrolment_made_in_error_is_removed_and_audited(client, world):
    enrolment_id = _enrolment(world)
    signed_in(client, world, "staff_a")
    page = parse(client.get(f"/courses/{world.course}").text)
    action = attr(page, "form.remove-enrolment", "action")
    response = client.post(action, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/courses/{world.course}?done=removed"
    assert count(world.session, Enrolment) == 0
    entry = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.action) == "delete"))
        .one()
    )
    assert (entry.entity, entry.entity_id) == ("enrolment", str(enrolment_id))
    world.session.rollback()
    shown = parse(client.get(response.headers["location"]).text)
    assert text(one(shown, "#notice")) == vi("The enrolment has been removed.")


def test_an_enrolment_with_a_result_and_follow_ups_is_not_removed(client, world):
    enrolment_id = _enrolment(
        world, status="tot_nghiep", result="dat", graduated_on=date(2026, 6, 30)
    )
    person_id = world.session.get(Enrolment, enrolment_id).person_id  # type: ignore[union-attr]
    world.session.add(
        FollowUp(
            enrolment_id=enrolment_id,
            person_id=person_id,
            months_after=3,
            observed_on=date(2026, 9, 30),
            status="co_viec",
            source="phone",
        )
    )
    world.session.commit()
    signed_in(client, world, "staff_a")
    path = f"/courses/{world.course}/enrolments/{enrolment_id}/remove"
    response = client.post(path, follow_redirects=False)
    assert response.status_code == 409
    what = ", ".join(vi(each) for each in ("a result", "follow-ups"))
    message = vi(
        "This enrolment cannot be removed: {what} depend on it. Correct or remove them first.",
        what=what,
    )
    assert text(one(parse(response.text), "#conflict")) == message
    assert count(world.session, Enrolment) == 1


@pytest.mark.parametrize(("role", "expected"), [("staff_b", 404), ("official", 403)])
def test_those_who_may_not_remove_an_enrolment_are_refused(client, world, role, expected):
    enrolment_id = _enrolment(world)
    signed_in(client, world, role)
    path = f"/courses/{world.course}/enrolments/{enrolment_id}/remove"
    assert client.post(path, follow_redirects=False).status_code == expected
    assert count(world.session, Enrolment) == 1


def test_an_enrolment_of_another_course_is_answered_as_missing(client, world):
    other = factories.course(world.session, institution_id=world.institution_a)
    person = factories.person(world.session)
    row = factories.enrolment(world.session, person_id=person.id, course_id=other.id)
    world.session.commit()
    signed_in(client, world, "staff_a")
    path = f"/courses/{world.course}/enrolments/{row.id}/remove"
    assert client.post(path, follow_redirects=False).status_code == 404
    assert count(world.session, Enrolment) == 1


def test_an_empty_course_is_deleted_and_one_with_people_is_not(client, world):
    signed_in(client, world, "staff_a")
    page = parse(client.get(f"/courses/{world.course}").text)
    action = attr(page, "form#delete-course", "action")
    _enrolment(world)
    refused = client.post(action, follow_redirects=False)
    assert refused.status_code == 409
    assert text(one(parse(refused.text), "#conflict")) == vi(
        "This course cannot be deleted: {count} people are enrolled in it. Remove their "
        "enrolments first.",
        count=1,
    )
    assert count(world.session, Course) == 1

    world.session.exec(sql("DELETE FROM enrolment"))  # type: ignore[call-overload]
    world.session.commit()
    response = client.post(action, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/courses?done=deleted"
    assert count(world.session, Course) == 0
    entry = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.action) == "delete"))
        .one()
    )
    assert (entry.entity, entry.entity_id) == ("course", str(world.course))
    world.session.rollback()
    shown = parse(client.get("/courses?done=deleted").text)
    assert text(one(shown, "#notice")) == vi("The course has been deleted.")


@pytest.mark.parametrize(("role", "expected"), [("staff_b", 404), ("official", 403)])
def test_those_who_may_not_delete_a_course_are_refused(client, world, role, expected):
    signed_in(client, world, role)
    response = client.post(f"/courses/{world.course}/delete", follow_redirects=False)
    assert response.status_code == expected
    assert count(world.session, Course) == 1


# --- institutions and employers ------------------------------------------------------------


def institution_form(**overrides: str) -> dict[str, str]:
    values = {
        "code": "TT-MUONGANG",
        "name": "Trung tâm GDNN-GDTX Mường Ảng",
        "kind": "trung_tam_gdnn_gdtx",
        "commune_code": "03158",
        "address": "Tổ 3, thị trấn",
        "phone": "0215 3850 123",
        "is_active": "1",
    }
    return values | overrides


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize("role", ROLES)
def test_only_an_administrator_manages_institutions(client, world, role):
    signed_in(client, world, role)
    before = count(world.session, Institution)
    listing = client.get("/admin/institutions", follow_redirects=False)
    created = client.post(
        "/admin/institutions/new", data=institution_form(), follow_redirects=False
    )
    expected = {"admin": (200, 303), "anonymous": (303, 303)}.get(role, (403, 403))
    assert (listing.status_code, created.status_code) == expected
    assert count(world.session, Institution) == before + (1 if role == "admin" else 0)


@pytest.mark.today("2026-12-01")
def test_an_institution_is_validated_and_its_code_and_name_are_unique(client, world):
    signed_in(client, world, "admin")
    response = client.post(
        "/admin/institutions/new", data=institution_form(), follow_redirects=False
    )
    assert response.headers["location"] == "/admin/institutions?done=saved"
    page = parse(client.get(response.headers["location"]).text)
    assert text(one(page, "#notice")) == vi("The record has been saved.")
    assert "Trung tâm GDNN-GDTX Mường Ảng" in [
        text(r) for r in find_all(page, "#institutions td a")
    ]

    again = client.post(
        "/admin/institutions/new", data=institution_form(name="Trung tâm GDNN-GDTX MUONG ANG")
    )
    assert again.status_code == 400
    errors = field_errors(parse(again.text))
    assert errors["code"] == vi("Another institution has this code.")
    assert errors["name"] == vi("Another institution has this name.")

    bad = client.post(
        "/admin/institutions/new", data=institution_form(code="", kind="x", phone="1")
    )
    assert bad.status_code == 400
    assert {"code", "kind", "phone"} <= set(field_errors(parse(bad.text)))
    assert count(world.session, Institution) == 3


@pytest.mark.today("2026-12-01")
def test_an_institution_is_corrected_and_audited(client, world):
    signed_in(client, world, "admin")
    path = f"/admin/institutions/{world.institution_b}"
    form = parse(client.get(path).text)
    assert attr(form, "input#name", "value") == "Trung tâm GDNN-GDTX Tuần Giáo"
    response = client.post(
        path,
        data=institution_form(code="TT-TUANGIAO", name="Trung tâm GDNN-GDTX huyện Tuần Giáo"),
        follow_redirects=False,
    )
    assert response.status_code == 303
    row = fresh(world.session).get(Institution, world.institution_b)
    assert row is not None and row.name == "Trung tâm GDNN-GDTX huyện Tuần Giáo"
    entry = world.session.exec(
        select(AuditEntry).where(col(AuditEntry.entity) == "institution")
    ).one()
    assert entry.action == "update" and "name" in entry.details["fields"]
    world.session.rollback()


def employer_form(**overrides: str) -> dict[str, str]:
    values = {
        "name": "Công ty TNHH May Điện Biên",
        "tax_code": "0100109106",
        "sector_code": "C",
        "commune_code": "03158",
        "is_active": "1",
    }
    return values | overrides


@pytest.mark.today("2026-12-01")
def test_an_employer_is_added_with_a_valid_unique_tax_code(client, world):
    signed_in(client, world, "admin")
    before = count(world.session, Employer)
    bad = client.post("/admin/employers/new", data=employer_form(tax_code="0100109107", email="x"))
    assert bad.status_code == 400
    assert {"tax_code", "email"} <= set(field_errors(parse(bad.text)))
    ok = client.post("/admin/employers/new", data=employer_form(), follow_redirects=False)
    assert ok.headers["location"] == "/admin/employers?done=saved"
    twice = client.post("/admin/employers/new", data=employer_form(name="Công ty khác"))
    assert twice.status_code == 400
    assert field_errors(parse(twice.text))["tax_code"] == vi("Another employer has this tax code.")
    assert count(world.session, Employer) == before + 1
    created = (
        fresh(world.session)
        .exec(select(Employer).where(col(Employer.tax_code) == "0100109106"))
        .one()
    )
    assert created.name_key == "cong ty tnhh may dien bien"
    world.session.rollback()


@pytest.mark.parametrize("role", ["official", "staff_a", "employer"])
def test_others_may_not_edit_an_employer(client, world, role):
    signed_in(client, world, role)
    path = f"/admin/employers/{world.employer}"
    assert client.get(path).status_code == 403
    assert client.post(path, data=employer_form(name="Đổi tên")).status_code == 403


# --- data subject requests -----------------------------------------------------------------


def request_form(**overrides: str) -> dict[str, str]:
    values = {"kind": "access", "channel": "in_person", "received_on": "2026-11-10"}
    return values | overrides


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize("role", ROLES)
def test_staff_record_data_requests_and_others_may_not(client, world, role):
    person_id = _minh(world)
    signed_in(client, world, role)
    page = client.get(f"/trainees/{person_id}/data-requests/new", follow_redirects=False)
    posted = client.post(
        f"/trainees/{person_id}/data-requests/new", data=request_form(), follow_redirects=False
    )
    listing = client.get("/data-requests", follow_redirects=False)
    allowed = role in ("admin", "official")
    refused = 303 if role == "anonymous" else 403
    assert page.status_code == (200 if allowed else refused)
    assert posted.status_code == (303 if allowed else refused)
    assert listing.status_code == (200 if allowed else refused)
    assert count(world.session, DataRequest) == (1 if allowed else 0)


@pytest.mark.today("2026-12-01")
def test_a_request_is_due_after_the_deadline_marked_late_and_closed(client, world):
    person_id = _minh(world)
    signed_in(client, world, "official")
    for form in (
        request_form(),  # received 10/11: due 25/11, late on 01/12
        request_form(kind="correction", channel="phone", received_on="2026-11-30"),
    ):
        client.post(f"/trainees/{person_id}/data-requests/new", data=form)
    # The same request posted twice is recorded once.
    again = client.post(
        f"/trainees/{person_id}/data-requests/new", data=request_form(), follow_redirects=False
    )
    assert again.headers["location"] == "/data-requests?done=recorded"
    assert count(world.session, DataRequest) == 2

    page = parse(client.get("/data-requests?done=recorded").text)
    assert text(one(page, "#notice")) == vi("The request has been recorded.")
    rows = body_rows(page, "#data-requests")
    assert [row.attributes["data-late"] for row in rows] == ["yes", "no"]
    assert "25/11/2026" in text(rows[0]) and "15/12/2026" in text(rows[1])

    close = attr(rows[0], "form.close-request", "action")
    missing = client.post(close, data={"outcome": ""})
    assert missing.status_code == 400
    done = client.post(
        close, data={"outcome": "done", "outcome_note": "Đã giao bản sao"}, follow_redirects=False
    )
    assert done.headers["location"] == "/data-requests?done=closed"
    closed = (
        fresh(world.session)
        .exec(select(DataRequest).where(col(DataRequest.outcome).is_not(None)))
        .one()
    )
    assert (closed.kind, closed.outcome, closed.outcome_on) == ("access", "done", date(2026, 12, 1))
    assert closed.handled_by_id is not None
    world.session.rollback()
    assert len(body_rows(parse(client.get("/data-requests").text), "#data-requests")) == 1
    assert client.post(close, data={"outcome": "done"}).status_code == 409


@pytest.mark.today("2026-12-01")
def test_a_request_needs_a_kind_a_channel_and_a_past_date(client, world):
    person_id = _minh(world)
    signed_in(client, world, "admin")
    form = request_form(kind="", channel="fax", received_on="2026-12-05")
    response = client.post(f"/trainees/{person_id}/data-requests/new", data=form)
    assert response.status_code == 400
    assert {"kind", "channel", "received_on"} <= set(field_errors(parse(response.text)))
    assert count(world.session, DataRequest) == 0


@pytest.mark.today("2026-12-01")
def test_my_data_lists_what_the_platform_holds_and_is_audited(client, world):
    person_id = _minh(world)
    signed_in(client, world, "official")
    response = client.get(f"/trainees/{person_id}/my-data.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    body = response.text
    assert "Lò Văn Minh" in body and MINH_ID in body and "MAY-01" in body
    entry = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.action) == "export_personal_data"))
        .one()
    )
    assert entry.person_id == person_id
    world.session.rollback()
    signed_in(client, world, "staff_a")
    assert client.get(f"/trainees/{person_id}/my-data.csv").status_code == 403
