"""KPI refreshes as queued jobs: a write that makes a year's figures stale queues a refresh of
that year (one pending per year), so the dashboard catches up without anybody opening a page;
a page that finds its year stale queues one too. The worker runs ``store.refresh_year``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy.engine import Connection
from sqlmodel import Session

from models.clock import today, utcnow
from models.jobs import queue
from models.jobs.kinds import JobKind, kpi_refresh_key

THIS_YEAR_PRIORITY = 5  # this year's figures are the ones the dashboard opens on
OTHER_YEAR_PRIORITY = 1
# Other years wait a little: a worker busy with one of them would hold up the refresh of this
# year that the next save queues; a burst of saves refreshes each of them once.
OTHER_YEAR_DELAY = timedelta(seconds=30)
MAX_ATTEMPTS = 5  # a refresh that meets a busy database is simply tried again


def enqueue_refreshes(
    db: Session | Connection, years: Iterable[int], *, at_once: bool = False
) -> None:
    """Queue a refresh of each year (in the caller's transaction): this year's at once, the
    others a little later unless ``at_once`` (a page waiting for that year)."""
    current = today().year
    for year in sorted(set(years), reverse=True):
        this_year = year >= current
        queue.enqueue(
            db,
            JobKind.KPI_REFRESH,
            {"year": year},
            key=kpi_refresh_key(year),
            priority=THIS_YEAR_PRIORITY if this_year else OTHER_YEAR_PRIORITY,
            run_after=None if this_year or at_once else utcnow() + OTHER_YEAR_DELAY,
            max_attempts=MAX_ATTEMPTS,
        )
