"""The four SQL parts of the supply-and-demand table (docs/kpi.md, "Supply and demand"): open
vacancy places and ordered workers (demand), expected graduates and unemployed recent graduates
(supply). Each part is one aggregated SELECT with the same columns, so the caller adds them up
with one UNION ALL and one GROUP BY: the database does the counting, Python never walks rows.
Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
)
from sqlmodel import col

from matching.kpi.dates import add_months
from models.enums import (
    CourseStatus,
    EnrolmentStatus,
    LocationKind,
    TrainingOrderStatus,
    VacancyStatus,
)
from models.tables import Course, EmploymentSpell, Enrolment, TrainingOrder, Vacancy

# Expected share of today's students who graduate, where the institution has no finished
# course at that level to learn it from.
DEFAULT_COMPLETION_RATE = 0.9
HISTORY_YEARS = 3  # the completion rate is learnt from courses finished this recently
# Orders that no longer ask for anyone.
ENDED_ORDER_STATUSES = (TrainingOrderStatus.DECLINED.value, TrainingOrderStatus.CLOSED.value)
# Courses whose students may still graduate in the period.
LIVE_COURSE_STATUSES = (
    CourseStatus.PLANNED.value,
    CourseStatus.RUNNING.value,
    CourseStatus.FINISHED.value,
)
COLUMNS = (
    "vacancy_places",
    "order_places",
    "studying",
    "expected",
    "default_rate_studying",
    "available_now",
)


@dataclass(frozen=True)
class Scope:
    """What one table covers: the period, the day "now" is, and how rows are keyed."""

    first: date
    last: date
    as_of: date
    by_place: bool  # key rows by place as well as occupation
    commune: str | None  # keep only this place (a commune code, other_province or abroad)


def place_of(location_kind: Any, commune_code: Any) -> ColumnElement[Any]:
    """A vacancy's or order's place: its commune in the province, else `other_province` or
    `abroad` (NULL when a commune was not recorded)."""
    # An inline constant, not a bound parameter: PostgreSQL matches the SELECT's expression
    # with the GROUP BY's only when they are written the same, and two parameters are not.
    commune: ColumnElement[str] = literal_column(f"'{LocationKind.COMMUNE.value}'")
    return case((col(location_kind) == commune, col(commune_code)), else_=col(location_kind))


def _part(scope: Scope, occupation: Any, place: Any, values: dict[str, Any]) -> Select[Any]:
    """The common shape: occupation_id, place, then every figure (0 where the part has none)."""
    typed = [
        cast(values.get(name, literal(0)), Float if name == "expected" else Integer).label(name)
        for name in COLUMNS
    ]
    place_column = cast(place, String) if scope.by_place else cast(null(), String)
    return select(col(occupation).label("occupation_id"), place_column.label("place"), *typed)


def _keys(scope: Scope, occupation: Any, place: Any) -> tuple[Any, ...]:
    return (col(occupation), place) if scope.by_place else (col(occupation),)


def _in_place(scope: Scope, place: Any) -> list[ColumnElement[bool]]:
    return [] if scope.commune is None else [place == scope.commune]


def order_counts(scope: Scope) -> ColumnElement[bool]:
    """An order is demand in the period when it still stands and is needed by then."""
    return and_(
        col(TrainingOrder.status).not_in(ENDED_ORDER_STATUSES),
        col(TrainingOrder.needed_by).between(scope.first, scope.last),
    )


def vacancy_part(scope: Scope) -> Select[Any]:
    """Places still to fill in open vacancies whose deadline is not before the period. A
    vacancy that advertises the jobs of an order counted in the period is left out: the order
    already counts those workers."""
    place = place_of(Vacancy.location_kind, Vacancy.commune_code)
    counted_order = and_(
        col(TrainingOrder.id) == col(Vacancy.training_order_id), order_counts(scope)
    )
    places = func.sum(col(Vacancy.quantity) - col(Vacancy.filled))
    return (
        _part(scope, Vacancy.occupation_id, place, {"vacancy_places": places})
        .select_from(Vacancy)
        .outerjoin(TrainingOrder, counted_order)
        .where(
            col(Vacancy.status) == VacancyStatus.OPEN.value,
            col(Vacancy.filled) < col(Vacancy.quantity),
            or_(col(Vacancy.deadline).is_(None), col(Vacancy.deadline) >= scope.first),
            col(TrainingOrder.id).is_(None),
            *_in_place(scope, place),
        )
        .group_by(*_keys(scope, Vacancy.occupation_id, place))
    )


def _order_enrolled(scope: Scope) -> Any:
    """People in training for each order counted in the period: distinct people enrolled in
    the order's courses, drop-outs and cancelled courses left out (only those orders: the
    courses of every order ever made are not read)."""
    counted = select(col(TrainingOrder.id)).where(order_counts(scope))
    return (
        select(
            col(Course.training_order_id).label("order_id"),
            func.count(func.distinct(col(Enrolment.person_id))).label("enrolled"),
        )
        .join(Enrolment, col(Enrolment.course_id) == col(Course.id))
        .where(
            col(Course.training_order_id).in_(counted),
            col(Course.status) != CourseStatus.CANCELLED.value,
            col(Enrolment.status) != EnrolmentStatus.DROPPED.value,
        )
        .group_by(col(Course.training_order_id))
        .subquery("order_enrolled")
    )


def order_part(scope: Scope) -> Select[Any]:
    """Workers ordered and not yet in training: quantity minus the people enrolled for the
    order, never below zero."""
    enrolled = _order_enrolled(scope)
    place = place_of(TrainingOrder.location_kind, TrainingOrder.commune_code)
    missing = col(TrainingOrder.quantity) - func.coalesce(enrolled.c.enrolled, 0)
    remaining = func.sum(case((missing > 0, missing), else_=0))
    return (
        _part(scope, TrainingOrder.occupation_id, place, {"order_places": remaining})
        .select_from(TrainingOrder)
        .outerjoin(enrolled, enrolled.c.order_id == col(TrainingOrder.id))
        .where(order_counts(scope), *_in_place(scope, place))
        .group_by(*_keys(scope, TrainingOrder.occupation_id, place))
    )


def rate_key(institution_id: Any, level_code: Any) -> ColumnElement[str]:
    """The key of an institution's completion rate at a level, "<institution id>|<level>": the
    stored rates (``Dimension.INSTITUTION_LEVEL``) and the live ones are joined by it."""
    separator: ColumnElement[str] = literal_column("'|'")
    return cast(col(institution_id), String) + separator + col(level_code)


def completion_history(as_of: date) -> Any:
    """Per institution and level (``rate_key``), graduates ÷ enrolments with a known outcome
    (graduated, completed without the credential, dropped) over its courses finished in the
    last HISTORY_YEARS: recent practice, and a query that does not grow with the years stored."""
    known = func.sum(case((col(Enrolment.status) != EnrolmentStatus.STUDYING.value, 1), else_=0))
    graduated = func.sum(
        case((col(Enrolment.status) == EnrolmentStatus.GRADUATED.value, 1), else_=0)
    )
    return (
        select(
            rate_key(Course.institution_id, Course.level_code).label("rate_key"),
            graduated.label("graduated"),
            known.label("known"),
            (cast(graduated, Float) / known).label("rate"),
        )
        .join(Enrolment, col(Enrolment.course_id) == col(Course.id))
        .where(
            col(Course.status) == CourseStatus.FINISHED.value,
            col(Course.end_date).between(add_months(as_of, -12 * HISTORY_YEARS), as_of),
        )
        .group_by(col(Course.institution_id), col(Course.level_code))
        .having(known > 0)
        # Computed once: without table statistics (a freshly loaded database) PostgreSQL
        # may otherwise re-aggregate it for every student row (measured: 4.5 s, not 0.1 s).
        .cte("completion_history")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def expected_part(scope: Scope, history: Any = None) -> Select[Any]:
    """People still studying in courses that end in the period, each weighted by the
    completion rate of the course's institution and level (the default rate without history).
    ``history``: the rates (columns ``rate_key``, ``rate``), by default computed now. The
    students are counted per course first, so each course, not each student, meets its rate
    (the key is an expression: SQLite would otherwise scan the rates once per student)."""
    if history is None:
        history = completion_history(scope.as_of)
    students = _studying_by_course(scope)
    place = col(Course.venue_commune_code)
    rate = func.coalesce(history.c.rate, DEFAULT_COMPLETION_RATE)
    values = {
        "studying": func.sum(students.c.studying),
        "expected": func.sum(students.c.studying * rate),
        "default_rate_studying": func.sum(
            case((history.c.rate.is_(None), students.c.studying), else_=0)
        ),
    }
    return (
        _part(scope, Course.occupation_id, place, values)
        .select_from(students)
        .join(Course, col(Course.id) == students.c.course_id)
        .outerjoin(
            history, history.c.rate_key == rate_key(Course.institution_id, Course.level_code)
        )
        .where(*_in_place(scope, place))
        .group_by(*_keys(scope, Course.occupation_id, place))
    )


def _studying_by_course(scope: Scope) -> Any:
    """People still studying per course that ends in the period and may still graduate."""
    return (
        select(col(Enrolment.course_id).label("course_id"), func.count().label("studying"))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(
            col(Enrolment.status) == EnrolmentStatus.STUDYING.value,
            col(Course.status).in_(LIVE_COURSE_STATUSES),
            col(Course.end_date).between(scope.first, scope.last),
        )
        .group_by(col(Enrolment.course_id))
        .subquery("studying_by_course")
    )


def available_part(scope: Scope) -> Select[Any]:
    """People who graduated in the last 12 months and hold no job today, by the occupation and
    venue of the course they graduated from."""
    place = col(Course.venue_commune_code)
    working = (
        select(col(EmploymentSpell.id))
        .where(
            col(EmploymentSpell.person_id) == col(Enrolment.person_id),
            col(EmploymentSpell.start_date) <= scope.as_of,
            or_(
                col(EmploymentSpell.end_date).is_(None),
                col(EmploymentSpell.end_date) >= scope.as_of,
            ),
        )
        .exists()
    )
    people = func.count(func.distinct(col(Enrolment.person_id)))
    return (
        _part(scope, Course.occupation_id, place, {"available_now": people})
        .select_from(Enrolment)
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
            col(Enrolment.graduated_on).between(add_months(scope.as_of, -12), scope.as_of),
            ~working,
            *_in_place(scope, place),
        )
        .group_by(*_keys(scope, Course.occupation_id, place))
    )


def all_parts(scope: Scope) -> list[Select[Any]]:
    return [vacancy_part(scope), order_part(scope), expected_part(scope), available_part(scope)]


def live_parts(scope: Scope, history: Any) -> list[Select[Any]]:
    """The parts computed at every view when the slow ones are stored: demand, and the
    students weighted by the stored completion rates ``history``."""
    return [vacancy_part(scope), order_part(scope), expected_part(scope, history)]
