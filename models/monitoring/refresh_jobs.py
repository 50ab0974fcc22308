"""KPI refreshes as queued jobs: a write that makes a year's figures stale queues a refresh of
that year (one pending per year), so the dashboard catches up without anybody opening a page;
a page that finds its year stale queues one too. The worker runs ``store.refresh_year``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection
from sqlmodel import Session

from models.clock import today
from models.jobs import queue
from models.jobs.kinds import JobKind, kpi_refresh_key

THIS_YEAR_PRIORITY = 5  # this year's figures are the ones the dashboard opens on
OTHER_YEAR_PRIORITY = 1
MAX_ATTEMPTS = 5  # a refresh that meets a busy database is simply tried again


def enqueue_refreshes(db: Session | Connection, years: Iterable[int]) -> None:
    """Queue a refresh of each year (in the caller's transaction), newest year first."""
    current = today().year
    for year in sorted(set(years), reverse=True):
        queue.enqueue(
            db,
            JobKind.KPI_REFRESH,
            {"year": year},
            key=kpi_refresh_key(year),
            priority=THIS_YEAR_PRIORITY if year >= current else OTHER_YEAR_PRIORITY,
            max_attempts=MAX_ATTEMPTS,
        )
