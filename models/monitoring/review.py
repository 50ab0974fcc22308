"""The review over the years: every headline indicator year on year since 2021, the term's
totals (2021–2025) and the zone cut, from the stored figures of each year (never computed here)
and the figures the province published before the platform kept the records.

Rules (docs/kpi.md, "Review over the years"):
- A year's figure is the platform's when the year has records behind it; a published figure of
  the same year is shown beside it, never added to it. A year with neither is "no data"; a year
  whose figures were never computed is "not computed yet" (the page queues its refresh).
- The term total sums the flows (people trained, new jobs, departures abroad) only when every
  year of the term has a figure, the platform's or else the published one; otherwise it names
  the missing years. Shares are not summed.
- Zones come from the commune's zone in force on each record's date: records before a zone's
  start date are "not recorded".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from matching.kpi import Dimension, KpiId, Measure
from models.monitoring.figures import NONE_KEY
from models.monitoring.read import FigureTable, SnapshotInfo, figure_table, snapshot_info
from models.monitoring.target_status import INDICATORS
from models.tables import PublishedFigure

FIRST_YEAR = 2021
TERM = (2021, 2025)  # the resolution's term
ZONE_KEYS = ("I", "II", "III", NONE_KEY)
ZONE_KPIS = ((KpiId.TRAINED, Measure.TRAINED), (KpiId.NEW_JOBS, Measure.PEOPLE))
AFTER_TRAINING_6 = "after_training_6_employed"

# Cell states.
PLATFORM, PUBLISHED, BOTH, NO_DATA, NOT_COMPUTED = (
    "platform",
    "published",
    "both",
    "no_data",
    "not_computed",
)


@dataclass(frozen=True, slots=True)
class ReviewIndicator:
    """A row of the review: the stored figure it reads, and whether it is a flow (summed over
    the term) or a share (a fraction; published in percent)."""

    indicator: str
    kpi: KpiId
    measure: Measure
    label: str  # msgid
    flow: bool
    publishable: bool = True


REVIEW_INDICATORS = (
    *(
        ReviewIndicator(spec.indicator, spec.kpi, spec.measure, spec.label, spec.cumulative)
        for spec in INDICATORS
    ),
    ReviewIndicator(
        AFTER_TRAINING_6,
        KpiId.AFTER_TRAINING_6,
        Measure.EMPLOYED,
        "Employed 6 months after training",
        flow=False,
        publishable=False,
    ),
)
PUBLISHABLE = {row.indicator: row for row in REVIEW_INDICATORS if row.publishable}
SHARE_INDICATORS = frozenset(row.indicator for row in REVIEW_INDICATORS if not row.flow)


@dataclass(frozen=True, slots=True)
class YearCell:
    """One indicator in one year: the platform's figure and the published one (a share as a
    fraction), with the published figure's source."""

    year: int
    platform: float | None
    published: float | None
    source: str
    computed: bool

    @property
    def value(self) -> float | None:
        """The year's figure: the platform's, else the published one."""
        return self.platform if self.platform is not None else self.published

    @property
    def state(self) -> str:
        if self.platform is not None and self.published is not None:
            return BOTH
        if self.platform is not None:
            return PLATFORM
        if self.published is not None:
            return PUBLISHED
        return NO_DATA if self.computed else NOT_COMPUTED


@dataclass(frozen=True, slots=True)
class TermTotal:
    """A flow summed over the term, or the years that keep it from being summed."""

    value: float | None
    missing: tuple[int, ...]
    published_years: tuple[int, ...]  # years counted by their published figure


@dataclass(frozen=True, slots=True)
class IndicatorReview:
    spec: ReviewIndicator
    cells: tuple[YearCell, ...]
    term: TermTotal | None  # None for shares


@dataclass(frozen=True, slots=True)
class ZoneRow:
    kpi: KpiId
    measure: Measure
    zone: str  # I | II | III | NONE_KEY
    values: tuple[float | None, ...]  # per year; None: no data or not computed


@dataclass(frozen=True, slots=True)
class Review:
    years: tuple[int, ...]
    not_computed: tuple[int, ...]
    rows: tuple[IndicatorReview, ...]
    zones: tuple[ZoneRow, ...]

    def row(self, indicator: str) -> IndicatorReview | None:
        return next((r for r in self.rows if r.spec.indicator == indicator), None)


def published_figures(
    session: Session, first: int, last: int
) -> dict[tuple[int, str], PublishedFigure]:
    """The published figures of the years ``first``..``last`` by (year, indicator)."""
    query = select(PublishedFigure).where(
        col(PublishedFigure.year) >= first, col(PublishedFigure.year) <= last
    )
    return {(f.year, f.indicator): f for f in session.execute(query).scalars()}


def published_list(session: Session) -> list[PublishedFigure]:
    query = select(PublishedFigure).order_by(
        col(PublishedFigure.year), col(PublishedFigure.indicator)
    )
    return list(session.execute(query).scalars())


def platform_value(
    spec: ReviewIndicator, table: FigureTable, info: SnapshotInfo | None
) -> float | None:
    """The platform's figure: None when the year was never computed or, for a count, when no
    record at all is behind it; a count missing beside records is 0."""
    if info is None:
        return None
    value = table.value(spec.kpi, spec.measure)
    if not spec.flow:
        return None if value is None else float(value)
    if info.records == 0 and not value:
        return None
    return float(value or 0)


def _published_value(spec: ReviewIndicator, figure: PublishedFigure | None) -> float | None:
    if figure is None:
        return None
    return figure.value / 100 if spec.indicator in SHARE_INDICATORS else figure.value


def term_total(cells: Iterable[YearCell], term: tuple[int, int] = TERM) -> TermTotal:
    """The sum over the term's years when every one has a figure; else the missing years."""
    by_year = {cell.year: cell for cell in cells}
    years = range(term[0], term[1] + 1)
    missing = tuple(y for y in years if y not in by_year or by_year[y].value is None)
    published = tuple(
        y for y in years if y in by_year and by_year[y].platform is None and y not in missing
    )
    if missing:
        return TermTotal(None, missing, published)
    return TermTotal(sum(by_year[y].value or 0 for y in years), (), published)


def review(session: Session, last_year: int) -> Review:
    """The review of ``FIRST_YEAR``..``last_year`` (and of the whole term, whatever the last
    year), from what is stored."""
    years = tuple(range(FIRST_YEAR, max(last_year, TERM[1]) + 1))
    infos = {year: snapshot_info(session, year) for year in years}
    kpis = {spec.kpi for spec in REVIEW_INDICATORS}
    tables = {
        year: figure_table(session, year, kpis=kpis, dimensions=[Dimension.TOTAL, Dimension.ZONE])
        if infos[year] is not None
        else FigureTable([])
        for year in years
    }
    published = published_figures(session, years[0], years[-1])
    rows = []
    for spec in REVIEW_INDICATORS:
        cells = tuple(
            YearCell(
                year,
                platform_value(spec, tables[year], infos[year]),
                _published_value(spec, published.get((year, spec.indicator))),
                found.source if (found := published.get((year, spec.indicator))) else "",
                infos[year] is not None,
            )
            for year in years
        )
        rows.append(IndicatorReview(spec, cells, term_total(cells) if spec.flow else None))
    zones = tuple(
        ZoneRow(kpi_id, measure, zone, tuple(_zone_value(tables[y], infos[y], kpi_id, measure,
                                                         zone) for y in years))
        for kpi_id, measure in ZONE_KPIS
        for zone in ZONE_KEYS
    )  # fmt: skip
    not_computed = tuple(year for year in years if infos[year] is None)
    return Review(years, not_computed, tuple(rows), zones)


def _zone_value(
    table: FigureTable, info: SnapshotInfo | None, kpi_id: KpiId, measure: Measure, zone: str
) -> float | None:
    if info is None or (info.records == 0 and not table.value(kpi_id, measure)):
        return None
    return float(table.value(kpi_id, measure, Dimension.ZONE, zone) or 0)


__all__ = [
    "BOTH",
    "FIRST_YEAR",
    "NOT_COMPUTED",
    "NO_DATA",
    "PLATFORM",
    "PUBLISHABLE",
    "PUBLISHED",
    "TERM",
    "review",
]
