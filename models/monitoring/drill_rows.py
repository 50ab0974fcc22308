"""One query per record kind for the drill-down: the rows behind a figure, joined to the names
an official reads (person, course, institution, employer, occupation). Each query takes the ids
of one page or one chunk only, so its cost does not depend on the size of the figure.

Codes (sex, statuses, channels) stay codes here; the page shows their labels in the reader's
language. Communes and work places are named from the admin units in force today.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, extract, select
from sqlmodel import Session

from models import tables
from models.monitoring.records import local_date
from models.queries.reference import PlaceNames

# SQLModel types a column as its Python value; here the columns are SQL expressions.
Course: Any = tables.Course
Employer: Any = tables.Employer
EmploymentSpell: Any = tables.EmploymentSpell
Enrolment: Any = tables.Enrolment
Ethnicity: Any = tables.Ethnicity
FollowUp: Any = tables.FollowUp
Institution: Any = tables.Institution
Person: Any = tables.Person
TrainingLevel: Any = tables.TrainingLevel
TrainingOccupation: Any = tables.TrainingOccupation
TrainingOrder: Any = tables.TrainingOrder
Vacancy: Any = tables.Vacancy


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
    }[kind]
    if kind == "enrolment" and window is not None:
        return (*columns, FOLLOW_UP_COLUMN)
    return columns


def enrolment_rows(
    session: Session, ids: Sequence[int], places: PlaceNames, window: int | None
) -> list[Row]:
    query = (
        select(
            Enrolment.id,
            Person.full_name.label("person"),
            Person.sex,
            extract("year", Person.birth_date).label("birth_year"),
            Ethnicity.name.label("ethnicity"),
            Person.commune_code,
            Course.code.label("course_code"),
            Course.name.label("course_name"),
            Institution.name.label("institution"),
            TrainingOccupation.name.label("occupation"),
            TrainingLevel.name.label("level"),
            Enrolment.enrolled_on,
            Enrolment.status,
            Enrolment.graduated_on,
            Enrolment.certificate_kind.label("certificate"),
        )
        .join(Person, Person.id == Enrolment.person_id)
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(Institution, Institution.id == Course.institution_id)
        .outerjoin(TrainingOccupation, TrainingOccupation.id == Course.occupation_id)
        .outerjoin(TrainingLevel, TrainingLevel.code == Course.level_code)
        .outerjoin(Ethnicity, Ethnicity.code == Person.ethnicity_code)
        .where(Enrolment.id.in_(list(ids)))
        .order_by(Enrolment.id)
    )
    if window is not None:
        at_window = and_(FollowUp.enrolment_id == Enrolment.id, FollowUp.months_after == window)
        query = query.add_columns(FollowUp.status.label("follow_up")).outerjoin(FollowUp, at_window)
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
    query = (
        select(
            EmploymentSpell.id,
            Person.full_name.label("person"),
            Employer.name.label("employer"),
            EmploymentSpell.start_date,
            EmploymentSpell.channel,
            EmploymentSpell.kind,
            EmploymentSpell.location_kind,
            EmploymentSpell.commune_code,
            EmploymentSpell.province_code,
            EmploymentSpell.country_code,
            TrainingOccupation.name.label("occupation"),
            EmploymentSpell.source,
        )
        .join(Person, Person.id == EmploymentSpell.person_id)
        .outerjoin(Employer, Employer.id == EmploymentSpell.employer_id)
        .outerjoin(TrainingOccupation, TrainingOccupation.id == EmploymentSpell.occupation_id)
        .where(EmploymentSpell.id.in_(list(ids)))
        .order_by(EmploymentSpell.id)
    )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        where = [values.pop(name) for name in ("location_kind", "commune_code")]
        where += [values.pop(name) for name in ("province_code", "country_code")]
        values["place"] = places.label(*where)
        rows.append(values)
    return rows


def order_rows(session: Session, ids: Sequence[int], _: PlaceNames, __: int | None) -> list[Row]:
    query = (
        select(
            TrainingOrder.id,
            Employer.name.label("employer"),
            Institution.name.label("institution"),
            TrainingOccupation.name.label("occupation"),
            TrainingOrder.quantity,
            TrainingOrder.hiring_commitment,
            TrainingOrder.status,
            TrainingOrder.requested_at,
        )
        .join(Employer, Employer.id == TrainingOrder.employer_id)
        .outerjoin(Institution, Institution.id == TrainingOrder.institution_id)
        .outerjoin(TrainingOccupation, TrainingOccupation.id == TrainingOrder.occupation_id)
        .where(TrainingOrder.id.in_(list(ids)))
        .order_by(TrainingOrder.id)
    )
    rows = []
    for row in session.execute(query):
        values = dict(row._mapping)
        values["requested_on"] = local_date(values.pop("requested_at"))
        rows.append(values)
    return rows


def vacancy_rows(session: Session, ids: Sequence[int], _: PlaceNames, __: int | None) -> list[Row]:
    query = (
        select(
            Vacancy.id,
            Employer.name.label("employer"),
            Vacancy.title,
            Vacancy.quantity,
            Vacancy.filled,
            Vacancy.created_at,
            Vacancy.filled_at,
        )
        .join(Employer, Employer.id == Vacancy.employer_id)
        .where(Vacancy.id.in_(list(ids)))
        .order_by(Vacancy.id)
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
}
