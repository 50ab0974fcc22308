"""Employers bring their own open vacancies to a session and take them back before the day."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import Role
from models.errors import ConflictError, InvalidError, NotFoundError
from models.queries.fairs import registered
from models.queries.vacancies import get_vacancy
from models.tables import JobFair, JobFairMatch, JobFairVacancy, Vacancy
from models.vacancy_open import is_open
from web.auth import Principal
from web.permissions import require_employer
from web.services.fairs.access import NO_SUCH_FAIR, fair_for

NO_SUCH_VACANCY = "This vacancy does not exist."


def _own_vacancy(session: Session, principal: Principal, vacancy_id: int) -> Vacancy:
    if principal.role != Role.EMPLOYER:
        raise NotFoundError(None, NO_SUCH_VACANCY)
    vacancy = get_vacancy(session, vacancy_id)
    require_employer(principal, vacancy.employer_id, NO_SUCH_VACANCY)
    return vacancy


def _before_the_day(fair: JobFair) -> None:
    if fair.cancelled_at is not None:
        raise ConflictError(None, "This session was cancelled.")
    if fair.held_on < today():
        raise ConflictError(None, "This session has already taken place.")


def _chosen(text: str) -> int:
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12 or int(value) < 1:
        raise InvalidError("vacancy_id", "Choose from the list.")
    return int(value)


def register_vacancy(
    session: Session, *, principal: Principal, fair_id: int, vacancy: str
) -> JobFairVacancy:
    """Bring one of the employer's open vacancies (its id as the form sent it) to the
    session; twice: the same registration."""
    if principal.role != Role.EMPLOYER:
        raise NotFoundError(None, NO_SUCH_FAIR)
    fair_for(session, principal, fair_id)
    vacancy_id = _chosen(vacancy)
    try:
        with unit_of_work(session):
            fair = fair_for(session, principal, fair_id)
            own = _own_vacancy(session, principal, vacancy_id)
            _before_the_day(fair)
            found = registered(session, fair_id, vacancy_id)
            if found is not None:
                return found
            if not is_open(own.status, own.deadline, today()):
                raise ConflictError("vacancy_id", "Only an open vacancy can be brought.")
            registration = JobFairVacancy(
                fair_id=fair_id,
                vacancy_id=vacancy_id,
                employer_id=own.employer_id,
                registered_by_id=principal.user.id or 0,
            )
            session.add(registration)
            session.flush()
            _audit(session, principal, "register", registration)
            return registration
    except IntegrityError:
        session.rollback()
        found = registered(session, fair_id, vacancy_id)
        if found is None:
            raise
        return found


def withdraw_vacancy(
    session: Session, *, principal: Principal, fair_id: int, vacancy_id: int
) -> None:
    """Take the vacancy back before the day, with the invitations made for it."""
    with unit_of_work(session):
        fair = fair_for(session, principal, fair_id)
        _own_vacancy(session, principal, vacancy_id)
        found = registered(session, fair_id, vacancy_id)
        if found is None:
            raise NotFoundError(None, NO_SUCH_FAIR)
        if fair.held_on <= today():
            raise ConflictError(None, "A vacancy can be withdrawn only before the day.")
        session.exec(
            delete(JobFairMatch).where(
                col(JobFairMatch.fair_id) == fair_id, col(JobFairMatch.vacancy_id) == vacancy_id
            )
        )
        _audit(session, principal, "withdraw", found)
        session.delete(found)


def _audit(
    session: Session, principal: Principal, action: str, registration: JobFairVacancy
) -> None:
    audit.record(
        session,
        user_id=principal.user.id,
        action=action,
        entity="job_fair_vacancy",
        entity_id=registration.id,
        fair_id=registration.fair_id,
        vacancy_id=registration.vacancy_id,
    )
