"""Reading the stored figures: what the dashboard, the drill-down and the yearly report show.
Reads never compute: they return what the last refresh stored, with when it was computed and
whether a write has made it stale since."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import and_, select
from sqlmodel import Session, col

from matching.kpi import Dimension, KpiId, Measure
from models.kept import Kept
from models.monitoring.codec import count_ids, decode_ids
from models.monitoring.figures import TOTAL
from models.tables import KpiFigure, KpiFigureValue, KpiSnapshot


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """When a year's figures were computed, as of which day, and whether they are stale."""

    year: int
    as_of: date
    computed_at: datetime
    stale: bool
    seconds: float
    records: int


@dataclass(frozen=True, slots=True)
class StoredFigure:
    """One stored number (no ids: ``figure_ids`` reads them for the drill-down)."""

    id: int
    kpi: KpiId
    measure: Measure
    dimension: Dimension
    group_key: str
    value: float | None
    numerator: int | None
    denominator: int | None
    record_kind: str
    note: str


_KPIS = {member.value: member for member in KpiId}
_MEASURES = {member.value: member for member in Measure}
_DIMENSIONS = {member.value: member for member in Dimension}


def stored_figure(row: Any) -> StoredFigure:
    """A stored row as a figure; ValueError when its KPI, measure or dimension is unknown (a
    dict lookup per column: tables of a year have tens of thousands of rows)."""
    id_, kpi_id, measure, dimension, *rest = row
    try:
        return StoredFigure(id_, _KPIS[kpi_id], _MEASURES[measure], _DIMENSIONS[dimension], *rest)
    except KeyError as error:
        raise ValueError(
            f"stored figure {id_}: unknown KPI, measure or dimension {error.args[0]!r}"
        ) from None


class FigureTable:
    """A year's figures, looked up by (kpi, measure, dimension, group)."""

    def __init__(self, figures: Iterable[StoredFigure]) -> None:
        self._by_key: dict[tuple[KpiId, Measure, Dimension, str], StoredFigure] = {}
        self._groups: dict[tuple[KpiId, Measure, Dimension], list[StoredFigure]] = {}
        for figure in figures:
            self._by_key[(figure.kpi, figure.measure, figure.dimension, figure.group_key)] = figure
            if figure.dimension:
                self._groups.setdefault((figure.kpi, figure.measure, figure.dimension), []).append(
                    figure
                )

    def get(
        self, kpi_id: KpiId, measure: Measure, dimension: Dimension = TOTAL, key: str = TOTAL
    ) -> StoredFigure | None:
        return self._by_key.get((kpi_id, measure, dimension, key))

    def value(
        self, kpi_id: KpiId, measure: Measure, dimension: Dimension = TOTAL, key: str = TOTAL
    ) -> Any:
        figure = self.get(kpi_id, measure, dimension, key)
        return None if figure is None else figure.value

    def groups(self, kpi_id: KpiId, measure: Measure, dimension: Dimension) -> list[StoredFigure]:
        """The groups of a dimension, in the order the KPI gave them (sorted, None last)."""
        return self._groups.get((kpi_id, measure, dimension), [])

    def __iter__(self) -> Iterator[StoredFigure]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)


def snapshot_info(session: Session, year: int) -> SnapshotInfo | None:
    row = session.execute(select(KpiSnapshot).where(col(KpiSnapshot.year) == year)).scalar()
    if row is None:
        return None
    return SnapshotInfo(row.year, row.as_of, row.computed_at, row.stale, row.seconds, row.records)


def snapshot_years(session: Session) -> list[int]:
    """Years that have stored figures, newest first."""
    query = select(col(KpiSnapshot.year)).order_by(col(KpiSnapshot.year).desc())
    return list(session.execute(query).scalars())


_COLUMNS = (
    col(KpiFigure.id),
    col(KpiFigure.kpi),
    col(KpiFigure.measure),
    col(KpiFigure.dimension),
    col(KpiFigure.group_key),
    col(KpiFigureValue.value),
    col(KpiFigureValue.numerator),
    col(KpiFigureValue.denominator),
    col(KpiFigureValue.record_kind),
    col(KpiFigureValue.note),
)


def current_values(query: Any) -> Any:
    """``query`` over figures, joined to their snapshot and to the values of the snapshot's
    current generation: one statement, so it sees one generation whole (a refresh writes the
    next one beside it and switches in one tiny transaction)."""
    return query.join(KpiSnapshot, col(KpiSnapshot.id) == col(KpiFigure.snapshot_id)).join(
        KpiFigureValue,
        and_(
            col(KpiFigureValue.figure_id) == col(KpiFigure.id),
            col(KpiFigureValue.generation) == col(KpiSnapshot.generation),
        ),
    )


def figure_table(
    session: Session,
    year: int,
    *,
    kpis: Iterable[KpiId] | None = None,
    dimensions: Iterable[Dimension] | None = None,
) -> FigureTable:
    """The year's stored figures, optionally only some KPIs and dimensions ('' is the total)."""
    query = current_values(select(*_COLUMNS).select_from(KpiFigure)).where(
        col(KpiSnapshot.year) == year
    )
    if kpis is not None:
        query = query.where(col(KpiFigure.kpi).in_(list(kpis)))
    if dimensions is not None:
        query = query.where(col(KpiFigure.dimension).in_(list(dimensions)))
    query = query.order_by(col(KpiFigure.id))
    return FigureTable(stored_figure(row) for row in session.execute(query))


def group_figures(
    session: Session, year: int, kpi_id: KpiId, measure: Measure, dimension: Dimension
) -> list[StoredFigure]:
    """One measure of one KPI for every group of a dimension."""
    table = figure_table(session, year, kpis=[kpi_id], dimensions=[dimension])
    return table.groups(kpi_id, measure, dimension)


def figure_by_id(session: Session, figure_id: int) -> tuple[StoredFigure, int] | None:
    """A stored figure and its year."""
    row = session.execute(
        current_values(select(*_COLUMNS, col(KpiSnapshot.year)).select_from(KpiFigure)).where(
            col(KpiFigure.id) == figure_id
        )
    ).first()
    if row is None:
        return None
    return stored_figure(row[:-1]), row[-1]


def companion_figure(
    session: Session, year: int, kpi_id: KpiId, measure: Measure, dimension: Dimension, key: str
) -> StoredFigure | None:
    """Another measure of the same KPI and group (the people of counts without names beside
    the named people of new jobs)."""
    query = current_values(select(*_COLUMNS).select_from(KpiFigure)).where(
        col(KpiSnapshot.year) == year,
        col(KpiFigure.kpi) == kpi_id,
        col(KpiFigure.measure) == measure,
        col(KpiFigure.dimension) == dimension,
        col(KpiFigure.group_key) == key,
    )
    row = session.execute(query).first()
    return None if row is None else stored_figure(row)


def figure_ids(
    session: Session, figure_id: int, *, base: bool = False
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The sorted ids of the records behind a figure (``base``: behind its denominator)."""
    column = col(KpiFigureValue.base_ids) if base else col(KpiFigureValue.ids)
    query = current_values(select(column).select_from(KpiFigure)).where(
        col(KpiFigure.id) == figure_id
    )
    blob = session.execute(query).scalar()
    return decode_ids(blob)


def id_counts_of_figures(session: Session, figure_ids: Iterable[int]) -> dict[int, int]:
    """figure id -> how many records are behind it, for many figures in one query per
    thousand (the ids themselves are read a page at a time by ``figure_id_page``)."""
    wanted = sorted(set(figure_ids))
    found: dict[int, int] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        query = current_values(
            select(col(KpiFigure.id), col(KpiFigureValue.ids)).select_from(KpiFigure)
        ).where(col(KpiFigure.id).in_(chunk))
        for figure_id, blob in session.execute(query):
            found[figure_id] = count_ids(blob)
    return found


# How many records are behind each figure, per year and refresh: counting inflates every
# figure's ids (two million for a year cut by commune at 10x: 60-100 ms a request), and they
# change only when a refresh switches the year's generation, whose moment is in the key.
_ID_COUNTS = Kept(("kpi_snapshot", "kpi_figure_value"), seconds=600, size=64)


def kept_id_counts(
    session: Session, year: int, computed_at: datetime | None, figure_ids: Iterable[int]
) -> dict[int, int]:
    """``id_counts_of_figures``, kept while the year's figures are those computed at
    ``computed_at`` (None: not kept)."""
    wanted = tuple(sorted(set(figure_ids)))
    if computed_at is None:
        return id_counts_of_figures(session, wanted)
    key = ("id_counts", year, computed_at, wanted)
    return _ID_COUNTS.get(session, key, lambda: id_counts_of_figures(session, wanted))


def figure_id_page(
    session: Session, figure_id: int, *, after: int, limit: int
) -> tuple[list[int], int]:
    """Up to ``limit`` + 1 of the ids behind a figure that are greater than ``after``, in id
    order (one more than a page, to know whether another follows), and how many it has."""
    ids = figure_ids(session, figure_id)
    start = int(np.searchsorted(ids, after, side="right"))
    return [int(each) for each in ids[start : start + limit + 1]], int(ids.size)
