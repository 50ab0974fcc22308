"""The officials' dashboard: a year's stored KPI figures against the resolution's targets, with
charts, employment after training, orders, vacancies, the imported labour-force shares and one
table of any stored cut. Every number is a stored figure computed by ``matching.kpi`` (or a
plain sum of them), and every figure with records behind it links to its drill-down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import (
    WINDOWS,
    Dimension,
    KpiFamily,
    KpiId,
    TargetRecord,
)
from models.clock import local_time, today
from models.db import end_read
from models.enums import TargetIndicator
from models.formatting import format_date
from models.ids import whole_or_none
from models.monitoring.read import FigureTable, SnapshotInfo, figure_table
from models.monitoring.target_status import INDICATORS, Indicator, judge
from models.monitoring.targets import targets
from models.years import PICKER_FIRST_YEAR, parse_year
from web.auth import Principal
from web.services.dashboard import charts, sections
from web.services.kpi_format import COUNT, RATE, Shown, format_value, shown
from web.services.kpi_labels import Labeller
from web.services.monitoring import fresh_year, needs_refresh

DEFAULT_WINDOW = 6
T = TargetIndicator
STATUS_LABELS = {
    "ok": "On track",
    "at_risk": "At risk",
    "behind": "Behind",
    "too_early": "Too early to tell",
    "reached": "Target reached",
    "missed": "Target missed",
    "no_target": "No target for this year",
    "no_figures": "No figures imported",
    "no_data": "No data for this year",
}


@dataclass(frozen=True, slots=True)
class Choice:
    """What the reader asked for, checked."""

    year: int
    window: int
    cohort: int
    cut_kpi: KpiFamily
    cut_by: Dimension

    @property
    def cut(self) -> str:
        return f"{self.cut_kpi}:{self.cut_by}"


def parse_choice(year: str, window: str, cohort: str, cut: str) -> Choice:
    """Year and cohort between 2016 and this year (this year when not given); a window of
    0, 3, 6 or 12 months (6 otherwise); a stored cut (trained by commune when not given)."""
    chosen_year = _year(year, today().year)
    asked = whole_or_none(window)
    months = DEFAULT_WINDOW if asked is None else asked
    cut_kpi, cut_by = sections.parse_cut(cut)
    return Choice(
        year=chosen_year,
        window=months if months in WINDOWS else DEFAULT_WINDOW,
        cohort=_year(cohort, chosen_year),
        cut_kpi=cut_kpi,
        cut_by=cut_by,
    )


def _year(raw: str, default: int) -> int:
    raw = raw.strip()
    if not raw:
        return default
    return parse_year(raw, first=PICKER_FIRST_YEAR, last=today().year)


@dataclass(frozen=True, slots=True)
class ProgressCard:
    indicator: str
    label: str
    number: Shown
    target: str  # 8.000–8.300, or 65–70 %
    reached: str  # value ÷ target minimum
    projection: str  # to the year's end, for counts only
    # ok | at_risk | behind | too_early | reached | missed | no_target | no_figures | no_data
    status: str
    status_label: str
    note: str  # the source of imported figures


@dataclass(frozen=True, slots=True)
class Freshness:
    computed_at: str  # HH:MM dd/mm/yyyy, Vietnam's clock
    as_of: str
    updating: bool


@dataclass(frozen=True)
class DashboardPage:
    choice: Choice
    years: list[int]
    windows: tuple[int, ...]
    freshness: Freshness | None
    cards: list[ProgressCard]
    series: list[charts.SeriesView]
    bars: list[charts.BarsView]
    after: sections.AfterTrainingView
    orders: list[sections.Labelled]
    vacancies: list[sections.Labelled]
    labour: sections.LabourView
    cut: sections.CutTable
    cut_options: list[tuple[str, list[tuple[str, str]]]]
    # False for a year whose figures were computed from no record at all: the page says
    # "no data" instead of drawing empty charts and tables of zeros.
    has_data: bool = True


def dashboard_page(
    session: Session,
    engine: Engine,
    in_background: bool,
    *,
    principal: Principal,
    query: dict[str, str],
    lang: str,
    href: Callable[[Shown], str | None],
) -> DashboardPage:
    """Everything the dashboard shows for the reader's choice (``query``: year, window,
    cohort, cut); years never computed are computed now, stale ones by a queued job
    (the page says so)."""
    choice = parse_choice(*(query.get(name, "") for name in ("year", "window", "cohort", "cut")))
    info = fresh_year(engine, session, choice.year, in_background=in_background)
    if choice.cohort != choice.year:
        fresh_year(engine, session, choice.cohort, in_background=in_background)
    as_of = info.as_of if info is not None else today()
    labeller = Labeller(session, lang)
    year_targets = targets(session, choice.year)
    main = figure_table(session, choice.year, dimensions=[Dimension.TOTAL])
    by_group = figure_table(
        session,
        choice.year,
        kpis=[KpiId.TRAINED, KpiId.NEW_JOBS],
        dimensions=charts.CHART_DIMENSIONS,
    )
    after_kpi = KpiId.after_training(choice.window)
    cohort = main
    if choice.cohort != choice.year:
        cohort = figure_table(
            session, choice.cohort, kpis=[after_kpi], dimensions=[Dimension.TOTAL]
        )
    cut_year = choice.cohort if choice.cut_kpi is KpiFamily.AFTER_TRAINING else choice.year
    cut_kpi = choice.cut_kpi.at(choice.window)
    dimensions = [Dimension.TOTAL, choice.cut_by]
    cut = figure_table(session, cut_year, kpis=[cut_kpi], dimensions=dimensions)
    page = DashboardPage(
        choice=choice,
        years=list(range(today().year, PICKER_FIRST_YEAR - 1, -1)),
        windows=WINDOWS,
        freshness=freshness(info, lang),
        cards=_cards(main, year_targets, as_of, choice.year, labeller, lang, _has_data(info)),
        series=[
            charts.monthly(
                by_group, spec, choice.year, as_of, year_targets.get(indicator), labeller, lang
            )
            for spec, indicator in ((charts.TRAINED, T.TRAINED), (charts.NEW_JOBS, T.NEW_JOBS))
        ],
        bars=[charts.bars(by_group, spec, labeller, lang, href) for spec in charts.BAR_SPECS],
        after=sections.after_training(cohort, choice.window, choice.cohort, labeller, lang),
        orders=sections.totals(main, KpiId.ORDERS, sections.ORDER_MEASURES, labeller, lang),
        vacancies=sections.totals(main, KpiId.VACANCIES, sections.VACANCY_MEASURES, labeller, lang),
        labour=sections.labour_force(main, year_targets, labeller, lang),
        cut=sections.cut_table(cut, choice.cut_kpi, choice.cut_by, choice.window, labeller, lang),
        cut_options=sections.cut_options(labeller),
        has_data=_has_data(info),
    )
    end_read(session)  # nothing stays open while the page renders and the refresh runs
    return page


def freshness(info: SnapshotInfo | None, lang: str) -> Freshness | None:
    """When the figures were computed, and whether a refresh is on its way (None: never)."""
    if info is None:
        return None
    return Freshness(
        computed_at=computed_at_text(info.computed_at, lang),
        as_of=format_date(info.as_of, lang),
        updating=needs_refresh(info),
    )


def _has_data(info: SnapshotInfo | None) -> bool:
    """Whether the year has any record behind its figures: a year whose figures were
    computed from no record at all shows "no data", not zeros judged against the targets
    (a year not computed yet is judged once it is)."""
    return info is None or info.records > 0


def _cards(
    table: FigureTable,
    year_targets: dict[str, TargetRecord],
    as_of: date,
    year: int,
    labeller: Labeller,
    lang: str,
    has_data: bool = True,
) -> list[ProgressCard]:
    cards = []
    for spec in INDICATORS:
        target = year_targets.get(spec.indicator)
        if target is None and not spec.always:
            continue
        cards.append(_card(spec, table, target, as_of, year, labeller, lang, has_data))
    return cards


def _card(
    spec: Indicator,
    table: FigureTable,
    target: TargetRecord | None,
    as_of: date,
    year: int,
    labeller: Labeller,
    lang: str,
    has_data: bool = True,
) -> ProgressCard:
    figure = table.get(spec.kpi, spec.measure)
    zero = spec.cumulative and has_data  # imported shares are shown whatever the records
    number = shown(figure, lang, kpi=spec.kpi, measure=spec.measure, zero=zero)
    judged = judge(spec, number.value, target, as_of, year, has_data=has_data)
    status, result = judged.status, judged.progress
    reached = projection = ""
    if result is not None:
        if spec.higher_is_better:
            reached = format_value(result.share_reached, RATE, lang)
        if spec.cumulative and result.elapsed < 1:  # once the year is over, the value is all
            projection = format_value(result.projection, COUNT, lang)
    return ProgressCard(
        indicator=spec.indicator,
        label=labeller.text(spec.label),
        number=number,
        target=_target_text(target, labeller, lang),
        reached=reached,
        projection=projection,
        status=status,
        status_label=labeller.text(STATUS_LABELS[status]),
        note=figure.note if figure is not None else "",
    )


PATH_TO = "on the path to {year}"


def _target_text(target: TargetRecord | None, labeller: Labeller, lang: str) -> str:
    """The target, and for a year between milestones the milestone its path leads to."""
    text = sections.target_text(target, lang)
    if target is not None and target.path_to is not None:
        text += f" ({labeller.text(PATH_TO, year=target.path_to)})"
    return text


def computed_at_text(moment: datetime, lang: str) -> str:
    """HH:MM dd/mm/yyyy on Vietnam's clock (a naive time read back is UTC)."""
    local = local_time(moment)
    return f"{local:%H:%M} {format_date(local.date(), lang)}"
