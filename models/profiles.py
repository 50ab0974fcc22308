"""Rows -> the matching engine's plain profiles: graduates who may be proposed to employers
and the open vacancies. Each side is read with one query, whatever the number of people."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from matching.profiles import LEVELS, WORK_SCOPES, GraduateProfile, Location, VacancyProfile
from models.clock import today
from models.enums import EnrolmentStatus, LocationKind
from models.kept import Kept
from models.queries.candidates import employed_since
from models.queries.eligible import graduate_columns
from models.queries.reference import COMMUNE_LEVELS
from models.tables import (
    AdminUnit,
    Course,
    Enrolment,
    Person,
    TrainingOccupation,
    Vacancy,
)
from models.vacancy_open import taking_people


def _graduate_rows(session: Session) -> Sequence[Any]:
    """Graduated enrolments of consenting people who have not taken a job since (they would
    be refused at hiring), oldest graduation first so that the latest one wins when a person
    graduated twice. JSON lists come back as text on SQLite and are decoded once per
    distinct value (most repeat)."""
    query = (
        select(*graduate_columns(), col(Enrolment.graduated_on).label("graduated_on"))
        .join(Enrolment, col(Enrolment.person_id) == col(Person.id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
            col(Person.consent_to_employers).is_(True),
            ~employed_since(Person.id, Enrolment.graduated_on),
        )
        .order_by(
            col(Person.id),
            col(Enrolment.graduated_on).asc().nulls_first(),
            col(Enrolment.id),
        )
    )
    return session.execute(query).all()


def graduate_profiles(session: Session) -> list[GraduateProfile]:
    """Every graduate the engine may propose, one profile per person (their latest
    graduation); ids are person ids as strings."""
    latest = {row[0]: row for row in _graduate_rows(session)}
    return profiles_of_rows(session, latest.values())


def profiles_of_rows(session: Session, rows: Iterable[Sequence[Any]]) -> list[GraduateProfile]:
    """Profiles of rows that start with the columns of `_graduate_rows` (person id, skills,
    commune, birth date, wishes, expected wage, available from, level code, training order,
    occupation id); further columns are ignored."""
    occupations = {
        row.id: row
        for row in session.execute(
            select(
                col(TrainingOccupation.id),
                col(TrainingOccupation.key),
                col(TrainingOccupation.name),
                col(TrainingOccupation.aliases),
            )
        ).all()
    }
    points = commune_points(session)
    return [_graduate(row[:10], occupations[row[9]], _graduated_on(row), points) for row in rows]


Point = tuple[float, float]


# Reference data, changed only by loading it again: kept across requests.
_POINTS = Kept(("admin_unit",), seconds=3600.0, size=1)


def commune_points(session: Session) -> dict[str, Point]:
    """(latitude, longitude) of each commune in force, by code, where the reference data has
    it: the engine orders jobs in the province by distance from home."""
    return _POINTS.get(session, (), lambda: _read_points(session))


def _read_points(session: Session) -> dict[str, Point]:
    rows = session.execute(
        select(col(AdminUnit.code), col(AdminUnit.latitude), col(AdminUnit.longitude)).where(
            col(AdminUnit.level).in_(COMMUNE_LEVELS),
            col(AdminUnit.valid_to).is_(None),
            col(AdminUnit.latitude).is_not(None),
            col(AdminUnit.longitude).is_not(None),
        )
    ).all()
    return {code: (float(lat), float(lon)) for code, lat, lon in rows}


def _graduated_on(row: Any) -> date | None:
    mapping = getattr(row, "_mapping", None)
    return None if mapping is None else mapping.get("graduated_on")


@lru_cache(maxsize=4096)
def _strings(raw: str | None) -> tuple[str, ...]:
    value = json.loads(raw) if raw else []
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _string_tuple(value: Any) -> tuple[str, ...]:
    """A JSON list column as a tuple, whether the driver returned text or a list."""
    if value is None or isinstance(value, str):
        return _strings(value)
    return tuple(str(item) for item in value)


@lru_cache(maxsize=256)
def _scopes(willing: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(scope for scope in willing if scope in WORK_SCOPES)


def _graduate(
    row: Any,
    occupation: Any,
    graduated_on: date | None = None,
    points: dict[str, Point] | None = None,
) -> GraduateProfile:
    # Unpacked once: attribute access by name on 30,000 rows costs more than the query.
    person_id, skills, commune, born, willing, wage, available, level, order_id, _ = row
    return GraduateProfile(
        id=str(person_id),
        occupation=occupation.name,
        occupation_code=occupation.key,
        level=level if level in LEVELS else None,
        skills=_string_tuple(skills) or tuple(occupation.aliases or ()),
        commune_code=commune,
        birth_year=born.year if born else None,
        willing_to_work=_scopes(_string_tuple(willing)),
        expected_wage=wage,
        available_from=available,
        order_id=None if order_id is None else str(order_id),
        graduated_on=graduated_on,
        home=(points or {}).get(commune) if commune else None,
    )


def vacancy_profiles(
    session: Session, vacancy_ids: Sequence[int] | None = None, *, on: date | None = None
) -> list[VacancyProfile]:
    """The vacancies open on `on` (today by default; all, or those of `vacancy_ids` that are
    open) as profiles; ids are vacancy ids as strings. `quantity` is the places still to
    fill."""
    query = (
        select(Vacancy, col(TrainingOccupation.key))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
        .where(taking_people(on or today()))
        .order_by(col(Vacancy.id))
    )
    if vacancy_ids is not None:
        query = query.where(col(Vacancy.id).in_(list(vacancy_ids)))
    points = commune_points(session)
    return [_vacancy(vacancy, key, points) for vacancy, key in session.execute(query).all()]


def vacancy_profile(session: Session, vacancy: Vacancy) -> VacancyProfile:
    """One vacancy as a profile, whatever its status (its page ranks even a closed one, and
    applicants are scored against it)."""
    key = None
    if vacancy.occupation_id is not None:
        occupation = session.get(TrainingOccupation, vacancy.occupation_id)
        key = occupation.key if occupation else None
    return _vacancy(vacancy, key, commune_points(session))


def vacancy_location(vacancy: Vacancy, points: dict[str, Point] | None = None) -> Location:
    """Where the job is, as the engine reads it (with its commune's point from ``points``)."""
    if vacancy.location_kind == LocationKind.ABROAD:
        return Location.abroad(vacancy.country_code)
    if vacancy.location_kind == LocationKind.OTHER_PROVINCE:
        return Location.other_province(vacancy.province_code)
    code = vacancy.commune_code
    point = (points or {}).get(code) if code else None
    return Location("commune", commune_code=code, point=point)


def _vacancy(
    vacancy: Vacancy, occupation_key: str | None, points: dict[str, Point] | None = None
) -> VacancyProfile:
    level = vacancy.required_level_code
    return VacancyProfile(
        id=str(vacancy.id),
        employer_id=str(vacancy.employer_id),
        title=vacancy.title,
        description=vacancy.description or "",
        occupation_code=occupation_key,
        required_level=level if level in LEVELS else None,
        skills=tuple(vacancy.skills or ()),
        location=vacancy_location(vacancy, points),
        wage_min=vacancy.wage_min,
        wage_max=vacancy.wage_max,
        quantity=max(1, vacancy.quantity - vacancy.filled),
        age_min=vacancy.age_min,
        age_max=vacancy.age_max,
        start_date=vacancy.start_date,
        order_id=None if vacancy.training_order_id is None else str(vacancy.training_order_id),
    )


def applicant_profile(
    person: Person,
    *,
    trade: str,
    chosen: TrainingOccupation | None,
    trained: TrainingOccupation | None,
    level: str | None,
    order_id: int | None,
    points: dict[str, Point] | None = None,
) -> GraduateProfile:
    """Someone who applied, as the engine reads them: the trade they trained in when they
    graduated here, else the occupation they chose on the form, else the words they wrote."""
    occupation = trained or chosen
    skills = tuple(person.skills or ())
    if not skills and occupation is not None:
        skills = tuple(occupation.aliases or ())
    return GraduateProfile(
        id=str(person.id),
        occupation=occupation.name if occupation else trade,
        occupation_code=occupation.key if occupation else None,
        level=level if level in LEVELS else None,
        skills=skills,
        commune_code=person.commune_code,
        home=(points or {}).get(person.commune_code or ""),
        birth_year=person.birth_date.year if person.birth_date else None,
        willing_to_work=_scopes(tuple(person.willing_to_work or ())),
        expected_wage=person.expected_wage,
        available_from=person.available_from,
        order_id=None if order_id is None else str(order_id),
    )
