"""The open vacancies as the feed and the sitemap list them for the national job exchange and
search engines: only what the public board shows, in the order they changed (oldest first, so
a partner resumes where it stopped), by keyset on (changed_at, id), never by offset. Reads
only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models.queries.board import BoardVacancyDetail, advert_from, advert_query, changed_at
from models.tables import Vacancy
from models.vacancy_open import taking_people

FEED_PER_PAGE = 100
FEED_MAX_PER_PAGE = 500
SITEMAP_MAX_VACANCIES = 49_000  # a sitemap holds 50,000 addresses; the rest are other pages


@dataclass(frozen=True)
class FeedPosition:
    """Where a page of the feed ended: the last vacancy's change time (UTC) and id."""

    changed_at: datetime
    vacancy_id: int


@dataclass(frozen=True)
class FeedPage:
    """One page of open vacancies; `next` is None on the last page."""

    items: list[BoardVacancyDetail]
    next: FeedPosition | None


def in_utc(moment: datetime) -> datetime:
    """A moment in UTC, as the tables compare them (a naive value is already UTC: SQLite
    gives stored moments back without a zone)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def feed_page(
    session: Session,
    *,
    on: date,
    after: FeedPosition | None = None,
    updated_since: datetime | None = None,
    limit: int = FEED_PER_PAGE,
) -> FeedPage:
    """Open vacancies changed at or after `updated_since`, after `after`, `limit` at most."""
    changed = changed_at()
    query = advert_query().where(taking_people(on))
    if updated_since is not None:
        query = query.where(changed >= in_utc(updated_since))
    if after is not None:
        last = in_utc(after.changed_at)
        query = query.where(
            or_(changed > last, and_(changed == last, col(Vacancy.id) > after.vacancy_id))
        )
    rows = session.execute(query.order_by(changed, col(Vacancy.id)).limit(limit + 1)).all()
    items = [advert_from(row) for row in rows[:limit]]
    more = len(rows) > limit and items
    last_item = items[-1] if more else None
    position = None
    if last_item is not None and last_item.changed_at is not None:
        position = FeedPosition(last_item.changed_at, last_item.id)
    return FeedPage(items=items, next=position)


def sitemap_vacancies(
    session: Session, *, on: date, limit: int = SITEMAP_MAX_VACANCIES
) -> list[tuple[int, datetime]]:
    """(id, changed_at) of the open vacancies, the most recently changed first."""
    changed = changed_at()
    query = (
        sa_select(col(Vacancy.id), changed)
        .where(taking_people(on))
        .order_by(changed.desc(), col(Vacancy.id).desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(query).all()]
