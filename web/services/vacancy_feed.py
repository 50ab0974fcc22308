"""The public feed of open vacancies (`GET /api/v1/feeds/vacancies`): each as the JobPosting its
page carries, paged by an opaque cursor and filtered by change time, so the national job
exchange and search engines take only what changed since they last read."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session

from models.clock import VIETNAM, local_time, today
from models.errors import InvalidError
from models.ids import MAX_ID
from models.queries import reference
from models.queries.vacancy_feed import FEED_PER_PAGE, FeedPosition, feed_page, in_utc
from web.services.job_postings import job_posting

CURSOR_MAX_LENGTH = 200


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


def encode_cursor(position: FeedPosition) -> str:
    moment = in_utc(position.changed_at).isoformat()
    raw = f"{moment}|{position.vacancy_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> FeedPosition:
    """The position a cursor of this feed names; anything else is refused with a message."""
    try:
        if len(cursor) > CURSOR_MAX_LENGTH or not cursor.isascii():
            raise ValueError(cursor)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, vacancy_id = raw.split("|")
        position = FeedPosition(datetime.fromisoformat(moment), int(vacancy_id))
        if position.changed_at.tzinfo is None or not 1 <= position.vacancy_id <= MAX_ID:
            raise ValueError(cursor)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidError(
            "cursor", "This cursor was not given by the feed: start again without it."
        ) from None
    return position


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
        raise InvalidError(
            "updated_since",
            "Give updated_since as an ISO 8601 date and time, for example {example}.",
            example="2026-11-01T00:00:00+07:00",
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM)


def vacancy_feed(
    session: Session,
    *,
    cursor: str,
    updated_since: str,
    limit: int = FEED_PER_PAGE,
    page_url: Callable[[int], str],
) -> VacancyFeed:
    """One page of open vacancies; `page_url(id)` is the absolute address of a vacancy's page."""
    after = decode_cursor(cursor) if cursor else None
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
    next_cursor = encode_cursor(page.next) if page.next is not None else None
    return VacancyFeed(items=items, next_cursor=next_cursor)
