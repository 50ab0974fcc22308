"""On the day: staff mark who came, and record interviews, offers and hires between a guest
and a vacancy of the session; a walk-in is found by their full citizen ID and birth date,
or registered. Each step is stamped once with a conditional UPDATE, so a double click (or
two phones) records it once. A hire goes through the platform's hire (web.services.
referrals.record_hire: the vacancy's places, the referral, the employment spell) and enters
the new-jobs register once per person (web.services.fairs.register_line)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.errors import ConflictError, InvalidError, NotFoundError
from models.queries import people as people_queries
from models.queries.fairs import guest_of, registered
from models.queries.vacancies import get_vacancy
from models.tables import JobFair, JobFairGuest, JobFairStep, Person
from models.validation import parse_date
from web.auth import Principal
from web.services.fairs.access import staff_fair
from web.services.fairs.register_line import enter_hire
from web.services.person_form import PersonForm, new_person
from web.services.personal_data import audit_view
from web.services.referrals import record_hire

NO_SUCH_GUEST = "This person is not on the list of this session."
OTHER_BIRTH_DATE = (
    "A person with this ID number is already registered with another date of birth: check "
    "the number and the date."
)
FIND_BOTH = "Give the full citizen ID (12 digits) and the date of birth."


class Step(StrEnum):
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRE = "hire"


_COLUMN = {
    Step.INTERVIEW: JobFairStep.interviewed_at,
    Step.OFFER: JobFairStep.offered_at,
    Step.HIRE: JobFairStep.hired_at,
}


def _on_the_day(fair: JobFair) -> None:
    if fair.cancelled_at is not None:
        raise ConflictError(None, "This session was cancelled.")
    if fair.held_on > today():
        raise ConflictError(None, "The day of this session has not come yet.")


def _guest(session: Session, fair_id: int, person_id: int) -> JobFairGuest:
    guest = guest_of(session, fair_id, person_id)
    if guest is None:
        raise NotFoundError(None, NO_SUCH_GUEST)
    return guest


def _stamp_attended(session: Session, guest: JobFairGuest) -> bool:
    result = session.execute(
        update(JobFairGuest)
        .where(col(JobFairGuest.id) == guest.id, col(JobFairGuest.attended_at).is_(None))
        .values(attended_at=utcnow())
    )
    return cast(CursorResult[Any], result).rowcount == 1


def attend(session: Session, *, principal: Principal, fair_id: int, person_id: int) -> bool:
    """Mark the guest as come; False when they already were (nothing changes)."""
    with unit_of_work(session):
        fair = staff_fair(session, principal, fair_id)
        _on_the_day(fair)
        guest = _guest(session, fair_id, person_id)
        done = _stamp_attended(session, guest)
        if done:
            _audit(session, principal, "attend", fair_id, person_id)
        return done


def _step_row(
    session: Session, principal: Principal, fair_id: int, person_id: int, vacancy_id: int
) -> JobFairStep:
    query = select(JobFairStep).where(
        col(JobFairStep.fair_id) == fair_id,
        col(JobFairStep.person_id) == person_id,
        col(JobFairStep.vacancy_id) == vacancy_id,
    )
    found = session.exec(query).first()
    if found is not None:
        return found
    step = JobFairStep(
        fair_id=fair_id,
        person_id=person_id,
        vacancy_id=vacancy_id,
        recorded_by_id=principal.user.id or 0,
    )
    session.add(step)
    session.flush()  # a click at the same moment on another phone: IntegrityError, see below
    return step


def _stamp(session: Session, step: JobFairStep, kind: Step) -> bool:
    column = _COLUMN[kind]
    result = session.execute(
        update(JobFairStep)
        .where(col(JobFairStep.id) == step.id, col(column).is_(None))
        .values({column: utcnow(), JobFairStep.updated_at: utcnow()})
    )
    return cast(CursorResult[Any], result).rowcount == 1


def record_step(
    session: Session,
    *,
    principal: Principal,
    fair_id: int,
    person_id: int,
    vacancy_id: int,
    step: str,
) -> bool:
    """Record an interview, an offer or a hire of a guest for a vacancy of the session (the
    guest is marked as come too). False when it was already recorded: nothing changes."""
    try:
        kind = Step(step)
    except ValueError:
        raise InvalidError("step", "Choose what to record.") from None
    try:
        return _record(session, principal, fair_id, person_id, vacancy_id, kind)
    except IntegrityError as error:
        raise _meanwhile() from error


def _record(
    session: Session,
    principal: Principal,
    fair_id: int,
    person_id: int,
    vacancy_id: int,
    kind: Step,
) -> bool:
    with unit_of_work(session):
        fair = staff_fair(session, principal, fair_id)
        _on_the_day(fair)
        guest = _guest(session, fair_id, person_id)
        registration = registered(session, fair_id, vacancy_id)
        if registration is None:
            raise NotFoundError("vacancy_id", "This vacancy is not offered at this session.")
        _stamp_attended(session, guest)
        row = _step_row(session, principal, fair_id, person_id, vacancy_id)
        if kind == Step.HIRE:
            if row.hired_at is not None:
                return False
            spell = record_hire(
                session,
                principal=principal,
                vacancy=get_vacancy(session, vacancy_id),
                person_id=person_id,
            )
            if not _stamp(session, row, kind):
                # Another click hired them meanwhile: this one's hire is rolled back.
                raise ConflictError(None, "This hire is already recorded.")
            row.employment_spell_id = spell.id
            enter_hire(session, principal=principal, fair=fair, spell=spell)
        elif not _stamp(session, row, kind):
            return False
        _audit(session, principal, str(kind), fair_id, person_id, vacancy_id=vacancy_id)
        return True


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    fair_id: int,
    person_id: int,
    **details: Any,
) -> None:
    audit.record(
        session,
        user_id=principal.user.id,
        action=action,
        entity="job_fair",
        entity_id=fair_id,
        person_id=person_id,
        **details,
    )


def _identity(citizen_id: str, birth_date: str) -> tuple[str, Any]:
    number = people_queries.compact_citizen_id(citizen_id or "")
    if len(number) != people_queries.CITIZEN_ID_LENGTH or not number.isdigit():
        raise InvalidError("citizen_id", FIND_BOTH)
    if not (birth_date or "").strip():
        raise InvalidError("birth_date", FIND_BOTH)
    return number, parse_date(birth_date, "birth_date")


def add_walk_in(
    session: Session, *, principal: Principal, fair_id: int, form: PersonForm
) -> JobFairGuest:
    """A person who came without an invitation: the registered person with exactly this
    citizen ID and birth date, or (when none is and the rest of the form is filled in) a
    new one. Added once: a second click finds them on the list."""
    try:
        return _add_walk_in(session, principal, fair_id, form)
    except IntegrityError as error:
        raise _meanwhile() from error


def _add_walk_in(
    session: Session, principal: Principal, fair_id: int, form: PersonForm
) -> JobFairGuest:
    with unit_of_work(session):
        fair = staff_fair(session, principal, fair_id)
        _on_the_day(fair)
        number, born = _identity(form.citizen_id, form.birth_date)
        person = people_queries.find_registered(session, number, born)
        if person is None:
            if not form.full_name.strip():
                raise InvalidError(
                    "citizen_id",
                    "Nobody is registered with this citizen ID and date of birth: fill in the "
                    "rest of the form to register them.",
                )
            if people_queries.find_by_citizen_id(session, number) is not None:
                raise InvalidError("birth_date", OTHER_BIRTH_DATE)
            person = _register(session, form)
        assert person.id is not None
        audit_view(session, principal, "job_fair_walk_in", entity_id=fair_id, person_id=person.id)
        guest = guest_of(session, fair_id, person.id)
        if guest is None:
            guest = JobFairGuest(
                fair_id=fair_id,
                person_id=person.id,
                invited=False,
                commune_code=person.commune_code,
                attended_at=utcnow(),
            )
            session.add(guest)
            session.flush()
            _audit(session, principal, "walk_in", fair_id, person.id)
        else:
            _stamp_attended(session, guest)
        return guest


def _register(session: Session, form: PersonForm) -> Person:
    person = new_person(session, form)
    session.add(person)
    session.flush()
    return person


def _meanwhile() -> ConflictError:
    return ConflictError(None, "This was recorded meanwhile on another device: reload the page.")
