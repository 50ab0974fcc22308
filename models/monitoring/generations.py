"""Writing a year's figures as a new generation, in short transactions, so that a refresh never
holds a lock that a page or a save waits for.

1. ``claim_generation``: one tiny transaction marks the snapshot current and takes the next
   generation number.
2. ``write_generation``: the figures a refresh computed go in beside the current ones, in
   transactions of at most ``BATCH_ROWS`` rows and about ``BATCH_BYTES`` bytes of ids. Readers
   do not see them: they read the snapshot's current generation only.
3. ``switch_generation``: one tiny transaction makes the new generation current (unless a
   refresh that started later has switched already), with when and as of which day.
4. ``drop_old_generations``: the older generations are deleted, in the same small batches.

A figure keeps its row and id in ``kpi_figure`` across generations (only its value rows come
and go), so a page's link to a drill-down still opens after a refresh.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.clock import today, utcnow
from models.db import unit_of_work
from models.monitoring.codec import encode_ids
from models.monitoring.figures import Figure
from models.tables import KpiFigure, KpiFigureValue, KpiSnapshot

BATCH_ROWS = 500  # rows written in one transaction
BATCH_BYTES = 250_000  # about this many bytes of compressed ids in one transaction
# On SQLite, the pause after each batch: a writer waiting for the lock polls at most every
# 100 ms (SQLite's busy handler), and the lock is not handed over in order, so without a pause
# back-to-back batches could keep it from the lock for seconds.
SQLITE_PAUSE = 0.05

FigureKey = tuple[str, str, str, str]  # kpi, measure, dimension, group key


@dataclass(frozen=True, slots=True)
class Claim:
    """The snapshot a refresh writes to and the generation it writes."""

    snapshot_id: int
    generation: int


def claim_generation(engine: Engine, year: int) -> Claim:
    """Mark the year's snapshot current (a write that lands later marks it stale again) and
    take the next generation number; the snapshot is created when the year has none."""
    for _attempt in range(2):
        with Session(engine) as session, unit_of_work(session):
            claimed = session.execute(
                update(KpiSnapshot)
                .where(col(KpiSnapshot.year) == year)
                .values(stale=False, last_generation=col(KpiSnapshot.last_generation) + 1)
                .returning(col(KpiSnapshot.id), col(KpiSnapshot.last_generation))
            ).first()
            if claimed is not None:
                return Claim(*claimed)
        try:
            with Session(engine) as session, unit_of_work(session):
                session.add(KpiSnapshot(year=year, as_of=today(), last_generation=1))
                session.flush()
                found = session.execute(
                    select(col(KpiSnapshot.id)).where(col(KpiSnapshot.year) == year)
                ).scalar_one()
                return Claim(found, 1)
        except IntegrityError:
            continue  # another refresh created it meanwhile: claim it
    raise RuntimeError(f"could not claim the KPI snapshot of {year}")


def write_generation(engine: Engine, claim: Claim, figures: Sequence[Figure]) -> None:
    """Store ``figures`` as the claim's generation, in short transactions (not yet shown)."""
    known = _figure_ids(engine, claim.snapshot_id)
    rows: list[tuple[FigureKey, dict[str, Any]]] = []
    for figure in figures:
        key = (
            figure.kpi.value,
            figure.measure.value,
            figure.dimension.value,
            figure.group_key[:60],
        )
        rows.append((key, _value_row(figure, claim.generation)))
    new_keys = list(dict.fromkeys(key for key, _row in rows if key not in known))
    for chunk in _batches(engine, new_keys, lambda _key: 0):
        known.update(_insert_figures(engine, claim.snapshot_id, chunk))
    values = [{"figure_id": known[key], **row} for key, row in _unique(rows)]
    table = KpiFigureValue.__table__  # type: ignore[attr-defined]
    for chunk in _batches(engine, values, _row_bytes):
        with Session(engine) as session, unit_of_work(session):
            session.connection().execute(insert(table), chunk)  # no ORM work under the lock


def switch_generation(
    engine: Engine, claim: Claim, *, as_of: date, records: int, seconds: float
) -> int:
    """Make the claim's generation the one readers see (one tiny transaction), unless a later
    refresh has already switched to a newer one; the current generation afterwards. ``stale``
    is left as it is: the claim cleared it before the rows were read."""
    with Session(engine) as session, unit_of_work(session):
        session.execute(
            update(KpiSnapshot)
            .where(col(KpiSnapshot.id) == claim.snapshot_id)
            .where(col(KpiSnapshot.generation) < claim.generation)
            .values(
                generation=claim.generation,
                as_of=as_of,
                computed_at=utcnow(),
                seconds=round(seconds, 3),
                records=records,
            )
        )
        current: int = session.execute(
            select(col(KpiSnapshot.generation)).where(col(KpiSnapshot.id) == claim.snapshot_id)
        ).scalar_one()
    return current


def drop_old_generations(engine: Engine, snapshot_id: int, current: int) -> int:
    """Delete the values of generations older than ``current`` (the replaced figures, and
    those of a refresh that lost the switch or stopped half-way), in short transactions.
    Newer generations belong to refreshes still writing and are left alone."""
    with Session(engine) as session:
        old = session.execute(
            select(col(KpiFigureValue.generation), col(KpiFigureValue.figure_id))
            .join(KpiFigure, col(KpiFigure.id) == col(KpiFigureValue.figure_id))
            .where(col(KpiFigure.snapshot_id) == snapshot_id)
            .where(col(KpiFigureValue.generation) < current)
            .order_by(col(KpiFigureValue.generation), col(KpiFigureValue.figure_id))
        ).all()
    by_generation: dict[int, list[int]] = {}
    for generation, figure_id in old:
        by_generation.setdefault(generation, []).append(figure_id)
    for generation, figure_ids in by_generation.items():
        for chunk in _batches(engine, figure_ids, lambda _id: 0):
            with Session(engine) as session, unit_of_work(session):
                session.execute(
                    delete(KpiFigureValue)
                    .where(col(KpiFigureValue.generation) == generation)
                    .where(col(KpiFigureValue.figure_id).in_(chunk))
                )
    return len(old)


def _figure_ids(engine: Engine, snapshot_id: int) -> dict[FigureKey, int]:
    """The snapshot's figures by (kpi, measure, dimension, group), read in a short read."""
    query = select(
        col(KpiFigure.kpi),
        col(KpiFigure.measure),
        col(KpiFigure.dimension),
        col(KpiFigure.group_key),
        col(KpiFigure.id),
    ).where(col(KpiFigure.snapshot_id) == snapshot_id)
    with Session(engine) as session:
        return {
            (kpi, measure, dim, key): id_ for kpi, measure, dim, key, id_ in session.execute(query)
        }


def _insert_figures(
    engine: Engine, snapshot_id: int, keys: Sequence[FigureKey]
) -> dict[FigureKey, int]:
    rows = [
        {
            "snapshot_id": snapshot_id,
            "kpi": kpi,
            "measure": measure,
            "dimension": dim,
            "group_key": key,
        }
        for kpi, measure, dim, key in keys
    ]
    with Session(engine) as session, unit_of_work(session):
        ids = session.execute(
            insert(KpiFigure).returning(col(KpiFigure.id), sort_by_parameter_order=True), rows
        ).scalars()
        return dict(zip(keys, ids, strict=True))


def _unique(rows: list[tuple[FigureKey, dict[str, Any]]]) -> list[tuple[FigureKey, dict[str, Any]]]:
    """One value per figure: when two figures share a (truncated) key the last one is kept."""
    return list({key: (key, row) for key, row in rows}.values())


def _value_row(figure: Figure, generation: int) -> dict[str, Any]:
    value = figure.value
    return {
        "generation": generation,
        "value": None if value is None else float(value),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "record_kind": figure.record_kind,
        "note": figure.note[:200],
        "ids": encode_ids(figure.ids),
        "base_ids": encode_ids(figure.base_ids),
    }


def _row_bytes(row: dict[str, Any]) -> int:
    return len(row["ids"] or b"") + len(row["base_ids"] or b"")


def _batches(engine: Engine, items: Sequence[Any], size_of: Any) -> Iterator[list[Any]]:
    """``items`` in lists of at most BATCH_ROWS items and about BATCH_BYTES bytes, each to be
    written in a transaction of its own; on SQLite with a pause between two (see above)."""
    pause = SQLITE_PAUSE if engine.dialect.name == "sqlite" else 0.0
    batch: list[Any] = []
    weight = 0
    for item in items:
        batch.append(item)
        weight += size_of(item)
        if len(batch) >= BATCH_ROWS or weight >= BATCH_BYTES:
            yield batch
            time.sleep(pause)
            batch, weight = [], 0
    if batch:
        yield batch
