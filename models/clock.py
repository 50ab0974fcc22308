"""The one place the platform reads the time, so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Naive UTC timestamp: the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return datetime.now(UTC).date()
