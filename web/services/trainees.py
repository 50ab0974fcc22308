"""Trainees: find a person before registering them, enrol them into a course, open a person's
record and change their consent. Every view of personal data is audited.

An institution reaches a person it has not trained only through what its own enrolment
needs: the full citizen ID and the birth date, both matching exactly. The lookup answers
"found, enrol this person" or "not found", nothing more, and the enrol form sends the ID and
the date again (never a person id the server would trust). Nobody is registered twice: a new
person whose ID is registered is offered as that person; one whose name and birth date are
registered is confirmed as someone else first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import CourseStatus
from models.errors import ConflictError, InvalidError, NotFoundError
from models.learner_support import (
    SUPPORT_TWICE,
    check_support_once,
    is_second_support,
    parse_support_amount,
    support_policy,
)
from models.queries import courses as course_queries
from models.queries import people as people_queries
from models.tables import Course, Enrolment, Ethnicity, Person
from models.validation import check_enrolment_date, parse_date
from web.auth import Principal
from web.permissions import NO_SUCH_PERSON, institution_scope, require_person
from web.services.courses import institution_course
from web.services.person_form import PersonForm, new_person
from web.services.personal_data import audit_view


@dataclass
class EnrolForm:
    """What the enrol page sends: a registered person named by their full citizen ID and
    birth date (`existing`), or a new one. No person id is ever taken from the form."""

    person: PersonForm = field(default_factory=PersonForm)
    existing: bool = False  # enrol the registered person with this citizen ID and birth date
    enrolled_on: str = ""
    support_amount: str = ""  # learner support paid, VND (QĐ 46/2015: once per person)
    confirmed_new: bool = False  # the user was told of a same name and birth date: someone else


@dataclass(frozen=True)
class EnrolResult:
    """Either the enrolment made, or why nothing was written (but the audit): the citizen
    ID and birth date typed for a new person are those of a registered one (`registered`),
    or people with the same name and birth date are registered (`same_name`). Neither
    shows anything of those people beyond what the clerk typed."""

    enrolment: Enrolment | None = None
    person: Person | None = None
    registered: bool = False
    same_name: bool = False


NOT_REGISTERED = "No registered person has this citizen ID and date of birth."
OTHER_BIRTH_DATE = (
    "A person with this ID number is already registered with another date of birth: check "
    "the number and the date."
)
FIND_BOTH = "Type the full 12-digit citizen ID and the date of birth."


def ethnicity_choices(session: Session) -> list[Ethnicity]:
    return people_queries.ethnicity_choices(session)


def enrol(
    session: Session, *, principal: Principal, course_id: int, form: EnrolForm
) -> EnrolResult:
    """Enrol the registered person the citizen ID and birth date name, or a new one once no
    registered person matches."""
    with unit_of_work(session):
        course = institution_course(session, principal=principal, course_id=course_id)
        enrolled_on = _enrolment_date(form.enrolled_on, course)
        support = parse_support_amount(form.support_amount)
        if form.existing:
            person = _registered_person(session, principal, form.person, course_id)
            return _enrol_person(
                session, principal, course, person, (enrolled_on, support), created=False
            )
        person = new_person(session, form.person)
        registered = people_queries.find_by_citizen_id(session, person.citizen_id)
        if registered is not None:
            if registered.birth_date != person.birth_date:
                raise InvalidError("birth_date", OTHER_BIRTH_DATE)
            _audit_found(session, principal, registered, course_id)
            return EnrolResult(registered=True)
        if not form.confirmed_new and people_queries.find_by_name_and_birth_date(
            session, person.full_name, person.birth_date
        ):
            return EnrolResult(same_name=True)
        session.add(person)
        _flush_or_conflict(session, "citizen_id", "This citizen ID is already registered")
        audit.record(
            session,
            user_id=principal.user.id,
            action="create",
            entity="person",
            entity_id=person.id,
            person_id=person.id,
        )
        return _enrol_person(
            session, principal, course, person, (enrolled_on, support), created=True
        )


def _enrolment_date(raw: str, course: Course) -> date:
    """The date typed (today when blank), inside the course: an enrolment may come up to six
    months before the start, never after the end."""
    enrolled_on = parse_date(raw, "enrolled_on") if raw.strip() else today()
    return check_enrolment_date(enrolled_on, start=course.start_date, end=course.end_date)


def _identity(citizen_id: str, birth_date: str) -> tuple[str, date]:
    """The full citizen ID and the birth date a lookup needs, both required."""
    number = people_queries.compact_citizen_id(citizen_id)
    if len(number) != people_queries.CITIZEN_ID_LENGTH or not number.isdigit():
        raise InvalidError("find", FIND_BOTH)
    if not birth_date.strip():
        raise InvalidError("find", FIND_BOTH)
    return number, parse_date(birth_date, "find_birth_date")


def _registered_person(
    session: Session, principal: Principal, typed: PersonForm, course_id: int
) -> Person:
    """The registered person with exactly this citizen ID and birth date; anything else is
    answered as not found, whether the ID is unknown or the date differs."""
    number, born = _identity(typed.citizen_id, typed.birth_date)
    person = people_queries.find_registered(session, number, born)
    if person is None:
        raise NotFoundError("find", NOT_REGISTERED)
    _audit_found(session, principal, person, course_id)
    return person


def _enrol_person(
    session: Session,
    principal: Principal,
    course: Course,
    person: Person,
    terms: tuple[date, int],
    *,
    created: bool,
) -> EnrolResult:
    """Add the enrolment (its date and the learner support paid) while holding the course
    row, so two clerks cannot both take the last place (PostgreSQL row lock; on SQLite the
    unit of work began IMMEDIATE). Support under QĐ 46 is refused for a person who already
    had it; the unique index catches a race. Runs inside the caller's unit of work."""
    enrolled_on, support = terms
    locked = session.exec(select(Course).where(col(Course.id) == course.id).with_for_update()).one()
    if locked.status == CourseStatus.CANCELLED:
        raise ConflictError("course", "This course was cancelled: no one can be enrolled.")
    already = session.exec(
        select(Enrolment.id)
        .where(col(Enrolment.course_id) == course.id)
        .where(col(Enrolment.person_id) == person.id)
    ).first()
    if already is not None:
        raise ConflictError("person_id", "This person is already enrolled in this course.")
    if course_queries.places_taken(session, locked.id or 0) >= locked.capacity:
        raise ConflictError(
            "course",
            "The course is full: all {capacity} places are taken.",
            capacity=locked.capacity,
        )
    policy = support_policy(locked.funding_source, support)
    check_support_once(session, person.id or 0, policy)
    enrolment = Enrolment(
        person_id=person.id or 0,
        course_id=locked.id or 0,
        enrolled_on=enrolled_on,
        support_amount=support,
        support_policy=policy,
    )
    session.add(enrolment)
    _flush_or_conflict(session, "person_id", "This person is already enrolled in this course.")
    audit.record(
        session,
        user_id=principal.user.id,
        action="enrol",
        entity="enrolment",
        entity_id=enrolment.id,
        person_id=person.id,
        new_person=created,
    )
    return EnrolResult(enrolment=enrolment, person=person)


def _flush_or_conflict(session: Session, field_name: str, msgid: str) -> None:
    """A unique index caught a double submit that raced the checks above."""
    try:
        session.flush()
    except IntegrityError as error:  # the unit of work rolls back
        if is_second_support(error):
            raise ConflictError("support_amount", SUPPORT_TWICE) from error
        raise ConflictError(field_name, msgid) from error


def _audit_shown(
    session: Session, principal: Principal, people: list[Person], entity: str, **details: Any
) -> None:
    """One entry for a page that shows these people's personal data."""
    if people:
        person_id = people[0].id if len(people) == 1 else None
        person_ids = [person.id for person in people]
        audit_view(
            session, principal, entity, person_id=person_id, person_ids=person_ids, **details
        )


def look_up(
    session: Session, *, principal: Principal, course_id: int, citizen_id: str, birth_date: str
) -> bool:
    """Whether a registered person has exactly this full citizen ID and birth date. The
    answer is yes or no and nothing else: before an enrolment the institution reads nothing
    of a person it has not trained. A person found is audited."""
    institution_course(session, principal=principal, course_id=course_id)
    number, born = _identity(citizen_id, birth_date)
    person = people_queries.find_registered(session, number, born)
    if person is not None:
        _audit_found(session, principal, person, course_id)
    return person is not None


def _audit_found(session: Session, principal: Principal, person: Person, course_id: int) -> None:
    audit_view(session, principal, "enrol_lookup", person_id=person.id, course_id=course_id)


# --- the trainee register and a person's record --------------------------------------------


def trainee_list(
    session: Session, *, principal: Principal, text: str, at: people_queries.PageAt
) -> people_queries.TraineePage:
    """Trainees this user may see, searched by name or citizen ID, one page from where `at`
    says; the names shown are personal data, so the page view is audited."""
    result = people_queries.list_trainees(
        session, text=text, institution_id=institution_scope(principal), at=at
    )
    _audit_shown(session, principal, [row.person for row in result.rows], "person_list")
    return result


@dataclass(frozen=True)
class PersonPage:
    """A person's record as this user may see it: institution staff see their own
    institution's enrolments, and of the person's training elsewhere only how many
    enrolments (no institution, course or result); officials and administrators see all."""

    record: people_queries.PersonRecord
    enrolled_elsewhere: int


def open_person(session: Session, *, principal: Principal, person_id: int) -> PersonPage:
    """A person's record for staff of an institution where they are enrolled, officials
    and administrators (anyone else: as if there were no such person); audited."""
    record = people_queries.person_record(session, person_id)
    if record is None:
        raise NotFoundError(None, NO_SUCH_PERSON)
    require_person(principal, {row.institution.id or 0 for row in record.enrolments})
    _audit_shown(session, principal, [record.person], "person")
    scope = institution_scope(principal)
    if scope is None:
        return PersonPage(record, 0)
    own = [row for row in record.enrolments if row.institution.id == scope]
    elsewhere = len(record.enrolments) - len(own)
    return PersonPage(replace(record, enrolments=own), elsewhere)


def set_consent(session: Session, *, principal: Principal, person_id: int, consent: bool) -> None:
    """Record whether the person agrees to be shown to employers, and when they agreed."""
    with unit_of_work(session):
        record = people_queries.person_record(session, person_id)
        if record is None:
            raise NotFoundError(None, NO_SUCH_PERSON)
        require_person(principal, {row.institution.id or 0 for row in record.enrolments})
        person = record.person
        if person.consent_to_employers == consent:
            return
        person.consent_to_employers = consent
        person.consent_at = utcnow() if consent else None
        person.updated_at = utcnow()
        session.add(person)
        audit.record(
            session,
            user_id=principal.user.id,
            action="update",
            entity="person",
            entity_id=person.id,
            person_id=person.id,
            fields=["consent_to_employers"],
            consent=consent,
        )
