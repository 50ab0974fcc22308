"""Checking and writing a sheet of trainees enrolled into one course.

Every row is checked on its own (name, dates, ID number against date of birth and sex, ethnic
group, commune, phone, yes/no columns), then against the other rows (the same ID twice) and
the database (the ID held by someone born on another day, a person already in the course,
the course's places). A person already registered under the ID is reused, never duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from models.clock import today as clock_today
from models.clock import utcnow
from models.enums import EnrolmentStatus
from models.excel import SheetRow
from models.excel.values import parse_household, parse_sex, parse_yes_no
from models.learner_support import (
    SUPPORT_TWICE,
    parse_support_amount,
    people_supported,
    support_policy,
)
from models.people import name_fields
from models.queries.admin_units import CommuneIndex, commune_index
from models.queries.course_rosters import (
    EthnicGroups,
    course_enrolments,
    ethnic_groups,
    people_by_citizen_id,
    zones_on,
)
from models.tables import Course, Enrolment, Person
from models.validation import ErrorCollector, validate_full_name
from web.services.imports import trainee_fields as fields
from web.services.imports.rows import (
    ROW_WIDE,
    Progress,
    RowChecks,
    issue,
    warning_issue,
)

DROPPED = EnrolmentStatus.DROPPED.value


@dataclass
class TraineeReference:
    """Lists loaded once per file."""

    communes: CommuneIndex
    groups: EthnicGroups
    zones: dict[str, str]
    today: date


def load_reference(session: Session) -> TraineeReference:
    today = clock_today()
    return TraineeReference(
        communes=commune_index(session),
        groups=ethnic_groups(session),
        zones=zones_on(session, today),
        today=today,
    )


@dataclass
class TraineeRecord:
    """A valid row: the person as it would be stored, and the enrolment date."""

    row: int
    person: dict[str, Any]
    enrolled_on: date
    support_amount: int = 0
    person_id: int | None = None  # an existing person with the same ID number


@dataclass
class TraineeChecks(RowChecks):
    records: list[TraineeRecord] = field(default_factory=list)


def _parse_row(row: SheetRow, course: Course, ref: TraineeReference, checks: TraineeChecks) -> None:
    values = row.values
    errors = ErrorCollector()
    name = errors.check(validate_full_name, values["full_name"], "full_name")
    birth = errors.check(fields.birth_date, values["birth_date"], ref.today)
    sex = errors.check(parse_sex, values["sex"], "sex")
    identity = errors.check(fields.identity, values["citizen_id"], birth, sex, ref.today)
    ethnicity = errors.check(fields.ethnicity_code, values["ethnicity"], ref.groups)
    commune = errors.check(fields.commune_code, values["commune"], ref.communes)
    phone = errors.check(fields.optional_phone, values["phone"])
    village = errors.check(fields.village, values["village"])
    household = errors.check(parse_household, values["household"], "household")
    disability = errors.check(parse_yes_no, values["disability"], "disability")
    consent = errors.check(parse_yes_no, values["consent"], "consent")
    enrolled_on = errors.check(fields.enrolled_on, values["enrolled_on"], course)
    support = errors.check(parse_support_amount, values.get("support_amount"))
    for error in errors.errors:
        checks.add_error(row.number, error)
    if identity is not None:
        checks.warnings += [warning_issue(row.number, w) for w in identity.warnings]
    if errors.errors:
        return
    assert name and birth and sex and identity and ethnicity and commune and enrolled_on
    now = utcnow()
    person = {
        **name_fields(name),
        "birth_date": birth,
        "sex": sex,
        "ethnicity_code": ethnicity,
        "commune_code": commune,
        "village": village or "",
        "phone": phone,
        "citizen_id": identity.value,
        "household_status": household,
        "has_disability": bool(disability),
        "consent_to_employers": bool(consent),
        "consent_at": now if consent else None,
        "is_ethnic_minority": ref.groups.minority.get(ethnicity, True),
        "in_zone_iii": ref.zones.get(commune) == "III",
        "created_at": now,
        "updated_at": now,
    }
    checks.records.append(TraineeRecord(row.number, person, enrolled_on, support or 0))


ALSO_ON_ROW = "This ID number is also on row {row}."
ALREADY_ENROLLED = "This person is already enrolled in this course."
COURSE_FULL = (
    "The course is full: it has {capacity} places and {left} are free; this row is beyond them."
)


def _cross_check(session: Session, course: Course, checks: TraineeChecks) -> None:
    """Against the other rows and the database; drops the records that fail. Rows in error
    still count against the course's places: once fixed, they would take one."""
    first_row: dict[str, int] = {}
    placeless: set[int] = set()  # duplicates and people already in the course
    known = people_by_citizen_id(session, [r.person["citizen_id"] for r in checks.records])
    enrolled = course_enrolments(session, course.id or 0)
    in_course = {each.person_id for each in enrolled}
    kept: list[TraineeRecord] = []
    for record in checks.records:
        number = record.person["citizen_id"]
        person = known.get(number)
        if number in first_row:
            checks.errors.append(
                issue(record.row, "citizen_id", ALSO_ON_ROW, row=first_row[number])
            )
            placeless.add(record.row)
        elif person is not None and person.birth_date != record.person["birth_date"]:
            checks.errors.append(issue(record.row, "birth_date", OTHER_BIRTH_DATE))
        elif person is not None and person.id in in_course:
            checks.errors.append(issue(record.row, "citizen_id", ALREADY_ENROLLED))
            placeless.add(record.row)
        else:
            record.person_id = person.id if person else None
            kept.append(record)
        first_row.setdefault(number, record.row)
    checks.records = kept
    _support_once(session, course, checks)
    places_left = course.capacity - sum(each.status != DROPPED for each in enrolled)
    _check_capacity(course, max(places_left, 0), checks, placeless)
    for record in checks.records:
        checks.notes[record.row] = "existing" if record.person_id else "new"


def _support_once(session: Session, course: Course, checks: TraineeChecks) -> None:
    """A row paying support under QĐ 46 to someone who already had it is an error on its
    support cell (models.learner_support; the same ID twice in the file is refused above)."""
    paying = [
        record
        for record in checks.records
        if support_policy(course.funding_source, record.support_amount) is not None
    ]
    policy = support_policy(course.funding_source, 1)
    if not paying or policy is None:
        return
    known = [record.person_id for record in paying if record.person_id is not None]
    supported = people_supported(session, known, policy)
    refused = {record.row for record in paying if record.person_id in supported}
    for row in sorted(refused):
        checks.errors.append(issue(row, "support_amount", SUPPORT_TWICE))
    checks.records = [record for record in checks.records if record.row not in refused]


OTHER_BIRTH_DATE = (
    "A person with this ID number is already registered with another date of birth: check "
    "the number and the date."
)


def _check_capacity(
    course: Course, places_left: int, checks: TraineeChecks, placeless: set[int]
) -> None:
    """Rows past the course's free places, in file order, are errors."""
    wanting = sorted(({r.row for r in checks.records} | checks.rows_with_errors()) - placeless)
    over = set(wanting[places_left:])
    for row in sorted(over):
        checks.errors.append(
            issue(row, ROW_WIDE, COURSE_FULL, capacity=course.capacity, left=places_left)
        )
    checks.records = [r for r in checks.records if r.row not in over]


def check_trainees(
    session: Session,
    course: Course,
    rows: list[SheetRow],
    ref: TraineeReference,
    *,
    progress: Progress | None = None,
) -> TraineeChecks:
    """Every error of the file; the valid rows as records ready to write."""
    checks = TraineeChecks()
    for index, row in enumerate(rows, 1):
        _parse_row(row, course, ref, checks)
        if progress and index % 500 == 0:
            progress(index, len(rows))
    _cross_check(session, course, checks)
    checks.errors.sort(key=lambda each: each.row)
    return checks


WRITE_CHUNK = 1000


def write_trainees(
    session: Session,
    course: Course,
    checks: TraineeChecks,
    *,
    progress: Progress | None = None,
    import_id: int | None = None,
) -> dict[str, int]:
    """Insert the new people, then every enrolment, in bulk chunks (the caller commits);
    both carry the import's id."""
    new = [r for r in checks.records if r.person_id is None]
    for record in new:
        record.person["import_id"] = import_id
    total = len(new) + len(checks.records)
    # A plain executemany, then the ids read back by ID number: an INSERT ... RETURNING of
    # many rows runs one statement per row through the ORM (about 30 times slower here).
    people = Person.__table__  # type: ignore[attr-defined]
    for start in range(0, len(new), WRITE_CHUNK):
        chunk = new[start : start + WRITE_CHUNK]
        session.execute(insert(people), [r.person for r in chunk])
        ids = people_by_citizen_id(session, [r.person["citizen_id"] for r in chunk])
        for record in chunk:
            record.person_id = ids[record.person["citizen_id"]].id
        if progress:
            progress(start + len(chunk), total)
    now = utcnow()
    enrolments = [
        _enrolment(record, course, now) | {"import_id": import_id} for record in checks.records
    ]
    for start in range(0, len(enrolments), WRITE_CHUNK):
        session.execute(insert(Enrolment.__table__), enrolments[start : start + WRITE_CHUNK])  # type: ignore[attr-defined]
        if progress:
            progress(len(new) + min(start + WRITE_CHUNK, len(enrolments)), total)
    return {
        "people_created": len(new),
        "people_matched": len(checks.records) - len(new),
        "enrolments": len(enrolments),
    }


def _enrolment(record: TraineeRecord, course: Course, now: datetime) -> dict[str, Any]:
    return {
        "person_id": record.person_id,
        "course_id": course.id,
        "enrolled_on": record.enrolled_on,
        "status": EnrolmentStatus.STUDYING.value,
        "support_amount": record.support_amount,
        "support_policy": support_policy(course.funding_source, record.support_amount),
        "created_at": now,
    }
