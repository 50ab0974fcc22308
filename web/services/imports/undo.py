"""Undoing a written import, by its owner, within a day and only while nothing depends on
what it wrote: the people and enrolments a trainee file created, the follow-ups a follow-up
file created, the results a results file stored (put back as they were). All or nothing,
and audited; the import is then shown as undone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session, col

from models import audit
from models.clock import utcnow
from models.db import unit_of_work
from models.errors import ConflictError
from models.tables import (
    AuditEntry,
    DataRequest,
    EmploymentSpell,
    Enrolment,
    ExcelImport,
    FollowUp,
    NewJobLine,
    Person,
    PersonChange,
    Referral,
    VacancySuggestion,
)
from web.auth import Principal
from web.services.imports import own_import, store
from web.services.imports.kinds import FOLLOW_UPS, GRADUATES, RESULTS, TRAINEES
from web.services.imports.store import ImportState, Status

TOO_LATE = "An import can be undone only within a day of it: correct the records one by one."
NOT_WRITTEN = "Only a written import can be undone."
IN_USE = "This import cannot be undone: {what} depend on its rows. Nothing was changed."

# What may depend on an import's rows, as msgids (joined into IN_USE by the page).
RESULTS_MSG = "results"
FOLLOW_UPS_MSG = "follow-ups"
REFERRALS_MSG = "referrals"
HIRES_MSG = "hires"
REGISTER_MSG = "new-jobs register lines"
OTHER_COURSES_MSG = "enrolments in other courses"
CORRECTIONS_MSG = "corrections of the records"
REQUESTS_MSG = "data requests"


class ImportInUse(ConflictError):
    """Rows depend on what the import wrote; `dependents` holds their msgids."""

    def __init__(self, dependents: list[str]) -> None:
        super().__init__(None, IN_USE, what=", ".join(dependents))
        self.dependents = dependents


def _any(session: Session, query: Any) -> bool:
    return bool(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def _ids(session: Session, column: Any, import_id: int) -> list[int]:
    table = column.class_
    return list(session.execute(select(col(table.id)).where(column == import_id)).scalars())


def _person_dependents(session: Session, people: list[int], enrolments: list[int]) -> list[str]:
    found: list[str] = []
    if not people:
        return found
    checks = [
        (
            OTHER_COURSES_MSG,
            select(col(Enrolment.id)).where(
                col(Enrolment.person_id).in_(people), col(Enrolment.id).not_in(enrolments)
            ),
        ),
        (REFERRALS_MSG, select(col(Referral.id)).where(col(Referral.person_id).in_(people))),
        (
            HIRES_MSG,
            select(col(EmploymentSpell.id)).where(col(EmploymentSpell.person_id).in_(people)),
        ),
        (REGISTER_MSG, select(col(NewJobLine.id)).where(col(NewJobLine.person_id).in_(people))),
        (
            CORRECTIONS_MSG,
            select(col(PersonChange.id)).where(col(PersonChange.person_id).in_(people)),
        ),
        (REQUESTS_MSG, select(col(DataRequest.id)).where(col(DataRequest.person_id).in_(people))),
    ]
    return [msgid for msgid, query in checks if _any(session, query)]


def _enrolment_dependents(
    session: Session, enrolments: list[int], since: datetime | None
) -> list[str]:
    found: list[str] = []
    if not enrolments:
        return found
    follow_ups = select(col(FollowUp.id)).where(col(FollowUp.enrolment_id).in_(enrolments))
    if since is not None:
        follow_ups = follow_ups.where(col(FollowUp.created_at) >= since)
    if _any(session, follow_ups):
        found.append(FOLLOW_UPS_MSG)
    spells = select(col(EmploymentSpell.id)).where(
        col(EmploymentSpell.enrolment_id).in_(enrolments)
    )
    if _any(session, spells):
        found.append(HIRES_MSG)
    return found


def _undo_trainees(session: Session, import_id: int, *, graded: bool = False) -> dict[str, Any]:
    """`graded`: the import wrote the results too (graduates from an exchange file), so
    results on its enrolments are its own, not rows that depend on it."""
    enrolments = _ids(session, col(Enrolment.import_id), import_id)
    people = _ids(session, col(Person.import_id), import_id)
    graded_rows = select(col(Enrolment.id)).where(
        col(Enrolment.id).in_(enrolments),
        or_(col(Enrolment.result).is_not(None), col(Enrolment.graduated_on).is_not(None)),
    )
    dependents = [RESULTS_MSG] if enrolments and not graded and _any(session, graded_rows) else []
    dependents += _enrolment_dependents(session, enrolments, None)
    dependents += [
        d for d in _person_dependents(session, people, enrolments) if d not in dependents
    ]
    if dependents:
        raise ImportInUse(dependents)
    if enrolments:
        session.execute(delete(Enrolment).where(col(Enrolment.id).in_(enrolments)))
    if people:
        session.execute(
            delete(VacancySuggestion).where(col(VacancySuggestion.person_id).in_(people))
        )
        # The audit trail keeps the undo's own entry naming the people; views of them no
        # longer point at a row that is gone.
        session.execute(
            update(AuditEntry).where(col(AuditEntry.person_id).in_(people)).values(person_id=None)
        )
        session.execute(delete(Person).where(col(Person.id).in_(people)))
    return {"enrolments_deleted": len(enrolments), "people_deleted": people}


def _undo_follow_ups(session: Session, import_id: int) -> dict[str, Any]:
    rows = _ids(session, col(FollowUp.import_id), import_id)
    linked = select(col(FollowUp.id)).where(
        col(FollowUp.id).in_(rows), col(FollowUp.employment_spell_id).is_not(None)
    )
    if rows and _any(session, linked):
        raise ImportInUse([HIRES_MSG])
    if rows:
        session.execute(delete(FollowUp).where(col(FollowUp.id).in_(rows)))
    return {"follow_ups_deleted": len(rows)}


def _undo_results(session: Session, state: ImportState) -> dict[str, Any]:
    previous = store.load_part(session, state.id, store.UNDO) or []
    enrolments = [row["id"] for row in previous]
    dependents = _enrolment_dependents(session, enrolments, state.created_at)
    if dependents:
        raise ImportInUse(dependents)
    restored = [
        {
            **row,
            "graduated_on": date.fromisoformat(row["graduated_on"])
            if row["graduated_on"]
            else None,
        }
        for row in previous
    ]
    if restored:
        session.execute(update(Enrolment), restored)
    store.drop_parts(session, state.id, store.UNDO)
    return {"results_restored": len(restored)}


def undo_import(session: Session, *, principal: Principal, token: str) -> ImportState:
    """Undo the user's own written import, or raise: too late, not written, or rows that
    depend on it (ImportInUse, nothing changed). A second click finds it undone already."""
    state = own_import(session, principal, token)
    if state.status == Status.UNDONE:
        return state
    if state.status != Status.DONE:
        raise ConflictError(None, NOT_WRITTEN)
    if not state.can_undo():
        raise ConflictError(None, TOO_LATE)
    with unit_of_work(session):
        # Claimed once: the conditional update lets one of two clicks through.
        claimed = session.execute(
            update(ExcelImport)
            .where(col(ExcelImport.id) == state.id, col(ExcelImport.status) == Status.DONE)
            .values(status=Status.UNDONE, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            return state
        if state.kind == TRAINEES:
            details = _undo_trainees(session, state.id)
        elif state.kind == GRADUATES:
            details = _undo_trainees(session, state.id, graded=True)
        elif state.kind == FOLLOW_UPS:
            details = _undo_follow_ups(session, state.id)
        elif state.kind == RESULTS:
            details = _undo_results(session, state)
        else:  # pragma: no cover - every kind is handled above
            raise ConflictError(None, NOT_WRITTEN)
        audit.record(
            session,
            user_id=principal.user.id,
            action="undo_import",
            entity="course",
            entity_id=state.course_id,
            import_token=state.token,
            import_kind=state.kind,
            **details,
        )
    state.status = Status.UNDONE
    return state
