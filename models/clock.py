"""The one place the platform reads the time, so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Timezone-aware UTC timestamp (SQLModel stores aware datetimes and reads them as UTC)."""
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(UTC).date()
