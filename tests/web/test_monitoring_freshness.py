"""When the pages recompute a year's KPI figures: missing or stale always; computed on an earlier
day only while the year's after-training windows are still falling due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.clock import today
from models.monitoring.read import SnapshotInfo
from web.services.monitoring import needs_refresh


def _info(year: int, days_ago: int, *, stale: bool = False) -> SnapshotInfo:
    as_of = today() - timedelta(days=days_ago)
    return SnapshotInfo(year, as_of, datetime.now(UTC), stale, 1.0, 100)


def test_a_missing_or_stale_year_is_recomputed() -> None:
    assert needs_refresh(None)
    assert needs_refresh(_info(today().year - 5, 0, stale=True))


def test_this_years_figures_from_yesterday_are_recomputed_todays_are_not() -> None:
    assert needs_refresh(_info(today().year, 1))
    assert not needs_refresh(_info(today().year, 0))


def test_a_year_whose_windows_have_all_fallen_due_is_not_recomputed_every_day() -> None:
    # Figures of five years ago computed last month: the 12-month window of its last graduates
    # fell due long before, so a new day changes nothing.
    assert not needs_refresh(_info(today().year - 5, 30))
    # Last year's graduates still have 12-month follow-ups falling due this year.
    assert needs_refresh(_info(today().year - 1, 1))
