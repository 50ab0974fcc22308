"""Courses: register, edit, list and open one. Institution staff act on their own institution's
courses only; officials read every course; administrators read and edit any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today
from models.enums import CertificateKind, CourseStatus, EnrolmentStatus, FundingSource
from models.errors import ConflictError, InvalidError, NotFoundError
from models.queries import courses as course_queries
from models.queries.reference import commune_options
from models.tables import (
    Course,
    Enrolment,
    Institution,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
)
from models.validation import (
    ErrorCollector,
    clean_text,
    parse_date,
    require_text,
    validate_date_range,
    validate_quantity,
)
from web.auth import Principal
from web.permissions import (
    Permission,
    acts_for_institution,
    institution_scope,
    require,
    require_institution,
)

MAX_CAPACITY = 500
MAX_HOURS = 5000


@dataclass
class CourseForm:
    """A course form as typed: strings, checked by `_validated`."""

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
    if not text.isdigit():
        raise InvalidError(field_name, "{value} is not a whole number.", value=text)
    return int(text)


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
    if occupation is not None and level.code not in occupation.levels:
        errors.add(
            InvalidError(
                "level_code",
                "{occupation} is not taught at the level {level}.",
                occupation=occupation.name,
                level=level.name,
            )
        )
    return occupation_id, level.code


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


def _validated(
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
    if code and len(code) > 40:
        errors.add(InvalidError("code", "At most {max} characters.", max=40))
    name = errors.check(require_text, form.name, "name")
    if name and len(name) > 200:
        errors.add(InvalidError("name", "At most {max} characters.", max=200))
    occupation_id, level_code = _occupation_and_level(session, errors, form)
    hours = errors.check(_whole, form.hours, "hours")
    if hours is not None and not 1 <= hours <= MAX_HOURS:
        errors.add(InvalidError("hours", "Between {low} and {high}.", low=1, high=MAX_HOURS))
    dates = errors.check(validate_date_range, form.start_date, form.end_date)
    start, end = dates or (None, None)
    if dates is not None and start is None:
        errors.add(InvalidError("start_date", "This field is required."))
    if dates is not None and end is None:
        errors.add(InvalidError("end_date", "This field is required."))
    capacity = errors.check(validate_quantity, form.capacity, "capacity", maximum=MAX_CAPACITY)
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


def _institution_for_new_course(session: Session, principal: Principal, raw: str) -> int | None:
    """Staff register courses for their own institution; an administrator picks one."""
    own = institution_scope(principal)
    if own is not None:
        return own
    chosen = clean_text(raw)
    if chosen.isdigit() and session.get(Institution, int(chosen)) is not None:
        return int(chosen)
    return None


def create_course(session: Session, *, principal: Principal, form: CourseForm) -> Course:
    """Register a course. A second submit of the same form finds the code taken."""
    require(principal, Permission.MANAGE_COURSES)
    institution_id = _institution_for_new_course(session, principal, form.institution_id)
    errors = ErrorCollector()
    if institution_id is None:
        errors.add(InvalidError("institution_id", "Choose an institution."))
    values = _validated(session, form, institution_id=institution_id, course=None, errors=errors)
    assert institution_id is not None  # else _validated raised
    course = Course(institution_id=institution_id, **values)
    session.add(course)
    _flush_or_conflict(session, values["code"])
    audit.record(
        session, user_id=principal.user.id, action="create", entity="course", entity_id=course.id
    )
    session.commit()
    return course


def _flush_or_conflict(session: Session, code: str) -> None:
    """The unique (institution, code) index catches a double submit that raced the check."""
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise ConflictError(
            "code", "The institution already has a course with the code {code}.", code=code
        ) from error


def require_course_editor(principal: Principal) -> None:
    require(principal, Permission.MANAGE_COURSES)


def editable_course(session: Session, *, principal: Principal, course_id: int) -> Course:
    """The course, if this user may edit it."""
    require(principal, Permission.MANAGE_COURSES)
    course = session.get(Course, course_id)
    if course is None:
        raise NotFoundError(None, "There is no such course.")
    require_institution(principal, course.institution_id)
    return course


def update_course(
    session: Session, *, principal: Principal, course_id: int, form: CourseForm
) -> Course:
    course = editable_course(session, principal=principal, course_id=course_id)
    values = _validated(session, form, institution_id=course.institution_id, course=course)
    changed = sorted(name for name, value in values.items() if getattr(course, name) != value)
    for name, value in values.items():
        setattr(course, name, value)
    session.add(course)
    _flush_or_conflict(session, values["code"])
    audit.record(
        session,
        user_id=principal.user.id,
        action="update",
        entity="course",
        entity_id=course.id,
        fields=changed,
    )
    session.commit()
    return course


# --- reading -------------------------------------------------------------------------------


def course_list(
    session: Session, *, principal: Principal, filters: course_queries.CourseFilters, page: int
) -> course_queries.CoursePage:
    """Courses this user may see: institution staff only their own institution's."""
    require(principal, Permission.VIEW_COURSES)
    own = institution_scope(principal)
    if own is not None:
        filters = course_queries.CourseFilters(**{**filters.__dict__, "institution_id": own})
    return course_queries.list_courses(session, filters, page=page)


def filter_choices(session: Session, *, principal: Principal) -> course_queries.FilterChoices:
    require(principal, Permission.VIEW_COURSES)
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
    require(principal, Permission.VIEW_COURSES)
    view = course_queries.course_view(session, course_id)
    if view is None:
        raise NotFoundError(None, "There is no such course.")
    require_institution(principal, view.course.institution_id)
    roster = course_queries.course_roster(session, course_id) if with_roster else []
    if roster:
        audit.record(
            session,
            user_id=principal.user.id,
            action="view_personal_data",
            entity="course",
            entity_id=course_id,
            person_ids=[row.person.id for row in roster],
        )
        session.commit()
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


# --- results of a whole course at once -----------------------------------------------------

DEFAULT_CERTIFICATE = {
    "duoi_3_thang": CertificateKind.TRAINING_CERTIFICATE,
    "so_cap": CertificateKind.ELEMENTARY_CERTIFICATE,
    "trung_cap": CertificateKind.INTERMEDIATE_DIPLOMA,
    "cao_dang": CertificateKind.COLLEGE_DIPLOMA,
}
RESULTS = ("dat", "khong_dat")
FINISHED = {EnrolmentStatus.COMPLETED.value, EnrolmentStatus.GRADUATED.value}


def default_certificate(level_code: str) -> str:
    """The credential a level leads to (a completion certificate for levels added later)."""
    return DEFAULT_CERTIFICATE.get(level_code, CertificateKind.COMPLETION_CERTIFICATE).value


def result_field(enrolment_id: int, name: str) -> str:
    """The input name of one cell of the results table, also the key of its errors."""
    return f"row-{enrolment_id}-{name}"


@dataclass
class ResultInput:
    """One row of the results table as typed."""

    enrolment_id: int
    status: str = ""
    result: str = ""
    graduated_on: str = ""
    certificate_kind: str = ""
    certificate_number: str = ""


def _row_values(row: ResultInput, course: Course, errors: ErrorCollector) -> dict[str, Any]:
    """The enrolment's new values; a bad cell is added to `errors` under its input name."""

    def bad(name: str, msgid: str, **params: Any) -> None:
        errors.add(InvalidError(result_field(row.enrolment_id, name), msgid, **params))

    status, result = row.status, clean_text(row.result) or None
    number = clean_text(row.certificate_number) or None
    graduated = status == EnrolmentStatus.GRADUATED
    if status not in {each.value for each in EnrolmentStatus}:
        bad("status", "Choose a status.")
    if result is not None and result not in RESULTS:
        bad("result", "Choose a result.")
    elif result is not None and status not in FINISHED:
        bad("result", "Only a trainee who finished the course has a result.")
    elif graduated and result == "khong_dat":
        bad("result", "A graduate must have passed.")
    when = _graduation_date(row, course, graduated, bad)
    kind = row.certificate_kind or default_certificate(course.level_code)
    if graduated and kind not in {each.value for each in CertificateKind}:
        bad("certificate_kind", "Choose a kind of certificate.")
    if graduated and number is None:
        bad("certificate_number", "A graduate needs a certificate number.")
    elif not graduated and number is not None:
        bad("certificate_number", "Only a graduate has a certificate number.")
    elif number is not None and len(number) > 40:
        bad("certificate_number", "At most {max} characters.", max=40)
    return {
        "status": status,
        "result": "dat" if graduated else result,
        "graduated_on": when,
        "certificate_kind": kind if graduated else None,
        "certificate_number": number,
    }


def _graduation_date(
    row: ResultInput, course: Course, graduated: bool, bad: Callable[..., None]
) -> date | None:
    text = clean_text(row.graduated_on)
    if not graduated:
        if text:
            bad("graduated_on", "Only a graduate has a graduation date.")
        return None
    if not text:
        bad("graduated_on", "A graduate needs a graduation date.")
        return None
    try:
        when = parse_date(text, result_field(row.enrolment_id, "graduated_on"))
    except InvalidError as error:
        bad("graduated_on", error.msgid, **error.params)
        return None
    if when < course.start_date:
        bad(
            "graduated_on",
            "The graduation date is before the course started ({start}).",
            start=course.start_date,
        )
    elif when > today():
        bad("graduated_on", "The graduation date {date} is in the future.", date=when)
    return when


def _certificate_clashes(
    session: Session, course: Course, planned: dict[int, dict[str, Any]], errors: ErrorCollector
) -> None:
    """A certificate number is given once per institution: not twice in the table, not to a
    trainee of another course."""
    by_number: dict[str, list[int]] = {}
    for enrolment_id, values in planned.items():
        if values["certificate_number"]:
            by_number.setdefault(values["certificate_number"], []).append(enrolment_id)
    taken = course_queries.certificate_numbers_taken(
        session, course.institution_id, set(by_number), except_enrolments=set(planned)
    )
    for number, enrolment_ids in by_number.items():
        if len(enrolment_ids) > 1 or number in taken:
            for enrolment_id in enrolment_ids:
                errors.add(
                    InvalidError(
                        result_field(enrolment_id, "certificate_number"),
                        "The certificate number {number} is already used at this institution.",
                        number=number,
                    )
                )


def record_results(
    session: Session, *, principal: Principal, course_id: int, rows: list[ResultInput]
) -> int:
    """Save the results of a whole course in one transaction, or nothing at all when any
    cell is wrong (ValidationErrors naming each cell). Returns how many rows changed."""
    require(principal, Permission.MANAGE_TRAINEES)
    course = session.get(Course, course_id)
    if course is None:
        raise NotFoundError(None, "There is no such course.")
    require_institution(principal, course.institution_id)
    # Held until commit, so two courses of one institution cannot hand out the same number
    # at the same moment (PostgreSQL; SQLite transactions begin IMMEDIATE).
    session.exec(
        select(Institution).where(col(Institution.id) == course.institution_id).with_for_update()
    ).one()
    enrolments = {
        enrolment.id: enrolment
        for enrolment in session.exec(
            select(Enrolment).where(col(Enrolment.course_id) == course_id)
        )
    }
    errors = ErrorCollector()
    planned: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row.enrolment_id not in enrolments:
            errors.add(
                InvalidError(None, "The table no longer matches the course: reload the page.")
            )
            continue
        planned[row.enrolment_id] = _row_values(row, course, errors)
    _certificate_clashes(session, course, planned, errors)
    errors.raise_if_any()
    changed = 0
    for enrolment_id, values in planned.items():
        changed += _apply(session, principal, enrolments[enrolment_id], values)
    session.commit()
    return changed


def _apply(
    session: Session, principal: Principal, enrolment: Enrolment, values: dict[str, Any]
) -> int:
    fields = sorted(name for name, value in values.items() if getattr(enrolment, name) != value)
    if not fields:
        return 0
    for name in fields:
        setattr(enrolment, name, values[name])
    session.add(enrolment)
    audit.record(
        session,
        user_id=principal.user.id,
        action="update",
        entity="enrolment",
        entity_id=enrolment.id,
        person_id=enrolment.person_id,
        fields=fields,
    )
    return 1


def results_sheet(session: Session, *, principal: Principal, course_id: int) -> CoursePageData:
    """The course and its trainees for the results table (audited like the course page)."""
    require(principal, Permission.MANAGE_TRAINEES)
    return open_course(session, principal=principal, course_id=course_id)
