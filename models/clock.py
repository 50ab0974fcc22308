"""The one place the platform reads the time, so tests can reason about it."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Timezone-aware UTC timestamp (SQLModel stores aware datetimes and reads them as UTC)."""
    return datetime.now(UTC)


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(moment: datetime) -> datetime:
    """A stored moment on Vietnam's clock. Moments are stored in UTC; SQLite gives them back
    without a zone, so a naive value is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM)


def today() -> date:
    """Today's date in Vietnam (UTC+7), which decides "this year" and "this month"."""
    return datetime.now(VIETNAM).date()


def steady_seconds() -> float:
    """Seconds on a clock that only moves forward, for how long something has been kept (a
    cached page); not a moment or a date."""
    return time.monotonic()
