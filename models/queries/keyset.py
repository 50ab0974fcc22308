"""One page of a list read by keyset: the keys a page shows, its number, and the keys its next
and previous links start from, out of up to one more key than a page holds (read after a
cursor, before one, or at an offset). Shared by the trainee list and the follow-up list."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
KeysetPage = tuple[list[K], int, tuple[K | None, K | None]]


def page_before(found: list[K], per_page: int, page: int) -> KeysetPage[K] | None:
    """`found` read backwards from a cursor (nearest first); None when nothing precedes it
    (the caller then reads the page by number)."""
    if not found:
        return None
    shown = list(reversed(found[:per_page]))
    earlier = len(found) > per_page
    number = max(2, page) if earlier else 1
    return shown, number, (shown[-1], shown[0] if earlier else None)


def page_after(found: list[K], per_page: int, page: int) -> KeysetPage[K]:
    """`found` read forwards from a cursor."""
    shown = found[:per_page]
    following = shown[-1] if len(found) > per_page else None
    return shown, max(2, page), (following, shown[0] if shown else None)


def page_numbered(
    found: list[K], per_page: int, number: int, *, deepest: int | None = None
) -> KeysetPage[K]:
    """`found` read at the offset of page `number`; no next link past page `deepest`."""
    shown = found[:per_page]
    more = len(found) > per_page and (deepest is None or number < deepest)
    return shown, number, (shown[-1] if more else None, shown[0] if number > 1 and shown else None)
