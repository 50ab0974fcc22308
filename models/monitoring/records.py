"""Rows into the plain records of ``matching.kpi``: one query per record type, each row joined
to its person, course and reference data (docs/kpi.md, "Input records").

Each loader takes the period it needs, so a year's figures read that year's rows only. Zones
are the commune's zone today (the province's decision for 2026–2030); the platform does not
keep the zone a commune had in earlier years.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, and_, extract, literal, or_, select
from sqlalchemy.orm import Mapped, aliased
from sqlmodel import Session, col

from matching.kpi import (
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    LabourForceRecord,
    OrderRecord,
    VacancyRecord,
)
from models.clock import local_time
from models.tables import (
    CommuneZone,
    Course,
    EconomicSector,
    EmploymentSpell,
    Enrolment,
    FollowUp,
    LabourForceFigure,
    Person,
    TrainingOccupation,
    TrainingOrder,
    Vacancy,
)

# A select of any columns (SQLAlchemy infers no row type for a select of many labelled columns).
RowsSelect: TypeAlias = Select[*tuple[Any, ...]]

CHUNK = 5000  # ids per IN (...) list: well under SQLite's and PostgreSQL's limits


def _records(session: Session, query: RowsSelect, record_type: Any) -> list[Any]:
    """The query's rows as records. Plain tuples through the session's connection: building
    an ORM row and its mapping for each of a few hundred thousand rows cost more than the
    query itself."""
    result = session.connection().execute(query)
    names = tuple(result.keys())
    rows = result.all()  # one fetch: iterating would fetch row by row
    return [record_type(**dict(zip(names, row, strict=True))) for row in rows]


def _person_columns() -> list[Any]:
    return [
        col(Person.sex),
        col(Person.ethnicity_code),
        col(Person.is_ethnic_minority),
        col(Person.household_status),
        col(Person.has_disability),
        col(Person.in_zone_iii),
        col(Person.in_difficult_village),
        col(Person.commune_code),
        col(CommuneZone.zone),
        extract("year", col(Person.birth_date)).label("birth_year"),
    ]


def _zone_on(day: Any) -> ColumnElement[bool]:
    """The zone (khu vực) of the person's commune in force on the record's own date: a
    decision covers a period (2026-2030 for the current one), so a record dated before its
    start has no zone ("not recorded") rather than one decided later."""
    later = aliased(CommuneZone)
    superseded = (
        select(literal(1))
        .where(
            col(later.commune_code) == col(CommuneZone.commune_code),
            col(later.valid_from) > col(CommuneZone.valid_from),
            col(later.valid_from) <= day,
        )
        .exists()
    )
    return and_(
        col(CommuneZone.commune_code) == col(Person.commune_code),
        col(CommuneZone.valid_from) <= day,
        or_(col(CommuneZone.valid_to).is_(None), col(CommuneZone.valid_to) >= day),
        ~superseded,  # where periods touch or overlap, the later decision: one zone a record
    )


def _enrolment_select() -> RowsSelect:
    return (
        select(
            *_person_columns(),
            col(Enrolment.person_id),
            col(Enrolment.id).label("enrolment_id"),
            col(Enrolment.course_id),
            col(Course.institution_id),
            col(TrainingOccupation.key).label("occupation_key"),
            col(Course.level_code).label("level"),
            col(Enrolment.enrolled_on).label("started_on"),
            col(Course.end_date).label("ended_on"),
            col(Enrolment.status),
            col(Enrolment.graduated_on),
            col(Enrolment.certificate_kind),
            col(Course.training_order_id),
        )
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .outerjoin(CommuneZone, _zone_on(col(Enrolment.enrolled_on)))
    )


def enrolments_in(session: Session, first: date, last: date) -> list[EnrolmentRecord]:
    """Enrolments that started, ended or graduated between ``first`` and ``last`` (K1, K7)."""
    query = _enrolment_select().where(
        or_(
            col(Enrolment.enrolled_on).between(first, last),
            col(Enrolment.graduated_on).between(first, last),
            col(Course.end_date).between(first, last),
        )
    )
    return _records(session, query, EnrolmentRecord)


def enrolments_of_orders(session: Session, order_ids: Iterable[int]) -> list[EnrolmentRecord]:
    """Every enrolment in a course that trains one of these orders (K9)."""
    return _in_chunks(
        session,
        _enrolment_select(),
        col(Course.training_order_id),
        order_ids,
        EnrolmentRecord,
    )


def _spell_select() -> RowsSelect:
    job = aliased(TrainingOccupation)
    trained = aliased(Enrolment)
    trained_course = aliased(Course)
    return (
        select(
            *_person_columns(),
            col(EmploymentSpell.person_id),
            col(EmploymentSpell.id).label("spell_id"),
            col(EmploymentSpell.start_date),
            col(EmploymentSpell.end_date),
            col(EmploymentSpell.kind),
            col(EmploymentSpell.channel),
            col(EmploymentSpell.is_new_job),
            col(EmploymentSpell.location_kind),
            col(EmploymentSpell.commune_code).label("work_commune_code"),
            col(EmploymentSpell.country_code),
            col(EmploymentSpell.abroad_programme),
            col(EmploymentSpell.employer_id),
            col(EmploymentSpell.vacancy_id),
            col(EmploymentSpell.referral_id),
            col(EmploymentSpell.enrolment_id),
            col(EmploymentSpell.in_trained_occupation),
            col(EconomicSector.sector_group),
            col(EmploymentSpell.wage),
            col(EmploymentSpell.source),
            col(job.key).label("occupation_key"),
            col(trained_course.level_code).label("level"),
            col(trained_course.institution_id),
        )
        .join(Person, col(Person.id) == col(EmploymentSpell.person_id))
        .outerjoin(CommuneZone, _zone_on(col(EmploymentSpell.start_date)))
        .outerjoin(EconomicSector, col(EconomicSector.code) == col(EmploymentSpell.sector_code))
        .outerjoin(job, col(job.id) == col(EmploymentSpell.occupation_id))
        .outerjoin(trained, col(trained.id) == col(EmploymentSpell.enrolment_id))
        .outerjoin(trained_course, col(trained_course.id) == col(trained.course_id))
    )


def spells_starting(session: Session, first: date, last: date) -> list[EmploymentRecord]:
    """Employment spells that started between ``first`` and ``last`` (K2, K3, K6)."""
    query = _spell_select().where(col(EmploymentSpell.start_date).between(first, last))
    return _records(session, query, EmploymentRecord)


def spells_of_graduates(session: Session, first: date, last: date) -> list[EmploymentRecord]:
    """Every spell of the people who graduated between ``first`` and ``last`` (K7): one query
    rather than a list of their ids."""
    graduates = select(col(Enrolment.person_id)).where(
        col(Enrolment.graduated_on).between(first, last)
    )
    query = _spell_select().where(col(EmploymentSpell.person_id).in_(graduates))
    return _records(session, query, EmploymentRecord)


def spells_of_people(session: Session, person_ids: Iterable[int]) -> list[EmploymentRecord]:
    """Every spell of these people (hires that count as observations after training, K7, K9)."""
    return _in_chunks(
        session, _spell_select(), col(EmploymentSpell.person_id), person_ids, EmploymentRecord
    )


def follow_ups_of(session: Session, enrolment_ids: Iterable[int]) -> list[FollowUpRecord]:
    """The follow-up rows of these enrolments, with the enrolment's dimensions (K7)."""
    query = _follow_up_select()
    return _in_chunks(session, query, col(FollowUp.enrolment_id), enrolment_ids, FollowUpRecord)


def follow_ups_of_graduates(session: Session, first: date, last: date) -> list[FollowUpRecord]:
    """The follow-up rows of the graduations between ``first`` and ``last`` (K7)."""
    query = _follow_up_select().where(col(Enrolment.graduated_on).between(first, last))
    return _records(session, query, FollowUpRecord)


def _follow_up_select() -> RowsSelect:
    return (
        select(
            *_person_columns(),
            col(FollowUp.id).label("follow_up_id"),
            col(FollowUp.enrolment_id),
            col(FollowUp.person_id),
            col(FollowUp.months_after),
            col(FollowUp.observed_on),
            col(FollowUp.status),
            col(FollowUp.in_trained_occupation),
            col(FollowUp.source),
            col(FollowUp.employment_spell_id),
            col(FollowUp.income),
            col(Enrolment.course_id),
            col(Course.institution_id),
            col(TrainingOccupation.key).label("occupation_key"),
            col(Course.level_code).label("level"),
            col(Enrolment.graduated_on),
            col(Course.training_order_id),
        )
        .join(Enrolment, col(Enrolment.id) == col(FollowUp.enrolment_id))
        .join(Person, col(Person.id) == col(FollowUp.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .outerjoin(CommuneZone, _zone_on(col(FollowUp.observed_on)))
    )


def orders_requested(session: Session, first: date, last: date) -> list[OrderRecord]:
    """Training orders requested between ``first`` and ``last`` (by the province's calendar)."""
    query: RowsSelect = select(
        col(TrainingOrder.id),
        col(TrainingOrder.employer_id),
        col(TrainingOrder.institution_id),
        col(TrainingOccupation.key).label("occupation_key"),
        col(TrainingOrder.level_code).label("level"),
        col(TrainingOrder.quantity),
        col(TrainingOrder.hiring_commitment),
        col(TrainingOrder.unit_cost),
        col(TrainingOrder.status),
        col(TrainingOrder.requested_at),
        col(TrainingOrder.needed_by),
        col(TrainingOrder.location_kind),
        col(TrainingOrder.commune_code),
    ).join(TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id))
    query = query.where(_local_day_between(col(TrainingOrder.requested_at), first, last))
    records: list[Any] = []
    for row in session.execute(query):
        values = dict(row._mapping)
        values["requested_on"] = local_date(values.pop("requested_at"))
        records.append(OrderRecord(**values))
    return [r for r in records if first <= r.requested_on <= last]


def vacancies_posted(session: Session, first: date, last: date) -> list[VacancyRecord]:
    """Vacancies posted between ``first`` and ``last`` (by the province's calendar)."""
    query: RowsSelect = (
        select(
            col(Vacancy.id),
            col(Vacancy.employer_id),
            col(TrainingOccupation.key).label("occupation_key"),
            col(Vacancy.location_kind),
            col(Vacancy.commune_code),
            col(Vacancy.quantity),
            col(Vacancy.filled),
            col(Vacancy.created_at),
            col(Vacancy.filled_at),
            col(Vacancy.status),
        )
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
        .where(_local_day_between(col(Vacancy.created_at), first, last))
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
    query = select(LabourForceFigure).where(col(LabourForceFigure.year) == year)
    rows = session.execute(query).scalars()
    return [LabourForceRecord(**row.model_dump(exclude={"imported_at"})) for row in rows]


def local_date(moment: datetime) -> date:
    """The province's calendar day of a stored timestamp."""
    return local_time(moment).date()


def _local_day_between(column: Mapped[datetime], first: date, last: date) -> ColumnElement[bool]:
    # A day wider on each side in UTC; the exact local day is checked in Python.
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=UTC)
    return and_(column >= start - timedelta(days=1), column <= end + timedelta(days=1))


def _in_chunks(
    session: Session,
    query: RowsSelect,
    column: Mapped[int] | Mapped[int | None],
    ids: Iterable[int],
    record_type: Any,
) -> list[Any]:
    unique: Sequence[int] = sorted(set(ids))
    records: list[Any] = []
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        records.extend(_records(session, query.where(column.in_(chunk)), record_type))
    return records
