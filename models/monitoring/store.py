"""Computing a year's figures and storing them (the KPI snapshot), and marking snapshots stale
whenever a write touches the rows the KPIs read.

A refresh reads the year's rows, runs the KPI functions (``figures.year_figures``) and replaces
the year's figures in one transaction: readers see the old figures or the new ones, never a mix.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.clock import today, utcnow
from models.db import unit_of_work
from models.locking import locked_row
from models.monitoring import records as load
from models.monitoring.figures import Figure, YearInput, year_figures
from models.tables import KpiFigure, KpiSnapshot, LabourForceFigure

INSERT_CHUNK = 2000


def encode_ids(ids: Iterable[int]) -> bytes | None:
    """Sorted ids as zlib-compressed deltas (a few bits per id for dense ids)."""
    array = np.fromiter(ids, dtype=np.int64)
    if array.size == 0:
        return None
    array.sort()
    deltas = np.diff(array, prepend=0).astype(np.int64)
    return zlib.compress(deltas.tobytes(), 6)


def decode_ids(blob: bytes | None) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The sorted ids ``encode_ids`` stored."""
    if not blob:
        return np.zeros(0, dtype=np.int64)
    return np.cumsum(np.frombuffer(zlib.decompress(blob), dtype=np.int64))


def read_year(session: Session, year: int, as_of: date) -> YearInput:
    """Every record the year's figures need, read in the caller's transaction."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    enrolments = load.enrolments_in(session, first, last)
    graduates = [
        e for e in enrolments if e.graduated_on is not None and first <= e.graduated_on <= last
    ]
    orders = load.orders_requested(session, first, last)
    order_enrolments = load.enrolments_of_orders(session, [o.id for o in orders])
    return YearInput(
        year=year,
        as_of=as_of,
        enrolments=enrolments,
        spells=load.spells_starting(session, first, last),
        graduate_spells=load.spells_of_people(session, [e.person_id for e in graduates]),
        follow_ups=load.follow_ups_of(session, [e.enrolment_id for e in graduates]),
        orders=orders,
        order_enrolments=order_enrolments,
        order_spells=load.spells_of_people(session, [e.person_id for e in order_enrolments]),
        vacancies=load.vacancies_posted(session, first, last),
        labour_force=load.labour_force_of(session, year),
        labour_force_source=latest_source(session, year),
    )


def latest_source(session: Session, year: int) -> str | None:
    """The source of the year's most recently imported labour-force figures."""
    return session.execute(
        select(col(LabourForceFigure.source))
        .where(col(LabourForceFigure.year) == year)
        .order_by(col(LabourForceFigure.imported_at).desc(), col(LabourForceFigure.id).desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class RefreshReport:
    year: int
    figures: int
    records: int
    seconds: float


def refresh_year(engine: Engine, year: int, *, as_of: date | None = None) -> RefreshReport:
    """Recompute ``year`` and replace its stored figures.

    The snapshot is marked current first; a write that lands while the figures are computed
    marks it stale again, so it is never left looking current with older figures. Reading and
    computing happen outside the writing transaction, so writers wait only for the
    replacement itself."""
    as_of = as_of or today()
    started = time.perf_counter()
    with Session(engine) as session, unit_of_work(session):
        claim_snapshot(session, year)
    with Session(reading_engine(engine)) as reader:
        data = read_year(reader, year, as_of)
    figures = list(year_figures(data))
    records = len(data.enrolments) + len(data.spells) + len(data.follow_ups) + len(data.vacancies)
    with Session(engine) as session, unit_of_work(session):
        store_figures(session, year, as_of, figures, records, time.perf_counter() - started)
    return RefreshReport(year, len(figures), records, time.perf_counter() - started)


def reading_engine(engine: Engine) -> Engine:
    """The engine for a long read: one consistent view of the database that takes no write
    lock (every read on SQLite is a deferred transaction; REPEATABLE READ on PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="REPEATABLE READ")


def claim_snapshot(session: Session, year: int) -> KpiSnapshot:
    """The year's snapshot, created if missing, locked and marked current."""
    snapshot = _snapshot_for_update(session, year)
    snapshot.stale = False
    session.add(snapshot)
    session.flush()
    return snapshot


def store_figures(
    session: Session, year: int, as_of: date, figures: list[Figure], records: int, seconds: float
) -> KpiSnapshot:
    """Replace the year's figures (no commit: the caller's transaction). A figure that was
    already stored keeps its row and id, so a page's links to its drill-down still open (on
    the new records) after a refresh. ``stale`` is left as it is: claim_snapshot cleared it
    before the rows were read."""
    snapshot = _snapshot_for_update(session, year)
    snapshot.as_of, snapshot.computed_at = as_of, utcnow()
    snapshot.seconds, snapshot.records = round(seconds, 3), records
    session.add(snapshot)
    session.flush()
    assert snapshot.id is not None  # the flush gave a new snapshot its id
    stored = _stored_ids(session, snapshot.id)
    updates, inserts = [], []
    for figure in figures:
        row = _row(snapshot.id, figure)
        key = (row["kpi"], row["measure"], row["dimension"], row["group_key"])
        figure_id = stored.pop(key, None)
        if figure_id is None:
            inserts.append(row)
        else:
            updates.append({"id": figure_id, **row})
    gone = list(stored.values())
    for start in range(0, max(len(gone), len(updates), len(inserts)), INSERT_CHUNK):
        chunk = slice(start, start + INSERT_CHUNK)
        if gone[chunk]:
            session.execute(delete(KpiFigure).where(col(KpiFigure.id).in_(gone[chunk])))
        if updates[chunk]:
            session.execute(update(KpiFigure), updates[chunk])
        if inserts[chunk]:
            session.execute(insert(KpiFigure), inserts[chunk])
    return snapshot


def _stored_ids(session: Session, snapshot_id: int) -> dict[tuple[str, str, str, str], int]:
    """The ids of a snapshot's stored figures by (kpi, measure, dimension, group)."""
    query = select(
        col(KpiFigure.id),
        col(KpiFigure.kpi),
        col(KpiFigure.measure),
        col(KpiFigure.dimension),
        col(KpiFigure.group_key),
    ).where(col(KpiFigure.snapshot_id) == snapshot_id)
    return {(kpi, measure, dim, key): id_ for id_, kpi, measure, dim, key in session.execute(query)}


def _snapshot_for_update(session: Session, year: int) -> KpiSnapshot:
    found = session.execute(
        select(col(KpiSnapshot.id)).where(col(KpiSnapshot.year) == year)
    ).scalar()
    if found is not None:
        snapshot = locked_row(session, KpiSnapshot, found)
        if snapshot is not None:
            return snapshot
    return KpiSnapshot(year=year, as_of=today())


def _row(snapshot_id: int, figure: Figure) -> dict[str, Any]:
    value = figure.value
    return {
        "snapshot_id": snapshot_id,
        "kpi": figure.kpi,
        "measure": figure.measure,
        "dimension": figure.dimension,
        "group_key": figure.group_key[:60],
        "value": None if value is None else float(value),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "record_kind": figure.record_kind,
        "note": figure.note[:200],
        "ids": encode_ids(figure.ids),
        "base_ids": encode_ids(figure.base_ids),
    }
