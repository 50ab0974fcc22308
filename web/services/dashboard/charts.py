"""The dashboard's charts from the stored figures: the year month by month against the target,
and bars by commune, occupation, institution, sex, ethnic group, priority group, level and
new-job channel. Every value on a chart is a stored figure (or a plain sum of them, for the
occupations outside the largest fifteen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from matching.kpi import Dimension, KpiId, Measure, TargetRecord
from models.monitoring.read import FigureTable
from web.services.charts import BarRow, Href, LinePoint, bar_chart, line_chart
from web.services.dashboard.groups import fixed_keys, ordered_keys
from web.services.kpi_format import Shown, plain, shown, whole
from web.services.kpi_labels import Labeller

D = Dimension
Series = tuple[KpiId, Measure, str]  # (kpi, measure, label msgid)
TRAINED: Series = (KpiId.TRAINED, Measure.TRAINED, "Trained people")
NEW_JOBS: Series = (KpiId.NEW_JOBS, Measure.PEOPLE, "New jobs")


@dataclass(frozen=True, slots=True)
class BarSpec:
    id: str
    heading: str  # msgid
    dimension: Dimension
    series: tuple[Series, ...]
    top: int | None = None  # keep the largest groups; the rest is one plain sum
    note: str = ""  # msgid


BAR_SPECS = (
    BarSpec("commune", "By commune", D.COMMUNE, (TRAINED, NEW_JOBS)),
    BarSpec("occupation", "By occupation trained", D.OCCUPATION, (TRAINED,), top=15),
    BarSpec("institution", "By institution", D.INSTITUTION, (TRAINED,)),
    BarSpec("sex", "By sex", D.SEX, (TRAINED, NEW_JOBS)),
    BarSpec("ethnicity", "By ethnic group", D.ETHNICITY, (TRAINED, NEW_JOBS)),
    BarSpec(
        "priority_group",
        "By priority group",
        D.PRIORITY_GROUP,
        (TRAINED, NEW_JOBS),
        note="A person can be in several priority groups, so these do not add up to the total.",
    ),
    BarSpec("level", "By level of training", D.LEVEL, (TRAINED, NEW_JOBS)),
    BarSpec("channel", "New jobs by channel", D.CHANNEL, (NEW_JOBS,)),
)
CHART_DIMENSIONS = (*(spec.dimension for spec in BAR_SPECS), D.MONTH)


@dataclass(frozen=True, slots=True)
class BarsView:
    id: str
    heading: str
    note: str
    chart: Markup
    empty: bool


def bars(table: FigureTable, spec: BarSpec, labeller: Labeller, lang: str, href: Href) -> BarsView:
    """One bar chart: a row per group, a bar per series."""
    keys: list[str] = list(fixed_keys(spec.dimension))
    for kpi, measure, _ in spec.series:
        keys += [f.group_key for f in table.groups(kpi, measure, spec.dimension)]
    groups = ordered_keys(spec.dimension, list(dict.fromkeys(keys)), labeller)
    rows = [
        BarRow(label, tuple(_cell(table, s, spec.dimension, key, lang) for s in spec.series))
        for key, label in groups
    ]
    if spec.top is not None and len(rows) > spec.top:
        rows = _top(rows, spec.top, labeller, lang)
    series = [labeller.text(label) for _, _, label in spec.series]
    heading = labeller.text(spec.heading)
    chart = bar_chart(
        heading,
        ", ".join(series),
        series,
        rows,
        href=href,
        fmt=lambda value: whole(value, lang),
    )
    note = labeller.text(spec.note) if spec.note else ""
    return BarsView(spec.id, heading, note, chart, not rows)


def _cell(table: FigureTable, series: Series, dimension: Dimension, key: str, lang: str) -> Shown:
    kpi, measure, _ = series
    figure = table.get(kpi, measure, dimension, key)
    return shown(figure, lang, kpi=kpi, measure=measure, dimension=dimension, key=key)


def _top(rows: list[BarRow], top: int, labeller: Labeller, lang: str) -> list[BarRow]:
    """The ``top`` largest groups of the first series, then the others summed."""
    ranked = sorted(rows, key=lambda row: -(row.values[0].value or 0) if row.values[0] else 0)
    kept, rest = ranked[:top], ranked[top:]
    first = rest[0].values[0]
    assert first is not None
    total = sum((row.values[0].value or 0) for row in rest if row.values[0] is not None)
    label = labeller.text("Other occupations ({count})", count=len(rest))
    return [*kept, BarRow(label, (plain(first.kpi, first.measure, total, lang, key="others"),))]


@dataclass(frozen=True, slots=True)
class MonthRow:
    label: str
    number: Shown
    so_far: str


@dataclass(frozen=True, slots=True)
class SeriesView:
    id: str
    heading: str
    chart: Markup
    months: list[MonthRow]


def monthly(
    table: FigureTable,
    series: Series,
    year: int,
    as_of: date,
    target: TargetRecord | None,
    labeller: Labeller,
    lang: str,
) -> SeriesView:
    """A KPI month by month (the month its person counted in) and its running total."""
    kpi, measure, label = series
    rows: list[MonthRow] = []
    points: list[LinePoint] = []
    running = 0.0
    for month in range(1, 13):
        key = f"{year}-{month:02d}"
        number = shown(
            table.get(kpi, measure, D.MONTH, key),
            lang,
            kpi=kpi,
            measure=measure,
            dimension=D.MONTH,
            key=key,
        )
        running += number.value or 0
        started = date(year, month, 1) <= as_of
        so_far = whole(running, lang)
        title = f"{month:02d}/{year}: {number.text}; {labeller.text('so far')} {so_far}"
        points.append(LinePoint(f"{month:02d}", running if started else None, title))
        if started:
            rows.append(MonthRow(f"{month:02d}/{year}", number, so_far))
    heading = labeller.text(label)
    target_value = target.value_min if target else None
    target_text = whole(target_value, lang) if target_value else ""
    chart = line_chart(
        heading,
        labeller.text("Running total by month against the yearly target"),
        points,
        target=target_value,
        target_label=f"{labeller.text('Target')}: {target_text}",
        pace_label=labeller.text("Even pace to the target"),
        series_label=labeller.text("So far"),
        target_word=labeller.text("Target"),
        fmt=lambda value: whole(value, lang),
    )
    return SeriesView(kpi, heading, chart, rows)
