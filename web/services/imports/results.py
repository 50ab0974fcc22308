"""Checking and writing the graduation results of one course.

A row names a trainee of the course by ID number, or by full name and date of birth (typed
with or without diacritics); it gives the result, the status (derived from the result when
blank), the graduation date and the credential. Each enrolment and each certificate number
may appear once; a number the institution already gave someone else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from matching.text import search_key
from models.clock import today as clock_today
from models.enums import EnrolmentStatus
from models.errors import InvalidError
from models.excel import CellValue, SheetRow
from models.excel.columns import CERTIFICATE_NUMBER
from models.excel.values import (
    CERTIFICATE_BY_LEVEL,
    parse_certificate_kind,
    parse_result,
    parse_status,
)
from models.queries.course_rosters import (
    EnrolledPerson,
    certificate_numbers_in_use,
    course_enrolments,
)
from models.tables import Course, Enrolment
from models.validation import (
    ErrorCollector,
    check_graduation_date,
    parse_date,
    validate_citizen_id,
)
from web.services.imports import store
from web.services.imports.rows import (
    ROW_WIDE,
    Progress,
    RowChecks,
    cell_text,
    citizen_id_text,
    issue,
)

STUDYING = EnrolmentStatus.STUDYING.value
GRADUATED = EnrolmentStatus.GRADUATED.value
COMPLETED = EnrolmentStatus.COMPLETED.value
NO_RESULT_STATUSES = (EnrolmentStatus.STUDYING.value, EnrolmentStatus.DROPPED.value)


@dataclass
class ResultRecord:
    """A valid row: the enrolment and the values to store on it."""

    row: int
    enrolment_id: int
    values: dict[str, Any]


@dataclass
class ResultChecks(RowChecks):
    records: list[ResultRecord] = field(default_factory=list)


@dataclass
class Roster:
    """The course's enrolments by ID number and by (name key, date of birth)."""

    by_id: dict[str, EnrolledPerson]
    by_name: dict[tuple[str, date], list[EnrolledPerson]]

    @classmethod
    def of(cls, enrolled: list[EnrolledPerson]) -> Roster:
        by_name: dict[tuple[str, date], list[EnrolledPerson]] = {}
        for each in enrolled:
            by_name.setdefault((each.name_key, each.birth_date), []).append(each)
        return cls({e.citizen_id: e for e in enrolled if e.citizen_id}, by_name)


def find_trainee(values: dict[str, CellValue], roster: Roster) -> EnrolledPerson:
    number = citizen_id_text(values["citizen_id"])
    if number:
        number = validate_citizen_id(number, field="citizen_id")
        if number not in roster.by_id:
            raise InvalidError("citizen_id", "No trainee of this course has this ID number.")
        return roster.by_id[number]
    name, born = cell_text(values["full_name"]), values["birth_date"]
    if not name or cell_text(born) == "":
        raise InvalidError(
            "citizen_id", "Give the ID number, or the full name and the date of birth."
        )
    birth_date = parse_date(born, "birth_date")
    found = roster.by_name.get((search_key(name), birth_date), [])
    if not found:
        raise InvalidError(
            "full_name", "No trainee of this course has this name and date of birth."
        )
    if len(found) > 1:
        raise InvalidError(
            "full_name",
            "Several trainees of this course have this name and date of birth: give the ID number.",
        )
    return found[0]


def _status(result: str | None, status: str | None) -> str:
    if status is None:
        if result is None:
            raise InvalidError(
                "result", "Write the result (Đạt or Không đạt), or the status Đang học or Bỏ học."
            )
        return GRADUATED if result == "dat" else COMPLETED
    if status == GRADUATED and result != "dat":
        raise InvalidError("status", "Only a trainee whose result is Đạt can be Tốt nghiệp.")
    if status in NO_RESULT_STATUSES and result is not None:
        raise InvalidError(
            "result", "A trainee still studying or who dropped out has no result: leave it empty."
        )
    return status


def _status_given(
    status: str | None, result: str | None, enrolment: EnrolledPerson | None
) -> str | None:
    """The status the row asks for. A trainee export says Đang học of a trainee still
    studying when it was made: a result written beside that unchanged status is the news,
    and the status follows from it."""
    unchanged = enrolment is not None and enrolment.status == status == STUDYING
    return None if unchanged and result is not None else status


OTHER_COURSE = "This row is of the course {code}, not of the course chosen ({chosen})."


def _other_course(row: SheetRow, course: Course, checks: ResultChecks) -> bool:
    """A row of another course (a trainee export of the whole institution): refused on its
    row, since the trainee is looked up in the course chosen."""
    code = cell_text(row.values.get("course_code"))
    if not code or search_key(code) == search_key(course.code):
        return False
    checks.errors.append(issue(row.number, ROW_WIDE, OTHER_COURSE, code=code, chosen=course.code))
    return True


def _graduation(
    values: dict[str, CellValue],
    status: str,
    course: Course,
    enrolment: EnrolledPerson | None,
    today: date,
) -> date | None:
    raw = values["graduated_on"]
    if status != GRADUATED:
        if cell_text(raw) or cell_text(values["certificate_number"]):
            field_name = "graduated_on" if cell_text(raw) else "certificate_number"
            raise InvalidError(
                field_name,
                "Only graduates have a graduation date and a certificate number: leave them "
                "empty or set the status to Tốt nghiệp.",
            )
        return None
    if cell_text(raw) == "":
        raise InvalidError("graduated_on", "The graduation date of a graduate is required.")
    graduated_on = check_graduation_date(
        parse_date(raw, "graduated_on"),
        start=course.start_date,
        end=course.end_date,
        enrolled_on=enrolment.enrolled_on if enrolment else None,
    )
    if graduated_on > today:
        raise InvalidError(
            "graduated_on", "The graduation date {date} is in the future.", date=graduated_on
        )
    return graduated_on


def _certificate_number(value: CellValue) -> str | None:
    return CERTIFICATE_NUMBER.check_length(cell_text(value)) or None


def _parse_row(
    row: SheetRow, course: Course, roster: Roster, today: date, checks: ResultChecks
) -> None:
    if _other_course(row, course, checks):
        return
    values = row.values
    errors = ErrorCollector()
    enrolment = errors.check(find_trainee, values, roster)
    result = errors.check(parse_result, values["result"], "result")
    status_given = errors.check(parse_status, values["status"], "status")
    status_given = _status_given(status_given, result, enrolment)
    kind = errors.check(parse_certificate_kind, values["certificate_kind"], "certificate_kind")
    number = errors.check(_certificate_number, values["certificate_number"])
    status = None
    if not errors.has_error("result") and not errors.has_error("status"):
        status = errors.check(_status, result, status_given)
    graduated_on = None
    if status is not None:
        graduated_on = errors.check(_graduation, values, status, course, enrolment, today)
    for error in errors.errors:
        checks.add_error(row.number, error)
    if errors.errors or enrolment is None or status is None:
        return
    graduate = status == GRADUATED
    stored = {
        "status": status,
        "result": result,
        "graduated_on": graduated_on,
        "certificate_kind": (kind or CERTIFICATE_BY_LEVEL.get(course.level_code))
        if graduate
        else None,
        "certificate_number": number if graduate else None,
    }
    checks.records.append(ResultRecord(row.number, enrolment.enrolment_id, stored))


TRAINEE_TWICE = "This trainee is also on row {row}."
NUMBER_TWICE = "This certificate number is also on row {row}."
NUMBER_USED = "The institution already gave the certificate number {number} to another trainee."


def _cross_check(session: Session, course: Course, checks: ResultChecks) -> None:
    first_row: dict[int, int] = {}
    first_number: dict[str, int] = {}
    in_file = {r.enrolment_id for r in checks.records}
    numbers = [r.values["certificate_number"] for r in checks.records]
    used = certificate_numbers_in_use(
        session, course.institution_id, [n for n in numbers if n], besides=in_file
    )
    kept = []
    for record in checks.records:
        number = record.values["certificate_number"]
        if record.enrolment_id in first_row:
            row = first_row[record.enrolment_id]
            checks.errors.append(issue(record.row, "citizen_id", TRAINEE_TWICE, row=row))
        elif number and number in first_number:
            row = first_number[number]
            checks.errors.append(issue(record.row, "certificate_number", NUMBER_TWICE, row=row))
        elif number and number in used:
            checks.errors.append(
                issue(record.row, "certificate_number", NUMBER_USED, number=number)
            )
        else:
            kept.append(record)
        first_row.setdefault(record.enrolment_id, record.row)
        if number:
            first_number.setdefault(number, record.row)
    checks.records = kept
    for record in kept:
        checks.notes[record.row] = "updated"


def check_results(
    session: Session,
    course: Course,
    rows: list[SheetRow],
    _prepared: object = None,
    *,
    progress: Progress | None = None,
) -> ResultChecks:
    """Every error of the file; the valid rows as the values to store on each enrolment."""
    roster = Roster.of(course_enrolments(session, course.id or 0))
    today = clock_today()
    checks = ResultChecks()
    for index, row in enumerate(rows, 1):
        _parse_row(row, course, roster, today, checks)
        if progress and index % 500 == 0:
            progress(index, len(rows))
    _cross_check(session, course, checks)
    checks.errors.sort(key=lambda each: each.row)
    return checks


RESULT_FIELDS = ("status", "result", "graduated_on", "certificate_kind", "certificate_number")


def write_results(
    session: Session,
    course: Course,
    checks: ResultChecks,
    *,
    progress: Progress | None = None,
    import_id: int | None = None,
) -> dict[str, int]:
    """Update every enrolment in one bulk UPDATE by primary key (the caller commits). The
    values overwritten are kept with the import, so that it can be undone."""
    changes = [{"id": r.enrolment_id, **r.values} for r in checks.records]
    if import_id is not None:
        store.save_part(session, import_id, store.UNDO, _previous(session, changes))
    if changes:
        session.execute(update(Enrolment), changes)
    if progress:
        progress(len(changes), len(changes))
    graduated = sum(r.values["status"] == GRADUATED for r in checks.records)
    return {"results": len(changes), "graduates": graduated}


def _previous(session: Session, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored values of the enrolments about to change, as JSON-ready rows."""
    ids = [change["id"] for change in changes]
    columns = [col(Enrolment.id), *(col(getattr(Enrolment, name)) for name in RESULT_FIELDS)]
    rows = session.execute(select(*columns).where(col(Enrolment.id).in_(ids))).all()
    return [
        {
            "id": row[0],
            **{name: _json(value) for name, value in zip(RESULT_FIELDS, row[1:], strict=True)},
        }
        for row in rows
    ]


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
