"""Courses: register, edit, list and open one. Institution staff act on their own institution's
courses only; officials read every course; administrators read and edit any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models import audit
from models.db import unit_of_work
from models.errors import ConflictError, InvalidError, NotFoundError
from models.ids import parse_id
from models.queries import courses as course_queries
from models.rows import get_or_404
from models.tables import (
    Course,
    Institution,
)
from models.validation import (
    ErrorCollector,
    clean_text,
)
from web.auth import Actor, Principal
from web.permissions import (
    Permission,
    acts_for_institution,
    institution_scope,
    require_institution,
)
from web.services.course_form import CourseForm, validated_course
from web.services.personal_data import audit_view

Precondition = Callable[[Course], None]  # raises when the course is not as the caller read it


def _institution_for_new_course(session: Session, principal: Actor, raw: str) -> int | None:
    """Staff register courses for their own institution; an administrator picks one."""
    own = institution_scope(principal)
    if own is not None:
        return own
    chosen = parse_id(clean_text(raw))
    if chosen is not None and session.get(Institution, chosen) is not None:
        return chosen
    return None


def create_course(session: Session, *, principal: Actor, form: CourseForm) -> Course:
    """Register a course. A second submit of the same form finds the code taken."""
    with unit_of_work(session):
        institution_id = _institution_for_new_course(session, principal, form.institution_id)
        errors = ErrorCollector()
        if institution_id is None:
            errors.add(InvalidError("institution_id", "Choose an institution."))
        values = validated_course(
            session, form, institution_id=institution_id, course=None, errors=errors
        )
        assert institution_id is not None  # else validated_course raised
        course = Course(institution_id=institution_id, **values)
        _store(session, principal, course, "create")
        return course


def _store(session: Session, principal: Actor, course: Course, action: str, **details: Any) -> None:
    """Write the course and who did what to it. The unique (institution, code) index catches
    a double submit that raced the check."""
    code = course.code  # read now: a failed flush expires the course
    session.add(course)
    try:
        session.flush()
    except IntegrityError as error:  # the unit of work rolls back
        raise ConflictError(
            "code", "The institution already has a course with the code {code}.", code=code
        ) from error
    if principal.api_token_id is not None:
        details["api_token_id"] = principal.api_token_id
    audit.record(
        session,
        user_id=principal.user_id,
        action=action,
        entity="course",
        entity_id=course.id,
        **details,
    )


def institution_course(session: Session, *, principal: Actor, course_id: int) -> Course:
    """The course, if this user acts for its institution (to edit it or enrol people into it)."""
    course = get_or_404(session, Course, course_id, "There is no such course.")
    require_institution(principal, course.institution_id, "There is no such course.")
    return course


def update_course(
    session: Session,
    *,
    principal: Actor,
    course_id: int,
    form: CourseForm,
    expected: Precondition | None = None,
) -> Course:
    """Change the course; `expected` (the API's If-Match) checks, inside the transaction,
    that it is still the version the caller read."""
    with unit_of_work(session):
        course = institution_course(session, principal=principal, course_id=course_id)
        if expected is not None:
            expected(course)
        values = validated_course(
            session, form, institution_id=course.institution_id, course=course
        )
        changed = sorted(name for name, value in values.items() if getattr(course, name) != value)
        for name, value in values.items():
            setattr(course, name, value)
        _store(session, principal, course, "update", fields=changed)
        return course


# --- reading -------------------------------------------------------------------------------


def course_list(
    session: Session, *, principal: Principal, filters: course_queries.CourseFilters, page: int
) -> course_queries.CoursePage:
    """Courses this user may see: institution staff only their own institution's."""
    own = institution_scope(principal)
    if own is not None:
        filters = course_queries.CourseFilters(**{**filters.__dict__, "institution_id": own})
    return course_queries.list_courses(session, filters, page=page)


def filter_choices(session: Session, *, principal: Principal) -> course_queries.FilterChoices:
    return course_queries.filter_choices(session, institution_id=institution_scope(principal))


@dataclass(frozen=True)
class CoursePageData:
    view: course_queries.CourseView
    counts: course_queries.CourseCounts
    roster: list[course_queries.RosterRow] = field(default_factory=list)
    can_manage: bool = False


def course_summary(session: Session, *, principal: Principal, course_id: int) -> CoursePageData:
    """A course and its counts without the roster (no personal data, nothing audited)."""
    return _course_page(session, principal, course_id, with_roster=False)


def open_course(session: Session, *, principal: Principal, course_id: int) -> CoursePageData:
    """A course with its counts and trainees. The names on the roster are personal data:
    the view is audited (one entry naming the people shown)."""
    return _course_page(session, principal, course_id, with_roster=True)


def _course_page(
    session: Session, principal: Principal, course_id: int, *, with_roster: bool
) -> CoursePageData:
    view = course_queries.course_view(session, course_id)
    if view is None:
        raise NotFoundError(None, "There is no such course.")
    require_institution(principal, view.course.institution_id, "There is no such course.")
    roster = course_queries.course_roster(session, course_id) if with_roster else []
    if roster:
        person_ids = [row.person.id for row in roster]
        audit_view(session, principal, "course", entity_id=course_id, person_ids=person_ids)
    return CoursePageData(
        view=view,
        counts=course_queries.course_counts(session, view.course),
        roster=roster,
        can_manage=acts_for_institution(
            principal, Permission.MANAGE_COURSES, view.course.institution_id
        ),
    )


def course_choices(
    session: Session, *, principal: Principal, course: Course | None = None
) -> course_queries.CourseChoices:
    """What the course form offers this user: the orders of the course's institution (of
    the user's own for a new course; of every institution for an administrator)."""
    return course_queries.course_form_choices(
        session,
        institution_id=course.institution_id if course else institution_scope(principal),
        keep_order_id=course.training_order_id if course else None,
        with_institutions=course is None and institution_scope(principal) is None,
    )
