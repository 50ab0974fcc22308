"""The supply-and-demand page's slow parts as the KPI refresh stored them (KpiId.SUPPLY_DEMAND in
the snapshot of the refresh's own year; models/monitoring/supply_inputs.py computes them): the
completion rates by institution and level, and the recent graduates without a job by occupation
and place, both as of that snapshot's day. Every reader takes the snapshot's year, so the rates
and the graduates of one table come from one snapshot. Reads only; docs/kpi.md, "Supply and
demand", says which snapshot the page reads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from matching.kpi import Dimension, KpiId, Measure
from models.monitoring.figures import NONE_KEY, TOTAL
from models.monitoring.read import SnapshotInfo, current_values
from models.tables import KpiFigure, KpiFigureValue, KpiSnapshot

Key = tuple[int | None, str | None]  # (occupation id, place) of a table's row


def _figures(year: int, measure: Measure, dimension: Dimension, *columns: Any) -> Any:
    return current_values(select(*columns).select_from(KpiFigure)).where(
        col(KpiSnapshot.year) == year,
        col(KpiFigure.kpi) == KpiId.SUPPLY_DEMAND,
        col(KpiFigure.dimension) == dimension,
        col(KpiFigure.measure) == measure,
    )


def stored_supply(session: Session, year: int) -> SnapshotInfo | None:
    """The year's snapshot when it holds the page's figures (a snapshot computed before they
    were stored, or of another year, does not); None otherwise. One statement."""
    return _snapshot(session, col(KpiSnapshot.year) == year)


def newest_stored_supply(session: Session, year: int) -> SnapshotInfo | None:
    """The newest snapshot of ``year`` or an earlier year that holds the page's figures
    (normally this year's; before its first refresh, last year's, computed around its last
    day); None when none does. One statement."""
    return _snapshot(session, col(KpiSnapshot.year) <= year)


def _snapshot(session: Session, years: Any) -> SnapshotInfo | None:
    """The newest snapshot of ``years`` whose current generation holds the marker figure (the
    total of the graduates available now, stored even when 0)."""
    holding = current_values(select(col(KpiSnapshot.id)).select_from(KpiFigure)).where(
        years,
        col(KpiFigure.kpi) == KpiId.SUPPLY_DEMAND,
        col(KpiFigure.dimension) == TOTAL,
        col(KpiFigure.measure) == Measure.AVAILABLE_NOW,
    )
    query = select(KpiSnapshot).where(col(KpiSnapshot.id).in_(holding))
    row = session.execute(query.order_by(col(KpiSnapshot.year).desc()).limit(1)).scalar()
    if row is None:
        return None
    return SnapshotInfo(row.year, row.as_of, row.computed_at, row.stale, row.seconds, row.records)


def stored_rates(year: int) -> Any:
    """The stored completion rates as a subquery with the columns of the live ones that the
    expected graduates join on (``rate_key``, ``rate``)."""
    return _figures(
        year,
        Measure.COMPLETION,
        Dimension.INSTITUTION_LEVEL,
        col(KpiFigure.group_key).label("rate_key"),
        col(KpiFigureValue.value).label("rate"),
    ).subquery("completion_history")


def stored_available(
    session: Session,
    year: int,
    *,
    by_place: bool,
    commune: str | None = None,
    occupation_id: int | None = None,
) -> dict[Key, int]:
    """Graduates available now as the table asked for keys its rows: by occupation (in one
    place when ``commune``), or one occupation's by place."""
    if not by_place and commune is None:
        query = _figures(year, Measure.AVAILABLE_NOW, Dimension.OCCUPATION, *_key_and_value())
        return {(_occupation(key), None): int(value or 0) for key, value in session.execute(query)}
    query = _figures(year, Measure.AVAILABLE_NOW, Dimension.OCCUPATION_PLACE, *_key_and_value())
    if by_place:
        query = query.where(
            col(KpiFigure.group_key).startswith(f"{_text(occupation_id)}|", autoescape=True)
        )
    else:
        query = query.where(col(KpiFigure.group_key).endswith(f"|{commune}", autoescape=True))
    found: dict[Key, int] = {}
    for key, value in session.execute(query):
        occupation, place = _occupation_place(key)
        if by_place and occupation == occupation_id:
            found[(occupation, place)] = int(value or 0)
        elif not by_place and place == commune:
            found[(occupation, None)] = int(value or 0)
    return found


def _key_and_value() -> tuple[Any, Any]:
    return col(KpiFigure.group_key), col(KpiFigureValue.value)


def _text(occupation_id: int | None) -> str:
    return NONE_KEY if occupation_id is None else str(occupation_id)


def _occupation(key: str) -> int | None:
    return None if key == NONE_KEY else int(key)


def _occupation_place(key: str) -> Key:
    occupation, _, place = key.partition("|")
    return _occupation(occupation), None if place == NONE_KEY else place
