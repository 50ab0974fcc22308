"""The dashboard's tables: employment after training at a window, training orders, vacancies,
the imported labour-force shares beside the new jobs' sector groups, and the one table of any
stored cut of a chosen KPI. Nothing is hidden: non-responses, people studying or in military
service and graduations nobody knows about are shown beside the rates."""

from __future__ import annotations

from dataclasses import dataclass

from matching.kpi import TargetRecord
from models.monitoring.figures import (
    ABROAD_DIMENSIONS,
    AFTER_DIMENSIONS,
    NEW_JOB_DIMENSIONS,
    ORDER_DIMENSIONS,
    TRAINED_DIMENSIONS,
    VACANCY_DIMENSIONS,
)
from models.monitoring.read import FigureTable
from web.services.dashboard.groups import ordered_keys
from web.services.kpi_format import DAYS, Shown, format_value, shown
from web.services.kpi_labels import DIMENSION_LABELS, KPI_LABELS, MEASURE_LABELS, Labeller

AFTER_COUNTS = ("not_reached", "studying", "military", "unobserved")
ORDER_MEASURES = (
    "ordered",
    "hiring_commitment",
    "enrolled",
    "graduated",
    "hired",
    "fill",
    "commitment_met",
    "cost_per_placed",
)
VACANCY_MEASURES = ("posted", "places_offered", "places_filled", "fill", "median_days_to_fill")
# KPI of the cut table -> (its stored dimensions, the measures shown as columns).
CUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "trained": (TRAINED_DIMENSIONS, ("trained", "started", "finished", "certified")),
    "new_jobs": (NEW_JOB_DIMENSIONS, ("people",)),
    "abroad": (ABROAD_DIMENSIONS, ("people",)),
    "after_training": (
        AFTER_DIMENSIONS,
        ("employed", "in_trained_occupation", "response", *AFTER_COUNTS),
    ),
    "orders": (("order", *ORDER_DIMENSIONS), ORDER_MEASURES),
    "vacancies": (VACANCY_DIMENSIONS, VACANCY_MEASURES),
}
DEFAULT_CUT = ("trained", "commune")


def stored_kpi(kpi: str, window: int) -> str:
    return f"after_training_{window}" if kpi == "after_training" else kpi


@dataclass(frozen=True, slots=True)
class Labelled:
    label: str
    number: Shown


@dataclass(frozen=True, slots=True)
class AfterTrainingView:
    window: int
    cohort: int
    employed: Shown
    in_trained_occupation: Shown
    response: Shown
    counts: list[Labelled]


def after_training(
    table: FigureTable, window: int, cohort: int, labeller: Labeller, lang: str
) -> AfterTrainingView:
    kpi = stored_kpi("after_training", window)

    def number(measure: str) -> Shown:
        return shown(table.get(kpi, measure), lang, kpi=kpi, measure=measure)

    counts = [Labelled(labeller.text(MEASURE_LABELS[m]), number(m)) for m in AFTER_COUNTS]
    return AfterTrainingView(
        window,
        cohort,
        number("employed"),
        number("in_trained_occupation"),
        number("response"),
        counts,
    )


def totals(
    table: FigureTable, kpi: str, measures: tuple[str, ...], labeller: Labeller, lang: str
) -> list[Labelled]:
    """A KPI's totals, labelled."""
    return [
        Labelled(
            labeller.text(MEASURE_LABELS[measure]),
            shown(table.get(kpi, measure), lang, kpi=kpi, measure=measure, zero=False),
        )
        for measure in measures
    ]


@dataclass(frozen=True, slots=True)
class StructureRow:
    label: str
    imported: Shown
    new_jobs: Shown
    target: str


@dataclass(frozen=True, slots=True)
class LabourView:
    has_figures: bool
    source: str
    shares: list[StructureRow]  # trained share, certified share (new_jobs unused)
    structure: list[StructureRow]
    unknown: Shown


def labour_force(
    table: FigureTable, targets: dict[str, TargetRecord], labeller: Labeller, lang: str
) -> LabourView:
    """Imported shares and structure, with their source, and the recorded new jobs' sectors."""

    def imported(kpi: str, measure: str) -> Shown:
        return shown(table.get(kpi, measure), lang, kpi=kpi, measure=measure, zero=False)

    shares = [
        StructureRow(
            labeller.text(KPI_LABELS[kpi]),
            imported(kpi, "share"),
            imported(kpi, "share"),
            target_text(targets.get(indicator), lang),
        )
        for kpi, indicator in (
            ("trained_share", "trained_share_pct"),
            ("certified_share", "certified_share_pct"),
        )
    ]
    structure = [
        StructureRow(
            labeller.text(MEASURE_LABELS[sector]),
            imported("labour_structure", sector),
            imported("new_job_structure", sector),
            target_text(targets.get(f"structure_{sector}_pct"), lang),
        )
        for sector in ("nlts", "cnxd", "dv")
    ]
    figures = [table.get(kpi, "share") for kpi in ("trained_share", "certified_share")]
    figures += [table.get("labour_structure", sector) for sector in ("nlts", "cnxd", "dv")]
    present = [figure for figure in figures if figure is not None and figure.value is not None]
    source = next((figure.note for figure in present if figure.note), "")
    unknown = shown(
        table.get("new_job_structure", "unknown"), lang, kpi="new_job_structure", measure="unknown"
    )
    return LabourView(bool(present), source, shares, structure, unknown)


def target_text(target: TargetRecord | None, lang: str) -> str:
    """8.000–8.300 people, or 65–70 %; empty when there is no target."""
    if target is None:
        return ""
    percent = target.unit == "percent"

    def one(value: float) -> str:
        if percent:
            return format_value(value, DAYS, lang)  # 62,5 and 65: one decimal at most
        return format_value(value, "count", lang)

    text = one(target.value_min)
    if target.value_max is not None and target.value_max != target.value_min:
        text += f"–{one(target.value_max)}"
    return f"{text} %" if percent else text


@dataclass(frozen=True, slots=True)
class CutRow:
    label: str
    key: str
    cells: list[Shown]


@dataclass(frozen=True, slots=True)
class CutTable:
    kpi: str
    stored_kpi: str
    dimension: str
    dimension_label: str
    heading: str
    columns: list[str]
    rows: list[CutRow]
    total: CutRow


def parse_cut(raw: str) -> tuple[str, str]:
    """'kpi:dimension' checked against what is stored; anything else is the default."""
    kpi, _, dimension = raw.partition(":")
    if kpi in CUTS and dimension in CUTS[kpi][0]:
        return kpi, dimension
    return DEFAULT_CUT


def cut_table(
    table: FigureTable, kpi: str, dimension: str, window: int, labeller: Labeller, lang: str
) -> CutTable:
    """One row per group of the dimension, one column per measure of the KPI."""
    measures = CUTS[kpi][1]
    stored = stored_kpi(kpi, window)
    keys = list(
        dict.fromkeys(f.group_key for m in measures for f in table.groups(stored, m, dimension))
    )

    def cells(dim: str, key: str) -> list[Shown]:
        return [
            shown(
                table.get(stored, m, dim, key), lang, kpi=stored, measure=m, dimension=dim, key=key
            )
            for m in measures
        ]

    rows = [CutRow(label, key, cells(dimension, key)) for key, label in
            ordered_keys(dimension, keys, labeller)]  # fmt: skip
    dimension_label = labeller.text(DIMENSION_LABELS[dimension])
    heading = f"{labeller.text(KPI_LABELS[kpi])} — {dimension_label}"
    columns = [labeller.text(MEASURE_LABELS[m]) for m in measures]
    total = CutRow(labeller.text("Total"), "", cells("", ""))
    return CutTable(kpi, stored, dimension, dimension_label, heading, columns, rows, total)


def cut_options(labeller: Labeller) -> list[tuple[str, list[tuple[str, str]]]]:
    """(KPI label, [(value, dimension label)]) for the 'cut by' select."""
    return [
        (
            labeller.text(KPI_LABELS[kpi]),
            [(f"{kpi}:{d}", labeller.text(DIMENSION_LABELS[d])) for d in dimensions],
        )
        for kpi, (dimensions, _) in CUTS.items()
    ]
