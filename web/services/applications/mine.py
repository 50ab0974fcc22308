"""The applicant's own page, reached with their phone and a one-time code (no account): their
applications with a withdraw button each, and the withdrawal of their consent, which
withdraws every open application too. The grant is a random token in a cookie whose hash is
kept for GRANT_LIFETIME (web/services/applications/codes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import audit
from models.db import unit_of_work
from models.errors import InvalidError, NotFoundError
from models.i18n import translate
from models.messaging import Purpose
from models.tables import Application, Employer, Person, Vacancy
from models.validation import normalise_phone
from web.services.applications import codes


@dataclass(frozen=True)
class MyApplication:
    id: int
    vacancy_id: int
    title: str
    employer_name: str
    status: str
    applied_at: datetime


@dataclass(frozen=True)
class MyPage:
    applications: list[MyApplication]
    consent: bool  # any of the phone's people still agrees to be shown to employers


def ask_code(session: Session, *, phone: str, address: str, lang: str, now: datetime) -> str:
    """Send a code to the phone; its E.164 form, to show on the next step."""
    e164 = normalise_phone(phone)
    text = translate(codes.PURPOSE_MESSAGES[Purpose.MY_APPLICATIONS_CODE], lang, code="{code}")
    with unit_of_work(session):
        codes.request_code(
            session,
            phone=e164,
            address=address,
            purpose=Purpose.MY_APPLICATIONS_CODE,
            text_for=text,
            now=now,
        )
    return e164


def sign_in(session: Session, *, phone: str, code: str, now: datetime) -> codes.Grant:
    e164 = normalise_phone(phone)
    with unit_of_work(session):
        outcome = codes.confirm_code(
            session, phone=e164, code=code, purpose=Purpose.MY_APPLICATIONS_CODE, now=now
        )
    if isinstance(outcome, InvalidError):
        raise outcome
    return outcome


def _people(session: Session, token: str, now: datetime) -> list[Person]:
    phone_hash = codes.granted_phone_hash(session, token, now)
    if phone_hash is None:
        raise NotFoundError(None, "Your code has expired. Ask for a new one.")
    query = select(Person).where(col(Person.phone_hash) == phone_hash)
    return list(session.exec(query).all())


def my_page(session: Session, *, token: str, now: datetime) -> MyPage:
    people = _people(session, token, now)
    ids = [person.id for person in people]
    rows = session.exec(
        select(Application, Vacancy, Employer)
        .join(Vacancy, col(Vacancy.id) == col(Application.vacancy_id))
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .where(col(Application.person_id).in_(ids))
        .order_by(col(Application.created_at).desc(), col(Application.id).desc())
    ).all()
    applications = [
        MyApplication(
            application.id or 0,
            vacancy.id or 0,
            vacancy.title,
            employer.name,
            application.status,
            application.created_at,
        )
        for application, vacancy, employer in rows
    ]
    return MyPage(applications, any(person.consent_to_employers for person in people))


def withdraw(session: Session, *, token: str, application_id: int, now: datetime) -> None:
    """Withdraw one of the person's own applications (anyone else's is not found)."""
    with unit_of_work(session):
        ids = [person.id for person in _people(session, token, now)]
        application = session.get(Application, application_id)
        if application is None or application.person_id not in ids:
            raise NotFoundError(None, "There is no such application.")
        if application.status == "open":
            application.status, application.withdrawn_at = "withdrawn", now
            session.add(application)
            _audit(session, application.person_id, "withdraw", application.id)


def withdraw_consent(session: Session, *, token: str, now: datetime) -> None:
    """The person no longer agrees to be shown to employers: open applications end too."""
    with unit_of_work(session):
        for person in _people(session, token, now):
            person.consent_to_employers = False
            person.consent_at = None
            session.add(person)
            session.execute(
                update(Application)
                .where(col(Application.person_id) == person.id)
                .where(col(Application.status) == "open")
                .values(status="withdrawn", withdrawn_at=now)
            )
            _audit(session, person.id, "withdraw_consent", None)


def end(session: Session, *, token: str, now: datetime) -> None:
    with unit_of_work(session):
        codes.end_grant(session, token, now)


def _audit(session: Session, person_id: int | None, action: str, entity_id: int | None) -> None:
    audit.record(
        session,
        user_id=None,
        action=action,
        entity="application",
        entity_id=entity_id,
        person_id=person_id,
        by="the person",
    )
