"""The tables of the yearly report, each built from the stored figures (``FigureTable``) and
nothing else, so their numbers are the dashboard's. Group rows come in a fixed order (levels
from highest, channels in the province's order, registers by name, months in order) and end
with the KPI's total where the groups add up to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from matching.kpi import CHANNELS, LEVELS, PRIORITY_GROUPS
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
TRAINED_MEASURES = ("trained", "started", "finished", "certified")
TRAINED_COLUMNS = (
    N_("People trained"),
    N_("Started training"),
    N_("Finished training"),
    N_("Certified"),
)
REPORT_WINDOW = 6  # the window of the after-training tables by level and occupation


def key_cell(labels: Labels, dimension: str, key: str) -> Cell:
    if dimension == "month" and len(key) == 7:
        return text(f"{key[5:]}/{key[:4]}")
    found = labels.label(dimension, key)
    return label(found.text) if found.msgid else text(found.text)


def ordered_keys(figures: FigureTable, kpi_id: str, measure: str, dimension: str) -> list[str]:
    """The dimension's keys in report order, the unrecorded group last."""
    keys = [f.group_key for f in figures.groups(kpi_id, measure, dimension)]
    fixed: tuple[str, ...] = ()
    if dimension == "level":
        fixed = tuple(reversed(LEVELS))
    elif dimension == "channel":
        fixed = CHANNELS
    if fixed:
        extra = sorted(k for k in keys if k not in fixed and k != NONE_KEY)
        ordered = [*fixed, *extra]
    else:
        ordered = sorted(k for k in keys if k != NONE_KEY)
    return ordered + ([NONE_KEY] if NONE_KEY in keys else [])


def by_name(labels: Labels, dimension: str, keys: list[str]) -> list[str]:
    """Keys of a register sorted by their names (diacritics folded), the unrecorded last."""
    named = sorted(
        (k for k in keys if k != NONE_KEY),
        key=lambda k: (search_key(labels.label(dimension, k).text), k),
    )
    return named + ([NONE_KEY] if NONE_KEY in keys else [])


def _group_rows(
    figures: FigureTable,
    labels: Labels,
    dimension: str,
    keys: Iterable[str],
    cells: Callable[[str, str], list[Cell]],
) -> list[tuple[Cell, ...]]:
    rows = [(key_cell(labels, dimension, key), *cells(dimension, key)) for key in keys]
    rows.append((label(TOTAL_LABEL), *cells("", "")))
    return rows


def trained_table(
    figures: FigureTable, labels: Labels, dimension: str, table_id: str, title: str, sheet: str
) -> ReportTable:
    """K1 by one dimension: trained, started, finished, certified."""
    head = {
        "level": N_("Level"),
        "commune": N_("Commune"),
        "occupation": N_("Occupation"),
        "institution": N_("Institution"),
    }[dimension]
    keys = ordered_keys(figures, "trained", "trained", dimension)
    if dimension in ("commune", "occupation", "institution"):
        keys = by_name(labels, dimension, keys)

    def cells(dim: str, key: str) -> list[Cell]:
        return [count(figures.value("trained", m, dim, key) or 0) for m in TRAINED_MEASURES]

    rows = _group_rows(figures, labels, dimension, keys, cells)
    return ReportTable(
        table_id, title, sheet, (head, *TRAINED_COLUMNS), tuple(rows), has_total=True
    )


def people_table(
    figures: FigureTable,
    labels: Labels,
    kpi_id: str,
    dimension: str,
    spec: tuple[str, str, str, str],
    notes: tuple[Note, ...] = (),
) -> ReportTable:
    """One count of people (new jobs, departures) by one dimension; spec = (id, title, sheet,
    header of the group column)."""
    table_id, title, sheet, head = spec
    keys = ordered_keys(figures, kpi_id, "people", dimension)
    if dimension in ("commune", "country"):
        keys = by_name(labels, dimension, keys)

    def cells(dim: str, key: str) -> list[Cell]:
        return [count(figures.value(kpi_id, "people", dim, key) or 0)]

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


def after_cells(figures: FigureTable, window: int, dimension: str, key: str) -> list[Cell]:
    kpi_id = f"after_training_{window}"
    response = figures.get(kpi_id, "response", dimension, key)
    employed = figures.get(kpi_id, "employed", dimension, key)
    return [
        count(response.denominator if response else 0),
        count(response.numerator if response else 0),
        share(response.value if response else None),
        count(employed.numerator if employed else 0),
        share(employed.value if employed else None),
        share(figures.value(kpi_id, "in_trained_occupation", dimension, key)),
        *(
            count(figures.value(kpi_id, m, dimension, key) or 0)
            for m in ("not_reached", "studying", "military", "unobserved")
        ),
    ]


def after_training_windows(figures: FigureTable, windows: Iterable[int]) -> ReportTable:
    rows = [(count(w), *after_cells(figures, w, "", "")) for w in windows]
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
    figures: FigureTable, labels: Labels, dimension: str, spec: tuple[str, str, str, str]
) -> ReportTable:
    table_id, title, sheet, head = spec
    kpi_id = f"after_training_{REPORT_WINDOW}"
    keys = ordered_keys(figures, kpi_id, "response", dimension)
    if dimension == "occupation":
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
    after = f"after_training_{REPORT_WINDOW}"
    populations = (
        ("trained", "trained", lambda d, k: figures.value("trained", "trained", d, k)),
        ("new_jobs", "people", lambda d, k: figures.value("new_jobs", "people", d, k)),
        ("employed", "employed", lambda d, k: _numerator(figures, after, "employed", d, k)),
    )
    totals = [value("", "") or 0 for _, _, value in populations]
    rows = []
    for group in PRIORITY_GROUPS:
        cells: list[Cell] = [key_cell(labels, "priority_group", group)]
        for (_, _, value), total in zip(populations, totals, strict=True):
            people = value("priority_group", group) or 0
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


def _numerator(figures: FigureTable, kpi_id: str, measure: str, dim: str, key: str) -> Any:
    figure = figures.get(kpi_id, measure, dim, key)
    return None if figure is None else figure.numerator
