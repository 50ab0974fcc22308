"""Reading employers' vacancies: the list an employer or official pages through, one vacancy
with the names its page shows, and the choice of employers for an administrator. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from sqlalchemy import false, func
from sqlmodel import Session, col, select

from matching.text import search_key
from models.clock import utcnow
from models.queries.reference import Option
from models.rows import get_or_404
from models.tables import AuditEntry, Employer, TrainingLevel, TrainingOccupation, Vacancy
from models.validation.rules import max_length

T = TypeVar("T")
PER_PAGE = 25

TITLE_KEY_MAX = max_length(Vacancy, "title_key")


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


def list_vacancies(
    session: Session,
    *,
    employer_id: int | None,
    status: str | None = None,
    text: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[VacancyRow]:
    """Vacancies newest first; only one employer's when `employer_id` is given."""
    query = (
        select(Vacancy, Employer.name, TrainingOccupation.name)
        .join(Employer, col(Employer.id) == col(Vacancy.employer_id))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
    )
    if employer_id is not None:
        query = query.where(Vacancy.employer_id == employer_id)
    if status:
        query = query.where(Vacancy.status == status)
    words = sorted(set(search_key(text).split()))
    if any(len(word) > TITLE_KEY_MAX for word in words) or len(words) > TITLE_KEY_MAX // 2:
        query = query.where(false())  # no title holds that (SQLite refuses so deep a query)
    for word in words[: TITLE_KEY_MAX // 2]:
        query = query.where(col(Vacancy.title_key).like(like_pattern(word), escape="\\"))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = clamp_page(page)
    rows = session.exec(
        query.order_by(col(Vacancy.created_at).desc(), col(Vacancy.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [_vacancy_row(vacancy, employer, occupation) for vacancy, employer, occupation in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


def _vacancy_row(vacancy: Vacancy, employer_name: str, occupation_name: str | None) -> VacancyRow:
    return VacancyRow(
        id=vacancy.id or 0,
        title=vacancy.title,
        employer_name=employer_name,
        occupation_name=occupation_name,
        quantity=vacancy.quantity,
        filled=vacancy.filled,
        status=vacancy.status,
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
        select(Employer).where(col(Employer.is_active).is_(True)).order_by(col(Employer.name_key))
    ).all()
    return [Option(str(row.id), row.name) for row in rows]


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
