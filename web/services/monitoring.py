"""Keeping the KPI snapshot current for the pages that read it.

A page asks for a year's figures with ``fresh_year``. A year never computed is computed at
once (the page waits). A year that a write made stale, or that was computed before today (the
after-training windows move with the calendar), is shown as stored while a refresh runs after
the response; the page says when its figures were computed. One refresh per year runs at a time
in a process.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from fastapi import BackgroundTasks
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import WINDOWS
from matching.kpi.dates import add_months
from models.clock import today
from models.db import end_read
from models.monitoring.read import SnapshotInfo, snapshot_info
from models.monitoring.store import refresh_year

log = logging.getLogger(__name__)

_running: set[int] = set()
_lock = threading.Lock()


def needs_refresh(info: SnapshotInfo | None) -> bool:
    """Missing, stale, or computed on an earlier day while the year's after-training windows
    were still falling due (the last falls 12 months after the year's last graduation; after
    that the day of computation changes nothing)."""
    if info is None or info.stale:
        return True
    windows_settled_on = add_months(date(info.year, 12, 31), max(WINDOWS))
    return info.as_of < today() and info.as_of < windows_settled_on


def fresh_year(
    engine: Engine, session: Session, year: int, background: BackgroundTasks | None
) -> SnapshotInfo | None:
    """The year's snapshot, computed now when there is none, refreshed after the response
    when it is out of date (at once when no ``background`` is given)."""
    info = snapshot_info(session, year)
    if info is not None and not needs_refresh(info):
        return info
    if info is None or background is None:
        end_read(session)  # no transaction of this request stays open while it waits
        refresh_once(engine, year)
        session.expire_all()  # read the new snapshot, not the one the session loaded
        return snapshot_info(session, year)
    background.add_task(refresh_once, engine, year)
    return info


def refresh_once(engine: Engine, year: int) -> None:
    """Refresh ``year`` unless this process is already refreshing it."""
    with _lock:
        if year in _running:
            return
        _running.add(year)
    try:
        report = refresh_year(engine, year)
        log.info("KPI figures for %s refreshed in %.1f s", year, report.seconds)
    finally:
        with _lock:
            _running.discard(year)
