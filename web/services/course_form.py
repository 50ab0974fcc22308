"""The course form: what is typed, and every field checked against the catalogue, the
institution's orders and the courses it already has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from matching.kpi.dates import add_months
from models.clock import today
from models.enums import CourseStatus, FundingSource
from models.errors import InvalidError
from models.queries import courses as course_queries
from models.queries.reference import commune_options
from models.tables import (
    Course,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
)
from models.tables.training import CourseCreate
from models.validation import (
    ErrorCollector,
    bounds,
    check_length,
    clean_text,
    max_length,
    require_text,
    validate_date_range,
    validate_quantity,
)
from models.validation.base import stored_whole


@dataclass
class CourseForm:
    """A course form as typed: strings, checked by `validated_course`."""

    institution_id: str = ""
    code: str = ""
    name: str = ""
    occupation_id: str = ""
    level_code: str = ""
    hours: str = ""
    start_date: str = ""
    end_date: str = ""
    capacity: str = ""
    venue_commune_code: str = ""
    mobile: bool = False
    funding_source: str = ""
    training_order_id: str = ""
    status: str = CourseStatus.PLANNED.value

    @classmethod
    def from_course(cls, course: Course) -> CourseForm:
        return cls(
            institution_id=str(course.institution_id),
            code=course.code,
            name=course.name,
            occupation_id=str(course.occupation_id),
            level_code=course.level_code,
            hours="" if course.hours is None else str(course.hours),
            start_date=course.start_date.isoformat(),  # what a date input holds
            end_date=course.end_date.isoformat(),
            capacity=str(course.capacity),
            venue_commune_code=course.venue_commune_code or "",
            mobile=course.mobile,
            funding_source=course.funding_source,
            training_order_id=str(course.training_order_id or ""),
            status=course.status,
        )


def _whole(value: str, field_name: str) -> int | None:
    text = clean_text(value)
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidError(field_name, "{value} is not a whole number.", value=text)
    return stored_whole(text, field_name)


def _occupation_and_level(
    session: Session, errors: ErrorCollector, form: CourseForm
) -> tuple[int | None, str | None]:
    """The occupation from the catalogue and a level it is taught at."""
    occupation_id = errors.check(_whole, form.occupation_id, "occupation_id")
    occupation = session.get(TrainingOccupation, occupation_id) if occupation_id else None
    if occupation is None:
        errors.add(InvalidError("occupation_id", "Choose an occupation from the list."))
    level = session.get(TrainingLevel, form.level_code) if form.level_code else None
    if level is None:
        errors.add(InvalidError("level_code", "Choose a training level."))
        return occupation_id, None
    if occupation is not None:
        errors.check(check_taught_at, occupation, level)
    return occupation_id, level.code


SO_CAP, UNDER_3_MONTHS = "so_cap", "duoi_3_thang"
SO_CAP_MIN_HOURS = 300


def check_length_fits_level(level_code: str, start: date, end: date, hours: int | None) -> None:
    """A sơ cấp course lasts from 3 months to under a year and at least 300 hours; a course
    under 3 months ("dưới 3 tháng") is shorter (Law on Vocational Education, art. 32)."""
    three_months = add_months(start, 3) - timedelta(days=1)  # 1 March to 31 May is 3 months
    if level_code == SO_CAP:
        if end < three_months or end >= add_months(start, 12) - timedelta(days=1):
            raise InvalidError(
                "end_date",
                "A sơ cấp course lasts from 3 months to under a year (from {start}: "
                "until {earliest} at the earliest); a shorter one is a course under 3 months.",
                start=start,
                earliest=three_months,
            )
        if hours is not None and hours < SO_CAP_MIN_HOURS:
            raise InvalidError(
                "hours",
                "A sơ cấp course has at least {hours} hours; a shorter one is a course under "
                "3 months.",
                hours=SO_CAP_MIN_HOURS,
            )
    elif level_code == UNDER_3_MONTHS and end >= three_months:
        raise InvalidError(
            "end_date",
            "A course under 3 months ends before {date}; a longer one is a sơ cấp course.",
            date=three_months,
        )


def check_taught_at(occupation: TrainingOccupation, level: TrainingLevel) -> None:
    """The catalogue's pairs only: a course, or a training order, of an occupation at a level
    the catalogue teaches it at."""
    if level.code not in occupation.levels:
        raise InvalidError(
            "level_code",
            "{occupation} is not taught at the level {level}.",
            occupation=occupation.name,
            level=level.name,
        )


def _order(
    session: Session,
    errors: ErrorCollector,
    form: CourseForm,
    *,
    institution_id: int | None,
    keep_order_id: int | None,
) -> int | None:
    """The training order the course serves: one addressed to this institution and accepted
    (or the one the course already served)."""
    order_id = errors.check(_whole, form.training_order_id, "training_order_id")
    if order_id is None or institution_id is None:
        return None
    allowed = {
        choice.order.id
        for choice in course_queries.order_choices(
            session, institution_id, keep_order_id=keep_order_id
        )
    }
    order = session.get(TrainingOrder, order_id)
    if order is None or order_id not in allowed:
        errors.add(
            InvalidError(
                "training_order_id",
                "Choose a training order addressed to this institution and accepted by it.",
            )
        )
        return None
    if str(order.occupation_id) != clean_text(form.occupation_id):
        errors.add(
            InvalidError(
                "training_order_id", "The training order is for another occupation than the course."
            )
        )
    return order_id


def validated_course(
    session: Session,
    form: CourseForm,
    *,
    institution_id: int | None,
    course: Course | None,
    errors: ErrorCollector | None = None,
) -> dict[str, Any]:
    """The course's values, or ValidationErrors naming every bad field (with those already
    in `errors`)."""
    errors = errors or ErrorCollector()
    code = errors.check(require_text, form.code, "code")
    if code:
        errors.check(check_length, code, max_length(CourseCreate, "code"), "code")
    name = errors.check(require_text, form.name, "name")
    if name:
        errors.check(check_length, name, max_length(CourseCreate, "name"), "name")
    occupation_id, level_code = _occupation_and_level(session, errors, form)
    hours = errors.check(_whole, form.hours, "hours")
    low, high = bounds(CourseCreate, "hours")
    if hours is not None and not low <= hours <= high:
        errors.add(InvalidError("hours", "Between {low} and {high}.", low=low, high=high))
    dates = errors.check(validate_date_range, form.start_date, form.end_date)
    start, end = dates or (None, None)
    if dates is not None and start is None:
        errors.add(InvalidError("start_date", "This field is required."))
    if dates is not None and end is None:
        errors.add(InvalidError("end_date", "This field is required."))
    stored = (
        (course.level_code, course.start_date, course.end_date, course.hours) if course else None
    )
    # A course recorded before the rule keeps its length until its level, dates or hours are
    # changed: its status can still be moved on.
    changed = stored != (level_code, start, end, hours)
    if level_code is not None and start is not None and end is not None and changed:
        errors.check(check_length_fits_level, level_code, start, end, hours)
    most = bounds(CourseCreate, "capacity")[1]
    capacity = errors.check(validate_quantity, form.capacity, "capacity", maximum=most)
    if capacity is not None and course is not None:
        _check_capacity_not_below_enrolled(session, errors, course, capacity)
    venue = clean_text(form.venue_commune_code) or None
    communes = {option.value for option in commune_options(session, on=today())}
    if venue is not None and venue not in communes:
        errors.add(InvalidError("venue_commune_code", "Choose a commune of the province."))
    if form.funding_source not in {source.value for source in FundingSource}:
        errors.add(InvalidError("funding_source", "Choose a funding source."))
    if form.status not in {status.value for status in CourseStatus}:
        errors.add(InvalidError("status", "Choose a status."))
    keep = course.training_order_id if course else None
    order_id = _order(session, errors, form, institution_id=institution_id, keep_order_id=keep)
    if code and institution_id is not None and _code_taken(session, institution_id, code, course):
        errors.add(
            InvalidError(
                "code", "The institution already has a course with the code {code}.", code=code
            )
        )
    errors.raise_if_any()
    return {
        "code": code,
        "name": name,
        "occupation_id": occupation_id,
        "level_code": level_code,
        "hours": hours,
        "start_date": start,
        "end_date": end,
        "capacity": capacity,
        "venue_commune_code": venue,
        "mobile": form.mobile,
        "funding_source": form.funding_source,
        "training_order_id": order_id,
        "status": form.status,
    }


def _check_capacity_not_below_enrolled(
    session: Session, errors: ErrorCollector, course: Course, capacity: int
) -> None:
    taken = course_queries.places_taken(session, course.id or 0)
    if capacity < taken:
        errors.add(
            InvalidError(
                "capacity",
                "The capacity may not be below the {taken} trainees already enrolled.",
                taken=taken,
            )
        )


def _code_taken(session: Session, institution_id: int, code: str, course: Course | None) -> bool:
    query = (
        select(Course.id)
        .where(col(Course.institution_id) == institution_id)
        .where(col(Course.code) == code)
    )
    if course is not None:
        query = query.where(col(Course.id) != course.id)
    return session.exec(query).first() is not None
