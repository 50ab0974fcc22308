"""Trainees: find a person before registering them, enrol them into a course, open a person's
record and change their consent. Every view of personal data is audited.

Nobody is registered twice: an enrolment first looks for the person by citizen ID, then by
name (without diacritics) and birth date, and offers those found before creating anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import CourseStatus
from models.errors import ConflictError, InvalidError, NotFoundError
from models.ids import parse_id
from models.queries import courses as course_queries
from models.queries import people as people_queries
from models.tables import Course, Enrolment, Ethnicity, Person
from models.validation import (
    parse_date,
)
from web.auth import Principal
from web.permissions import (
    institution_scope,
    require_person,
)
from web.services.courses import institution_course
from web.services.person_form import PersonForm, new_person
from web.services.personal_data import audit_view


@dataclass
class EnrolForm:
    """What the enrol page sends: an existing person chosen (`person_id`), or a new one."""

    person: PersonForm = field(default_factory=PersonForm)
    person_id: str = ""
    enrolled_on: str = ""
    confirmed_new: bool = False  # the user saw the likely duplicates: this is someone else


@dataclass(frozen=True)
class EnrolResult:
    """Either the enrolment made, or the people already registered that the form matched,
    offered as "this is the same person" (nothing was written then but the audit)."""

    enrolment: Enrolment | None = None
    person: Person | None = None
    same_id: Person | None = None  # the citizen ID is already registered
    same_name: list[Person] = field(default_factory=list)  # same name and birth date


def ethnicity_choices(session: Session) -> list[Ethnicity]:
    return people_queries.ethnicity_choices(session)


def enrol(
    session: Session, *, principal: Principal, course_id: int, form: EnrolForm
) -> EnrolResult:
    """Enrol the chosen person, or a new one once no registered person matches."""
    with unit_of_work(session):
        course = institution_course(session, principal=principal, course_id=course_id)
        enrolled_on = _enrolment_date(form.enrolled_on)
        if form.person_id.strip():
            person = _existing_person(session, form.person_id)
            return _enrol_person(session, principal, course, person, enrolled_on, created=False)
        same_id = people_queries.find_by_citizen_id(session, form.person.citizen_id)
        if same_id is not None:
            _audit_shown(session, principal, [same_id], "enrol_lookup")
            return EnrolResult(same_id=same_id)
        person = new_person(session, form.person)
        if not form.confirmed_new:
            same_name = people_queries.find_by_name_and_birth_date(
                session, person.full_name, person.birth_date
            )
            if same_name:
                _audit_shown(session, principal, same_name, "enrol_lookup")
                return EnrolResult(same_name=same_name)
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
        return _enrol_person(session, principal, course, person, enrolled_on, created=True)


def _enrolment_date(raw: str) -> date:
    return parse_date(raw, "enrolled_on") if raw.strip() else today()


def _existing_person(session: Session, raw_id: str) -> Person:
    chosen = parse_id(raw_id)
    person = session.get(Person, chosen) if chosen is not None else None
    if person is None:
        raise NotFoundError("person_id", "There is no such person.")
    return person


def _enrol_person(
    session: Session,
    principal: Principal,
    course: Course,
    person: Person,
    enrolled_on: date,
    *,
    created: bool,
) -> EnrolResult:
    """Add the enrolment while holding the course row, so two clerks cannot both take the
    last place (PostgreSQL row lock; on SQLite the unit of work began IMMEDIATE). Runs inside
    the caller's unit of work."""
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
    enrolment = Enrolment(
        person_id=person.id or 0, course_id=locked.id or 0, enrolled_on=enrolled_on
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
    except IntegrityError as error:
        raise ConflictError(field_name, msgid) from error  # the unit of work rolls back


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
    session: Session,
    *,
    principal: Principal,
    course_id: int,
    citizen_id: str = "",
    full_name: str = "",
    birth_date: str = "",
) -> list[Person]:
    """Registered people matching a full citizen ID, or a name (with or without diacritics)
    together with a birth date: narrow enough not to browse other institutions' trainees."""
    institution_course(session, principal=principal, course_id=course_id)
    number = people_queries.compact_citizen_id(citizen_id)
    found: list[Person] = []
    if number and (len(number) != people_queries.CITIZEN_ID_LENGTH or not number.isdigit()):
        raise InvalidError(
            "find", "Type a full 12-digit citizen ID, or a name together with a birth date."
        )
    if number:
        by_id = people_queries.find_by_citizen_id(session, number)
        found = [by_id] if by_id else []
    elif full_name.strip() and birth_date.strip():
        born = parse_date(birth_date, "find_birth_date")
        found = people_queries.find_by_name_and_birth_date(session, full_name, born)
    else:
        raise InvalidError(
            "find", "Type a full 12-digit citizen ID, or a name together with a birth date."
        )
    _audit_shown(session, principal, found, "enrol_lookup", course_id=course_id)
    return found


# --- the trainee register and a person's record --------------------------------------------


def trainee_list(
    session: Session, *, principal: Principal, text: str, page: int
) -> people_queries.TraineePage:
    """Trainees this user may see, searched by name or citizen ID; the names shown are
    personal data, so the page view is audited."""
    result = people_queries.list_trainees(
        session, text=text, institution_id=institution_scope(principal), page=page
    )
    _audit_shown(session, principal, [row.person for row in result.rows], "person_list")
    return result


def open_person(
    session: Session, *, principal: Principal, person_id: int
) -> people_queries.PersonRecord:
    """A person's full record for staff of an institution where they are enrolled, officials
    and administrators; audited."""
    record = people_queries.person_record(session, person_id)
    if record is None:
        raise NotFoundError(None, "There is no such person.")
    require_person(principal, {row.institution.id or 0 for row in record.enrolments})
    _audit_shown(session, principal, [record.person], "person")
    return record


def set_consent(session: Session, *, principal: Principal, person_id: int, consent: bool) -> None:
    """Record whether the person agrees to be shown to employers, and when they agreed."""
    with unit_of_work(session):
        record = people_queries.person_record(session, person_id)
        if record is None:
            raise NotFoundError(None, "There is no such person.")
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
