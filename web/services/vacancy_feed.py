"""The public feed of open vacancies (`GET /api/v1/feeds/vacancies`): each as the JobPosting its
page carries, paged by an opaque cursor and filtered by change time, so the national job
exchange and search engines take only what changed since they last read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session

from models.clock import VIETNAM, local_time, today
from models.errors import InvalidError
from models.queries import reference
from models.queries.vacancy_feed import FEED_PER_PAGE, FeedPosition, feed_page, in_utc
from web.services.cursors import (
    BAD_SINCE,
    SINCE_EXAMPLE,
    decode_cursor,
    encode_cursor,
    since_in_utc,
)
from web.services.job_postings import job_posting


class FeedItem(BaseModel):
    """One open vacancy: its public page, when it last changed, and its JobPosting."""

    id: int
    url: str
    updated: datetime = Field(description="When the vacancy last changed (ISO 8601).")
    job_posting: dict[str, Any] = Field(description="schema.org JobPosting, as on its page.")


class VacancyFeed(BaseModel):
    """A page of the feed; `next_cursor` is null on the last page."""

    items: list[FeedItem]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` (with the same `updated_since`) for the next page."
    )


def _cursor(position: FeedPosition) -> str:
    return encode_cursor(in_utc(position.changed_at), position.vacancy_id)


def parse_moment(text: str) -> datetime | None:
    """`updated_since`: an ISO 8601 date or date and time; without a zone, Vietnam's clock."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) > 40:
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidError("updated_since", BAD_SINCE, example=SINCE_EXAMPLE) from None
    return since_in_utc(moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM))


def vacancy_feed(
    session: Session,
    *,
    cursor: str,
    updated_since: str,
    limit: int = FEED_PER_PAGE,
    page_url: Callable[[int], str],
) -> VacancyFeed:
    """One page of open vacancies; `page_url(id)` is the absolute address of a vacancy's page."""
    after = FeedPosition(*decode_cursor(cursor)) if cursor else None
    since = parse_moment(updated_since)
    on = today()
    page = feed_page(session, on=on, after=after, updated_since=since, limit=limit)
    places = reference.place_names(session, on=on)
    items = []
    for advert in page.items:
        url = page_url(advert.id)
        changed = advert.changed_at or advert.posted_at
        assert changed is not None  # a stored vacancy always has its moment
        items.append(
            FeedItem(
                id=advert.id,
                url=url,
                updated=local_time(changed),
                job_posting=job_posting(advert, places, url=url),
            )
        )
    next_cursor = _cursor(page.next) if page.next is not None else None
    return VacancyFeed(items=items, next_cursor=next_cursor)
