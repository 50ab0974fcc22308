"""Applying to a vacancy from its public page, the applicant's own page, the applications on
the employer's candidates page (scored, with the phone to call them), the outbox and the
notifications. Codes are read from the outbox, as the demo's administrator would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from matching.text import search_key
from models.i18n import translate
from models.tables import (
    AdminUnit,
    Application,
    AuditEntry,
    Notification,
    OutboxMessage,
    Person,
    PhoneCode,
    Vacancy,
)
from models.validation import display_phone, mask_phone
from tests import factories
from tests.html import attrs, data_attrs, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in

EMPLOYER, OTHER = "tuyen.dung", "cong.ty.khac"
PHONE, PHONE_E164 = "0912 345 678", "+84912345678"
DAY = "2026-08-10"


@dataclass
class World:
    vacancy_id: int
    other_vacancy_id: int
    employer_id: int
    sewing_id: int


def _commune(session: Session, code: str, name: str) -> None:
    session.add(
        AdminUnit(
            code=code,
            name=name,
            name_key=search_key(name),
            level="xa",
            province_code="11",
            valid_from=date(2025, 7, 1),
        )
    )


@pytest.fixture
def world(session: Session) -> World:
    _commune(session, "03127", "Xã Mường Ảng")
    _commune(session, "03160", "Xã Búng Lao")
    sewing = factories.occupation(session, key="MAY_CONG_NGHIEP", name="May công nghiệp")
    employer = factories.employer(session)
    vacancy = factories.vacancy(
        session,
        employer_id=employer.id,
        occupation_id=sewing.id,
        skills=["cắt vải"],
        deadline=date(2026, 9, 30),
    )
    other = factories.vacancy(session, title="Thợ điện")
    session.commit()
    make_account(session, "employer", EMPLOYER, employer_id=employer.id)
    make_account(session, "employer", OTHER, employer_id=other.employer_id)
    make_account(session, "admin", "quan.tri")
    make_account(session, "official", "can.bo")
    return World(vacancy.id, other.id, employer.id, sewing.id)


def form(world: World, **changes: str) -> dict[str, str]:
    values = {
        "full_name": "Lò Thị Mai",
        "phone": PHONE,
        "birth_year": "2002",
        "sex": "nu",
        "commune_code": "03160",
        "trade": "may",
        "occupation_id": str(world.sewing_id),
        "consent": "1",
    }
    values.update(changes)
    return values


def latest_code(session: Session, purpose: str = "apply_code") -> str:
    message = (
        session.execute(
            select(OutboxMessage)
            .where(col(OutboxMessage.purpose) == purpose)
            .order_by(col(OutboxMessage.id).desc())
        )
        .scalars()
        .first()
    )
    session.commit()
    assert message is not None
    found = re.search(r"\b(\d{6})\b", message.text)
    assert found is not None
    return found.group(1)


def count(session: Session, model, *where) -> int:
    found = session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
    session.commit()
    return found


def apply(client, session: Session, world: World, vacancy_id: int | None = None, **changes):
    """Fill the form, read the code from the outbox, confirm: the confirm response."""
    target = vacancy_id or world.vacancy_id
    fields = form(world, **changes)
    asked = client.post(f"/board/{target}/apply", data=fields)
    assert asked.status_code == 200, asked.text
    code = latest_code(session)
    return client.post(
        f"/board/{target}/apply/confirm", data={**fields, "code": code}, follow_redirects=False
    )


def field_errors(html: str) -> dict[str, str]:
    return {data_attrs(node)["field"]: text(node) for node in find_all(parse(html), ".field-error")}


# --- applying ------------------------------------------------------------------------------


@pytest.mark.today(DAY)
def test_the_public_page_has_a_light_form_that_never_asks_ethnicity(client, world):
    page = parse(client.get(f"/board/{world.vacancy_id}").text)
    fields = {attrs(node).get("name", "") for node in find_all(page, "form.apply-form [name]")}
    assert {"full_name", "phone", "birth_year", "commune_code", "trade", "consent"} <= fields
    assert not any("ethnic" in name for name in fields)
    communes = [text(option) for option in find_all(page, "#apply-commune_code option")]
    assert "Xã Búng Lao" in communes


@pytest.mark.today(DAY)
def test_a_visitor_applies_with_the_code_sent_to_their_phone(client, session, world):
    response = apply(client, session, world)

    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/board/{world.vacancy_id}/applied")
    application = session.execute(select(Application)).scalar_one()
    person = session.get(Person, application.person_id)
    session.commit()
    assert person is not None and application.vacancy_id == world.vacancy_id
    assert person.full_name == "Lò Thị Mai" and person.phone == PHONE_E164
    assert person.ethnicity_code is None and person.consent_to_employers
    assert person.birth_date.year == 2002 and person.commune_code == "03160"
    # The code is kept only as a hash; the SMS went through the outbox.
    code = session.execute(select(PhoneCode)).scalars().first()
    session.commit()
    assert code is not None and not re.fullmatch(r"\d{6}", code.code_hash)
    assert count(session, OutboxMessage, col(OutboxMessage.purpose) == "apply_code") == 1
    # The employer is told.
    note = session.execute(select(Notification)).scalar_one()
    session.commit()
    assert note.employer_id == world.employer_id


@pytest.mark.today(DAY)
def test_a_wrong_code_is_refused_and_records_nothing(client, session, world):
    fields = form(world)
    client.post(f"/board/{world.vacancy_id}/apply", data=fields)
    right = latest_code(session)
    wrong = "000000" if right != "000000" else "111111"

    response = client.post(
        f"/board/{world.vacancy_id}/apply/confirm", data={**fields, "code": wrong}
    )

    assert response.status_code == 400
    assert field_errors(response.text)["code"] == translate(
        "The code is not right. Check the message and try again.", "vi"
    )
    assert count(session, Application) == 0
    assert session.execute(select(PhoneCode.attempts)).scalar_one() == 1
    session.commit()


@pytest.mark.today(DAY)
def test_a_double_submit_makes_one_application(client, session, world):
    fields = form(world)
    client.post(f"/board/{world.vacancy_id}/apply", data=fields)
    code = latest_code(session)
    url = f"/board/{world.vacancy_id}/apply/confirm"
    first = client.post(url, data={**fields, "code": code}, follow_redirects=False)
    second = client.post(url, data={**fields, "code": code}, follow_redirects=False)
    again = apply(client, session, world)  # applying again with a new code

    assert first.status_code == 303 and again.status_code == 303
    assert second.status_code == 400  # the code is spent
    assert count(session, Application) == 1
    assert count(session, Person) == 1


@pytest.mark.today(DAY)
def test_an_existing_person_is_found_by_phone(client, session, world):
    known = factories.person(session, full_name="Lò Thị Mai", phone=PHONE_E164)
    session.commit()

    apply(client, session, world)

    application = session.execute(select(Application)).scalar_one()
    session.commit()
    assert application.person_id == known.id
    assert count(session, Person) == 1


@pytest.mark.today(DAY)
def test_bad_input_is_answered_field_by_field(client, session, world):
    response = client.post(
        f"/board/{world.vacancy_id}/apply",
        data=form(world, phone="12345", birth_year="20x2", consent="", commune_code="99999"),
    )

    assert response.status_code == 400
    errors = field_errors(response.text)
    assert set(errors) == {"phone", "birth_year", "consent", "commune_code"}
    assert count(session, OutboxMessage) == 0


@pytest.mark.today(DAY)
def test_a_closed_or_expired_vacancy_refuses_applications(client, session, world):
    vacancy = session.get(Vacancy, world.vacancy_id)
    assert vacancy is not None
    vacancy.deadline = date(2026, 8, 1)
    session.commit()

    response = client.post(f"/board/{world.vacancy_id}/apply", data=form(world))

    assert response.status_code == 409
    assert text(one(parse(response.text), ".error-message")) == translate(
        "This job no longer takes applications.", "vi"
    )
    assert count(session, OutboxMessage) == 0


@pytest.mark.today(DAY)
def test_code_requests_are_throttled_per_phone(client, session, world):
    url = f"/board/{world.vacancy_id}/apply"
    statuses = [client.post(url, data=form(world)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert count(session, OutboxMessage) == 3


# --- the applicant's own page --------------------------------------------------------------


def sign_in_by_phone(client, session: Session) -> None:
    assert client.post("/my-applications/code", data={"phone": PHONE}).status_code == 200
    code = latest_code(session, "my_applications_code")
    done = client.post(
        "/my-applications/confirm", data={"phone": PHONE, "code": code}, follow_redirects=False
    )
    assert done.status_code == 303


@pytest.mark.today(DAY)
def test_the_person_sees_and_withdraws_an_application(client, session, world):
    apply(client, session, world)
    sign_in_by_phone(client, session)

    page = parse(client.get("/my-applications").text)
    (item,) = find_all(page, "li.my-application")
    assert data_attrs(item)["status"] == "open"
    application_id = data_attrs(item)["application"]
    withdrawn = client.post(f"/my-applications/{application_id}/withdraw", follow_redirects=False)

    assert withdrawn.status_code == 303
    page = parse(client.get("/my-applications").text)
    assert data_attrs(one(page, "li.my-application"))["status"] == "withdrawn"


@pytest.mark.today(DAY)
def test_withdrawing_consent_withdraws_open_applications(client, session, world):
    apply(client, session, world)
    sign_in_by_phone(client, session)

    done = client.post("/my-applications/withdraw-consent", follow_redirects=False)
    assert done.status_code == 303, done.text[:3000]

    person = session.execute(select(Person)).scalar_one()
    session.commit()
    assert not person.consent_to_employers
    assert count(session, Application, col(Application.status) == "open") == 0


@pytest.mark.today(DAY)
def test_the_own_page_needs_the_code_and_another_persons_application_is_not_found(
    client, session, world
):
    apply(client, session, world)
    other = factories.person(session, full_name="Quàng Văn Hùng", phone="+84987654321")
    foreign = Application(vacancy_id=world.vacancy_id, person_id=other.id)
    session.add(foreign)
    session.commit()

    page = parse(client.get("/my-applications").text)
    assert find_all(page, "li.my-application") == [] and find_all(page, "form.phone-form")
    sign_in_by_phone(client, session)
    response = client.post(f"/my-applications/{foreign.id}/withdraw")

    assert response.status_code == 404
    assert count(session, Application, col(Application.status) == "open") == 2


# --- the employer's candidates page ------------------------------------------------------------


def applications_section(html: str) -> list[dict[str, str]]:
    section = one(parse(html), "section.applications")
    rows = []
    for item in find_all(section, "li.candidate"):
        facts = {data_attrs(dd)["fact"]: text(dd) for dd in find_all(item, "dd[data-fact]")}
        steps = {data_attrs(b)["step"] for b in find_all(item, "button[data-step]")}
        rows.append({**data_attrs(item), **facts, "steps": ",".join(sorted(steps))})
    return rows


@pytest.mark.today(DAY)
def test_the_employer_sees_applications_scored_with_the_phone_to_call(client, session, world):
    apply(client, session, world)
    sign_in(client, EMPLOYER)

    response = client.get(f"/vacancies/{world.vacancy_id}/candidates")

    assert response.status_code == 200
    (row,) = applications_section(response.text)
    assert float(row["score"]) > 0 and row["rank"] == "1"
    assert row["phone"] == display_phone(PHONE_E164) != mask_phone(PHONE_E164)
    assert row["commune"] == "Xã Búng Lao" and row["trade"] == "may"
    assert {"refer", "hire"} <= set(row["steps"].split(","))
    shown = (
        session.execute(select(AuditEntry).where(col(AuditEntry.entity) == "vacancy_contacts"))
        .scalars()
        .all()
    )
    session.commit()
    assert len(shown) == 1 and shown[0].details["person_ids"] == [int(row["person"])]


@pytest.mark.today(DAY)
def test_an_applicant_can_be_hired_and_the_hire_undone(client, session, world):
    apply(client, session, world)
    person_id = session.execute(select(Application.person_id)).scalar_one()
    session.commit()
    sign_in(client, EMPLOYER)
    base = f"/vacancies/{world.vacancy_id}/candidates/{person_id}"

    hired = client.post(f"{base}/hire", follow_redirects=False)
    assert hired.status_code == 303
    assert session.get(Vacancy, world.vacancy_id, populate_existing=True).filled == 1
    session.commit()
    undone = client.post(f"{base}/undo_hire", follow_redirects=False)

    assert undone.status_code == 303
    assert session.get(Vacancy, world.vacancy_id, populate_existing=True).filled == 0
    session.commit()
    (row,) = applications_section(client.get(f"/vacancies/{world.vacancy_id}/candidates").text)
    assert "hire" in row["steps"].split(",")


@pytest.mark.today(DAY)
def test_another_employer_finds_no_such_vacancy(client, session, world):
    apply(client, session, world)
    person_id = session.execute(select(Application.person_id)).scalar_one()
    session.commit()
    sign_in(client, OTHER)

    assert client.get(f"/vacancies/{world.vacancy_id}/candidates").status_code == 404
    refused = client.post(f"/vacancies/{world.vacancy_id}/candidates/{person_id}/hire")
    assert refused.status_code == 404


@pytest.mark.today(DAY)
def test_before_contact_the_phone_stays_masked(client, session, world):
    """A person the engine suggests but who neither applied nor was referred."""
    course = factories.course(session, occupation_id=world.sewing_id)
    person = factories.person(
        session, full_name="Cầm Thị Hoa", phone="+84987654321", consent_to_employers=True
    )
    factories.enrolment(
        session,
        person_id=person.id,
        course_id=course.id,
        status="tot_nghiep",
        result="dat",
        graduated_on=date(2026, 6, 30),
    )
    session.commit()
    sign_in(client, EMPLOYER)

    page = parse(client.get(f"/vacancies/{world.vacancy_id}/candidates").text)
    item = one(page, f"li.candidate[data-person='{person.id}']")
    phone = text(one(item, "dd[data-fact=phone]"))

    assert phone == mask_phone("+84987654321")
    client.post(f"/vacancies/{world.vacancy_id}/candidates/{person.id}/refer")
    page = parse(client.get(f"/vacancies/{world.vacancy_id}/referrals").text)
    item = one(page, f"li.candidate[data-person='{person.id}']")
    assert text(one(item, "dd[data-fact=phone]")) == display_phone("+84987654321")
    # The referred person was told by SMS.
    assert count(session, OutboxMessage, col(OutboxMessage.purpose) == "referral") == 1


# --- the outbox and notifications ----------------------------------------------------------


@pytest.mark.today(DAY)
@pytest.mark.parametrize("username", [EMPLOYER, "can.bo", None])
def test_only_an_administrator_reads_the_outbox(client, session, world, username):
    client.post(f"/board/{world.vacancy_id}/apply", data=form(world))
    if username:
        sign_in(client, username)

    response = client.get("/outbox", follow_redirects=False)

    assert response.status_code == (404 if username else 303)


@pytest.mark.today(DAY)
def test_the_administrator_reads_the_outbox_newest_first(client, session, world):
    client.post(f"/board/{world.vacancy_id}/apply", data=form(world))
    client.post("/my-applications/code", data={"phone": PHONE})
    sign_in(client, "quan.tri")

    page = parse(client.get("/outbox").text)
    purposes = [data_attrs(row)["purpose"] for row in find_all(page, "tr[data-purpose]")]

    assert purposes == ["my_applications_code", "apply_code"]
    assert {text(cell) for cell in find_all(page, "td.recipient")} == {display_phone(PHONE_E164)}


@pytest.mark.today(DAY)
def test_the_employer_is_notified_with_an_unread_count(client, session, world):
    apply(client, session, world)
    sign_in(client, EMPLOYER)

    menu = one(parse(client.get("/account").text), "a.notifications-link")
    page = parse(client.get("/notifications").text)

    assert data_attrs(menu)["unread"] == "1"
    (note,) = find_all(page, "li.notification")
    assert text(note).endswith(translate("New application to {title}", "vi", title="Công nhân may"))
    assert data_attrs(one(page, "a.notifications-link"))["unread"] == "0"


def test_a_new_training_order_is_notified_to_its_college(session):
    from web.services.training_orders import _tell_institution

    institution = factories.institution(session)
    order = factories.training_order(session, institution_id=institution.id)
    _tell_institution(session, order)
    session.commit()

    note = session.execute(select(Notification)).scalar_one()
    session.commit()
    assert note.institution_id == institution.id
    assert note.link == f"/training-orders/{order.id}"
