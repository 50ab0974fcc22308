"""Who may be ranked for a vacancy, decided in SQL: people who consented to be shown to
employers, whose latest graduation is in the vacancy's trade or a related one (same group,
or a group that matching/data/group_relations.csv relates to it), whose age lies in the
vacancy's range, who are available in time, and for whom the job lies where they said they
would work. The candidates page ranks exactly these people; the
relation check asks the same question about one person.

The rules mirror the matching engine's (matching.score): age is counted in the year the job
starts, a person who stated no wish accepts any place, their own commune is always accepted,
and the province is accepted by who would go to another province."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    cast,
    exists,
    not_,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlmodel import col

from matching.catalogue import load_catalogue
from matching.profiles import WORK_SCOPES
from matching.score import MAX_DELAY_DAYS
from models.enums import EnrolmentStatus, LocationKind
from models.tables import (
    Course,
    Enrolment,
    Person,
    TrainingLevel,
    TrainingOccupation,
    Vacancy,
)


def is_latest_graduation() -> ColumnElement[bool]:
    """The enrolment is its person's latest graduation (latest date, unknown dates first,
    then latest id): the training a candidacy rests on, as in
    models.queries.candidates.latest_trainings. A NOT EXISTS on the person's enrolments
    (indexed by person), so that the query starts from the courses of the trade."""
    later = aliased(Enrolment)
    mine, theirs = col(Enrolment.graduated_on), col(later.graduated_on)
    return ~exists().where(
        col(later.person_id) == col(Enrolment.person_id),
        col(later.status) == EnrolmentStatus.GRADUATED.value,
        or_(
            theirs > mine,
            and_(theirs.is_not(None), mine.is_(None)),
            and_(
                or_(theirs == mine, and_(theirs.is_(None), mine.is_(None))),
                col(later.id) > col(Enrolment.id),
            ),
        ),
    )


def start_of(vacancy: Vacancy, on: date) -> date:
    """The day the job starts, as the engine counts it (today when none is set)."""
    return vacancy.start_date or on


def trade_related(vacancy: Vacancy, occupation_id: Any) -> ColumnElement[bool]:
    """The occupation is the vacancy's, one of its group, or one of a group that the
    catalogue's group relations name (matching/data/group_relations.csv, each with its
    reason): those are a second choice, which the engine's occupation score ranks after the
    trade's own. A vacancy for which the employer chose no occupation asks for no trade: any
    graduate may be ranked for it, the engine's text comparison ordering them."""
    if vacancy.occupation_id is None:
        return true()
    group = (
        select(col(TrainingOccupation.group))
        .where(col(TrainingOccupation.id) == vacancy.occupation_id)
        .scalar_subquery()
    )
    theirs = col(TrainingOccupation.group)
    close = or_(
        theirs == group,
        *(and_(group == own, theirs == other) for own, other in related_group_pairs()),
    )
    related = select(col(TrainingOccupation.id)).where(close)
    return or_(occupation_id == vacancy.occupation_id, occupation_id.in_(related))


def related_group_pairs() -> tuple[tuple[str, str], ...]:
    """``(group, related group)`` pairs of the bundled catalogue's group relations."""
    return load_catalogue().related_group_pairs()


def age_allowed(vacancy: Vacancy, on: date) -> ColumnElement[bool]:
    """Born in a year that gives an age within the range in the year the job starts."""
    year = start_of(vacancy, on).year
    conditions: list[ColumnElement[bool]] = []
    if vacancy.age_max is not None:
        conditions.append(col(Person.birth_date) >= date(year - vacancy.age_max, 1, 1))
    if vacancy.age_min is not None:
        conditions.append(col(Person.birth_date) <= date(year - vacancy.age_min, 12, 31))
    return and_(true(), *conditions)


def _wishes(scope: str) -> ColumnElement[bool]:
    # A JSON list cast to text on both databases (PostgreSQL has no LIKE on json):
    # '["commune", "province"]'; the quotes keep "province" from matching "other_province".
    return cast(Person.willing_to_work, String).like(f'%"{scope}"%')


def willing_to_go(vacancy: Vacancy) -> ColumnElement[bool]:
    """The job lies where the person said they would work (or they said nothing)."""
    unstated = not_(or_(*(_wishes(scope) for scope in WORK_SCOPES)))
    if vacancy.location_kind == LocationKind.ABROAD:
        return or_(unstated, _wishes("abroad"))
    if vacancy.location_kind == LocationKind.OTHER_PROVINCE:
        return or_(unstated, _wishes("other_province"))
    return or_(
        unstated,
        col(Person.commune_code) == vacancy.commune_code,
        _wishes("province"),
        _wishes("other_province"),
    )


def available_in_time(vacancy: Vacancy, on: date) -> ColumnElement[bool]:
    latest = start_of(vacancy, on) + timedelta(days=MAX_DELAY_DAYS)
    return or_(col(Person.available_from).is_(None), col(Person.available_from) <= latest)


def graduate_columns() -> tuple[Any, ...]:
    """What the engine reads of a graduate, in the order `models.profiles` converts it: id,
    skills, commune, birth date, wishes, expected wage, available from, level code, training
    order, occupation (JSON lists as text: SQLite returns them so)."""
    return (
        col(Person.id),
        type_coerce(Person.skills, String).label("skills"),
        col(Person.commune_code),
        col(Person.birth_date),
        type_coerce(Person.willing_to_work, String).label("willing"),
        col(Person.expected_wage),
        col(Person.available_from),
        col(Course.level_code),
        col(Course.training_order_id),
        col(Course.occupation_id),
    )


def eligible_query(
    vacancy: Vacancy,
    on: date,
    *,
    person_id: int | None = None,
) -> Any:
    """The eligible people of a vacancy with what the engine and the tie-breaks read, one
    row per person: id, skills, commune, birth date, wishes, expected wage, available from,
    level code, training order, occupation, graduation date, level rank, certificate."""
    query = (
        select(
            *graduate_columns(),
            col(Enrolment.graduated_on).label("graduated_on"),
            col(TrainingLevel.rank),
            col(Enrolment.certificate_number).is_not(None).label("certified"),
        )
        .select_from(Course)
        .join(Enrolment, col(Enrolment.course_id) == col(Course.id))
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(TrainingLevel, col(TrainingLevel.code) == col(Course.level_code))
        .where(
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
            col(Person.consent_to_employers).is_(True),
            trade_related(vacancy, col(Course.occupation_id)),
            age_allowed(vacancy, on),
            willing_to_go(vacancy),
            available_in_time(vacancy, on),
            is_latest_graduation(),
        )
        .order_by(col(Person.id))
    )
    if person_id is not None:
        query = query.where(col(Enrolment.person_id) == person_id)
    return query


def eligible_person(vacancy: Vacancy, person_id: int, on: date) -> ColumnElement[bool]:
    """EXISTS: the person is eligible for the vacancy by the rules of the ranking (employed
    or not: a hire is then refused as such), to be combined with other relations."""
    return exists(eligible_query(vacancy, on, person_id=person_id).subquery().select())
