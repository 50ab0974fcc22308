"""Trainees: enrolling finds a registered person first, by their full citizen ID and birth
date and nothing else, without showing anything of them; a new person is validated and gets
their derived fields; a full course or a second enrolment is refused with the database
unchanged; another institution's person or course is answered as missing (404); every view
of personal data is audited."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlmodel import Session, col, select

from models.clock import utcnow
from models.errors import ConflictError
from models.tables import AuditEntry, AuthSession, Course, Enrolment, Person, UserAccount
from tests import factories
from tests.html import attr, body_rows, field_errors, find_all, one, parse, text
from tests.web import test_courses as shared
from tests.web.test_courses import ROLES, World, count, fresh, signed_in, vi
from web.auth import Principal
from web.services import trainees as trainee_service
from web.services.person_form import PersonForm

world = shared.world  # the fixture: two institutions, a course at A, an account per role

MINH_ID = "011201000123"  # registered in Điện Biên (011), a man born in 2001


def person_form(**overrides: str) -> dict[str, str]:
    values = {
        "citizen_id": MINH_ID,
        "full_name": "Lò Văn Minh",
        "birth_date": "2001-05-04",
        "sex": "nam",
        "ethnicity_code": "03",
        "commune_code": "03158",  # a zone III commune
        "village": "Bản Mường",
        "phone": "0912 345 678",
        "enrolled_on": "2026-03-02",
    }
    return values | overrides


def _registered(world: World, **values: object) -> int:
    person = factories.person(world.session, **values)
    world.session.commit()
    assert person.id is not None
    return person.id


def _enrolled_at_a(world: World, full_name: str = "Quàng Thị Hoa", **values: object) -> int:
    person_id = _registered(world, full_name=full_name, **values)
    factories.enrolment(world.session, person_id=person_id, course_id=world.course)
    world.session.commit()
    return person_id


# --- who may do what ----------------------------------------------------------------------

EXPECTED = {  # role -> (trainee list, person enrolled at A, enrol page of A's course)
    "admin": (200, 200, 200),
    "official": (200, 200, 403),
    "staff_a": (200, 200, 200),
    "staff_b": (200, 404, 404),  # another institution's person and course: as if missing
    "employer": (403, 403, 403),
    "anonymous": (303, 303, 303),
}


@pytest.mark.parametrize("role", ROLES)
def test_trainee_pages_answer_each_role_as_the_policy_says(client, world, role):
    person_id = _enrolled_at_a(world)
    signed_in(client, world, role)
    paths = ("/trainees", f"/trainees/{person_id}", f"/courses/{world.course}/enrol")
    for path, expected in zip(paths, EXPECTED[role], strict=True):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == expected, (role, path)
        if expected == 303:
            assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(("role", "expected"), [("employer", 403), ("anonymous", 303)])
def test_a_search_by_those_without_access_is_refused(client, world, role, expected):
    _enrolled_at_a(world, full_name="Lò Văn Minh")
    signed_in(client, world, role)
    response = client.post("/trainees", data={"q": "minh"}, follow_redirects=False)
    assert response.status_code == expected
    assert "Lò Văn Minh" not in response.text


@pytest.mark.parametrize(("role", "expected"), [("official", 403), ("staff_b", 404)])
def test_those_who_may_not_enrol_change_nothing(client, world, role, expected):
    signed_in(client, world, role)
    response = client.post(f"/courses/{world.course}/enrol", data=person_form())
    assert response.status_code == expected
    assert count(world.session, Person) == count(world.session, Enrolment) == 0


# --- enrolling a new person ---------------------------------------------------------------


# Zone III status depends on the day: the list in force ends on 31/12/2030.
@pytest.mark.today("2026-12-01")
def test_a_new_person_is_validated_enrolled_and_given_derived_fields(client, world):
    signed_in(client, world, "staff_a")
    form = person_form(consent="1")
    response = client.post(f"/courses/{world.course}/enrol", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/courses/{world.course}"
    person = fresh(world.session).exec(select(Person)).one()
    assert (person.citizen_id, person.phone) == (MINH_ID, "+84912345678")
    assert (person.family_name, person.middle_name, person.given_name) == ("Lò", "Văn", "Minh")
    assert person.name_key == "lo van minh"
    assert person.is_ethnic_minority and person.in_zone_iii
    assert person.consent_to_employers and person.consent_at is not None
    enrolment = world.session.exec(select(Enrolment)).one()
    assert (enrolment.course_id, enrolment.enrolled_on) == (world.course, date(2026, 3, 2))
    actions = {(e.action, e.entity) for e in world.session.exec(select(AuditEntry))}
    assert {("create", "person"), ("enrol", "enrolment")} <= actions


def test_without_consent_none_is_recorded(client, world):
    signed_in(client, world, "staff_a")
    client.post(f"/courses/{world.course}/enrol", data=person_form(), follow_redirects=False)
    person = fresh(world.session).exec(select(Person)).one()
    assert (person.consent_to_employers, person.consent_at) == (False, None)


@pytest.mark.parametrize(
    ("overrides", "field", "msgid", "params"),
    [
        (
            {"birth_date": "2002-05-04"},
            "citizen_id",
            "The year of birth in the personal identification number ({year}) does not match "
            "the date of birth ({birth_year}).",
            {"year": 2001, "birth_year": 2002},
        ),
        (
            {"sex": "nu"},
            "citizen_id",
            "The sex code in the personal identification number does not match the declared sex.",
            {},
        ),
        (
            {"citizen_id": "01120100012"},
            "citizen_id",
            "The personal identification number must have exactly 12 digits (you entered {count}).",
            {"count": 11},
        ),
        ({"phone": "0123"}, "phone", None, {}),
        ({"full_name": "Lò Văn 2"}, "full_name", "A name may not contain digits.", {}),
        ({"commune_code": "99999"}, "commune_code", "Choose a commune of the province.", {}),
        ({"ethnicity_code": "77"}, "ethnicity_code", "Choose an ethnic group from the list.", {}),
    ],
)
def test_a_bad_person_is_refused_next_to_the_field_and_nothing_is_written(
    client, world, overrides, field, msgid, params
):
    signed_in(client, world, "staff_a")
    response = client.post(f"/courses/{world.course}/enrol", data=person_form(**overrides))
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert field in errors
    if msgid is not None:
        assert errors[field] == vi(msgid, **params)
    typed = attr(page, 'input[name="full_name"]', "value")
    assert typed == person_form(**overrides)["full_name"]
    assert count(world.session, Person) == count(world.session, Enrolment) == 0


# The course runs from 02/03/2026 to 30/06/2026: registration may open six months (183 days)
# before the start, on 31/08/2025, and closes when the course ends.
OUTSIDE = (
    "The enrolment date {date} is outside the course ({start} – {end}); it may be at most six "
    "months before the start."
)


@pytest.mark.today("2026-12-01")
@pytest.mark.parametrize(
    ("enrolled_on", "accepted"),
    [
        ("2025-08-30", False),  # 184 days before the start
        ("2025-08-31", True),  # 183 days before: registration opened early
        ("30/06/2026", True),  # the last day of the course
        ("01/07/2026", False),  # the day after it ended
        ("", False),  # blank is today, 01/12/2026: long after the end
    ],
)
def test_the_enrolment_date_falls_inside_the_course(client, world, enrolled_on, accepted):
    signed_in(client, world, "staff_a")
    response = client.post(
        f"/courses/{world.course}/enrol",
        data=person_form(enrolled_on=enrolled_on),
        follow_redirects=False,
    )
    if accepted:
        assert response.status_code == 303
        assert count(world.session, Enrolment) == 1
        return
    assert response.status_code == 400
    typed = date(2026, 12, 1) if not enrolled_on else shared_date(enrolled_on)
    assert field_errors(parse(response.text))["enrolled_on"] == vi(
        OUTSIDE, date=typed, start=date(2026, 3, 2), end=date(2026, 6, 30)
    )
    assert count(world.session, Person) == count(world.session, Enrolment) == 0


def shared_date(typed: str) -> date:
    if "/" in typed:
        day, month, year = (int(part) for part in typed.split("/"))
        return date(year, month, day)
    return date.fromisoformat(typed)


# --- finding the person already registered ------------------------------------------------


def _page_text(response) -> str:
    return text(one(parse(response.text), "main"))


def test_a_registered_citizen_id_and_birth_date_offer_that_person_and_show_nothing_of_them(
    client, world
):
    existing = _registered(world, full_name="Lò Văn Minh", citizen_id=MINH_ID, phone="+84987654321")
    signed_in(client, world, "staff_a")
    form = person_form(full_name="Lo Van Minh", phone="")
    response = client.post(f"/courses/{world.course}/enrol", data=form)
    assert response.status_code == 200
    page = parse(response.text)
    found = one(page, "#found")
    assert text(found).startswith(
        vi(
            "A person with citizen ID {citizen_id}, born {birth_date}, is registered. Nobody is "
            "registered twice: enrol this person.",
            citizen_id=MINH_ID,
            birth_date="2001-05-04",
        )
    )
    # Nothing of the registered person is shown: their name, phone or id.
    shown = response.text
    assert "Lò Văn Minh" not in shown and "0987" not in shown
    assert find_all(page, "[data-person-id]") == [] and "person_id" not in shown
    assert (count(world.session, Person), count(world.session, Enrolment)) == (1, 0)

    hidden = {
        i.attributes["name"]: i.attributes["value"]
        for i in find_all(one(page, "form#enrol-found"), "input")
    }
    assert (hidden["existing"], hidden["citizen_id"], hidden["birth_date"]) == (
        "1",
        MINH_ID,
        "2001-05-04",
    )
    response = client.post(f"/courses/{world.course}/enrol", data=hidden, follow_redirects=False)
    assert response.status_code == 303
    enrolment = fresh(world.session).exec(select(Enrolment)).one()
    assert (enrolment.person_id, count(world.session, Person)) == (existing, 1)


def test_a_registered_citizen_id_with_another_birth_date_is_refused(client, world):
    _registered(world, citizen_id=MINH_ID, birth_date=date(2001, 5, 4))
    signed_in(client, world, "staff_a")
    # 4 May 2001 in the ID's century and sex, but another day: the same ID, another person?
    response = client.post(
        f"/courses/{world.course}/enrol", data=person_form(birth_date="2001-05-05")
    )
    assert response.status_code == 400
    assert field_errors(parse(response.text))["birth_date"] == vi(trainee_service.OTHER_BIRTH_DATE)
    assert (count(world.session, Person), count(world.session, Enrolment)) == (1, 0)


def test_the_same_name_and_birth_date_asks_for_confirmation_without_listing_anyone(client, world):
    _registered(world, full_name="Lò Văn Minh", birth_date=date(2001, 5, 4), phone="+8498")
    signed_in(client, world, "staff_a")
    form = person_form(full_name="lo van minh")
    response = client.post(f"/courses/{world.course}/enrol", data=form)
    assert response.status_code == 200
    page = parse(response.text)
    assert one(page, "#same-name")
    assert find_all(page, "table") == [] and "Lò Văn Minh" not in response.text
    # The form comes back with the confirmation that this is someone else.
    assert attr(page, 'input[name="confirmed_new"]', "value") == "1"
    assert count(world.session, Person) == 1

    confirmed = form | {"confirmed_new": "1"}
    response = client.post(f"/courses/{world.course}/enrol", data=confirmed, follow_redirects=False)
    assert response.status_code == 303
    assert count(world.session, Person) == 2


def test_the_lookup_needs_the_full_id_and_the_birth_date_and_answers_only_yes_or_no(client, world):
    existing = _registered(world, full_name="Lò Văn Minh", citizen_id=MINH_ID, phone="+8491")
    signed_in(client, world, "staff_a")
    lookup = f"/courses/{world.course}/enrol/lookup"  # posted: no ID in an address
    for birth in ("2001-05-04", "04/05/2001"):
        response = client.post(lookup, data={"find_id": "011 201 000 123", "find_birth": birth})
        page = parse(response.text)
        assert one(page, "form#enrol-found")
        assert "Lò Văn Minh" not in response.text and "0491" not in response.text
    wrong_day = parse(
        client.post(lookup, data={"find_id": MINH_ID, "find_birth": "05/05/2001"}).text
    )
    assert one(wrong_day, "#found-none") and find_all(wrong_day, "#enrol-found") == []
    # Not found: the new-person form starts with what was typed.
    assert attr(wrong_day, 'input[name="citizen_id"]', "value") == MINH_ID
    unknown = parse(
        client.post(lookup, data={"find_id": "011201999999", "find_birth": "2001-05-04"}).text
    )
    assert one(unknown, "#found-none")
    for half in ({"find_id": MINH_ID}, {"find_id": "0112010", "find_birth": "2001-05-04"}):
        refused = client.post(lookup, data=half)
        assert refused.status_code == 400
        assert field_errors(parse(refused.text))["find"] == vi(trainee_service.FIND_BOTH)
    lookups = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.entity) == "enrol_lookup"))
        .all()
    )
    assert [entry.person_id for entry in lookups] == [existing, existing]


def test_an_institution_cannot_enrol_someone_by_a_raw_person_id(client, world):
    """The reproduction: a person trained at A, enrolled into B's course by their id."""
    course_b = factories.course(world.session, institution_id=world.institution_b).id
    person_id = _enrolled_at_a(world, citizen_id=MINH_ID, phone="+84912345678")
    signed_in(client, world, "staff_b")
    url = f"/courses/{course_b}/enrol"
    by_id = client.post(url, data={"person_id": str(person_id), "enrolled_on": ""})
    assert by_id.status_code == 400  # read as a new person with nothing filled in
    as_existing = {"person_id": str(person_id), "existing": "1", "enrolled_on": "2026-03-02"}
    assert client.post(url, data=as_existing).status_code == 400  # no ID nor birth date
    wrong_day = {"existing": "1", "citizen_id": MINH_ID, "birth_date": "2001-05-05"}
    wrong_day["enrolled_on"] = "2026-03-02"
    refused = client.post(url, data=wrong_day)
    assert refused.status_code == 404
    assert field_errors(parse(refused.text))["find"] == vi(trainee_service.NOT_REGISTERED)
    assert count(world.session, Enrolment) == 1
    assert client.get(f"/trainees/{person_id}").status_code == 404
    known = {"existing": "1", "citizen_id": MINH_ID, "birth_date": "04/05/2001"}
    known["enrolled_on"] = "2026-03-02"
    assert client.post(url, data=known, follow_redirects=False).status_code == 303
    assert count(world.session, Enrolment) == 2


# --- refusals that leave the database unchanged -------------------------------------------


def test_a_full_course_refuses_one_more(client, world):
    for n in range(3):
        _enrolled_at_a(world, full_name=f"Quàng Thị {'ABC'[n]}")
    signed_in(client, world, "staff_a")
    response = client.post(f"/courses/{world.course}/enrol", data=person_form())
    assert response.status_code == 409
    assert text(one(parse(response.text), "#conflict")) == vi(
        "The course is full: all {capacity} places are taken.", capacity=3
    )
    assert (count(world.session, Person), count(world.session, Enrolment)) == (3, 3)


def test_a_trainee_who_dropped_out_frees_a_place(client, world):
    for n in range(3):
        _enrolled_at_a(world, full_name=f"Quàng Thị {'ABC'[n]}")
    world.session.exec(select(Enrolment)).first().status = "bo_hoc"  # type: ignore[union-attr]
    world.session.commit()
    signed_in(client, world, "staff_a")
    response = client.post(
        f"/courses/{world.course}/enrol", data=person_form(), follow_redirects=False
    )
    assert response.status_code == 303
    assert count(world.session, Enrolment) == 4


def test_the_same_person_twice_in_a_course_is_refused(client, world):
    _enrolled_at_a(world, citizen_id=MINH_ID)
    signed_in(client, world, "staff_a")
    again = {"existing": "1", "citizen_id": MINH_ID, "birth_date": "2001-05-04"}
    again["enrolled_on"] = "2026-03-02"
    response = client.post(f"/courses/{world.course}/enrol", data=again)
    assert response.status_code == 409
    assert text(one(parse(response.text), "#conflict")) == vi(
        "This person is already enrolled in this course."
    )
    assert count(world.session, Enrolment) == 1


def test_a_cancelled_course_takes_no_one(client, world):
    course = world.session.get(Course, world.course)
    assert course is not None
    course.status = "cancelled"
    world.session.commit()
    signed_in(client, world, "staff_a")
    response = client.post(f"/courses/{world.course}/enrol", data=person_form())
    assert response.status_code == 409
    assert count(world.session, Person) == 0


# --- the register and a person's record ---------------------------------------------------


def test_the_register_searches_without_diacritics_and_by_citizen_id(client, world):
    minh = _enrolled_at_a(world, full_name="Lò Văn Minh", citizen_id=MINH_ID)
    anh = _enrolled_at_a(world, full_name="Quàng Thị Ánh")
    other_course = factories.course(world.session, institution_id=world.institution_b)
    elsewhere = _registered(world, full_name="Lò Văn Mạnh", citizen_id="011201000999")
    factories.enrolment(world.session, person_id=elsewhere, course_id=other_course.id)
    _registered(world, full_name="Lò Văn Minh Không Học")  # never enrolled: not a trainee
    world.session.commit()
    signed_in(client, world, "staff_a")

    def shown(response) -> list[str]:
        page = parse(response.text)
        if not find_all(page, "table#trainees"):
            return []
        return [row.attributes["data-person-id"] for row in body_rows(page, "table#trainees")]

    def search(text: str) -> list[str]:  # posted: no name or ID in an address
        return shown(client.post("/trainees", data={"q": text}))

    assert shown(client.get("/trainees")) == [str(anh), str(minh)]  # Ánh, then Minh
    assert search("lo van") == [str(minh)]  # Mạnh studies at B
    assert search("LÒ VĂN minh") == [str(minh)]
    assert search("011 201 000 123") == [str(minh)]
    # IDs are encrypted: only a whole ID is searchable, and the page says so.
    assert search("011 201 000 12") == [] and search("000123") == []
    assert search("nobody") == []
    assert search("011201000999") == []  # Mạnh's full ID: still B's trainee, not A's
    views = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.entity) == "person_list"))
        .all()
    )
    assert [sorted(v.details["person_ids"]) for v in views] == [
        sorted([anh, minh]),
        [minh],
        [minh],
        [minh],
    ]
    hint = one(parse(client.get("/trainees").text), "p#q-hint")
    assert attr(parse(client.get("/trainees").text), "input#q", "aria-describedby") == "q-hint"
    assert "12" in text(hint)


def test_a_long_search_result_pages_without_putting_the_search_in_the_address(client, world):
    for n in range(52):
        factories.enrolment(
            world.session,
            person_id=_registered(world, full_name=f"Lò Văn {chr(65 + n % 26)}{chr(97 + n // 26)}"),
            course_id=world.course,
        )
    world.session.commit()
    signed_in(client, world, "official")
    first = parse(client.post("/trainees", data={"q": "lo van"}).text)
    assert len(body_rows(first, "table#trainees")) == 50
    assert find_all(first, 'a[rel="next"]') == []  # no link carrying the search
    pager = one(first, "nav.pager")
    step = next(f for f in find_all(pager, "form") if find_all(f, 'button[data-rel="next"]'))
    hidden = {i.attributes["name"]: i.attributes["value"] for i in find_all(step, "input")}
    assert (hidden["q"], hidden["page"]) == ("lo van", "2")
    second = parse(client.post(step.attributes["action"] or "", data=hidden).text)
    assert len(body_rows(second, "table#trainees")) == 2


def test_an_official_sees_every_trainee(client, world):
    _enrolled_at_a(world)
    other_course = factories.course(world.session, institution_id=world.institution_b)
    elsewhere = _registered(world, full_name="Lò Văn Mạnh")
    factories.enrolment(world.session, person_id=elsewhere, course_id=other_course.id)
    world.session.commit()
    signed_in(client, world, "official")
    page = parse(client.get("/trainees").text)
    assert len(body_rows(page, "table#trainees")) == 2


def test_a_persons_record_shows_full_data_to_their_institution_and_is_audited(client, world):
    person_id = _enrolled_at_a(
        world, full_name="Lò Văn Minh", citizen_id=MINH_ID, phone="+84912345678"
    )
    signed_in(client, world, "staff_a")
    page = parse(client.get(f"/trainees/{person_id}").text)
    fields = {n.attributes["data-field"]: text(n) for n in find_all(page, "dd[data-field]")}
    assert fields["citizen_id"] == MINH_ID
    assert fields["phone"] == "0912 345 678"
    assert fields["ethnicity"] == "Thái"
    assert fields["birth_date"] == "04/05/2001"
    rows = body_rows(page, "table#enrolments")
    assert [row.attributes["data-course-id"] for row in rows] == [str(world.course)]
    entry = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.action) == "view_personal_data"))
        .one()
    )
    assert (entry.entity, entry.person_id) == ("person", person_id)


def test_a_persons_record_shows_an_institution_only_its_own_enrolments(client, world):
    person_id = _enrolled_at_a(world)
    course_b = factories.course(
        world.session, institution_id=world.institution_b, name="Hàn điện Tuần Giáo", code="HAN-9"
    )
    factories.enrolment(world.session, person_id=person_id, course_id=course_b.id)
    world.session.commit()
    signed_in(client, world, "staff_a")
    page = parse(client.get(f"/trainees/{person_id}").text)
    rows = body_rows(page, "table#enrolments")
    assert [row.attributes["data-course-id"] for row in rows] == [str(world.course)]
    assert attr(page, "#enrolled-elsewhere", "data-count") == "1"
    shown = text(page.body)
    assert "GDNN-GDTX" not in shown and "HAN-9" not in shown and "Hàn điện" not in shown
    signed_in(client, world, "official")  # officials see every enrolment
    page = parse(client.get(f"/trainees/{person_id}").text)
    assert len(body_rows(page, "table#enrolments")) == 2
    assert find_all(page, "#enrolled-elsewhere") == []


def test_staff_of_another_institution_cannot_open_the_person_nor_leave_a_trace(client, world):
    person_id = _enrolled_at_a(world)
    signed_in(client, world, "staff_b")
    missing = client.get("/trainees/999999")
    other = client.get(f"/trainees/{person_id}")
    assert (other.status_code, missing.status_code) == (404, 404)
    assert _page_text(other) == _page_text(missing)  # nothing tells the two apart
    viewed = (
        fresh(world.session)
        .exec(select(AuditEntry).where(col(AuditEntry.action) == "view_personal_data"))
        .all()
    )
    assert viewed == []


def test_consent_is_recorded_with_its_time_and_can_be_withdrawn(client, world):
    person_id = _enrolled_at_a(world)
    signed_in(client, world, "staff_a")
    url = f"/trainees/{person_id}/consent"
    assert client.post(url, data={"consent": "1"}, follow_redirects=False).status_code == 303
    person = fresh(world.session).get(Person, person_id)
    assert person is not None and person.consent_to_employers
    assert person.consent_at is not None
    fresh(world.session)
    page = parse(client.get(f"/trainees/{person_id}").text)
    consent = text(one(page, 'dd[data-field="consent"]'))
    assert consent.startswith(vi("Yes, agreed on {date}", date="")[:5])
    assert client.post(url, data={"consent": "0"}, follow_redirects=False).status_code == 303
    person = fresh(world.session).get(Person, person_id)
    assert person is not None
    assert (person.consent_to_employers, person.consent_at) == (False, None)
    changes = world.session.exec(
        select(AuditEntry).where(
            col(AuditEntry.entity) == "person", col(AuditEntry.action) == "update"
        )
    ).all()
    assert [entry.details["consent"] for entry in changes] == [True, False]


@pytest.mark.parametrize(
    ("role", "expected"), [("official", 403), ("staff_b", 404), ("employer", 403)]
)
def test_consent_is_changed_only_by_the_persons_institution(client, world, role, expected):
    person_id = _enrolled_at_a(world)
    signed_in(client, world, role)
    response = client.post(f"/trainees/{person_id}/consent", data={"consent": "1"})
    assert response.status_code == expected
    person = fresh(world.session).get(Person, person_id)
    assert person is not None and not person.consent_to_employers


def test_simultaneous_enrolments_never_overfill_a_course(engine, world):
    """Six clerks enrol six different people at once into a course with one place left:
    exactly one succeeds (the course row is locked while its places are counted)."""
    course = world.session.get(Course, world.course)
    assert course is not None
    course.capacity = 1
    staff = world.session.exec(
        select(UserAccount).where(col(UserAccount.username) == world.usernames["staff_a"])
    ).one()
    world.session.commit()
    session_row = AuthSession(token_hash="-", user_id=0, csrf_token="-", expires_at=utcnow())
    principal = Principal(user=staff, auth=session_row)

    def attempt(n: int) -> str:
        person = PersonForm(
            citizen_id=f"0112010000{n:02d}",
            full_name=f"Lò Văn Minh {'ABCDEF'[n]}",
            birth_date="2001-05-04",
            sex="nam",
            ethnicity_code="03",
            commune_code="03158",
        )
        form = trainee_service.EnrolForm(person=person, enrolled_on="2026-03-02")
        with Session(engine, expire_on_commit=False) as session:
            try:
                trainee_service.enrol(
                    session, principal=principal, course_id=world.course, form=form
                )
            except ConflictError:
                return "refused"
        return "enrolled"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = sorted(pool.map(attempt, range(6)))
    assert outcomes == ["enrolled"] + ["refused"] * 5
    assert count(world.session, Enrolment) == 1
