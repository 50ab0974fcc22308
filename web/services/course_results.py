"""The results of a whole course entered in one table: status, result, graduation date and
certificate of every trainee, saved all together or not at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import CertificateKind, EnrolmentStatus
from models.errors import InvalidError
from models.queries import courses as course_queries
from models.rows import get_or_404
from models.tables import (
    Course,
    Enrolment,
    Institution,
)
from models.validation import (
    ErrorCollector,
    check_graduation_date,
    clean_text,
    max_length,
    parse_date,
)
from web.auth import Principal
from web.permissions import (
    require_institution,
)
from web.services.courses import CoursePageData, open_course

DEFAULT_CERTIFICATE = {
    "duoi_3_thang": CertificateKind.TRAINING_CERTIFICATE,
    "so_cap": CertificateKind.ELEMENTARY_CERTIFICATE,
    "trung_cap": CertificateKind.INTERMEDIATE_DIPLOMA,
    "cao_dang": CertificateKind.COLLEGE_DIPLOMA,
}


RESULTS = ("dat", "khong_dat")


FINISHED = {EnrolmentStatus.COMPLETED.value, EnrolmentStatus.GRADUATED.value}
CERTIFICATE_NUMBER_MAX = max_length(Enrolment, "certificate_number")  # the column's limit


def default_certificate(level_code: str) -> str:
    """The credential a level leads to (a completion certificate for levels added later)."""
    return DEFAULT_CERTIFICATE.get(level_code, CertificateKind.COMPLETION_CERTIFICATE).value


def result_field(enrolment_id: int, name: str) -> str:
    """The input name of one cell of the results table, also the key of its errors."""
    return f"row-{enrolment_id}-{name}"


@dataclass
class ResultInput:
    """One row of the results table as typed."""

    enrolment_id: int
    status: str = ""
    result: str = ""
    graduated_on: str = ""
    certificate_kind: str = ""
    certificate_number: str = ""


def _row_values(
    row: ResultInput, course: Course, enrolment: Enrolment, errors: ErrorCollector
) -> dict[str, Any]:
    """The enrolment's new values; a bad cell is added to `errors` under its input name."""

    def bad(name: str, msgid: str, **params: Any) -> None:
        errors.add(InvalidError(result_field(row.enrolment_id, name), msgid, **params))

    status, result = row.status, clean_text(row.result) or None
    number = clean_text(row.certificate_number) or None
    graduated = status == EnrolmentStatus.GRADUATED
    if status not in {each.value for each in EnrolmentStatus}:
        bad("status", "Choose a status.")
    if result is not None and result not in RESULTS:
        bad("result", "Choose a result.")
    elif result is not None and status not in FINISHED:
        bad("result", "Only a trainee who finished the course has a result.")
    elif graduated and result == "khong_dat":
        bad("result", "A graduate must have passed.")
    when = _graduation_date(row, course, enrolment, graduated, bad)
    kind = row.certificate_kind or default_certificate(course.level_code)
    if graduated and kind not in {each.value for each in CertificateKind}:
        bad("certificate_kind", "Choose a kind of certificate.")
    if graduated and number is None:
        bad("certificate_number", "A graduate needs a certificate number.")
    elif not graduated and number is not None:
        bad("certificate_number", "Only a graduate has a certificate number.")
    elif number is not None and len(number) > CERTIFICATE_NUMBER_MAX:
        bad("certificate_number", "At most {max} characters.", max=CERTIFICATE_NUMBER_MAX)
    return {
        "status": status,
        "result": "dat" if graduated else result,
        "graduated_on": when,
        "certificate_kind": kind if graduated else None,
        "certificate_number": number,
    }


def _graduation_date(
    row: ResultInput,
    course: Course,
    enrolment: Enrolment,
    graduated: bool,
    bad: Callable[..., None],
) -> date | None:
    text = clean_text(row.graduated_on)
    if not graduated:
        if text:
            bad("graduated_on", "Only a graduate has a graduation date.")
        return None
    if not text:
        bad("graduated_on", "A graduate needs a graduation date.")
        return None
    try:
        when = check_graduation_date(
            parse_date(text, "graduated_on"),
            start=course.start_date,
            end=course.end_date,
            enrolled_on=enrolment.enrolled_on,
        )
    except InvalidError as error:
        bad("graduated_on", error.msgid, **error.params)
        return None
    if when > today():
        bad("graduated_on", "The graduation date {date} is in the future.", date=when)
    return when


def _certificate_clashes(
    session: Session, course: Course, planned: dict[int, dict[str, Any]], errors: ErrorCollector
) -> None:
    """A certificate number is given once per institution: not twice in the table, not to a
    trainee of another course."""
    by_number: dict[str, list[int]] = {}
    for enrolment_id, values in planned.items():
        if values["certificate_number"]:
            by_number.setdefault(values["certificate_number"], []).append(enrolment_id)
    taken = course_queries.certificate_numbers_taken(
        session, course.institution_id, set(by_number), except_enrolments=set(planned)
    )
    for number, enrolment_ids in by_number.items():
        if len(enrolment_ids) > 1 or number in taken:
            for enrolment_id in enrolment_ids:
                errors.add(
                    InvalidError(
                        result_field(enrolment_id, "certificate_number"),
                        "The certificate number {number} is already used at this institution.",
                        number=number,
                    )
                )


def record_results(
    session: Session, *, principal: Principal, course_id: int, rows: list[ResultInput]
) -> int:
    """Save the results of a whole course in one transaction, or nothing at all when any
    cell is wrong (ValidationErrors naming each cell). Returns how many rows changed."""
    with unit_of_work(session):
        course = get_or_404(session, Course, course_id, "There is no such course.")
        require_institution(principal, course.institution_id, "There is no such course.")
        # Held until commit, so two courses of one institution cannot hand out the same number
        # at the same moment (PostgreSQL; SQLite transactions begin IMMEDIATE).
        session.exec(
            select(Institution)
            .where(col(Institution.id) == course.institution_id)
            .with_for_update()
        ).one()
        enrolments = {
            enrolment.id: enrolment
            for enrolment in session.exec(
                select(Enrolment).where(col(Enrolment.course_id) == course_id)
            )
        }
        errors = ErrorCollector()
        planned: dict[int, dict[str, Any]] = {}
        for row in rows:
            if row.enrolment_id not in enrolments:
                errors.add(
                    InvalidError(None, "The table no longer matches the course: reload the page.")
                )
                continue
            planned[row.enrolment_id] = _row_values(
                row, course, enrolments[row.enrolment_id], errors
            )
        _certificate_clashes(session, course, planned, errors)
        errors.raise_if_any()
        changed = 0
        for enrolment_id, values in planned.items():
            changed += _apply(session, principal, enrolments[enrolment_id], values)
        return changed


def _apply(
    session: Session, principal: Principal, enrolment: Enrolment, values: dict[str, Any]
) -> int:
    fields = sorted(name for name, value in values.items() if getattr(enrolment, name) != value)
    if not fields:
        return 0
    for name in fields:
        setattr(enrolment, name, values[name])
    session.add(enrolment)
    audit.record(
        session,
        user_id=principal.user.id,
        action="update",
        entity="enrolment",
        entity_id=enrolment.id,
        person_id=enrolment.person_id,
        fields=fields,
    )
    return 1


def results_sheet(session: Session, *, principal: Principal, course_id: int) -> CoursePageData:
    """The course and its trainees for the results table (audited like the course page)."""
    return open_course(session, principal=principal, course_id=course_id)
