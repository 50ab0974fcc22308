"""Vacancies as the API pages through them: ordered by (updated_at, id), after a cursor and
from an update time, so a partner reads only what changed since its last sync. Reads only."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from models.tables import Vacancy
from models.vacancy_open import taking_people


def visible_vacancies(on: date, employer_id: int | None) -> ColumnElement[bool]:
    """SQL: the public ones (taking people, as on the board), and every one of
    `employer_id` when the reader is that employer."""
    if employer_id is None:
        return taking_people(on)
    return or_(taking_people(on), col(Vacancy.employer_id) == employer_id)


def vacancies_after(
    session: Session,
    *,
    on: date,
    employer_id: int | None,
    after: tuple[datetime, int] | None,
    updated_since: datetime | None,
    limit: int,
) -> list[Vacancy]:
    """Up to `limit` visible vacancies in (updated_at, id) order, after the cursor."""
    conditions = [visible_vacancies(on, employer_id)]
    if updated_since is not None:
        conditions.append(col(Vacancy.updated_at) >= updated_since)
    if after is not None:
        moment, last_id = after
        conditions.append(
            or_(
                col(Vacancy.updated_at) > moment,
                and_(col(Vacancy.updated_at) == moment, col(Vacancy.id) > last_id),
            )
        )
    query = (
        select(Vacancy)
        .where(*conditions)
        .order_by(col(Vacancy.updated_at), col(Vacancy.id))
        .limit(limit)
    )
    return list(session.exec(query))


def visible_vacancy(
    session: Session, vacancy_id: int, *, on: date, employer_id: int | None
) -> Vacancy | None:
    """One vacancy if this reader may see it (else None, as if it did not exist)."""
    query = select(Vacancy).where(col(Vacancy.id) == vacancy_id, visible_vacancies(on, employer_id))
    return session.exec(query).first()
