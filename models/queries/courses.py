"""Reading courses: the filtered list, one course with its counts and roster, and the choices
a course form offers (occupations, levels, communes, training orders). Nothing commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, extract, func
from sqlmodel import Session, col, select

from models.clock import today
from models.enums import EnrolmentStatus, TrainingOrderStatus
from models.queries.course_search import matching_course_ids, query_words
from models.queries.people import commune_names
from models.queries.reference import Option, commune_options, level_options, occupation_options
from models.tables import (
    Course,
    Employer,
    Enrolment,
    Institution,
    Person,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
)

# An order accepted by the institution, and one already in training, may take more courses.
ORDERS_OPEN_FOR_COURSES = (TrainingOrderStatus.ACCEPTED, TrainingOrderStatus.IN_TRAINING)
DROPPED = EnrolmentStatus.DROPPED.value
GRADUATED = EnrolmentStatus.GRADUATED.value


@dataclass(frozen=True)
class CourseFilters:
    """What the course list is narrowed to; None means any."""

    institution_id: int | None = None
    occupation_id: int | None = None
    level_code: str | None = None
    year: int | None = None  # the year the course starts
    status: str | None = None
    text: str | None = None  # words of the code, the name or the occupation


@dataclass(frozen=True)
class CourseRow:
    course: Course
    institution_name: str
    occupation_name: str
    level_name: str
    enrolled: int
    graduated: int


@dataclass(frozen=True)
class CoursePage:
    rows: list[CourseRow]
    total: int
    page: int
    pages: int


def _filtered(filters: CourseFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.institution_id is not None:
        conditions.append(col(Course.institution_id) == filters.institution_id)
    if filters.occupation_id is not None:
        conditions.append(col(Course.occupation_id) == filters.occupation_id)
    if filters.level_code:
        conditions.append(col(Course.level_code) == filters.level_code)
    if filters.year is not None:
        first, last = date(filters.year, 1, 1), date(filters.year, 12, 31)
        conditions.append(col(Course.start_date).between(first, last))
    if filters.status:
        conditions.append(col(Course.status) == filters.status)
    return conditions


def list_courses(
    session: Session, filters: CourseFilters, *, page: int = 1, per_page: int = 25
) -> CoursePage:
    """Courses matching the filters, newest start first, one page of them with the number
    enrolled and graduated (one grouped query for the page, not one per row)."""
    conditions = _filtered(filters)
    query = (
        select(Course, Institution.name, TrainingOccupation.name, TrainingLevel.name)
        .join(Institution, col(Institution.id) == col(Course.institution_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .join(TrainingLevel, col(TrainingLevel.code) == col(Course.level_code))
        .order_by(col(Course.start_date).desc(), col(Course.id).desc())
    )
    if query_words(filters.text):
        # The search already read every course in scope, in the list's order: the count and
        # the page come from its ids, and only the page's rows are read again.
        found = matching_course_ids(session, filters.text or "", conditions)
        total = len(found)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        shown = found[(page - 1) * per_page : page * per_page]
        rows = session.exec(query.where(col(Course.id).in_(shown))).all() if shown else []
    else:
        total = session.exec(select(func.count()).select_from(Course).where(*conditions)).one()
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        rows = session.exec(
            query.where(*conditions).offset((page - 1) * per_page).limit(per_page)
        ).all()
    counts = _counts_by_course(session, [course.id for course, *_ in rows if course.id])
    result = [
        CourseRow(course, inst, occ, lvl, *counts.get(course.id or 0, (0, 0)))
        for course, inst, occ, lvl in rows
    ]
    return CoursePage(result, total, page, pages)


def _counts_by_course(session: Session, course_ids: list[int]) -> dict[int, tuple[int, int]]:
    """course id -> (enrolled, graduated)."""
    if not course_ids:
        return {}
    graduated = func.sum(case((col(Enrolment.status) == GRADUATED, 1), else_=0))
    rows = session.exec(
        select(col(Enrolment.course_id), func.count(), graduated)
        .where(col(Enrolment.course_id).in_(course_ids))
        .group_by(col(Enrolment.course_id))
    ).all()
    return {course_id: (int(n), int(g or 0)) for course_id, n, g in rows}


def course_years(session: Session, institution_id: int | None) -> list[int]:
    """The years courses start in, newest first, for the year filter."""
    year = extract("year", col(Course.start_date))
    query = select(year).distinct().order_by(year.desc())
    if institution_id is not None:
        query = query.where(col(Course.institution_id) == institution_id)
    return [int(value) for value in session.exec(query).all()]


@dataclass(frozen=True)
class CourseCounts:
    capacity: int
    enrolled: int  # every enrolment, dropped ones included
    dropped: int
    graduated: int

    @property
    def places_taken(self) -> int:
        """Dropped trainees give their place back."""
        return self.enrolled - self.dropped

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.places_taken)


def course_counts(session: Session, course: Course) -> CourseCounts:
    status = col(Enrolment.status)
    enrolled, dropped, graduated = session.exec(
        select(
            func.count(),
            func.sum(case((status == DROPPED, 1), else_=0)),
            func.sum(case((status == GRADUATED, 1), else_=0)),
        ).where(col(Enrolment.course_id) == course.id)
    ).one()
    return CourseCounts(course.capacity, int(enrolled), int(dropped or 0), int(graduated or 0))


def places_taken(session: Session, course_id: int) -> int:
    """Enrolments holding a place (all but the dropped), read inside the enrolling transaction."""
    return session.exec(
        select(func.count())
        .select_from(Enrolment)
        .where(col(Enrolment.course_id) == course_id)
        .where(col(Enrolment.status) != DROPPED)
    ).one()


@dataclass(frozen=True)
class CourseView:
    """A course with the names its page shows."""

    course: Course
    institution: Institution
    occupation: TrainingOccupation
    level: TrainingLevel
    venue_name: str
    order: TrainingOrder | None
    order_employer: str


def course_view(session: Session, course_id: int) -> CourseView | None:
    course = session.get(Course, course_id)
    if course is None:
        return None
    institution = session.get(Institution, course.institution_id)
    occupation = session.get(TrainingOccupation, course.occupation_id)
    level = session.get(TrainingLevel, course.level_code)
    assert institution and occupation and level  # foreign keys
    order = (
        session.get(TrainingOrder, course.training_order_id) if course.training_order_id else None
    )
    employer = session.get(Employer, order.employer_id) if order else None
    venue = course.venue_commune_code
    return CourseView(
        course=course,
        institution=institution,
        occupation=occupation,
        level=level,
        venue_name=commune_names(session, {venue}).get(venue, venue) if venue else "",
        order=order,
        order_employer=employer.name if employer else "",
    )


@dataclass(frozen=True)
class RosterRow:
    enrolment: Enrolment
    person: Person


def course_roster(session: Session, course_id: int) -> list[RosterRow]:
    """The course's trainees in Vietnamese name order (the stored sort key)."""
    rows = session.exec(
        select(Enrolment, Person)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .where(col(Enrolment.course_id) == course_id)
        .order_by(col(Person.sort_key), col(Person.id))
    ).all()
    return [RosterRow(enrolment, person) for enrolment, person in rows]


def certificate_numbers_taken(
    session: Session, institution_id: int, numbers: set[str], *, except_enrolments: set[int]
) -> set[str]:
    """Which of `numbers` the institution already gave to enrolments other than these."""
    if not numbers:
        return set()
    query = (
        select(col(Enrolment.certificate_number))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(col(Course.institution_id) == institution_id)
        .where(col(Enrolment.certificate_number).in_(numbers))
    )
    if except_enrolments:
        query = query.where(col(Enrolment.id).not_in(except_enrolments))
    return {number for number in session.exec(query).all() if number}


# --- choices offered by the course form and the filters -------------------------------------


def occupation_choices(session: Session, on: date) -> list[TrainingOccupation]:
    """The training_occupation catalogue valid on a date, by name."""
    rows = session.exec(
        select(TrainingOccupation)
        .where(col(TrainingOccupation.valid_from) <= on)
        .where(
            col(TrainingOccupation.valid_to).is_(None) | (col(TrainingOccupation.valid_to) >= on)
        )
    ).all()
    return sorted(rows, key=lambda occupation: occupation.name_key)


@dataclass(frozen=True)
class OrderChoice:
    order: TrainingOrder
    employer_name: str
    occupation_name: str


def order_choices(
    session: Session, institution_id: int | None, *, keep_order_id: int | None = None
) -> list[OrderChoice]:
    """Training orders addressed to the institution (any institution when None) that it
    accepted and that still take courses, newest first; plus the order a course already
    serves (`keep_order_id`) whatever its status now, so editing the course keeps the link."""
    open_for_courses: Any = col(TrainingOrder.status).in_(
        [status.value for status in ORDERS_OPEN_FOR_COURSES]
    )
    if keep_order_id is not None:
        open_for_courses = open_for_courses | (col(TrainingOrder.id) == keep_order_id)
    if institution_id is not None:
        open_for_courses = open_for_courses & (col(TrainingOrder.institution_id) == institution_id)
    else:
        open_for_courses = open_for_courses & col(TrainingOrder.institution_id).is_not(None)
    rows = session.exec(
        select(TrainingOrder, Employer.name, TrainingOccupation.name)
        .join(Employer, col(Employer.id) == col(TrainingOrder.employer_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id))
        .where(open_for_courses)
        .order_by(col(TrainingOrder.id).desc())
    ).all()
    return [OrderChoice(order, employer, occupation) for order, employer, occupation in rows]


def institution_choices(session: Session) -> list[Institution]:
    rows = session.exec(select(Institution).where(col(Institution.is_active))).all()
    return sorted(rows, key=lambda institution: institution.name_key)


@dataclass(frozen=True)
class CourseChoices:
    """What the course form offers."""

    occupations: list[TrainingOccupation]
    levels: list[Option]
    communes: list[Option]
    orders: list[OrderChoice]
    institutions: list[Institution]


def course_form_choices(
    session: Session,
    *,
    institution_id: int | None,
    keep_order_id: int | None,
    with_institutions: bool,
) -> CourseChoices:
    on = today()
    return CourseChoices(
        occupations=occupation_choices(session, on),
        levels=level_options(session, on=on),
        communes=commune_options(session, on=on),
        orders=order_choices(session, institution_id, keep_order_id=keep_order_id),
        institutions=institution_choices(session) if with_institutions else [],
    )


@dataclass(frozen=True)
class FilterChoices:
    """What the course list can be filtered by."""

    occupations: list[Option]
    levels: list[Option]
    years: list[int]
    institutions: list[Institution]  # for those who see every institution's courses


def filter_choices(session: Session, *, institution_id: int | None) -> FilterChoices:
    on = today()
    return FilterChoices(
        occupations=occupation_options(session, on=on),
        levels=level_options(session, on=on),
        years=course_years(session, institution_id),
        institutions=institution_choices(session) if institution_id is None else [],
    )
