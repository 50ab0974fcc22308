"""Record ids and stored whole numbers: the range an integer column holds, defined once for
paths, query strings, forms and lookups. A number outside it names no row and is no amount the
database could keep, so it is "not found" (an id) or invalid input (an amount), never a crash."""

from __future__ import annotations

from typing import Any

# PostgreSQL's `integer`, the narrower of the two databases (SQLite's INTEGER holds 64 bits).
INT_MAX = 2**31 - 1
MAX_ID = INT_MAX  # ids start at 1 and are integer columns


def is_record_id(value: object) -> bool:
    """Whether `value` is an int some row could have as its id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_id(text: str | None) -> int | None:
    """An id typed in a query string or form ("12", spaces around allowed); None for junk,
    zero or a number beyond any id, which callers treat like any other unknown id."""
    value = whole_or_none(text, MAX_ID)
    return value if value is not None and is_record_id(value) else None


def out_of_range(key: Any) -> bool:
    """Whether a primary key (or a part of a composite one) is an int no integer column holds:
    such a key names no row, and the database drivers refuse to even convert it."""
    parts = key if isinstance(key, tuple) else (key,)
    return any(isinstance(part, int) and not -INT_MAX - 1 <= part <= INT_MAX for part in parts)


def whole_or_none(text: str | None, maximum: int = INT_MAX) -> int | None:
    """ASCII digits ("2026", spaces around allowed) as an int of at most `maximum`; None for
    anything else. Digits of other scripts ("²", "١٢") and numbers longer than `maximum` are
    refused before `int()`, which fails on some of them and on more than 4300 digits."""
    digits = (text or "").strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(maximum)):
        return None
    value = int(digits)
    return value if value <= maximum else None
