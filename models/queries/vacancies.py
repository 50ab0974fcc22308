"""Reading employers' vacancies: the list an employer or official pages through, one vacancy
with the names its page shows, and the choice of employers for an administrator. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, func, literal, or_
from sqlmodel import Session, col, select

from matching.syllables import Query, folded_pattern, match_field, parse_query
from models.clock import utcnow
from models.enums import VacancyStatus
from models.queries.reference import Option
from models.rows import get_or_404
from models.tables import AuditEntry, Employer, TrainingLevel, TrainingOccupation, Vacancy
from models.vacancy_open import expired_on, open_on, shown_status, taking_people
from models.validation.rules import max_length

T = TypeVar("T")
PER_PAGE = 25

TITLE_KEY_MAX = max_length(Vacancy, "title_key")
MAX_SEARCHED = 5000  # titles read for one search of the list


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list; `page` counts from 1."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def clamp_page(page: int) -> int:
    return max(1, min(page, 100_000))


def like_pattern(word: str) -> str:
    """`%word%` with LIKE's wildcards taken literally (escape character: backslash)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class VacancyRow:
    """A line of the vacancy list."""

    id: int
    title: str
    employer_name: str
    occupation_name: str | None
    quantity: int
    filled: int
    status: str
    deadline: date | None
    wage_min: int | None
    wage_max: int | None


def _status_condition(status: str, on: date) -> ColumnElement[bool]:
    """Open means before the deadline; closed takes in the open ones past it."""
    if status == VacancyStatus.OPEN.value:
        return open_on(on)
    if status == VacancyStatus.CLOSED.value:
        return or_(col(Vacancy.status) == status, expired_on(on))
    return col(Vacancy.status) == status


def list_vacancies(
    session: Session,
    *,
    employer_id: int | None,
    on: date,
    status: str | None = None,
    text: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[VacancyRow]:
    """Vacancies newest first; only one employer's when `employer_id` is given. A text finds
    titles holding each of its syllables whole (tone marks as typed, any when none typed)."""
    query = (
        select(Vacancy, Employer.name, TrainingOccupation.name)
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
        .order_by(col(Vacancy.created_at).desc(), col(Vacancy.id).desc())
    )
    if employer_id is not None:
        query = query.where(Vacancy.employer_id == employer_id)
    if status:
        query = query.where(_status_condition(status, on))
    page = clamp_page(page)
    if text.strip():
        return _searched(session, query, parse_query(text).as_typed(), on, page, per_page)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.offset((page - 1) * per_page).limit(per_page)).all()
    items = [
        _vacancy_row(vacancy, employer, occupation, on) for vacancy, employer, occupation in rows
    ]
    return Page(items=items, total=total, page=page, per_page=per_page)


def _searched(
    session: Session, query: Any, searched: Query, on: date, page: int, per_page: int
) -> Page[VacancyRow]:
    """The database keeps titles holding every syllable (folded, whole); Python keeps those
    with the marks typed. Newest first, like the whole list."""
    if searched.empty or any(len(word) > TITLE_KEY_MAX for word in searched.folded):
        return Page(items=[], total=0, page=page, per_page=per_page)
    padded = literal(" ") + col(Vacancy.title_key) + literal(" ")
    for word in searched.folded:
        query = query.where(padded.like(folded_pattern(word)))
    # Only ids and titles for every candidate; whole rows for the page shown.
    titles = query.with_only_columns(
        col(Vacancy.id), col(Vacancy.title), maintain_column_froms=True
    )
    found = [
        vacancy_id
        for vacancy_id, title in session.execute(titles.limit(MAX_SEARCHED)).all()
        if match_field(searched, title).found == len(searched.terms)
    ]
    shown = found[(page - 1) * per_page : page * per_page]
    rows = session.exec(query.where(col(Vacancy.id).in_(shown))).all() if shown else []
    items = [
        _vacancy_row(vacancy, employer, occupation, on) for vacancy, employer, occupation in rows
    ]
    return Page(items=items, total=len(found), page=page, per_page=per_page)


def _vacancy_row(
    vacancy: Vacancy, employer_name: str, occupation_name: str | None, on: date
) -> VacancyRow:
    return VacancyRow(
        id=vacancy.id or 0,
        title=vacancy.title,
        employer_name=employer_name,
        occupation_name=occupation_name,
        quantity=vacancy.quantity,
        filled=vacancy.filled,
        status=shown_status(vacancy.status, vacancy.deadline, on),
        deadline=vacancy.deadline,
        wage_min=vacancy.wage_min,
        wage_max=vacancy.wage_max,
    )


def get_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    return get_or_404(session, Vacancy, vacancy_id, "This vacancy does not exist.")


@dataclass(frozen=True)
class VacancyDetail:
    """A vacancy with the names its page shows."""

    vacancy: Vacancy
    employer_name: str
    occupation_name: str | None
    level_name: str | None


def vacancy_detail(session: Session, vacancy_id: int) -> VacancyDetail:
    vacancy = get_vacancy(session, vacancy_id)
    employer = session.get(Employer, vacancy.employer_id)
    occupation = (
        session.get(TrainingOccupation, vacancy.occupation_id) if vacancy.occupation_id else None
    )
    level = (
        session.get(TrainingLevel, vacancy.required_level_code)
        if vacancy.required_level_code
        else None
    )
    return VacancyDetail(
        vacancy=vacancy,
        employer_name=employer.name if employer else "",
        occupation_name=occupation.name if occupation else None,
        level_name=level.name if level else None,
    )


def employer_options(session: Session) -> list[Option]:
    """Active employers by name, for an administrator acting on an employer's behalf."""
    rows = session.exec(
        select(col(Employer.id), col(Employer.name))  # not whole rows: their contacts are sealed
        .where(col(Employer.is_active).is_(True))
        .order_by(col(Employer.name_key))
    ).all()
    return [Option(str(employer_id), name) for employer_id, name in rows]


def employer_name(session: Session, employer_id: int) -> str:
    employer = get_or_404(
        session, Employer, employer_id, "This employer does not exist.", field="employer_id"
    )
    return employer.name


TOKEN_MEMORY = timedelta(days=1)


def created_with_token(
    session: Session, *, entity: str, user_id: int | None, token: str
) -> int | None:
    """The id of the record this user created from the form carrying `token` (kept in the
    creation's audit entry), if any in the last day: a form sent twice creates one record."""
    if not token:
        return None
    entries = session.exec(
        select(AuditEntry).where(
            AuditEntry.entity == entity,
            AuditEntry.action == "create",
            AuditEntry.user_id == user_id,
            col(AuditEntry.at) >= utcnow() - TOKEN_MEMORY,
        )
    ).all()
    for entry in entries:
        if entry.details.get("form_token") == token and entry.entity_id:
            return int(entry.entity_id)
    return None


def open_job_options(session: Session, *, on: date) -> list[tuple[int, str, str]]:
    """(id, title, employer) of every vacancy taking people on `on`, by title: what an
    institution may apply to for one of its trainees."""
    rows = session.execute(
        select(col(Vacancy.id), col(Vacancy.title), col(Employer.name))
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .where(taking_people(on))
        .order_by(col(Vacancy.title_key), col(Vacancy.id))
    ).all()
    return [(int(row_id), title, employer) for row_id, title, employer in rows]
