"""Reading training orders: the list each side follows, one order with its linked courses, and
its progress (ordered, enrolled, graduated, hired against the hiring commitment). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.enums import CourseStatus, EnrolmentStatus, ReferralStatus
from models.errors import NotFoundError
from models.queries.reference import Option
from models.queries.vacancies import PER_PAGE, Page, clamp_page
from models.rows import get_or_404
from models.tables import (
    Course,
    Employer,
    EmploymentSpell,
    Enrolment,
    Institution,
    Referral,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
    Vacancy,
)


@dataclass(frozen=True)
class OrderRow:
    """A line of the order list."""

    id: int
    employer_name: str
    institution_name: str | None
    occupation_name: str
    level_name: str
    quantity: int
    hiring_commitment: int
    needed_by: date
    status: str


def _listing() -> Select[TrainingOrder, str, str, str, str]:
    """An order with the names it is shown with (sqlalchemy's select: five entities)."""
    return (
        sa_select(
            TrainingOrder,
            col(Employer.name),
            col(Institution.name),
            col(TrainingOccupation.name),
            col(TrainingLevel.name),
        )
        .join(Employer, col(Employer.id) == col(TrainingOrder.employer_id))
        .outerjoin(Institution, col(Institution.id) == col(TrainingOrder.institution_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id))
        .join(TrainingLevel, col(TrainingLevel.code) == col(TrainingOrder.level_code))
    )


def list_orders(
    session: Session,
    *,
    employer_id: int | None,
    institution_id: int | None,
    status: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[OrderRow]:
    """Orders newest first: an employer's own, those addressed to an institution, or all."""
    query = _listing()
    if employer_id is not None:
        query = query.where(col(TrainingOrder.employer_id) == employer_id)
    if institution_id is not None:
        query = query.where(col(TrainingOrder.institution_id) == institution_id)
    if status:
        query = query.where(col(TrainingOrder.status) == status)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = clamp_page(page)
    rows = session.execute(
        query.order_by(col(TrainingOrder.requested_at).desc(), col(TrainingOrder.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [
        OrderRow(
            id=order.id or 0,
            employer_name=employer,
            institution_name=institution,
            occupation_name=occupation,
            level_name=level,
            quantity=order.quantity,
            hiring_commitment=order.hiring_commitment,
            needed_by=order.needed_by,
            status=order.status,
        )
        for order, employer, institution, occupation, level in rows
    ]
    return Page(items=items, total=total, page=page, per_page=per_page)


def get_order(session: Session, order_id: int) -> TrainingOrder:
    return get_or_404(session, TrainingOrder, order_id, "This training order does not exist.")


@dataclass(frozen=True)
class OrderProgress:
    """How far the order has come: people enrolled in and graduated from its courses, and
    graduates hired by the ordering employer, against what was ordered and committed."""

    ordered: int
    enrolled: int
    graduated: int
    hired: int
    commitment: int

    @property
    def commitment_met(self) -> bool:
        return self.hired >= self.commitment


def linked_course_ids(session: Session, order_id: int) -> list[int]:
    query = select(Course.id).where(col(Course.training_order_id) == order_id)
    return [course_id for course_id in session.exec(query).all() if course_id is not None]


def order_progress(session: Session, order: TrainingOrder) -> OrderProgress:
    """Counted over the courses linked to the order. Hired: graduates of those courses with an
    employment spell at the ordering employer or a hired referral to one of its vacancies."""
    courses = linked_course_ids(session, order.id or 0)
    in_courses = col(Enrolment.course_id).in_(courses)
    graduated = col(Enrolment.status) == EnrolmentStatus.GRADUATED.value
    enrolled_count = select(func.count(func.distinct(Enrolment.person_id))).where(in_courses)
    graduate_ids = select(Enrolment.person_id).where(in_courses, graduated)
    graduated_count = select(func.count(func.distinct(Enrolment.person_id))).where(
        in_courses, graduated
    )
    by_spell = select(EmploymentSpell.person_id).where(
        col(EmploymentSpell.employer_id) == order.employer_id,
        col(EmploymentSpell.person_id).in_(graduate_ids),
    )
    by_referral = (
        select(Referral.person_id)
        .join(Vacancy, col(Vacancy.id) == col(Referral.vacancy_id))
        .where(
            col(Vacancy.employer_id) == order.employer_id,
            col(Referral.status) == ReferralStatus.HIRED.value,
            col(Referral.person_id).in_(graduate_ids),
        )
    )
    hired_count = select(func.count()).select_from(union(by_spell, by_referral).subquery())
    row = session.execute(
        select(
            enrolled_count.scalar_subquery(),
            graduated_count.scalar_subquery(),
            hired_count.scalar_subquery(),
        )
    ).one()
    return OrderProgress(
        ordered=order.quantity,
        enrolled=int(row[0] or 0),
        graduated=int(row[1] or 0),
        hired=int(row[2] or 0),
        commitment=order.hiring_commitment,
    )


@dataclass(frozen=True)
class LinkedCourse:
    id: int
    code: str
    name: str
    start_date: date
    end_date: date
    status: str


@dataclass(frozen=True)
class OrderDetail:
    """An order with the names its page shows, its courses and its progress."""

    order: TrainingOrder
    employer_name: str
    institution_name: str | None
    occupation_name: str
    level_name: str
    courses: list[LinkedCourse]
    progress: OrderProgress


def order_detail(session: Session, order_id: int) -> OrderDetail:
    row = session.execute(_listing().where(col(TrainingOrder.id) == order_id)).first()
    if row is None:
        raise NotFoundError(None, "This training order does not exist.")
    order, employer, institution, occupation, level = row
    courses = session.exec(
        select(Course)
        .where(col(Course.training_order_id) == order_id)
        .order_by(col(Course.start_date))
    ).all()
    return OrderDetail(
        order=order,
        employer_name=employer,
        institution_name=institution,
        occupation_name=occupation,
        level_name=level,
        courses=[
            LinkedCourse(c.id or 0, c.code, c.name, c.start_date, c.end_date, c.status)
            for c in courses
        ],
        progress=order_progress(session, order),
    )


def linkable_courses(session: Session, order: TrainingOrder) -> list[Option]:
    """Courses that may train this order's cohort: the addressed institution's, of the
    ordered occupation, not cancelled and not serving another order."""
    if order.institution_id is None:
        return []
    courses = session.exec(
        select(Course)
        .where(
            col(Course.institution_id) == order.institution_id,
            col(Course.occupation_id) == order.occupation_id,
            col(Course.training_order_id).is_(None),
            col(Course.status) != CourseStatus.CANCELLED.value,
        )
        .order_by(col(Course.start_date).desc())
    ).all()
    return [Option(str(c.id), f"{c.code} — {c.name}") for c in courses]


def course_finished(course: Course | LinkedCourse, on: date) -> bool:
    """Finished when marked so, or when its end date has passed (and it was not cancelled)."""
    if course.status == CourseStatus.CANCELLED.value:
        return False
    return course.status == CourseStatus.FINISHED.value or course.end_date < on


def institution_options(session: Session) -> list[Option]:
    rows = session.exec(
        select(Institution)
        .where(col(Institution.is_active).is_(True))
        .order_by(col(Institution.name_key))
    ).all()
    return [Option(str(row.id), row.name) for row in rows]
