"""Reading the labour-force figures officials imported: one line per set (a year and a source),
with the province totals the KPIs use. Nothing commits.

The totals follow the KPI functions' rule (matching.kpi.labour_force.select_figures): the
province row when the set has one, else the sum of its commune rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from matching.kpi.labour_force import select_figures
from matching.kpi.records import LabourForceRecord
from models.tables import LabourForceFigure

FIGURES = (
    "labour_force",
    "trained",
    "trained_certified",
    "employed",
    "employed_nlts",
    "employed_cnxd",
    "employed_dv",
)


@dataclass(frozen=True)
class FigureTotals:
    labour_force: int
    trained: int
    trained_certified: int
    employed: int
    employed_nlts: int
    employed_cnxd: int
    employed_dv: int

    def share(self, name: str) -> float | None:
        """A figure over the employed (the denominator of the trained shares and of the
        sector groups alike), or None when no one is employed."""
        return getattr(self, name) / self.employed if self.employed else None


@dataclass(frozen=True)
class FigureSet:
    """The figures of one source for one year."""

    year: int
    source: str
    rows: int
    communes: int  # rows naming a commune
    basis: str  # "province" (its own row) or "communes" (their sum)
    totals: FigureTotals
    imported_at: datetime


def to_record(figure: LabourForceFigure) -> LabourForceRecord:
    """A stored row as the KPI functions' record."""
    return LabourForceRecord(
        id=figure.id or 0,
        year=figure.year,
        commune_code=figure.commune_code,
        source=figure.source,
        **{name: getattr(figure, name) for name in FIGURES},
    )


def figure_sets(session: Session) -> list[FigureSet]:
    """Every imported set, newest year first, then by source."""
    rows = session.exec(select(LabourForceFigure).order_by(col(LabourForceFigure.id))).all()
    grouped: dict[tuple[int, str], list[LabourForceFigure]] = defaultdict(list)
    for row in rows:
        grouped[(row.year, row.source)].append(row)
    sets = [_figure_set(year, source, members) for (year, source), members in grouped.items()]
    return sorted(sets, key=lambda s: (-s.year, s.source))


def _figure_set(year: int, source: str, members: list[LabourForceFigure]) -> FigureSet:
    chosen, communes, basis = select_figures([to_record(m) for m in members], year, source)
    totals = FigureTotals(
        **{name: sum(getattr(record, name) for record in chosen) for name in FIGURES}
    )
    return FigureSet(
        year=year,
        source=source,
        rows=len(members),
        communes=len(communes),
        basis=basis,
        totals=totals,
        imported_at=max(m.imported_at for m in members),
    )
