"""The opaque cursor of every list read in pages by change time (the API's lists, the public
vacancy feed): the (moment, id) of the last row given, so the next page starts after it. A
keyset, not an offset: a page is as fast at the end of a list as at its start, and rows added
meanwhile are neither skipped nor repeated."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from models.errors import InvalidError
from models.ids import MAX_ID

CURSOR_MAX_LENGTH = 500
BAD_CURSOR = "This cursor is not valid: start again without it."


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
        record_id = int(data["i"])
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise InvalidError("cursor", BAD_CURSOR) from None
    if moment.tzinfo is None or not 1 <= record_id <= MAX_ID:
        raise InvalidError("cursor", BAD_CURSOR)
    return moment, record_id
