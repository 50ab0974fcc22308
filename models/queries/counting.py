"""Counts of long lists that stop: beyond COUNT_LIMIT matches a list says "more than" instead
of counting on. A count that stops costs about what a page does; an exact one reads every
matching row, and grows with everyone the database holds. Reads only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

COUNT_LIMIT = 10_000


def capped_count(session: Session, query: Any, limit: int | None = None) -> int:
    """How many rows `query` gives, counting no further than the limit + 1 (read as "more
    than the limit"); the limit is COUNT_LIMIT unless a list has its own."""
    stop = COUNT_LIMIT if limit is None else limit
    limited = query.limit(stop + 1).subquery()
    return int(session.execute(select(func.count()).select_from(limited)).scalar() or 0)


def is_more(count: int, limit: int | None = None) -> bool:
    """Whether a capped count stands for "more than the limit" (COUNT_LIMIT by default)."""
    return count > (COUNT_LIMIT if limit is None else limit)
