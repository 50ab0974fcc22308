"""Taking back a mistake in a course: an enrolment made in error, or a course registered in
error while nobody is in it. Refused, with what depends on it, once results, follow-ups or
jobs hang on the enrolment; each removal is audited with what was removed."""

from __future__ import annotations

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from models import audit
from models.db import unit_of_work
from models.errors import ConflictError, NotFoundError
from models.rows import get_or_404
from models.tables import Course, EmploymentSpell, Enrolment, FollowUp
from web.auth import Principal
from web.services.courses import institution_course

NO_ENROLMENT = "There is no such enrolment."
ENROLMENT_IN_USE = (
    "This enrolment cannot be removed: {what} depend on it. Correct or remove them first."
)
COURSE_IN_USE = (
    "This course cannot be deleted: {count} people are enrolled in it. Remove their "
    "enrolments first."
)


def _count(session: Session, column: object, value: int) -> int:
    return session.exec(select(func.count()).where(column == value)).one()


def enrolment_dependents(session: Session, enrolment: Enrolment) -> list[str]:
    """What hangs on an enrolment, as msgids of the kinds of records ("a result", ...)."""
    found = []
    if enrolment.result is not None or enrolment.graduated_on is not None:
        found.append("a result")
    if _count(session, col(FollowUp.enrolment_id), enrolment.id or 0):
        found.append("follow-ups")
    if _count(session, col(EmploymentSpell.enrolment_id), enrolment.id or 0):
        found.append("jobs")
    return found


def remove_enrolment(
    session: Session, *, principal: Principal, course_id: int, enrolment_id: int
) -> list[str]:
    """Delete an enrolment of a course the user's institution runs, or raise ConflictError
    naming what depends on it (`params["what"]` holds the msgids, joined by the caller)."""
    with unit_of_work(session):
        course = institution_course(session, principal=principal, course_id=course_id)
        enrolment = session.get(Enrolment, enrolment_id)
        if enrolment is None or enrolment.course_id != course.id:
            raise NotFoundError(None, NO_ENROLMENT)
        dependents = enrolment_dependents(session, enrolment)
        if dependents:
            return dependents
        session.exec(delete(Enrolment).where(col(Enrolment.id) == enrolment_id))
        audit.record(
            session,
            user_id=principal.user.id,
            action="delete",
            entity="enrolment",
            entity_id=enrolment_id,
            person_id=enrolment.person_id,
            course_id=course_id,
        )
        return []


def delete_course(session: Session, *, principal: Principal, course_id: int) -> None:
    """Delete a course nobody is enrolled in; otherwise ConflictError saying how many are."""
    with unit_of_work(session):
        course = institution_course(session, principal=principal, course_id=course_id)
        locked = get_or_404(session, Course, course.id, "There is no such course.", lock=True)
        enrolled = _count(session, col(Enrolment.course_id), course_id)
        if enrolled:
            raise ConflictError(None, COURSE_IN_USE, count=enrolled)
        audit.record(
            session,
            user_id=principal.user.id,
            action="delete",
            entity="course",
            entity_id=course_id,
            code=locked.code,
            institution_id=locked.institution_id,
        )
        session.delete(locked)
