"""The tables of the yearly report, each built from the stored figures (``FigureTable``) and
nothing else, so their numbers are the dashboard's. Group rows come in a fixed order (levels
from highest, channels in the province's order, registers by name, months in order) and end
with the KPI's total where the groups add up to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from matching.kpi import (
    AFTER_COUNTS,
    CHANNELS,
    LEVELS,
    PRIORITY_GROUPS,
    TRAINED_MEASURES,
    Dimension,
    KpiId,
    Measure,
)
from matching.text import search_key
from models.monitoring.figures import NONE_KEY
from models.monitoring.read import FigureTable
from models.monitoring.report_cells import (
    N_,
    Cell,
    Note,
    ReportTable,
    count,
    label,
    share,
    text,
)
from models.queries.labels import Labels

TOTAL_LABEL = N_("Total")
TRAINED_COLUMNS = (
    N_("People trained"),
    N_("Started training"),
    N_("Finished training"),
    N_("Certified"),
)
D, M = Dimension, Measure
REPORT_WINDOW = 6  # the window of the after-training tables by level and occupation
REPORT_KPI = KpiId.after_training(REPORT_WINDOW)


def key_cell(labels: Labels, dimension: Dimension, key: str) -> Cell:
    if dimension == D.MONTH and len(key) == 7:
        return text(f"{key[5:]}/{key[:4]}")
    found = labels.label(dimension, key)
    return label(found.text) if found.msgid else text(found.text)


def ordered_keys(
    figures: FigureTable, kpi_id: KpiId, measure: Measure, dimension: Dimension
) -> list[str]:
    """The dimension's keys in report order, the unrecorded group last."""
    keys = [f.group_key for f in figures.groups(kpi_id, measure, dimension)]
    fixed: tuple[str, ...] = ()
    if dimension == D.LEVEL:
        fixed = tuple(reversed(LEVELS))
    elif dimension == D.CHANNEL:
        fixed = CHANNELS
    if fixed:
        extra = sorted(k for k in keys if k not in fixed and k != NONE_KEY)
        ordered = [*fixed, *extra]
    else:
        ordered = sorted(k for k in keys if k != NONE_KEY)
    return ordered + ([NONE_KEY] if NONE_KEY in keys else [])


def by_name(labels: Labels, dimension: Dimension, keys: list[str]) -> list[str]:
    """Keys of a register sorted by their names (diacritics folded), the unrecorded last."""
    named = sorted(
        (k for k in keys if k != NONE_KEY),
        key=lambda k: (search_key(labels.label(dimension, k).text), k),
    )
    return named + ([NONE_KEY] if NONE_KEY in keys else [])


def _group_rows(
    figures: FigureTable,
    labels: Labels,
    dimension: Dimension,
    keys: Iterable[str],
    cells: Callable[[Dimension, str], list[Cell]],
) -> list[tuple[Cell, ...]]:
    rows = [(key_cell(labels, dimension, key), *cells(dimension, key)) for key in keys]
    rows.append((label(TOTAL_LABEL), *cells(D.TOTAL, "")))
    return rows


def trained_table(
    figures: FigureTable,
    labels: Labels,
    dimension: Dimension,
    table_id: str,
    title: str,
    sheet: str,
) -> ReportTable:
    """K1 by one dimension: trained, started, finished, certified."""
    head = {
        D.LEVEL: N_("Level"),
        D.COMMUNE: N_("Commune"),
        D.OCCUPATION: N_("Occupation"),
        D.INSTITUTION: N_("Institution"),
    }[dimension]
    keys = ordered_keys(figures, KpiId.TRAINED, M.TRAINED, dimension)
    if dimension in (D.COMMUNE, D.OCCUPATION, D.INSTITUTION):
        keys = by_name(labels, dimension, keys)

    def cells(dim: Dimension, key: str) -> list[Cell]:
        return [count(figures.value(KpiId.TRAINED, m, dim, key) or 0) for m in TRAINED_MEASURES]

    rows = _group_rows(figures, labels, dimension, keys, cells)
    return ReportTable(
        table_id, title, sheet, (head, *TRAINED_COLUMNS), tuple(rows), has_total=True
    )


def people_table(
    figures: FigureTable,
    labels: Labels,
    kpi_id: KpiId,
    dimension: Dimension,
    spec: tuple[str, str, str, str],
    notes: tuple[Note, ...] = (),
) -> ReportTable:
    """One count of people (new jobs, departures) by one dimension; spec = (id, title, sheet,
    header of the group column)."""
    table_id, title, sheet, head = spec
    keys = ordered_keys(figures, kpi_id, M.PEOPLE, dimension)
    if dimension in (D.COMMUNE, D.COUNTRY):
        keys = by_name(labels, dimension, keys)

    def cells(dim: Dimension, key: str) -> list[Cell]:
        return [count(figures.value(kpi_id, M.PEOPLE, dim, key) or 0)]

    rows = _group_rows(figures, labels, dimension, keys, cells)
    columns = (head, N_("People"))
    return ReportTable(table_id, title, sheet, columns, tuple(rows), notes, has_total=True)


AFTER_COLUMNS = (
    N_("Graduates due"),
    N_("Observed"),
    N_("Response rate"),
    N_("Employed"),
    N_("Employment rate"),
    N_("In the trained occupation"),
    N_("Could not be reached"),
    N_("Studying further"),
    N_("Military service"),
    N_("Nothing known yet"),
)


def after_cells(figures: FigureTable, window: int, dimension: Dimension, key: str) -> list[Cell]:
    kpi_id = KpiId.after_training(window)
    response = figures.get(kpi_id, M.RESPONSE, dimension, key)
    employed = figures.get(kpi_id, M.EMPLOYED, dimension, key)
    return [
        count(response.denominator if response else 0),
        count(response.numerator if response else 0),
        share(response.value if response else None),
        count(employed.numerator if employed else 0),
        share(employed.value if employed else None),
        share(figures.value(kpi_id, M.IN_TRAINED_OCCUPATION, dimension, key)),
        *(count(figures.value(kpi_id, m, dimension, key) or 0) for m in AFTER_COUNTS),
    ]


def after_training_windows(figures: FigureTable, windows: Iterable[int]) -> ReportTable:
    rows = [(count(w), *after_cells(figures, w, D.TOTAL, "")) for w in windows]
    return ReportTable(
        "after-training",
        N_("Employment after training by window"),
        N_("sheet:after-training"),
        (N_("Months after graduation"), *AFTER_COLUMNS),
        tuple(rows),
        (
            Note(
                N_(
                    "Graduates of the year. The employment rate leaves out people studying "
                    "further or in military service; people not reached are reported, not "
                    "counted."
                )
            ),
        ),
    )


def after_training_by(
    figures: FigureTable, labels: Labels, dimension: Dimension, spec: tuple[str, str, str, str]
) -> ReportTable:
    table_id, title, sheet, head = spec
    keys = ordered_keys(figures, REPORT_KPI, M.RESPONSE, dimension)
    if dimension == D.OCCUPATION:
        keys = by_name(labels, dimension, keys)
    rows = _group_rows(
        figures,
        labels,
        dimension,
        keys,
        lambda dim, key: after_cells(figures, REPORT_WINDOW, dim, key),
    )
    note = Note(N_("{months} months after graduation."), {"months": REPORT_WINDOW})
    columns = (head, *AFTER_COLUMNS)
    return ReportTable(table_id, title, sheet, columns, tuple(rows), (note,), has_total=True)


def priority_table(figures: FigureTable, labels: Labels) -> ReportTable:
    """K8: each priority group's people and share in trained, new jobs and employed after
    training (6 months); the groups overlap, so the shares do not add up."""
    populations: tuple[Callable[[Dimension, str], Any], ...] = (
        lambda d, k: figures.value(KpiId.TRAINED, M.TRAINED, d, k),
        lambda d, k: figures.value(KpiId.NEW_JOBS, M.PEOPLE, d, k),
        lambda d, k: _numerator(figures, REPORT_KPI, M.EMPLOYED, d, k),
    )
    totals = [value(D.TOTAL, "") or 0 for value in populations]
    rows = []
    for group in PRIORITY_GROUPS:
        cells: list[Cell] = [key_cell(labels, D.PRIORITY_GROUP, group)]
        for value, total in zip(populations, totals, strict=True):
            people = value(D.PRIORITY_GROUP, group) or 0
            cells += [count(people), share(people / total if total else None)]
        rows.append(tuple(cells))
    rows.append((label(N_("All people")), *(c for t in totals for c in (count(t), share(None)))))
    columns = (
        N_("Priority group"),
        N_("People trained"),
        N_("Share of trained"),
        N_("New jobs"),
        N_("Share of new jobs"),
        N_("Employed after training"),
        N_("Share of employed after training"),
    )
    notes = (
        Note(
            N_("Employed after training: graduates of the year at {months} months."),
            {"months": REPORT_WINDOW},
        ),
        Note(N_("A person can be in several groups, so the shares do not add up to 100%.")),
    )
    return ReportTable(
        "priority-groups",
        N_("Priority groups"),
        N_("sheet:priority-groups"),
        columns,
        tuple(rows),
        notes,
        has_total=True,
    )


def _numerator(
    figures: FigureTable, kpi_id: KpiId, measure: Measure, dim: Dimension, key: str
) -> Any:
    figure = figures.get(kpi_id, measure, dim, key)
    return None if figure is None else figure.numerator
