"""Courses and enrolments as an institution's system pages through them: ordered by
(updated_at, id), after a cursor and from an update time, so it reads only what changed since
its last sync. Reads only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from models.tables import Course, Enrolment, Person

Cursor = tuple[datetime, int]


def _changed_after(
    table: Any, after: Cursor | None, updated_since: datetime | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if updated_since is not None:
        conditions.append(col(table.updated_at) >= updated_since)
    if after is not None:
        moment, last_id = after
        conditions.append(
            or_(
                col(table.updated_at) > moment,
                and_(col(table.updated_at) == moment, col(table.id) > last_id),
            )
        )
    return conditions


def courses_after(
    session: Session,
    *,
    institution_id: int,
    after: Cursor | None,
    updated_since: datetime | None,
    limit: int,
) -> list[Course]:
    """Up to `limit` courses of the institution in (updated_at, id) order, after the cursor."""
    query = (
        select(Course)
        .where(col(Course.institution_id) == institution_id)
        .where(*_changed_after(Course, after, updated_since))
        .order_by(col(Course.updated_at), col(Course.id))
        .limit(limit)
    )
    return list(session.exec(query))


def enrolments_after(
    session: Session,
    *,
    course_id: int,
    after: Cursor | None,
    updated_since: datetime | None,
    limit: int,
) -> list[tuple[Enrolment, Person]]:
    """Up to `limit` enrolments of the course with their people, in (updated_at, id) order."""
    query = (
        select(Enrolment, Person)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .where(col(Enrolment.course_id) == course_id)
        .where(*_changed_after(Enrolment, after, updated_since))
        .order_by(col(Enrolment.updated_at), col(Enrolment.id))
        .limit(limit)
    )
    return [(enrolment, person) for enrolment, person in session.exec(query)]


def enrolment_with_person(
    session: Session, enrolment_id: int
) -> tuple[Enrolment, Person, Course] | None:
    query = (
        select(Enrolment, Person, Course)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(col(Enrolment.id) == enrolment_id)
    )
    found = session.exec(query).first()
    return None if found is None else (found[0], found[1], found[2])
