"""Checking and writing the follow-up outcomes of one course's graduates (an Excel import).

A row names a graduate of the course by ID number, or by full name and date of birth; it
gives the follow-up (3, 6 or 12 months after graduation) and its outcome, checked as on the
follow-up page (models/follow_up_values.py). Each graduate's follow-up may appear once in
the file; one already stored with the same outcome is left as it is, one stored with another
outcome stops the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert
from sqlmodel import Session

from matching.kpi import FOLLOW_UP_WINDOWS
from models.clock import today as clock_today
from models.clock import utcnow
from models.errors import InvalidError
from models.excel import CellValue, SheetRow
from models.follow_up_values import Outcome, OutcomeCells, check_outcome
from models.ids import whole_or_none
from models.queries.course_rosters import course_enrolments
from models.queries.follow_ups import GRADUATED, Graduation, graduations
from models.queries.follow_ups import recorded_follow_ups as stored_follow_ups
from models.tables import Course, FollowUp
from models.validation import ErrorCollector
from web.services.imports.results import Roster, find_trainee
from web.services.imports.rows import Progress, RowChecks, cell_text, issue

NOT_GRADUATED = "This trainee has not graduated from the course: there is no follow-up to record."
OTHER_COURSE = "This file is being imported into course {code}, not {given}."
FOLLOW_UP_TWICE = "This follow-up is also on row {row}."
ALREADY_DIFFERENT = (
    "A different follow-up at {months} months is already recorded for this graduate."
)


@dataclass
class FollowUpRecord:
    """A valid row: the follow-up to store."""

    row: int
    enrolment_id: int
    person_id: int
    months_after: int
    outcome: Outcome


@dataclass
class FollowUpChecks(RowChecks):
    records: list[FollowUpRecord] = field(default_factory=list)


def _months(value: CellValue) -> int:
    text = cell_text(value)
    if not text:
        raise InvalidError("months_after", "This field is required.")
    if whole_or_none(text) not in FOLLOW_UP_WINDOWS:
        raise InvalidError(
            "months_after", "Write 3, 6 or 12 (months after graduation), not “{value}”.", value=text
        )
    return int(text)


def _same_course(value: CellValue, course: Course) -> None:
    given = cell_text(value)
    if given and given.casefold() != course.code.casefold():
        raise InvalidError("course_code", OTHER_COURSE, code=course.code, given=given)


def _parse_row(
    row: SheetRow, course: Course, roster: Roster, found: dict[int, Graduation], today: date
) -> tuple[FollowUpRecord | None, ErrorCollector]:
    values = row.values
    errors = ErrorCollector()
    trainee = errors.check(find_trainee, values, roster)
    months = errors.check(_months, values["months_after"])
    errors.check(_same_course, values["course_code"], course)
    graduation = found.get(trainee.enrolment_id) if trainee else None
    graduated_on = graduation.graduated_on if graduation else None
    if graduation is not None and (graduation.status != GRADUATED or graduated_on is None):
        errors.add(InvalidError("citizen_id", NOT_GRADUATED))
        graduated_on = None
    cells = OutcomeCells(
        values["status"],
        values["in_trained_occupation"],
        values["income"],
        values["source"],
        values["observed_on"],
    )
    # Without a graduation the cells are still checked, so every error shows at once.
    outcome = check_outcome(
        cells, errors, field=str, graduated_on=graduated_on or date.min, today=today
    )
    if errors.errors or trainee is None or months is None or outcome is None:
        return None, errors
    return FollowUpRecord(
        row.number, trainee.enrolment_id, trainee.person_id, months, outcome
    ), errors


def _cross_check(session: Session, checks: FollowUpChecks) -> None:
    """Once per graduate and window in the file; against the database, the same outcome is
    left alone and another one refused."""
    keys = [(r.enrolment_id, r.months_after) for r in checks.records]
    stored = stored_follow_ups(session, keys)
    first_row: dict[tuple[int, int], int] = {}
    kept = []
    for record in checks.records:
        key = (record.enrolment_id, record.months_after)
        existing = stored.get(key)
        if key in first_row:
            checks.errors.append(
                issue(record.row, "months_after", FOLLOW_UP_TWICE, row=first_row[key])
            )
        elif existing is not None and not record.outcome.same_as(existing):
            months = record.months_after
            checks.errors.append(issue(record.row, "status", ALREADY_DIFFERENT, months=months))
        elif existing is not None:
            checks.notes[record.row] = "unchanged"
        else:
            checks.notes[record.row] = "follow_up"
            kept.append(record)
        first_row.setdefault(key, record.row)
    checks.records = kept


def check_follow_ups(
    session: Session,
    course: Course,
    rows: list[SheetRow],
    _prepared: object = None,
    *,
    progress: Progress | None = None,
) -> FollowUpChecks:
    """Every error of the file; the valid rows as the follow-ups to store."""
    enrolled = course_enrolments(session, course.id or 0)
    roster = Roster.of(enrolled)
    found = graduations(session, [each.enrolment_id for each in enrolled])
    today = clock_today()
    checks = FollowUpChecks()
    for index, row in enumerate(rows, 1):
        record, errors = _parse_row(row, course, roster, found, today)
        for error in errors.errors:
            checks.add_error(row.number, error)
        if record is not None:
            checks.records.append(record)
        if progress and index % 500 == 0:
            progress(index, len(rows))
    _cross_check(session, checks)
    checks.errors.sort(key=lambda each: each.row)
    return checks


def write_follow_ups(
    session: Session,
    course: Course,
    checks: FollowUpChecks,
    *,
    progress: Progress | None = None,
    user_id: int | None = None,
    import_id: int | None = None,
) -> dict[str, int]:
    """Insert every new follow-up in one statement, marked with the import (the caller
    commits)."""
    now = utcnow()
    new_rows = [
        {
            "enrolment_id": r.enrolment_id,
            "person_id": r.person_id,
            "months_after": r.months_after,
            "observed_on": r.outcome.observed_on,
            "status": r.outcome.status,
            "in_trained_occupation": r.outcome.in_trained_occupation,
            "income": r.outcome.income,
            "source": r.outcome.source,
            "recorded_by_id": user_id,
            "created_at": now,
            "import_id": import_id,
        }
        for r in checks.records
    ]
    if new_rows:
        session.execute(insert(FollowUp), new_rows)
    if progress:
        progress(len(new_rows), len(new_rows))
    unchanged = sum(note == "unchanged" for note in checks.notes.values())
    return {"follow_ups": len(new_rows), "unchanged": unchanged}
