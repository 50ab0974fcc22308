"""The steps of a referral: refer, record an interview, hire, reject, withdraw; one function per
use case, one commit each.

A hire claims one of the vacancy's places with a conditional UPDATE (models.placement) in the
same transaction as the referral and the employment spell, so a vacancy is never filled
beyond its quantity, whoever clicks at the same moment. The person's row is locked first, so
one person is not hired into two jobs at once either. Nothing is committed before the end of
a use case: when one fails, the session's owner discards what it holds (the request's session
closes, which rolls back), so a failure leaves nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import (
    EmploymentKind,
    EmploymentSource,
    LocationKind,
    NewJobChannel,
    ReferralStatus,
    VacancyStatus,
)
from models.errors import AppError, ConflictError, ForbiddenError, InvalidError, NotFoundError
from models.placement import claim_place
from models.queries.candidates import (
    Training,
    active_referral,
    employed_elsewhere,
    latest_trainings,
    related_to_vacancy,
)
from models.queries.vacancies import get_vacancy
from models.ranking import score_of
from models.tables import Employer, EmploymentSpell, Person, Referral, Vacancy
from models.vacancy_open import is_open
from web.auth import Actor, Principal
from web.permissions import Permission, require, require_employer
from web.services.referral_messages import tell_referred

REASON_MAX = 500
IN_PROGRESS = (ReferralStatus.PROPOSED, ReferralStatus.REFERRED, ReferralStatus.INTERVIEW)


def vacancy_for(
    session: Session, principal: Actor, vacancy_id: int, permission: Permission
) -> Vacancy:
    """The vacancy, if this user may do `permission` on it (employers: their own only)."""
    require(principal, permission)
    vacancy = get_vacancy(session, vacancy_id)
    require_employer(principal, vacancy.employer_id, "This vacancy does not exist.")
    return vacancy


def _person(
    session: Session, principal: Principal, vacancy: Vacancy, person_id: int, *, lock: bool
) -> Person:
    """The person (row-locked on PostgreSQL when `lock`), if they may meet employers. Only
    people related to the vacancy (ranked for it, referred to it, or trained for its
    employer's orders) are referred or hired, whoever does it: anyone else is answered
    exactly like a person who does not exist, so ids cannot be tried in turn."""
    query = select(Person).where(col(Person.id) == person_id)
    if lock:
        query = query.with_for_update()
    person = session.exec(query).first()
    if person is None or not related_to_vacancy(session, vacancy, person_id):
        raise NotFoundError("person", "This person does not exist.")
    # Referring or hiring shows the person to the employer, whoever does it.
    if not person.consent_to_employers:
        raise ForbiddenError("person", "This person has not agreed to be shown to employers.")
    return person


def _refuse_if_employed(session: Session, person_id: int, vacancy_id: int) -> None:
    if person_id in employed_elsewhere(session, [person_id], vacancy_id):
        raise ConflictError(
            "person", "This person has meanwhile been employed elsewhere and cannot be taken here."
        )


def _suggested_score(session: Session, vacancy_id: int, person_id: int) -> float | None:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        return None
    return score_of(session, vacancy, person_id, on=today())


@dataclass(frozen=True)
class Scored:
    """The engine's score of a person for a vacancy, computed before the unit of work."""

    value: float | None


def _score_first(
    session: Session, principal: Principal, vacancy_id: int, person_id: int, permission: Permission
) -> Scored | None:
    """The score a new referral records, computed in the request's read, before its unit of
    work: scoring runs the matching engine, which must not hold SQLite's write lock or the
    vacancy's row lock meanwhile. None when the person has a referral in progress (none is
    made) or the vacancy is not the caller's (the unit of work answers that)."""
    try:
        vacancy = vacancy_for(session, principal, vacancy_id, permission)
    except AppError:
        return None
    if active_referral(session, vacancy_id, person_id) is not None:
        return None
    return Scored(score_of(session, vacancy, person_id, on=today()))


def refer(session: Session, *, principal: Principal, vacancy_id: int, person_id: int) -> Referral:
    """Propose a graduate to the employer. A second referral while the first is in progress
    (a double click) is refused by the partial unique index, and said so."""
    scored = _score_first(session, principal, vacancy_id, person_id, Permission.REFER_CANDIDATES)
    with unit_of_work(session):
        vacancy = vacancy_for(session, principal, vacancy_id, Permission.REFER_CANDIDATES)
        if not is_open(vacancy.status, vacancy.deadline, today()):
            raise ConflictError(
                "vacancy", "This vacancy is not open: nobody can be referred to it."
            )
        person = _person(session, principal, vacancy, person_id, lock=False)
        _refuse_if_employed(session, person_id, vacancy_id)
        if active_referral(session, vacancy_id, person_id) is not None:
            raise _already_referred()
        referral = _new_referral(
            session, principal, vacancy_id, person_id, ReferralStatus.REFERRED, scored
        )
        audit_referral(session, principal, referral, "create")
        tell_referred(session, principal, person, vacancy)
        return referral


def _already_referred() -> ConflictError:
    return ConflictError("person", "This person has already been referred to this vacancy.")


def _new_referral(
    session: Session,
    principal: Principal,
    vacancy_id: int,
    person_id: int,
    status: ReferralStatus,
    scored: Scored | None = None,
) -> Referral:
    """A referral made now by this user, scored as the matching engine suggested it (`scored`
    when computed before the unit of work, else now)."""
    referral = Referral(
        person_id=person_id,
        vacancy_id=vacancy_id,
        status=status,
        score=scored.value if scored else _suggested_score(session, vacancy_id, person_id),
        created_by_id=principal.user.id,
    )
    session.add(referral)
    try:
        session.flush()
    except IntegrityError as error:
        raise _already_referred() from error
    return referral


def audit_referral(
    session: Session, principal: Principal, referral: Referral, action: str, **details: object
) -> None:
    audit.record(
        session,
        user_id=principal.user.id,
        action=action,
        entity="referral",
        entity_id=referral.id,
        person_id=referral.person_id,
        vacancy_id=referral.vacancy_id,
        status=str(referral.status),
        **details,
    )


def move_referral(
    session: Session,
    vacancy_id: int,
    person_id: int,
    to: ReferralStatus,
    *,
    allowed_from: tuple[ReferralStatus, ...] = IN_PROGRESS,
    reason: str = "",
) -> Referral:
    """Move the person's active referral to `to` with a conditional UPDATE: a referral that
    moved on meanwhile (another user, another tab) is not overwritten."""
    referral = active_referral(session, vacancy_id, person_id)
    if referral is None:
        raise NotFoundError("person", "This person has not been referred to this vacancy.")
    result = session.execute(
        update(Referral)
        .where(col(Referral.id) == referral.id)
        .where(col(Referral.status).in_([status.value for status in allowed_from]))
        .values(status=to.value, reason=reason, updated_at=utcnow())
    )
    if getattr(result, "rowcount", 0) != 1:
        if referral.status == ReferralStatus.HIRED:
            raise ConflictError("person", "This person is already hired for this vacancy.")
        raise ConflictError(
            "person", "This referral has changed since the page was shown: reload the page."
        )
    session.refresh(referral)
    return referral


def record_interview(
    session: Session, *, principal: Principal, vacancy_id: int, person_id: int
) -> Referral:
    with unit_of_work(session):
        vacancy_for(session, principal, vacancy_id, Permission.HIRE)
        referral = move_referral(
            session,
            vacancy_id,
            person_id,
            ReferralStatus.INTERVIEW,
            allowed_from=(ReferralStatus.PROPOSED, ReferralStatus.REFERRED),
        )
        audit_referral(session, principal, referral, "update")
        return referral


def _reason(text: str, *, required: bool, msgid: str) -> str:
    reason = " ".join((text or "").split())
    if required and not reason:
        raise InvalidError("reason", msgid)
    if len(reason) > REASON_MAX:
        raise InvalidError(
            "reason", "The reason is too long: at most {limit} characters.", limit=REASON_MAX
        )
    return reason


def reject(
    session: Session, *, principal: Principal, vacancy_id: int, person_id: int, reason: str
) -> Referral:
    """The employer turns a candidate down; the reason is required."""
    ending = (ReferralStatus.REJECTED, Permission.HIRE, "Give the reason for the rejection.")
    return _end(session, principal, vacancy_id, person_id, ending, reason, required=True)


def withdraw(
    session: Session, *, principal: Principal, vacancy_id: int, person_id: int, reason: str = ""
) -> Referral:
    """The referral is called off (the candidate declined, or was referred by mistake)."""
    ending = (ReferralStatus.WITHDRAWN, Permission.REFER_CANDIDATES, "Give the reason.")
    return _end(session, principal, vacancy_id, person_id, ending, reason, required=False)


def _end(
    session: Session,
    principal: Principal,
    vacancy_id: int,
    person_id: int,
    ending: tuple[ReferralStatus, Permission, str],
    reason: str,
    *,
    required: bool,
) -> Referral:
    """The referral ends (rejected or withdrawn) for a reason: `ending` is the status, the
    permission it takes and the message when a required reason is missing."""
    status, permission, msgid = ending
    with unit_of_work(session):
        vacancy_for(session, principal, vacancy_id, permission)
        text = _reason(reason, required=required, msgid=msgid)
        referral = move_referral(session, vacancy_id, person_id, status, reason=text)
        audit_referral(session, principal, referral, "update")
        return referral


def hire(
    session: Session, *, principal: Principal, vacancy_id: int, person_id: int
) -> EmploymentSpell:
    """Hire a candidate: the referral (made now if there was none) becomes hired, one place
    is claimed, and the job is recorded as an employment spell, all in one transaction."""
    scored = _score_first(session, principal, vacancy_id, person_id, Permission.HIRE)
    with unit_of_work(session):
        vacancy = vacancy_for(session, principal, vacancy_id, Permission.HIRE)
        return record_hire(
            session, principal=principal, vacancy=vacancy, person_id=person_id, scored=scored
        )


def record_hire(
    session: Session,
    *,
    principal: Principal,
    vacancy: Vacancy,
    person_id: int,
    scored: Scored | None = None,
) -> EmploymentSpell:
    """The hire itself, inside the caller's unit of work once the caller has checked who may
    hire for `vacancy` (the employer here, the centre's staff at a job fair): the person's
    relation and consent, a job taken elsewhere, the referral, one place, the spell."""
    assert vacancy.id is not None
    if vacancy.status == VacancyStatus.OPEN and not is_open(
        vacancy.status, vacancy.deadline, today()
    ):
        raise ConflictError(
            "vacancy", "The deadline of this vacancy has passed: nobody can be hired."
        )
    _person(session, principal, vacancy, person_id, lock=True)
    _refuse_if_employed(session, person_id, vacancy.id)
    referral = _hired_referral(session, principal, vacancy.id, person_id, scored)
    claim_place(session, vacancy.id, on=today())
    spell = _spell(session, vacancy, referral)
    audit_referral(session, principal, referral, "hire", employment_spell_id=spell.id)
    return spell


def _hired_referral(
    session: Session, principal: Principal, vacancy_id: int, person_id: int, scored: Scored | None
) -> Referral:
    if active_referral(session, vacancy_id, person_id) is not None:
        return move_referral(session, vacancy_id, person_id, ReferralStatus.HIRED)
    return _new_referral(session, principal, vacancy_id, person_id, ReferralStatus.HIRED, scored)


_CHANNEL: dict[str, NewJobChannel] = {
    LocationKind.ABROAD: NewJobChannel.ABROAD,
    LocationKind.OTHER_PROVINCE: NewJobChannel.OUTSIDE_PROVINCE,
}


def _spell(session: Session, vacancy: Vacancy, referral: Referral) -> EmploymentSpell:
    """The job as the province counts it: channel and kind from where the work is, the
    enrolment it follows, and whether it is the occupation the person trained in."""
    training = latest_trainings(session, [referral.person_id]).get(referral.person_id)
    employer = session.get(Employer, vacancy.employer_id)
    abroad = vacancy.location_kind == LocationKind.ABROAD
    start = max(today(), vacancy.start_date) if vacancy.start_date else today()
    spell = EmploymentSpell(
        person_id=referral.person_id,
        employer_id=vacancy.employer_id,
        vacancy_id=vacancy.id,
        referral_id=referral.id,
        enrolment_id=training.enrolment_id if training else None,
        start_date=start,
        kind=EmploymentKind.ABROAD if abroad else EmploymentKind.WAGE,
        channel=_CHANNEL.get(vacancy.location_kind, NewJobChannel.INSIDE_PROVINCE),
        occupation_id=vacancy.occupation_id,
        in_trained_occupation=_in_trained_occupation(training, vacancy),
        sector_code=employer.sector_code if employer else None,
        wage=vacancy.wage_min,
        source=EmploymentSource.PLATFORM,
        location_kind=vacancy.location_kind,
        commune_code=vacancy.commune_code,
        province_code=vacancy.province_code,
        country_code=vacancy.country_code,
    )
    session.add(spell)
    session.flush()
    return spell


def _in_trained_occupation(training: Training | None, vacancy: Vacancy) -> bool | None:
    if training is None or vacancy.occupation_id is None:
        return None  # unknown: no graduation on record, or a job outside the catalogue
    return training.occupation_id == vacancy.occupation_id
