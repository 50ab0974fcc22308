"""The review over the years, as the page shows it: every headline indicator year on year since
2021 with the term's totals, the published figures marked as such beside the platform's, and
the zone cut by year (models/monitoring/review.py holds the rules). A page view never computes:
years never computed say so and have their refresh queued."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from models.clock import today
from models.db import end_read, unit_of_work
from models.i18n import translate
from models.jobs import queue
from models.jobs.kinds import kpi_refresh_key
from models.monitoring import review as rules
from models.monitoring.read import snapshot_info
from models.monitoring.refresh_jobs import enqueue_refreshes
from models.monitoring.report_cells import (
    N_,
    Cell,
    Note,
    ReportTable,
    blank,
    count,
    share,
    text,
)
from models.queries.labels import Labels
from web.auth import Principal
from web.services.kpi_format import COUNT, RATE, format_value
from web.services.monitoring import needs_refresh

STATE_LABELS = {
    rules.NO_DATA: "No data",
    rules.NOT_COMPUTED: "Not computed yet",
}
ZONE_KPI_LABELS = ("Trained people (all levels)", "New jobs created")


@dataclass(frozen=True, slots=True)
class CellView:
    year: int
    state: str  # platform | published | both | no_data | not_computed
    platform: str  # the platform's figure, formatted ('' when none)
    published: str  # the published figure, formatted ('' when none)
    source: str
    empty: str  # "No data" or "Not computed yet" when neither figure exists


@dataclass(frozen=True, slots=True)
class TermView:
    text: str  # the sum, or ''
    missing: str  # "2023, 2024" when the sum cannot be made
    published_years: str  # the years counted by their published figure


@dataclass(frozen=True, slots=True)
class RowView:
    indicator: str
    label: str
    cells: list[CellView]
    term: TermView | None


@dataclass(frozen=True, slots=True)
class ZoneView:
    kpi: str
    zone: str  # I | II | III | ? (not recorded)
    label: str
    cells: list[str]


@dataclass(frozen=True)
class ReviewPage:
    years: list[int]
    term: tuple[int, int]
    rows: list[RowView]
    zones: list[ZoneView]
    not_computed: list[int]


def _years(years: list[int]) -> str:
    return ", ".join(str(year) for year in years)


def _cell(cell: rules.YearCell, kind: str, lang: str) -> CellView:
    state = cell.state
    return CellView(
        year=cell.year,
        state=state,
        platform="" if cell.platform is None else format_value(cell.platform, kind, lang),
        published="" if cell.published is None else format_value(cell.published, kind, lang),
        source=cell.source,
        empty=translate(STATE_LABELS[state], lang) if state in STATE_LABELS else "",
    )


def row_view(row: rules.IndicatorReview, lang: str) -> RowView:
    kind = COUNT if row.spec.flow else RATE
    term = None
    if row.term is not None:
        term = TermView(
            text="" if row.term.value is None else format_value(row.term.value, COUNT, lang),
            missing=_years(list(row.term.missing)),
            published_years=_years(list(row.term.published_years)),
        )
    return RowView(
        indicator=row.spec.indicator,
        label=translate(row.spec.label, lang),
        cells=[_cell(cell, kind, lang) for cell in row.cells],
        term=term,
    )


def zone_view(zone: rules.ZoneRow, lang: str) -> ZoneView:
    name = Labels().label("zone", zone.zone)
    kpi_label = ZONE_KPI_LABELS[0 if zone.kpi == rules.ZONE_KPIS[0][0] else 1]
    return ZoneView(
        kpi=str(zone.kpi),
        zone=zone.zone,
        label=f"{translate(kpi_label, lang)}: "
        f"{translate(name.text, lang) if name.msgid else name.text}",
        cells=[
            translate("No data", lang) if value is None else format_value(value, COUNT, lang)
            for value in zone.values
        ],
    )


def queue_missing_years(session: Session, years: tuple[int, ...]) -> None:
    """Queue a refresh of each year never computed or out of date that has none queued or
    running (read first: the usual page view writes nothing)."""
    wanted = [
        year
        for year in years
        if needs_refresh(snapshot_info(session, year))
        and not queue.pending(session, kpi_refresh_key(year))
    ]
    if wanted:
        with unit_of_work(session):
            enqueue_refreshes(session, wanted)


def review_page(session: Session, *, principal: Principal, lang: str) -> ReviewPage:
    review = rules.review(session, today().year)
    queue_missing_years(session, review.years)
    page = ReviewPage(
        years=list(review.years),
        term=rules.TERM,
        rows=[row_view(row, lang) for row in review.rows],
        zones=[zone_view(zone, lang) for zone in review.zones],
        not_computed=list(review.not_computed),
    )
    end_read(session)
    return page


def review_table(session: Session, year: int, lang: str) -> ReportTable:
    """The review as the yearly report's last table (its number follows the others): a row
    per indicator from the platform, a row of the published figures beside it where there are
    any, the term total, and the zone cut. Reads only what is stored."""
    review = rules.review(session, year)
    years = [y for y in review.years if y <= max(year, rules.TERM[1])]
    term = translate("Term total {first}–{last}", lang, first=rules.TERM[0], last=rules.TERM[1])
    columns = (translate("Indicator", lang), *(str(y) for y in years), term)
    rows: list[tuple[Cell, ...]] = []
    sources: list[Note] = []
    for row in review.rows:
        number = count if row.spec.flow else share
        name = translate(row.spec.label, lang)
        cells = row.cells[: len(years)]
        platform = [_platform_cell(c, number, lang) for c in cells]
        rows.append((text(name), *platform, _term_cell(row.term, lang)))
        if any(c.published is not None for c in cells):
            published = [number(c.published) if c.published is not None else blank() for c in cells]
            label_text = translate("{indicator} (published)", lang, indicator=name)
            rows.append((text(label_text), *published, blank()))
            sources += [
                Note(N_("{indicator} {year} (published): {source}"),
                     {"indicator": name, "year": c.year, "source": c.source})
                for c in cells if c.published is not None
            ]  # fmt: skip
    for zone in review.zones:
        view = zone_view(zone, lang)
        values = [count(v) if v is not None else text(view.cells[i]) for i, v in
                  enumerate(zone.values[: len(years)])]  # fmt: skip
        rows.append((text(view.label), *values, blank()))
    notes = (Note(N_("A year with records on the platform counts by its own figure; a year "
                     "without counts by its published figure. The term total is summed only "
                     "when every year of the term has a figure.")), *sources)  # fmt: skip
    return ReportTable(
        "review", N_("Review over the years"), N_("sheet:review"), columns, tuple(rows), notes
    )


def _platform_cell(cell: rules.YearCell, number: Callable[[float | None], Cell], lang: str) -> Cell:
    """The platform's figure; blank beside a published one; else why there is none."""
    if cell.platform is not None:
        return number(cell.platform)
    if cell.published is not None:
        return blank()
    return text(translate(STATE_LABELS[cell.state], lang))


def _term_cell(term: rules.TermTotal | None, lang: str) -> Cell:
    if term is None:
        return blank()
    if term.missing:
        years = _years(list(term.missing))
        return text(translate("Not summed: no figure for {years}", lang, years=years))
    return count(term.value)


__all__ = ["ReviewPage", "review_page", "review_table"]
