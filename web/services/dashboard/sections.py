"""The dashboard's tables: employment after training at a window, training orders, vacancies,
the imported labour-force shares beside the new jobs' sector groups, and the one table of any
stored cut of a chosen KPI. Nothing is hidden: non-responses, people studying or in military
service and graduations nobody knows about are shown beside the rates."""

from __future__ import annotations

from dataclasses import dataclass

from matching.kpi import (
    AFTER_COUNTS,
    SECTORS,
    TRAINED_MEASURES,
    Dimension,
    KpiFamily,
    KpiId,
    Measure,
    TargetRecord,
)
from models.errors import InvalidError
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

F, M, D = KpiFamily, Measure, Dimension
ORDER_MEASURES = (
    M.ORDERED,
    M.HIRING_COMMITMENT,
    M.ENROLLED,
    M.GRADUATED,
    M.HIRED,
    M.FILL,
    M.COMMITMENT_MET,
    M.COST_PER_PLACED,
)
VACANCY_MEASURES = (M.POSTED, M.PLACES_OFFERED, M.PLACES_FILLED, M.FILL, M.MEDIAN_DAYS_TO_FILL)
# KPI of the cut table -> (its stored dimensions, the measures shown as columns).
CUTS: dict[KpiFamily, tuple[tuple[Dimension, ...], tuple[Measure, ...]]] = {
    F.TRAINED: (TRAINED_DIMENSIONS, TRAINED_MEASURES),
    F.NEW_JOBS: (NEW_JOB_DIMENSIONS, (M.PEOPLE,)),
    F.ABROAD: (ABROAD_DIMENSIONS, (M.PEOPLE,)),
    F.AFTER_TRAINING: (
        AFTER_DIMENSIONS,
        (M.EMPLOYED, M.IN_TRAINED_OCCUPATION, M.RESPONSE, *AFTER_COUNTS),
    ),
    F.ORDERS: ((D.ORDER, *ORDER_DIMENSIONS), ORDER_MEASURES),
    F.VACANCIES: (VACANCY_DIMENSIONS, VACANCY_MEASURES),
}
DEFAULT_CUT = (F.TRAINED, D.COMMUNE)


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
    kpi = KpiId.after_training(window)

    def number(measure: Measure) -> Shown:
        return shown(table.get(kpi, measure), lang, kpi=kpi, measure=measure)

    counts = [Labelled(labeller.text(MEASURE_LABELS[m]), number(m)) for m in AFTER_COUNTS]
    return AfterTrainingView(
        window,
        cohort,
        number(M.EMPLOYED),
        number(M.IN_TRAINED_OCCUPATION),
        number(M.RESPONSE),
        counts,
    )


def totals(
    table: FigureTable, kpi: KpiId, measures: tuple[Measure, ...], labeller: Labeller, lang: str
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

    def imported(kpi: KpiId, measure: Measure) -> Shown:
        return shown(table.get(kpi, measure), lang, kpi=kpi, measure=measure, zero=False)

    shares = [
        StructureRow(
            labeller.text(KPI_LABELS[kpi.family]),
            imported(kpi, M.SHARE),
            imported(kpi, M.SHARE),
            target_text(targets.get(indicator), lang),
        )
        for kpi, indicator in (
            (KpiId.TRAINED_SHARE, "trained_share_pct"),
            (KpiId.CERTIFIED_SHARE, "certified_share_pct"),
        )
    ]
    structure = [
        StructureRow(
            labeller.text(MEASURE_LABELS[sector]),
            imported(KpiId.LABOUR_STRUCTURE, sector),
            imported(KpiId.NEW_JOB_STRUCTURE, sector),
            target_text(targets.get(f"structure_{sector}_pct"), lang),
        )
        for sector in SECTORS
    ]
    figures = [table.get(kpi, M.SHARE) for kpi in (KpiId.TRAINED_SHARE, KpiId.CERTIFIED_SHARE)]
    figures += [table.get(KpiId.LABOUR_STRUCTURE, sector) for sector in SECTORS]
    present = [figure for figure in figures if figure is not None and figure.value is not None]
    source = next((figure.note for figure in present if figure.note), "")
    recorded = KpiId.NEW_JOB_STRUCTURE
    unknown = shown(table.get(recorded, M.UNKNOWN), lang, kpi=recorded, measure=M.UNKNOWN)
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
    kpi: KpiFamily
    stored_kpi: KpiId
    dimension: Dimension
    dimension_label: str
    heading: str
    columns: list[str]
    rows: list[CutRow]
    total: CutRow


def parse_cut(raw: str) -> tuple[KpiFamily, Dimension]:
    """'kpi:dimension' checked against what is stored (empty: the default); InvalidError for
    a KPI or a dimension that is not stored."""
    if not raw.strip():
        return DEFAULT_CUT
    name, _, by = raw.strip().partition(":")
    family = next((f for f in CUTS if f.value == name), None)
    dimension = next((d for d in CUTS[family][0] if d.value == by), None) if family else None
    if family is None or dimension is None:
        raise InvalidError("cut", "There is no such table of the KPIs: {cut}.", cut=raw[:60])
    return family, dimension


def cut_table(
    table: FigureTable,
    kpi: KpiFamily,
    dimension: Dimension,
    window: int,
    labeller: Labeller,
    lang: str,
) -> CutTable:
    """One row per group of the dimension, one column per measure of the KPI."""
    measures = CUTS[kpi][1]
    stored = kpi.at(window)
    keys = list(
        dict.fromkeys(f.group_key for m in measures for f in table.groups(stored, m, dimension))
    )

    def cells(dim: Dimension, key: str) -> list[Shown]:
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
    total = CutRow(labeller.text("Total"), "", cells(D.TOTAL, ""))
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
