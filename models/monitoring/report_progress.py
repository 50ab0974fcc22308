"""The first table of the yearly report: progress against each of the year's targets (value,
share reached, projection to the end of the year, status), by ``matching.kpi.progress``. Counts
are projected from the share of the year elapsed; shares (imported labour-force figures) are
not extrapolated, and for the share of agriculture lower is better."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from matching import kpi
from matching.kpi import KpiId, Measure
from models.enums import TargetIndicator
from models.monitoring.read import FigureTable
from models.monitoring.report_cells import N_, Cell, Note, ReportTable, count, label, share
from models.monitoring.target_status import INDICATORS as TARGET_SPECS
from models.monitoring.target_status import judge

T = TargetIndicator
# Indicator -> (msgid, kpi, measure, is a share). Shares are the imported labour-force figures.
INDICATORS: dict[str, tuple[str, KpiId, Measure, bool]] = {
    T.TRAINED: (N_("Trained people (all levels)"), KpiId.TRAINED, Measure.TRAINED, False),
    T.NEW_JOBS: (N_("New jobs created"), KpiId.NEW_JOBS, Measure.PEOPLE, False),
    T.TRAINED_SHARE: (
        N_("Trained share of the employed"),
        KpiId.TRAINED_SHARE,
        Measure.SHARE,
        True,
    ),
    T.CERTIFIED_SHARE: (
        N_("Share of the employed trained 3 months or more with a certificate"),
        KpiId.CERTIFIED_SHARE,
        Measure.SHARE,
        True,
    ),
    T.STRUCTURE_AGRICULTURE: (
        N_("Labour structure: agriculture, forestry and fishery"),
        KpiId.LABOUR_STRUCTURE,
        Measure.AGRICULTURE,
        True,
    ),
    T.STRUCTURE_INDUSTRY: (
        N_("Labour structure: industry and construction"),
        KpiId.LABOUR_STRUCTURE,
        Measure.INDUSTRY,
        True,
    ),
    T.STRUCTURE_SERVICES: (
        N_("Labour structure: services"),
        KpiId.LABOUR_STRUCTURE,
        Measure.SERVICES,
        True,
    ),
    T.ABROAD: (
        N_("Workers leaving to work abroad under contract"),
        KpiId.ABROAD,
        Measure.PEOPLE,
        False,
    ),
}
LOWER_IS_BETTER = frozenset({T.STRUCTURE_AGRICULTURE.value})
# The dashboard's vocabulary (web/services/dashboard): "Đạt / Không đạt" for a finished year,
# "Đạt tiến độ / Chậm tiến độ" during it.
STATUS_LABELS = {
    "ok": N_("On track"),
    "at_risk": N_("At risk"),
    "behind": N_("Behind"),
    "too_early": N_("Too early to tell"),
    "reached": N_("Target reached"),
    "missed": N_("Target missed"),
}
NO_TARGET, NO_FIGURES = N_("No target set"), N_("No figures yet")
NOT_JUDGED = {
    "no_target": NO_TARGET,
    "no_figures": NO_FIGURES,
    "no_data": N_("No data for this year"),
}
SPECS = {spec.indicator: spec for spec in TARGET_SPECS}


def target_cells(target: kpi.TargetRecord | None, is_share: bool) -> list[Cell]:
    make = share if is_share else count
    if target is None:
        return [make(None), make(None)]
    scale = 100.0 if target.unit == "percent" else 1.0
    high = None if target.value_max is None else target.value_max / scale
    return [make(target.value_min / scale), make(high)]


def progress_table(
    figures: FigureTable,
    targets: Mapping[str, kpi.TargetRecord],
    year: int,
    as_of: date,
    *,
    has_data: bool = True,
) -> ReportTable:
    """Each target: value, share reached, projection to the end of the year and status, judged
    as the dashboard judges it (target_status.judge: shares are not extrapolated). A year whose
    figures were computed from no record at all (``has_data`` false) shows "no data" for the
    counts, not zeros judged "missed"."""
    rows = []
    for indicator, (msgid, kpi_id, measure, is_share) in INDICATORS.items():
        value = figures.value(kpi_id, measure)
        target = targets.get(indicator)
        make = share if is_share else count
        judged = judge(SPECS[indicator], value, target, as_of, year, has_data=has_data)
        if judged.status == "no_data":
            value = None
        cells = [label(msgid), *target_cells(target, is_share), make(value)]
        result = judged.progress
        if result is None:
            status = NO_FIGURES if target is None and value is None else NOT_JUDGED[judged.status]
            cells += [share(None), make(None), label(status)]
        else:
            cells += [
                share(result.share_reached),
                make(result.projection),
                label(STATUS_LABELS[judged.status]),
            ]
        rows.append(tuple(cells))
    columns = (
        N_("Indicator"),
        N_("Target (minimum)"),
        N_("Target (maximum)"),
        N_("Value"),
        N_("Share of target reached"),
        N_("Projection to the end of the year"),
        N_("Status"),
    )
    notes: tuple[Note, ...] = (
        Note(N_("Figures as of {date}."), {"date": as_of}),
        Note(
            N_(
                "The shares come from labour-force figures imported by an official with their "
                "source; they are not extrapolated."
            )
        ),
    )
    milestones = sorted({t.path_to for t in targets.values() if t.path_to is not None})
    if milestones:
        notes += (
            Note(
                N_(
                    "The shares and the structure are set for a milestone year ({milestones}): "
                    "this year's target lies on the straight path to it from the last figure "
                    "or the last milestone."
                ),
                {"milestones": ", ".join(str(m) for m in milestones)},
            ),
        )
    return ReportTable(
        "progress", N_("Progress against the targets"), N_("sheet:progress"), columns,
        tuple(rows), notes,
    )  # fmt: skip
