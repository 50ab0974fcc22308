"""Reads behind the exchange files: an institution's graduates with their credentials, and the
person lines of the new-jobs register in one period, as rows by exchange column name (stored
codes, not labels). Reads only.

A file is written while it is sent: first the people it holds and its row count are read
(cheap, for the audit entry written before the download starts), then its rows are fetched a
batch at a time as they are written, by the same filter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models.enums import EnrolmentStatus
from models.queries.register import ReportScope
from models.tables import (
    Course,
    EmploymentSpell,
    Enrolment,
    NewJobLine,
    NewJobReport,
    Person,
    TrainingOccupation,
)

STREAM_BATCH = 500  # rows fetched from the database at a time while a file is written
SELF_EMPLOYED = "Tự tạo việc làm"  # the sheet's word for a self-employed line (excel.new_jobs)


@dataclass(frozen=True)
class ExchangeHeld:
    """What a file will hold, for its audit entry: its row count and the people in it."""

    rows: int
    person_ids: list[int]


def _held(session: Session, query: Any) -> ExchangeHeld:
    """`query` selects (a row's id, its person's id), one result per row of the file."""
    found = session.execute(query).all()
    return ExchangeHeld(len(found), sorted({person_id or 0 for _row, person_id in found}))


def _person(person: Person) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "ethnicity": person.ethnicity_code,
        "citizen_id": person.citizen_id,
    }


@dataclass(frozen=True)
class GraduateFilter:
    """The graduates of an institution's courses (or of one), perhaps of one year."""

    institution_id: int
    course_id: int | None = None
    year: int | None = None


def _binary(session: Session, column: Any) -> Any:
    """`column` compared code point by code point, as Python compares text (the "C"
    collation on PostgreSQL; SQLite's own is already binary)."""
    if session.get_bind().dialect.name == "postgresql":
        return col(column).collate("C")
    return col(column)


def _graduates(wanted: GraduateFilter, *columns: Any) -> Any:
    query = (
        select(*columns)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .where(
            col(Course.institution_id) == wanted.institution_id,
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
        )
    )
    if wanted.course_id is not None:
        query = query.where(col(Course.id) == wanted.course_id)
    if wanted.year is not None:
        query = query.where(
            col(Enrolment.graduated_on) >= date(wanted.year, 1, 1),
            col(Enrolment.graduated_on) <= date(wanted.year, 12, 31),
        )
    return query


def graduates_held(session: Session, wanted: GraduateFilter) -> ExchangeHeld:
    """How many graduates :func:`each_graduate` gives, and who they are."""
    return _held(session, _graduates(wanted, col(Enrolment.id), col(Person.id)))


def each_graduate(session: Session, wanted: GraduateFilter) -> Iterator[dict[str, Any]]:
    """The graduates by course code, then in Vietnamese name order, fetched a batch at a
    time as they are iterated."""
    query = (
        _graduates(wanted, Enrolment, Person, Course, TrainingOccupation.key)
        .order_by(_binary(session, Course.code), col(Person.sort_key), col(Enrolment.id))
        .execution_options(yield_per=STREAM_BATCH)
    )
    for enrolment, person, course, occupation in session.exec(query):
        yield {
            "course_code": course.code,
            "occupation": occupation,
            "level_code": course.level_code,
            **_person(person),
            "phone": person.phone,
            "commune": person.commune_code,
            "village": person.village,
            "household": person.household_status,
            "disability": person.has_disability,
            "consent": person.consent_to_employers,
            "enrolled_on": enrolment.enrolled_on,
            "support_amount": enrolment.support_amount or None,
            "status": enrolment.status,
            "result": enrolment.result,
            "graduated_on": enrolment.graduated_on,
            "certificate_kind": enrolment.certificate_kind,
            "certificate_number": enrolment.certificate_number,
        }


@dataclass(frozen=True)
class NewJobFilter:
    """The lines of the reports in scope whose job started in [start, end]."""

    scope: ReportScope
    start: date
    end: date


def _new_job_lines(wanted: NewJobFilter, *columns: Any) -> Any:
    scope = wanted.scope
    query = (
        select(*columns)
        .join(NewJobReport, col(NewJobReport.id) == col(NewJobLine.report_id))
        .join(Person, col(Person.id) == col(NewJobLine.person_id))
        .outerjoin(EmploymentSpell, col(EmploymentSpell.id) == col(NewJobLine.employment_spell_id))
        .where(
            col(NewJobReport.withdrawn_at).is_(None),
            col(NewJobLine.start_date) >= wanted.start,
            col(NewJobLine.start_date) <= wanted.end,
        )
    )
    if scope.source is not None:
        query = query.where(col(NewJobReport.source) == scope.source)
    if scope.commune_code is not None:
        query = query.where(col(NewJobReport.commune_code) == scope.commune_code)
    if scope.employer_id is not None:
        query = query.where(col(NewJobReport.employer_id) == scope.employer_id)
    return query


def new_job_lines_held(session: Session, wanted: NewJobFilter) -> ExchangeHeld:
    """How many lines :func:`each_new_job_line` gives, and who they are."""
    return _held(session, _new_job_lines(wanted, col(NewJobLine.id), col(Person.id)))


def each_new_job_line(session: Session, wanted: NewJobFilter) -> Iterator[dict[str, Any]]:
    """The person lines of the reports in scope (withdrawn ones left out) in the order they
    were reported, fetched a batch at a time as they are iterated."""
    query = (
        _new_job_lines(wanted, NewJobLine, Person, EmploymentSpell)
        .order_by(col(NewJobLine.report_id), col(NewJobLine.row_number), col(NewJobLine.id))
        .execution_options(yield_per=STREAM_BATCH)
    )
    for line, person, spell in session.exec(query):
        yield {
            **_person(person),
            "full_name": line.full_name,
            "commune": person.commune_code,
            "job": line.job_title,
            "sector": spell.sector_code if spell else None,
            "employer": SELF_EMPLOYED if line.self_employed else line.employer_name,
            "channel": line.channel,
            "place": spell.location_kind if spell else None,
            "province": spell.province_code if spell else None,
            "country": spell.country_code if spell else None,
            "programme": spell.abroad_programme if spell else None,
            "sending_company": line.sending_company,
            "start_date": line.start_date,
            "contract": line.contract_type,
            "wage": spell.wage if spell else None,
        }
