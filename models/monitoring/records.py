"""Rows into the plain records of ``matching.kpi``: one query per record type, each row joined
to its person, course and reference data (docs/kpi.md, "Input records").

Each loader takes the period it needs, so a year's figures read that year's rows only. Zones
are the commune's zone today (the province's decision for 2026–2030); the platform does not
keep the zone a commune had in earlier years.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, extract, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from matching.kpi import (
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    LabourForceRecord,
    OrderRecord,
    TargetRecord,
    VacancyRecord,
)
from models import tables
from models.clock import local_time

# SQLModel types a column as its Python value; the query builders here use the columns as SQL
# expressions, so the table classes are taken untyped.
CommuneZone: Any = tables.CommuneZone
Course: Any = tables.Course
EconomicSector: Any = tables.EconomicSector
EmploymentSpell: Any = tables.EmploymentSpell
Enrolment: Any = tables.Enrolment
FollowUp: Any = tables.FollowUp
LabourForceFigure: Any = tables.LabourForceFigure
Person: Any = tables.Person
Target: Any = tables.Target
TrainingOccupation: Any = tables.TrainingOccupation
TrainingOrder: Any = tables.TrainingOrder
Vacancy: Any = tables.Vacancy

CHUNK = 5000  # ids per IN (...) list: well under SQLite's and PostgreSQL's limits


def _person_columns() -> list[Any]:
    return [
        Person.sex,
        Person.ethnicity_code,
        Person.is_ethnic_minority,
        Person.household_status,
        Person.has_disability,
        Person.in_zone_iii,
        Person.in_difficult_village,
        Person.commune_code,
        CommuneZone.zone,
        extract("year", Person.birth_date).label("birth_year"),
    ]


def _current_zone() -> Any:
    return and_(CommuneZone.commune_code == Person.commune_code, CommuneZone.valid_to.is_(None))


def _enrolment_select() -> Any:
    return (
        select(
            *_person_columns(),
            Enrolment.person_id,
            Enrolment.id.label("enrolment_id"),
            Enrolment.course_id,
            Course.institution_id,
            TrainingOccupation.key.label("occupation_key"),
            Course.level_code.label("level"),
            Enrolment.enrolled_on.label("started_on"),
            Course.end_date.label("ended_on"),
            Enrolment.status,
            Enrolment.graduated_on,
            Enrolment.certificate_kind,
            Course.training_order_id,
        )
        .join(Person, Person.id == Enrolment.person_id)
        .join(Course, Course.id == Enrolment.course_id)
        .join(TrainingOccupation, TrainingOccupation.id == Course.occupation_id)
        .outerjoin(CommuneZone, _current_zone())
    )


def enrolments_in(session: Session, first: date, last: date) -> list[EnrolmentRecord]:
    """Enrolments that started, ended or graduated between ``first`` and ``last`` (K1, K7)."""
    query = _enrolment_select().where(
        or_(
            Enrolment.enrolled_on.between(first, last),
            Enrolment.graduated_on.between(first, last),
            Course.end_date.between(first, last),
        )
    )
    return [EnrolmentRecord(**row._mapping) for row in session.execute(query)]


def enrolments_of_orders(session: Session, order_ids: Iterable[int]) -> list[EnrolmentRecord]:
    """Every enrolment in a course that trains one of these orders (K9)."""
    return _in_chunks(
        session,
        _enrolment_select(),
        Course.training_order_id,
        order_ids,
        EnrolmentRecord,
    )


def _spell_select() -> Any:
    job = aliased(TrainingOccupation)
    trained = aliased(Enrolment)
    trained_course = aliased(Course)
    return (
        select(
            *_person_columns(),
            EmploymentSpell.person_id,
            EmploymentSpell.id.label("spell_id"),
            EmploymentSpell.start_date,
            EmploymentSpell.end_date,
            EmploymentSpell.kind,
            EmploymentSpell.channel,
            EmploymentSpell.is_new_job,
            EmploymentSpell.location_kind,
            EmploymentSpell.commune_code.label("work_commune_code"),
            EmploymentSpell.country_code,
            EmploymentSpell.abroad_programme,
            EmploymentSpell.employer_id,
            EmploymentSpell.vacancy_id,
            EmploymentSpell.referral_id,
            EmploymentSpell.enrolment_id,
            EmploymentSpell.in_trained_occupation,
            EconomicSector.sector_group,
            EmploymentSpell.wage,
            EmploymentSpell.source,
            job.key.label("occupation_key"),
            trained_course.level_code.label("level"),
            trained_course.institution_id,
        )
        .join(Person, Person.id == EmploymentSpell.person_id)
        .outerjoin(CommuneZone, _current_zone())
        .outerjoin(EconomicSector, EconomicSector.code == EmploymentSpell.sector_code)
        .outerjoin(job, job.id == EmploymentSpell.occupation_id)
        .outerjoin(trained, trained.id == EmploymentSpell.enrolment_id)
        .outerjoin(trained_course, trained_course.id == trained.course_id)
    )


def spells_starting(session: Session, first: date, last: date) -> list[EmploymentRecord]:
    """Employment spells that started between ``first`` and ``last`` (K2, K3, K6)."""
    query = _spell_select().where(EmploymentSpell.start_date.between(first, last))
    return [EmploymentRecord(**row._mapping) for row in session.execute(query)]


def spells_of_people(session: Session, person_ids: Iterable[int]) -> list[EmploymentRecord]:
    """Every spell of these people (hires that count as observations after training, K7, K9)."""
    return _in_chunks(
        session, _spell_select(), EmploymentSpell.person_id, person_ids, EmploymentRecord
    )


def follow_ups_of(session: Session, enrolment_ids: Iterable[int]) -> list[FollowUpRecord]:
    """The follow-up rows of these enrolments, with the enrolment's dimensions (K7)."""
    query = (
        select(
            *_person_columns(),
            FollowUp.id.label("follow_up_id"),
            FollowUp.enrolment_id,
            FollowUp.person_id,
            FollowUp.months_after,
            FollowUp.observed_on,
            FollowUp.status,
            FollowUp.in_trained_occupation,
            FollowUp.source,
            FollowUp.employment_spell_id,
            Enrolment.course_id,
            Course.institution_id,
            TrainingOccupation.key.label("occupation_key"),
            Course.level_code.label("level"),
            Enrolment.graduated_on,
            Course.training_order_id,
        )
        .join(Enrolment, Enrolment.id == FollowUp.enrolment_id)
        .join(Person, Person.id == FollowUp.person_id)
        .join(Course, Course.id == Enrolment.course_id)
        .join(TrainingOccupation, TrainingOccupation.id == Course.occupation_id)
        .outerjoin(CommuneZone, _current_zone())
    )
    return _in_chunks(session, query, FollowUp.enrolment_id, enrolment_ids, FollowUpRecord)


def orders_requested(session: Session, first: date, last: date) -> list[OrderRecord]:
    """Training orders requested between ``first`` and ``last`` (by the province's calendar)."""
    query = select(
        TrainingOrder.id,
        TrainingOrder.employer_id,
        TrainingOrder.institution_id,
        TrainingOccupation.key.label("occupation_key"),
        TrainingOrder.level_code.label("level"),
        TrainingOrder.quantity,
        TrainingOrder.hiring_commitment,
        TrainingOrder.unit_cost,
        TrainingOrder.status,
        TrainingOrder.requested_at,
        TrainingOrder.needed_by,
        TrainingOrder.location_kind,
        TrainingOrder.commune_code,
    ).join(TrainingOccupation, TrainingOccupation.id == TrainingOrder.occupation_id)
    query = query.where(_local_day_between(TrainingOrder.requested_at, first, last))
    records: list[Any] = []
    for row in session.execute(query):
        values = dict(row._mapping)
        values["requested_on"] = local_date(values.pop("requested_at"))
        records.append(OrderRecord(**values))
    return [r for r in records if first <= r.requested_on <= last]


def vacancies_posted(session: Session, first: date, last: date) -> list[VacancyRecord]:
    """Vacancies posted between ``first`` and ``last`` (by the province's calendar)."""
    query = (
        select(
            Vacancy.id,
            Vacancy.employer_id,
            TrainingOccupation.key.label("occupation_key"),
            Vacancy.location_kind,
            Vacancy.commune_code,
            Vacancy.quantity,
            Vacancy.filled,
            Vacancy.created_at,
            Vacancy.filled_at,
            Vacancy.status,
        )
        .outerjoin(TrainingOccupation, TrainingOccupation.id == Vacancy.occupation_id)
        .where(_local_day_between(Vacancy.created_at, first, last))
    )
    records: list[Any] = []
    for row in session.execute(query):
        values = dict(row._mapping)
        values["created_on"] = local_date(values.pop("created_at"))
        filled_at = values.pop("filled_at")
        values["filled_on"] = local_date(filled_at) if filled_at else None
        records.append(VacancyRecord(**values))
    return [r for r in records if first <= r.created_on <= last]


def labour_force_of(session: Session, year: int) -> list[LabourForceRecord]:
    """The labour-force figures imported for ``year``, every source."""
    query = select(LabourForceFigure).where(LabourForceFigure.year == year)
    rows = session.execute(query).scalars()
    return [LabourForceRecord(**row.model_dump(exclude={"imported_at"})) for row in rows]


def targets_of(session: Session, year: int) -> dict[str, TargetRecord]:
    """The year's targets by indicator."""
    query = select(Target).where(Target.year == year)
    return {
        row.indicator: TargetRecord(
            indicator=row.indicator,
            year=row.year,
            value_min=row.value_min,
            value_max=row.value_max,
            unit=row.unit,
        )
        for row in session.execute(query).scalars()
    }


def local_date(moment: datetime) -> date:
    """The province's calendar day of a stored timestamp."""
    return local_time(moment).date()


def _local_day_between(column: Any, first: date, last: date) -> ColumnElement[bool]:
    # A day wider on each side in UTC; the exact local day is checked in Python.
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=UTC)
    return and_(column >= start - timedelta(days=1), column <= end + timedelta(days=1))


def _in_chunks(
    session: Session, query: Any, column: Any, ids: Iterable[int], record_type: Any
) -> list[Any]:
    unique: Sequence[int] = sorted(set(ids))
    records: list[Any] = []
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        rows = session.execute(query.where(column.in_(chunk)))
        records.extend(record_type(**row._mapping) for row in rows)
    return records
