"""One query per record kind for the drill-down: the rows behind a figure, joined to the names
an official reads (person, course, institution, employer, occupation). Each query takes the ids
of one page or one chunk only, so its cost does not depend on the size of the figure.

Codes (sex, statuses, channels) stay codes here; the page shows their labels in the reader's
language. Communes and work places are named from the admin units in force today.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, extract, select
from sqlmodel import Session, col

from models.monitoring.records import RowsSelect, local_date
from models.queries.reference import PlaceNames
from models.tables import (
    Course,
    Employer,
    EmploymentSpell,
    Enrolment,
    Ethnicity,
    FollowUp,
    Institution,
    NewJobAggregate,
    NewJobReport,
    Person,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
    Vacancy,
)


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the list: its key in a row, its label (a msgid), and how to show it:
    ``text``, ``int``, ``year`` (no grouping), ``date``, or ``code:<vocabulary>``."""

    name: str
    label: str
    kind: str = "text"


Row = dict[str, Any]

ENROLMENT_COLUMNS = (
    Column("person", "Full name"),
    Column("sex", "Sex", "code:sex"),
    Column("birth_year", "Year of birth", "year"),
    Column("ethnicity", "Ethnic group"),
    Column("commune", "Commune"),
    Column("course_code", "Course code"),
    Column("course_name", "Course"),
    Column("institution", "Institution"),
    Column("occupation", "Occupation"),
    Column("level", "Level"),
    Column("enrolled_on", "Enrolled on", "date"),
    Column("status", "Status", "code:enrolment_status"),
    Column("graduated_on", "Graduated on", "date"),
    Column("certificate", "Certificate", "code:certificate"),
)
FOLLOW_UP_COLUMN = Column("follow_up", "Follow-up answer", "code:follow_up_status")
SPELL_COLUMNS = (
    Column("person", "Full name"),
    Column("employer", "Employer"),
    Column("start_date", "Start date", "date"),
    Column("channel", "Channel", "code:channel"),
    Column("kind", "Kind of work", "code:employment_kind"),
    Column("place", "Place of work"),
    Column("occupation", "Occupation"),
    Column("source", "Source", "code:employment_source"),
    # The same person's other new-job records that year (another report, a platform hire):
    # the records the KPI merged into this one person.
    Column("also", "Also recorded that year", "codes:employment_source"),
)
AGGREGATE_COLUMNS = (
    Column("month", "Month"),
    Column("channel", "Channel", "code:channel"),
    Column("commune", "Commune"),
    Column("people", "People", "int"),
    Column("note", "What the count is"),
    Column("source", "Source", "code:employment_source"),
)
ORDER_COLUMNS = (
    Column("employer", "Employer"),
    Column("institution", "Institution"),
    Column("occupation", "Occupation"),
    Column("quantity", "Quantity", "int"),
    Column("hiring_commitment", "Hiring commitment", "int"),
    Column("status", "Status", "code:order_status"),
    Column("requested_on", "Requested on", "date"),
)
VACANCY_COLUMNS = (
    Column("employer", "Employer"),
    Column("title", "Title"),
    Column("quantity", "Places", "int"),
    Column("filled", "Places filled", "int"),
    Column("posted_on", "Posted on", "date"),
    Column("filled_on", "Filled on", "date"),
)


def columns_of(kind: str, *, window: int | None = None) -> tuple[Column, ...]:
    """The columns of a record kind's list (with the follow-up answer at a window)."""
    columns = {
        "enrolment": ENROLMENT_COLUMNS,
        "spell": SPELL_COLUMNS,
        "order": ORDER_COLUMNS,
        "vacancy": VACANCY_COLUMNS,
        "aggregate": AGGREGATE_COLUMNS,
    }[kind]
    if kind == "enrolment" and window is not None:
        return (*columns, FOLLOW_UP_COLUMN)
    return columns


def enrolment_rows(
    session: Session, ids: Sequence[int], places: PlaceNames, window: int | None
) -> list[Row]:
    query: RowsSelect = (
        select(
            col(Enrolment.id),
            col(Person.full_name).label("person"),
            col(Person.sex),
            extract("year", col(Person.birth_date)).label("birth_year"),
            col(Ethnicity.name).label("ethnicity"),
            col(Person.commune_code),
            col(Course.code).label("course_code"),
            col(Course.name).label("course_name"),
            col(Institution.name).label("institution"),
            col(TrainingOccupation.name).label("occupation"),
            col(TrainingLevel.name).label("level"),
            col(Enrolment.enrolled_on),
            col(Enrolment.status),
            col(Enrolment.graduated_on),
            col(Enrolment.certificate_kind).label("certificate"),
        )
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .outerjoin(Institution, col(Institution.id) == col(Course.institution_id))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .outerjoin(TrainingLevel, col(TrainingLevel.code) == col(Course.level_code))
        .outerjoin(Ethnicity, col(Ethnicity.code) == col(Person.ethnicity_code))
        .where(col(Enrolment.id).in_(list(ids)))
        .order_by(col(Enrolment.id))
    )
    if window is not None:
        at_window = and_(
            col(FollowUp.enrolment_id) == col(Enrolment.id), col(FollowUp.months_after) == window
        )
        query = query.add_columns(col(FollowUp.status).label("follow_up")).outerjoin(
            FollowUp, at_window
        )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        code = values.pop("commune_code")
        values["commune"] = places.communes.get(code or "", code or "")
        values["birth_year"] = None if values["birth_year"] is None else int(values["birth_year"])
        rows.append(values)
    return rows


def spell_rows(
    session: Session, ids: Sequence[int], places: PlaceNames, _: int | None
) -> list[Row]:
    query: RowsSelect = (
        select(
            col(EmploymentSpell.id),
            col(Person.full_name).label("person"),
            col(Employer.name).label("employer"),
            col(EmploymentSpell.start_date),
            col(EmploymentSpell.channel),
            col(EmploymentSpell.kind),
            col(EmploymentSpell.location_kind),
            col(EmploymentSpell.commune_code),
            col(EmploymentSpell.province_code),
            col(EmploymentSpell.country_code),
            col(TrainingOccupation.name).label("occupation"),
            col(EmploymentSpell.source),
            col(EmploymentSpell.person_id),
        )
        .join(Person, col(Person.id) == col(EmploymentSpell.person_id))
        .outerjoin(Employer, col(Employer.id) == col(EmploymentSpell.employer_id))
        .outerjoin(
            TrainingOccupation, col(TrainingOccupation.id) == col(EmploymentSpell.occupation_id)
        )
        .where(col(EmploymentSpell.id).in_(list(ids)))
        .order_by(col(EmploymentSpell.id))
    )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        where = [values.pop(name) for name in ("location_kind", "commune_code")]
        where += [values.pop(name) for name in ("province_code", "country_code")]
        values["place"] = places.label(*where)
        rows.append(values)
    others = _other_sources(
        session, [(each.pop("person_id"), each["start_date"], each["id"]) for each in rows]
    )
    for each in rows:
        each["also"] = others.get(each["id"], ())
    return rows


def _other_sources(
    session: Session, spells: list[tuple[int, date, int]]
) -> dict[int, tuple[str, ...]]:
    """For each spell, the sources of the same person's other spells starting that year."""
    if not spells:
        return {}
    years = [start.year for _, start, _ in spells]
    query = select(
        col(EmploymentSpell.id),
        col(EmploymentSpell.person_id),
        col(EmploymentSpell.start_date),
        col(EmploymentSpell.source),
    ).where(
        col(EmploymentSpell.person_id).in_(sorted({person for person, _, _ in spells})),
        col(EmploymentSpell.start_date).between(date(min(years), 1, 1), date(max(years), 12, 31)),
    )
    by_person: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for spell_id, person_id, start, source in session.execute(query):
        by_person.setdefault((person_id, start.year), []).append((spell_id, source))
    found = {}
    for person_id, start, spell_id in spells:
        sources = [
            s for other, s in by_person.get((person_id, start.year), []) if other != spell_id
        ]
        found[spell_id] = tuple(dict.fromkeys(sources))
    return found


def aggregate_rows(
    session: Session, ids: Sequence[int], places: PlaceNames, _: int | None
) -> list[Row]:
    query: RowsSelect = (
        select(
            col(NewJobAggregate.id),
            col(NewJobAggregate.month),
            col(NewJobAggregate.channel),
            col(NewJobAggregate.commune_code),
            col(NewJobAggregate.people),
            col(NewJobAggregate.note),
            col(NewJobReport.source),
        )
        .join(NewJobReport, col(NewJobReport.id) == col(NewJobAggregate.report_id))
        .where(col(NewJobAggregate.id).in_(list(ids)))
        .order_by(col(NewJobAggregate.id))
    )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        code = values.pop("commune_code")
        values["commune"] = places.communes.get(code or "", code or "")
        month = values["month"]
        values["month"] = f"{month.month:02d}/{month.year}"
        rows.append(values)
    return rows


def order_rows(session: Session, ids: Sequence[int], _: PlaceNames, __: int | None) -> list[Row]:
    query: RowsSelect = (
        select(
            col(TrainingOrder.id),
            col(Employer.name).label("employer"),
            col(Institution.name).label("institution"),
            col(TrainingOccupation.name).label("occupation"),
            col(TrainingOrder.quantity),
            col(TrainingOrder.hiring_commitment),
            col(TrainingOrder.status),
            col(TrainingOrder.requested_at),
        )
        .join(Employer, col(Employer.id) == col(TrainingOrder.employer_id))
        .outerjoin(Institution, col(Institution.id) == col(TrainingOrder.institution_id))
        .outerjoin(
            TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id)
        )
        .where(col(TrainingOrder.id).in_(list(ids)))
        .order_by(col(TrainingOrder.id))
    )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        values["requested_on"] = local_date(values.pop("requested_at"))
        rows.append(values)
    return rows


def vacancy_rows(session: Session, ids: Sequence[int], _: PlaceNames, __: int | None) -> list[Row]:
    query: RowsSelect = (
        select(
            col(Vacancy.id),
            col(Employer.name).label("employer"),
            col(Vacancy.title),
            col(Vacancy.quantity),
            col(Vacancy.filled),
            col(Vacancy.created_at),
            col(Vacancy.filled_at),
        )
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .where(col(Vacancy.id).in_(list(ids)))
        .order_by(col(Vacancy.id))
    )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        values["posted_on"] = local_date(values.pop("created_at"))
        filled_at = values.pop("filled_at")
        values["filled_on"] = local_date(filled_at) if filled_at else None
        rows.append(values)
    return rows


RowReader = Callable[[Session, Sequence[int], PlaceNames, int | None], list[Row]]
READERS: dict[str, RowReader] = {
    "enrolment": enrolment_rows,
    "spell": spell_rows,
    "order": order_rows,
    "vacancy": vacancy_rows,
    "aggregate": aggregate_rows,
}
