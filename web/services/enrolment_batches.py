"""Enrolments and graduation results pushed by an institution's own student-management system,
a batch at a time (the API: web/api/enrolments.py).

A batch is checked by the Excel import's own rules (web/services/imports/trainees.py and
results.py): a registered person is found by the full citizen ID and the birth date only,
reused and never duplicated; the same person twice, a person already in the course, support
paid twice and the course's places are refused on their row. Any error in any row and
nothing is written; each error names its row's index. A valid batch is written with bulk
statements in one transaction, the course row held meanwhile (two batches into one course
take turns, so its places count once), with one audit entry.

Rows are numbered from 0, as the batch's items are, so that "also on row 3" means
`/items/3`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from models import audit
from models.enums import CourseStatus
from models.errors import AppError, BatchRefused, ConflictError, NotFoundError, RowError
from models.excel import CellValue, Column, SheetRow
from models.excel.columns import RESULT_READ_COLUMNS, TRAINEE_COLUMNS
from models.tables import Course, Enrolment
from web.auth import Actor
from web.permissions import require_institution
from web.services.imports.results import check_results, write_results
from web.services.imports.rows import RowChecks, RowIssue
from web.services.imports.trainees import check_trainees, load_reference, write_trainees

BATCH_MAX = 500
NO_SUCH_COURSE = "There is no such course."
CANCELLED = "This course was cancelled: no one can be enrolled."
NOTHING_INTO_CANCELLED = "This course was cancelled: nothing can be imported into it."


@dataclass(frozen=True)
class BatchItem:
    """What became of one item of a written batch."""

    index: int
    enrolment_id: int
    note: str  # new | existing (a person registered before) | updated (a result)


@dataclass(frozen=True)
class BatchOutcome:
    """A batch written: its items, the counts, and the warnings of rows written anyway."""

    course_id: int
    items: list[BatchItem]
    summary: dict[str, int]
    warnings: list[RowIssue] = field(default_factory=list)


def _rows(items: Sequence[Mapping[str, CellValue]], columns: tuple[Column, ...]) -> list[SheetRow]:
    """The items as the import's rows: every column of its layout, blank when not given."""
    blank = dict.fromkeys(column.key for column in columns)
    return [SheetRow(index, blank | dict(values)) for index, values in enumerate(items)]


def _pointer(issue: RowIssue) -> str:
    return f"/items/{issue.row}/{issue.column}" if issue.column else f"/items/{issue.row}"


def _refuse(checks: RowChecks) -> None:
    """Every row issue as an error at its item: nothing was written."""
    if checks.errors:
        errors: list[AppError] = [
            RowError(_pointer(each), each.column or None, each.msgid, **each.params)
            for each in checks.errors
        ]
        raise BatchRefused(errors, rows=len(checks.rows_with_errors()))


def _held_course(session: Session, principal: Actor, course_id: int) -> Course:
    """The course, if the caller acts for its institution (another one's is missing), held
    until the batch's transaction ends."""
    query = select(Course).where(col(Course.id) == course_id).with_for_update()
    course = session.exec(query).first()
    if course is None:
        raise NotFoundError(None, NO_SUCH_COURSE)
    require_institution(principal, course.institution_id, NO_SUCH_COURSE)
    return course


def _audit(session: Session, principal: Actor, course: Course, action: str, **details: Any) -> None:
    if principal.api_token_id is not None:
        details["api_token_id"] = principal.api_token_id
    audit.record(
        session,
        user_id=principal.user_id,
        action=action,
        entity="course",
        entity_id=course.id,
        **details,
    )


def enrol_batch(
    session: Session,
    *,
    principal: Actor,
    course_id: int,
    items: Sequence[Mapping[str, CellValue]],
) -> BatchOutcome:
    """Enrol every person of the batch into the course, or nobody. Runs inside the caller's
    unit of work (the API's idempotency key is written in the same transaction)."""
    reference = load_reference(session)
    course = _held_course(session, principal, course_id)
    if course.status == CourseStatus.CANCELLED.value:
        raise ConflictError("course", CANCELLED)
    checks = check_trainees(session, course, _rows(items, TRAINEE_COLUMNS), reference)
    _refuse(checks)
    summary = write_trainees(session, course, checks)
    person_ids = {record.person_id for record in checks.records}
    found = session.exec(
        select(Enrolment.id, Enrolment.person_id).where(
            col(Enrolment.course_id) == course.id, col(Enrolment.person_id).in_(person_ids)
        )
    ).all()
    enrolment_of = {person_id: int(enrolment_id or 0) for enrolment_id, person_id in found}
    written = [
        BatchItem(record.row, enrolment_of[record.person_id or 0], checks.notes[record.row])
        for record in checks.records
    ]
    _audit(
        session,
        principal,
        course,
        "enrol",
        rows=len(items),
        person_ids=sorted(each for each in person_ids if each is not None),
        **summary,
    )
    return BatchOutcome(course.id or 0, written, summary, checks.warnings)


def record_results(
    session: Session,
    *,
    principal: Actor,
    course_id: int,
    items: Sequence[Mapping[str, CellValue]],
) -> BatchOutcome:
    """Record the result, status, graduation and certificate of every trainee the batch
    names (by citizen ID, or by full name and birth date), or of none."""
    course = _held_course(session, principal, course_id)
    if course.status == CourseStatus.CANCELLED.value:
        raise ConflictError("course", NOTHING_INTO_CANCELLED)
    checks = check_results(session, course, _rows(items, RESULT_READ_COLUMNS))
    _refuse(checks)
    summary = write_results(session, course, checks)
    written = [
        BatchItem(record.row, record.enrolment_id, checks.notes[record.row])
        for record in checks.records
    ]
    enrolment_ids = sorted(record.enrolment_id for record in checks.records)
    _audit(session, principal, course, "record_results", enrolment_ids=enrolment_ids, **summary)
    return BatchOutcome(course.id or 0, written, summary, checks.warnings)
