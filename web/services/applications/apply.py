"""Applying to a vacancy from its public page, in two steps that both work without
JavaScript: the form is checked and a code is sent to the phone; the code confirmed, the
application is recorded (one per person and vacancy, whatever the number of submits).

The applicant is found by the keyed hash of their phone, or a new person is made from the
form. Ethnicity is never asked: it is sensitive personal data and hiring does not need it.
The consent given on the form is recorded on the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching.text import search_key
from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import Sex, VacancyStatus
from models.errors import ConflictError, InvalidError, NotFoundError
from models.i18n import translate
from models.ids import parse_id
from models.messaging import Purpose
from models.notifications import notify
from models.people import commune_zone, name_fields
from models.queries.candidates import latest_trainings
from models.queries.people import is_enrolled_at
from models.queries.reference import commune_options
from models.tables import Application, Person, TrainingOccupation, Vacancy
from models.validation import ErrorCollector, clean_text, normalise_phone, validate_full_name
from web.auth import Principal
from web.permissions import NO_SUCH_PERSON, Permission, institution_scope, require
from web.services.applications import codes

TRADE_MAX = 120
OLDEST_AGE, YOUNGEST_AGE = 70, 15


@dataclass
class ApplyForm:
    """The application form as typed (all text, so it can be shown again)."""

    full_name: str = ""
    phone: str = ""
    birth_year: str = ""
    sex: str = ""
    commune_code: str = ""
    trade: str = ""
    occupation_id: str = ""
    consent: bool = False

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> ApplyForm:
        names = ("full_name", "phone", "birth_year", "sex", "commune_code", "trade")
        values: dict[str, Any] = {name: fields.get(name, "")[:200] for name in names}
        values["occupation_id"] = fields.get("occupation_id", "")[:12]
        values["consent"] = fields.get("consent", "") in ("1", "on", "yes")
        return cls(**values)


@dataclass(frozen=True)
class CheckedForm:
    full_name: str
    phone: str  # E.164
    birth_year: int
    sex: str
    commune_code: str
    trade: str
    occupation_id: int | None


def _birth_year(value: str, on: date) -> int:
    text = value.strip()
    if not (text.isdigit() and len(text) == 4):
        raise InvalidError("birth_year", "Write the year you were born, for example 2001.")
    year = int(text)
    if not on.year - OLDEST_AGE <= year <= on.year - YOUNGEST_AGE:
        raise InvalidError(
            "birth_year",
            "The year of birth must be between {first} and {last}.",
            first=on.year - OLDEST_AGE,
            last=on.year - YOUNGEST_AGE,
        )
    return year


def _sex(value: str) -> str:
    if value not in {sex.value for sex in Sex}:
        raise InvalidError("sex", "Choose the sex.")
    return value


def _commune(session: Session, code: str, on: date) -> str:
    if code not in {option.value for option in commune_options(session, on=on)}:
        raise InvalidError("commune_code", "Choose a commune of the province.")
    return code


def _trade(session: Session, text: str, occupation: str) -> tuple[str, int | None]:
    trade = clean_text(text)
    if len(trade) > TRADE_MAX:
        raise InvalidError(
            "trade", "Write the trade in at most {limit} characters.", limit=TRADE_MAX
        )
    occupation_id = parse_id(occupation)
    if occupation_id is not None and session.get(TrainingOccupation, occupation_id) is None:
        occupation_id = None
    if not trade and occupation_id is None:
        raise InvalidError("trade", "Write your trade, or choose one from the list.")
    return trade, occupation_id


def _consent(given: bool) -> bool:
    if not given:
        raise InvalidError("consent", "Tick the box to agree, or the employer cannot see you.")
    return True


def check_form(session: Session, form: ApplyForm, *, on: date) -> CheckedForm:
    """The form's fields, or ValidationErrors naming every bad one."""
    errors = ErrorCollector()
    name = errors.check(validate_full_name, form.full_name)
    phone = errors.check(normalise_phone, form.phone)
    year = errors.check(_birth_year, form.birth_year, on)
    sex = errors.check(_sex, form.sex)
    commune = errors.check(_commune, session, form.commune_code, on)
    trade = errors.check(_trade, session, form.trade, form.occupation_id)
    errors.check(_consent, form.consent)
    errors.raise_if_any()
    assert name and phone and year and sex and commune and trade
    return CheckedForm(name, phone, year, sex, commune, trade[0], trade[1])


def open_vacancy(session: Session, vacancy_id: int, *, on: date) -> Vacancy:
    """The vacancy if it still takes applications; else a clear refusal."""
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFoundError(None, "This job is no longer open.")
    closed = vacancy.status != VacancyStatus.OPEN or vacancy.filled >= vacancy.quantity
    if closed or (vacancy.deadline is not None and vacancy.deadline < on):
        raise ConflictError(None, "This job no longer takes applications.")
    return vacancy


def ask_code(
    session: Session, *, vacancy_id: int, form: ApplyForm, address: str, lang: str, now: datetime
) -> CheckedForm:
    """Check the form and send a code to the phone it gives."""
    on = today()
    with unit_of_work(session):
        open_vacancy(session, vacancy_id, on=on)
        checked = check_form(session, form, on=on)
        text = translate(codes.PURPOSE_MESSAGES[Purpose.APPLY_CODE], lang, code="{code}")
        codes.request_code(
            session,
            phone=checked.phone,
            address=address,
            purpose=Purpose.APPLY_CODE,
            text_for=text,
            now=now,
        )
        return checked


def confirm(
    session: Session, *, vacancy_id: int, form: ApplyForm, code: str, now: datetime
) -> Application:
    """The code confirmed, record the application (or find the one already recorded)."""
    on = today()
    with unit_of_work(session):
        vacancy = open_vacancy(session, vacancy_id, on=on)
        checked = check_form(session, form, on=on)
        outcome = codes.confirm_code(
            session, phone=checked.phone, code=code, purpose=Purpose.APPLY_CODE, now=now
        )
    if isinstance(outcome, InvalidError):
        raise outcome  # raised after the commit, so the wrong attempt counts
    with unit_of_work(session):
        person = _applicant(session, checked, now)
        return _application(session, vacancy, person, checked.trade, checked.occupation_id)


def _applicant(session: Session, form: CheckedForm, now: datetime) -> Person:
    """The person with this phone (the one of this name when a family shares it), their
    consent recorded; else a new person from the form."""
    codes.lock(session, f"phone:{codes.phone_hashes(form.phone)[0]}")  # two submits queue
    found = list(
        session.exec(
            select(Person)
            .where(col(Person.phone_hash).in_(codes.phone_hashes(form.phone)))
            .order_by(col(Person.id))
            .with_for_update()
        ).all()
    )
    key = search_key(form.full_name)
    person = next((p for p in found if p.name_key == key), found[0] if found else None)
    if person is None:
        on = today()
        names: dict[str, Any] = name_fields(form.full_name)
        person = Person(
            **names,
            birth_date=date(form.birth_year, 1, 1),
            sex=form.sex,
            ethnicity_code=None,
            is_ethnic_minority=False,  # not asked: unknown, so not counted as minority
            in_zone_iii=commune_zone(session, form.commune_code, on) == "III",
            commune_code=form.commune_code,
            phone=form.phone,
        )
    person.consent_to_employers = True
    person.consent_at = now
    session.add(person)
    session.flush()
    return person


def apply_for_trainee(
    session: Session, *, principal: Principal, person_id: int, vacancy_id: int | None
) -> Application:
    """An institution applies to a vacancy for one of its own trainees, who asked it to (a
    graduate without a phone of their own, or who came to the centre): only a person enrolled
    at the institution, who agreed to be shown to employers. The application is the one a
    phone would make: the employer sees it ranked and is told of it."""
    require(principal, Permission.MANAGE_TRAINEES)
    scope = institution_scope(principal)
    with unit_of_work(session):
        person = session.get(Person, person_id)
        if person is None or scope is None or not is_enrolled_at(session, person_id, scope):
            raise NotFoundError(None, NO_SUCH_PERSON)
        if vacancy_id is None:
            raise InvalidError("vacancy_id", "Choose a job.")
        vacancy = open_vacancy(session, vacancy_id, on=today())
        if not person.consent_to_employers:
            raise InvalidError(
                "vacancy_id",
                "This person has not agreed to be shown to employers: record their consent first.",
            )
        training = latest_trainings(session, [person_id]).get(person_id)
        occupation_id = training.occupation_id if training else None
        application = _application(session, vacancy, person, "", occupation_id)
        audit.record(
            session,
            user_id=principal.user.id,
            action="apply_for",
            entity="application",
            entity_id=application.id,
            person_id=person_id,
            vacancy_id=vacancy.id,
        )
        return application


def _application(
    session: Session, vacancy: Vacancy, person: Person, trade: str, occupation_id: int | None
) -> Application:
    assert vacancy.id is not None and person.id is not None
    existing = session.exec(
        select(Application)
        .where(col(Application.vacancy_id) == vacancy.id)
        .where(col(Application.person_id) == person.id)
    ).first()
    if existing is not None:
        if existing.status == "withdrawn":  # applying again reopens it
            existing.status, existing.withdrawn_at = "open", None
            existing.trade, existing.occupation_id = trade, occupation_id
            session.add(existing)
            session.flush()
        return existing
    application = Application(
        vacancy_id=vacancy.id,
        person_id=person.id,
        trade=trade,
        occupation_id=occupation_id,
    )
    session.add(application)
    try:
        session.flush()
    except IntegrityError as error:  # the unique index, should the lock ever be bypassed
        raise ConflictError(None, "You have already applied to this job.") from error
    notify(
        session,
        employer_id=vacancy.employer_id,
        msgid="New application to {title}",
        link=f"/vacancies/{vacancy.id}/candidates#applications",
        title=vacancy.title,
    )
    return application
