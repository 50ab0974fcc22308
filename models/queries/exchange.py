"""Reads behind the exchange files: an institution's graduates with their credentials, and the
person lines of the new-jobs register in one period, as rows by exchange column name (stored
codes, not labels). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from matching.text import name_sort_key
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

SELF_EMPLOYED = "Tự tạo việc làm"  # the sheet's word for a self-employed line (excel.new_jobs)


@dataclass(frozen=True)
class ExchangeRows:
    """The rows of a file, and the people they hold (for the audit entry)."""

    rows: list[dict[str, Any]]
    person_ids: list[int]


def _person(person: Person) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "ethnicity": person.ethnicity_code,
        "citizen_id": person.citizen_id,
    }


def graduates(
    session: Session,
    *,
    institution_id: int,
    course_id: int | None = None,
    year: int | None = None,
) -> ExchangeRows:
    """The graduates of an institution's courses (or of one), by course code, then in
    Vietnamese name order; `year`: graduated that year."""
    query = (
        select(Enrolment, Person, Course, TrainingOccupation.key)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .where(
            col(Course.institution_id) == institution_id,
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
        )
    )
    if course_id is not None:
        query = query.where(col(Course.id) == course_id)
    if year is not None:
        query = query.where(
            col(Enrolment.graduated_on) >= date(year, 1, 1),
            col(Enrolment.graduated_on) <= date(year, 12, 31),
        )
    found = sorted(
        session.exec(query).all(),
        key=lambda r: (r[2].code, name_sort_key(r[1].full_name), r[0].id or 0),
    )
    rows = [
        {
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
        for enrolment, person, course, occupation in found
    ]
    return ExchangeRows(rows, sorted({person.id or 0 for _e, person, _c, _o in found}))


def new_job_lines(session: Session, scope: ReportScope, *, start: date, end: date) -> ExchangeRows:
    """The person lines of the reports in scope (withdrawn ones left out) whose job started in
    [start, end], in the order they were reported."""
    query = (
        select(NewJobLine, Person, EmploymentSpell)
        .join(NewJobReport, col(NewJobReport.id) == col(NewJobLine.report_id))
        .join(Person, col(Person.id) == col(NewJobLine.person_id))
        .outerjoin(EmploymentSpell, col(EmploymentSpell.id) == col(NewJobLine.employment_spell_id))
        .where(
            col(NewJobReport.withdrawn_at).is_(None),
            col(NewJobLine.start_date) >= start,
            col(NewJobLine.start_date) <= end,
        )
        .order_by(col(NewJobLine.report_id), col(NewJobLine.row_number), col(NewJobLine.id))
    )
    if scope.source is not None:
        query = query.where(col(NewJobReport.source) == scope.source)
    if scope.commune_code is not None:
        query = query.where(col(NewJobReport.commune_code) == scope.commune_code)
    if scope.employer_id is not None:
        query = query.where(col(NewJobReport.employer_id) == scope.employer_id)
    found = session.exec(query).all()
    rows = [
        {
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
        for line, person, spell in found
    ]
    return ExchangeRows(rows, sorted({person.id or 0 for _l, person, _s in found}))
