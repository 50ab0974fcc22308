"""The public job board: open vacancies anyone may read, searched by whole syllables with or
without tone marks (board_search) and filtered by occupation, place and wage. Only what an
advert shows is selected (no personal data, no internal fields). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.enums import LocationKind
from models.errors import NotFoundError
from models.queries.board_search import board_query, candidates, ranked, with_search_columns
from models.queries.vacancies import Page, clamp_page
from models.tables import Employer, TrainingLevel, TrainingOccupation, Vacancy
from models.vacancy_open import taking_people

BOARD_PER_PAGE = 20
IN_PROVINCE = "province"
PLACE_FILTERS = (IN_PROVINCE, LocationKind.OTHER_PROVINCE.value, LocationKind.ABROAD.value)


@dataclass(frozen=True)
class BoardFilters:
    """What a visitor searches for; empty values filter nothing."""

    text: str = ""
    occupation_id: int | None = None
    place: str = ""  # "", IN_PROVINCE, other_province or abroad
    commune_code: str = ""
    min_wage: int | None = None
    page: int = 1


@dataclass(frozen=True)
class BoardVacancy:
    """A vacancy as the public sees it."""

    id: int
    title: str
    employer_name: str
    occupation_name: str | None
    location_kind: str
    commune_code: str | None
    province_code: str | None
    country_code: str | None
    wage_min: int | None
    wage_max: int | None
    quantity: int
    places_left: int
    deadline: date | None
    start_date: date | None


@dataclass(frozen=True)
class BoardVacancyDetail(BoardVacancy):
    """The advert's own page adds the description and the requirements."""

    description: str = ""
    skills: tuple[str, ...] = ()
    level_name: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    posted_at: datetime | None = None  # UTC; SQLite gives it back without a zone
    changed_at: datetime | None = None  # the feed's order (models/queries/vacancy_feed.py)


_COLUMNS: tuple[Any, ...] = (
    col(Vacancy.id),
    col(Vacancy.title),
    col(Employer.name).label("employer_name"),
    col(TrainingOccupation.name).label("occupation_name"),
    col(Vacancy.location_kind),
    col(Vacancy.commune_code),
    col(Vacancy.province_code),
    col(Vacancy.country_code),
    col(Vacancy.wage_min),
    col(Vacancy.wage_max),
    col(Vacancy.quantity),
    (col(Vacancy.quantity) - col(Vacancy.filled)).label("places_left"),
    col(Vacancy.deadline),
    col(Vacancy.start_date),
)


def _is_open(on: date) -> ColumnElement[bool]:
    """Taking people today: open, the deadline not passed, and a place left."""
    return taking_people(on)


def _base(*extra: Any) -> Select[Any]:
    """The advert's columns (sqlalchemy's select: more columns than sqlmodel's overloads)."""
    return (
        sa_select(*_COLUMNS, *extra)
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
    )


def _place_conditions(place: str, commune_code: str) -> list[ColumnElement[bool]]:
    if commune_code:
        return [
            col(Vacancy.location_kind) == LocationKind.COMMUNE.value,
            col(Vacancy.commune_code) == commune_code,
        ]
    if place == IN_PROVINCE:
        return [col(Vacancy.location_kind) == LocationKind.COMMUNE.value]
    if place in PLACE_FILTERS:
        return [col(Vacancy.location_kind) == place]
    return []


def _conditions(filters: BoardFilters, on: date) -> list[ColumnElement[bool]]:
    conditions = [_is_open(on)]
    if filters.occupation_id is not None:
        conditions.append(col(Vacancy.occupation_id) == filters.occupation_id)
    conditions += _place_conditions(filters.place, filters.commune_code)
    if filters.min_wage is not None:
        # The best the job may pay reaches the wage asked for; "negotiable" does not qualify.
        best = func.coalesce(col(Vacancy.wage_max), col(Vacancy.wage_min))
        conditions.append(best >= filters.min_wage)
    return conditions


def board_page(
    session: Session, filters: BoardFilters, *, on: date, per_page: int = BOARD_PER_PAGE
) -> Page[BoardVacancy]:
    """Open vacancies matching the filters, one page of them: newest first, or best matches
    first when a text is searched (board_search)."""
    query = _base().where(*_conditions(filters, on))
    page = clamp_page(filters.page)
    newest = (col(Vacancy.created_at).desc(), col(Vacancy.id).desc())
    searched, trade = board_query(session, filters.text, on=on)
    if filters.text.strip():  # nothing but punctuation finds nothing
        rows = session.execute(
            with_search_columns(query.where(candidates(searched, trade)).order_by(*newest))
        ).all()
        found = ranked(list(rows), searched, trade)
        shown = found[(page - 1) * per_page : page * per_page]
        items = [BoardVacancy(**values) for values in shown]
        return Page(items=items, total=len(found), page=page, per_page=per_page)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.execute(
        query.order_by(*newest).offset((page - 1) * per_page).limit(per_page)
    ).all()
    items = [BoardVacancy(**row._asdict()) for row in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


def changed_at() -> Any:
    """When a vacancy last changed, for the feed's order, its `updated_since` and the
    sitemap's lastmod (kept by every write of a vacancy; indexed with its id)."""
    return col(Vacancy.updated_at)


def advert_query() -> Select[Any]:
    """Everything an advert shows (the page, its JSON-LD, the feed) of open vacancies on
    `on`; the caller adds the open condition and picks the rows."""
    return _base(
        col(Vacancy.description),
        col(Vacancy.skills),
        col(TrainingLevel.name).label("level_name"),
        col(Vacancy.age_min),
        col(Vacancy.age_max),
        col(Vacancy.created_at).label("posted_at"),
        changed_at().label("changed_at"),
    ).outerjoin(TrainingLevel, col(TrainingLevel.code) == col(Vacancy.required_level_code))


def advert_from(row: Any) -> BoardVacancyDetail:
    values = row._asdict()
    values["skills"] = tuple(values["skills"] or ())
    return BoardVacancyDetail(**values)


def board_vacancy(session: Session, vacancy_id: int, *, on: date) -> BoardVacancyDetail:
    """One open vacancy's advert; a closed, filled or expired one is not found."""
    query = advert_query().where(col(Vacancy.id) == vacancy_id, _is_open(on))
    row = session.execute(query).first()
    if row is None:
        raise NotFoundError(None, "This job is no longer open.")
    return advert_from(row)
