"""Keeping the KPI snapshot current for the pages that read it.

A page asks for a year's figures with ``fresh_year``. A year never computed is computed at
once (the page waits). A year that a write made stale, or that was computed before today (the
after-training windows move with the calendar), is shown as stored while a queued job
refreshes it (models/monitoring/refresh_jobs.py); the page says when its figures were
computed. Writes queue that job themselves, so the page usually finds it queued already.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import WINDOWS
from matching.kpi.dates import add_months
from models.clock import today
from models.db import end_read, unit_of_work
from models.jobs import queue
from models.jobs.kinds import kpi_refresh_key
from models.monitoring.read import SnapshotInfo, snapshot_info
from models.monitoring.refresh_jobs import enqueue_refreshes
from models.monitoring.store import refresh_year

log = logging.getLogger(__name__)


def needs_refresh(info: SnapshotInfo | None) -> bool:
    """Missing, stale, or computed on an earlier day while the year's after-training windows
    were still falling due (the last falls 12 months after the year's last graduation; after
    that the day of computation changes nothing)."""
    if info is None or info.stale:
        return True
    windows_settled_on = add_months(date(info.year, 12, 31), max(WINDOWS))
    return info.as_of < today() and info.as_of < windows_settled_on


def fresh_year(
    engine: Engine, session: Session, year: int, *, in_background: bool
) -> SnapshotInfo | None:
    """The year's snapshot, computed now when there is none; when it is out of date, a
    refresh is queued (``in_background``) or run at once."""
    info = snapshot_info(session, year)
    if info is not None and not needs_refresh(info):
        return info
    if info is None or not in_background:
        end_read(session)  # no transaction of this request stays open while it waits
        report = refresh_year(engine, year)
        log.info("KPI figures for %s computed in %.1f s", year, report.seconds)
        session.expire_all()  # read the new snapshot, not the one the session loaded
        return snapshot_info(session, year)
    queue_refresh(session, year)
    return info


def queue_refresh(session: Session, year: int) -> None:
    """Have ``year`` refreshed now: nothing to do when its refresh is running or due (checked
    by a read first, so a page takes no write lock in the usual case); a refresh queued for
    later is made due; else one is queued."""
    key = kpi_refresh_key(year)
    if queue.due_pending(session, key):
        return
    with unit_of_work(session):
        if not queue.hurry(session, key):
            enqueue_refreshes(session, [year], at_once=True)
