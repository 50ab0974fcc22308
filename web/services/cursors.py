"""The opaque cursor of every list read in pages by change time (the API's lists, the public
vacancy feed): the (moment, id) of the last row given, so the next page starts after it. A
keyset, not an offset: a page is as fast at the end of a list as at its start, and rows added
meanwhile are neither skipped nor repeated."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from models.errors import InvalidError
from models.ids import MAX_ID

CURSOR_MAX_LENGTH = 500
BAD_CURSOR = "This cursor is not valid: start again without it."
BAD_SINCE = "Give updated_since as an ISO 8601 date and time, for example {example}."
SINCE_EXAMPLE = "2026-11-01T00:00:00+07:00"


def encode_cursor(moment: datetime, record_id: int) -> str:
    """The cursor after the row changed at `moment` (aware) with this id."""
    text = json.dumps({"u": moment.astimezone(UTC).isoformat(), "i": record_id})
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (moment, id) after which the next page starts; anything this module did not write
    is refused with a message naming the `cursor` parameter."""
    try:
        if len(cursor) > CURSOR_MAX_LENGTH or not cursor.isascii():
            raise ValueError(cursor)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        moment = datetime.fromisoformat(data["u"])
        record_id = int(data["i"])  # OverflowError for a JSON Infinity
        if moment.tzinfo is None or not 1 <= record_id <= MAX_ID:
            raise ValueError(cursor)
        moment = moment.astimezone(UTC)  # OverflowError at the calendar's ends
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError, OverflowError):
        raise InvalidError("cursor", BAD_CURSOR) from None
    return moment, record_id


def since_in_utc(moment: datetime) -> datetime:
    """`updated_since` (aware) in UTC, as the tables compare moments; a moment that has no UTC
    time (the first or last hours of the calendar) is refused on the `updated_since`
    parameter."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidError("updated_since", BAD_SINCE, example=SINCE_EXAMPLE) from None


@dataclass(frozen=True)
class PageAsk:
    """What a list's query parameters ask for, checked: the position after the cursor, the
    moment `updated_since` in UTC, and how many rows to read (one more than a page, to know
    whether another page follows)."""

    after: tuple[datetime, int] | None
    since: datetime | None
    read: int
    limit: int


def page_ask(cursor: str | None, updated_since: datetime | None, limit: int) -> PageAsk:
    """The checked request of one page: a bad cursor or moment is refused with its message."""
    after = decode_cursor(cursor) if cursor else None
    since = since_in_utc(updated_since) if updated_since is not None else None
    return PageAsk(after, since, limit + 1, limit)


class Changed(Protocol):
    """A row a list pages by: its change time and id."""

    @property
    def id(self) -> int | None: ...

    @property
    def updated_at(self) -> datetime: ...


RowT = TypeVar("RowT")


def page_of(
    rows: Sequence[RowT], ask: PageAsk, position: Callable[[RowT], Changed]
) -> tuple[Sequence[RowT], str | None]:
    """The rows of the page and the cursor of the next one (None on the last page);
    `position` gives the changed record of a row."""
    if len(rows) <= ask.limit:
        return rows, None
    last = position(rows[ask.limit - 1])
    return rows[: ask.limit], encode_cursor(last.updated_at, last.id or 0)
