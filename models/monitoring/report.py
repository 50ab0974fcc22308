"""The yearly report as data: its tables, built from a year's stored figures (the numbers the
dashboard shows), the year's targets and the names of the keys. Pure: the workbook, the CSV
files and the printable page (web/services/reports.py) only lay these tables out.

Tables: progress against the targets; trained by level, commune, occupation and institution;
new jobs by channel and commune; departures abroad by country and programme; employment after
training by window, and by level and occupation at 6 months; priority groups; training orders;
vacancies by month; the imported labour-force shares and structure beside the structure of the
year's new jobs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from matching import kpi
from matching.kpi import WINDOWS, Dimension, KpiId, Measure
from models.enums import TargetIndicator as T
from models.monitoring.read import FigureTable
from models.monitoring.report_cells import (
    N_,
    Cell,
    Note,
    Report,
    ReportTable,
    count,
    decimal,
    label,
    money,
    share,
    text,
)
from models.monitoring.report_progress import (
    INDICATORS,
    LOWER_IS_BETTER,
    STATUS_LABELS,
    progress_table,
    target_cells,
)
from models.monitoring.report_tables import (
    after_training_by,
    after_training_windows,
    by_name,
    key_cell,
    ordered_keys,
    people_table,
    priority_table,
    trained_table,
)
from models.queries.labels import Labels

__all__ = [
    "INDICATORS",
    "LOWER_IS_BETTER",
    "REPORT_DIMENSIONS",
    "STATUS_LABELS",
    "build_report",
    "grouped_keys",
]
IMPORTED_KPIS = (KpiId.TRAINED_SHARE, KpiId.CERTIFIED_SHARE, KpiId.LABOUR_STRUCTURE)
D, M = Dimension, Measure
# The cuts the report's tables read. A year holds many more figures (by employer, by order, by
# occupation and institution: more than half of them at ten times the province's size), which
# the report never shows: `yearly_report` reads only these. A test builds the report from every
# figure and from these alone and finds them equal, so a table that starts reading another cut
# must add it here.
REPORT_DIMENSIONS = (
    D.TOTAL,
    D.LEVEL,
    D.COMMUNE,
    D.OCCUPATION,
    D.INSTITUTION,
    D.CHANNEL,
    D.COUNTRY,
    D.PROGRAMME,
    D.PRIORITY_GROUP,
    D.MONTH,
)


def build_report(
    figures: FigureTable,
    targets: Mapping[str, kpi.TargetRecord],
    labels: Labels,
    *,
    year: int,
    as_of: date,
    computed_at: datetime | None = None,
    stale: bool = False,
    has_data: bool = True,
) -> Report:
    """Every table of the year's report (``has_data`` false: the year's figures were computed
    from no record at all, and its counts show "no data")."""
    tables = (
        progress_table(figures, targets, year, as_of, has_data=has_data),
        trained_table(figures, labels, D.LEVEL, "trained-by-level",
                      N_("Trained by level"), N_("sheet:trained-by-level")),
        trained_table(figures, labels, D.COMMUNE, "trained-by-commune",
                      N_("Trained by commune"), N_("sheet:trained-by-commune")),
        trained_table(figures, labels, D.OCCUPATION, "trained-by-occupation",
                      N_("Trained by occupation"), N_("sheet:trained-by-occupation")),
        trained_table(figures, labels, D.INSTITUTION, "trained-by-institution",
                      N_("Trained by institution"), N_("sheet:trained-by-institution")),
        people_table(figures, labels, KpiId.NEW_JOBS, D.CHANNEL, (
            "new-jobs-by-channel", N_("New jobs by channel"), N_("sheet:new-jobs-by-channel"),
            N_("Channel"))),
        people_table(figures, labels, KpiId.NEW_JOBS, D.COMMUNE, (
            "new-jobs-by-commune", N_("New jobs by commune"), N_("sheet:new-jobs-by-commune"),
            N_("Commune"))),
        people_table(figures, labels, KpiId.ABROAD, D.COUNTRY, (
            "abroad-by-country", N_("Working abroad by country"), N_("sheet:abroad-by-country"),
            N_("Country"))),
        people_table(figures, labels, KpiId.ABROAD, D.PROGRAMME, (
            "abroad-by-programme", N_("Working abroad by programme"),
            N_("sheet:abroad-by-programme"), N_("Programme"))),
        after_training_windows(figures, WINDOWS),
        after_training_by(figures, labels, D.LEVEL, (
            "after-training-by-level", N_("Employment after training by level"),
            N_("sheet:after-training-by-level"), N_("Level"))),
        after_training_by(figures, labels, D.OCCUPATION, (
            "after-training-by-occupation", N_("Employment after training by occupation"),
            N_("sheet:after-training-by-occupation"), N_("Occupation"))),
        priority_table(figures, labels),
        orders_table(figures, labels),
        vacancies_table(figures, labels),
        labour_force_table(figures, targets),
    )  # fmt: skip
    return Report(
        year=year,
        as_of=as_of,
        computed_at=computed_at,
        stale=stale,
        sources=sources(figures),
        targets=tuple(targets[i] for i in INDICATORS if i in targets),
        tables=tables,
    )


def grouped_keys(figures: FigureTable) -> set[tuple[str, str]]:
    """The (dimension, key) pairs of the figures' groups: what the labels must name."""
    return {(f.dimension, f.group_key) for f in figures if f.dimension}


def sources(figures: FigureTable) -> tuple[str, ...]:
    """The sources named by the imported labour-force figures."""
    found = {f.note for f in figures if f.kpi in IMPORTED_KPIS and f.note}
    return tuple(sorted(found))


ORDER_MEASURES = (M.ORDERED, M.HIRING_COMMITMENT, M.ENROLLED, M.GRADUATED, M.HIRED)


def orders_table(figures: FigureTable, labels: Labels) -> ReportTable:
    """K9 by occupation, then all orders of the year."""
    occupation = D.OCCUPATION
    keys = by_name(labels, occupation, ordered_keys(figures, KpiId.ORDERS, M.ORDERED, occupation))

    def cells(dim: Dimension, key: str) -> list[Cell]:
        return [
            *(count(figures.value(KpiId.ORDERS, m, dim, key) or 0) for m in ORDER_MEASURES),
            share(figures.value(KpiId.ORDERS, M.FILL, dim, key)),
            share(figures.value(KpiId.ORDERS, M.COMMITMENT_MET, dim, key)),
            money(figures.value(KpiId.ORDERS, M.COST_PER_PLACED, dim, key)),
        ]

    rows = [(key_cell(labels, occupation, k), *cells(occupation, k)) for k in keys]
    rows.append((label(N_("All orders")), *cells(D.TOTAL, "")))
    columns = (
        N_("Occupation"),
        N_("Workers ordered"),
        N_("Hiring commitment"),
        N_("Enrolled"),
        N_("Graduated"),
        N_("Hired by the ordering employer"),
        N_("Fill rate"),
        N_("Share of the commitment hired"),
        N_("Cost per person placed (VND)"),
    )
    note = Note(N_("Orders requested in the year; declined orders are left out."))
    return ReportTable(
        "training-orders", N_("Training orders"), N_("sheet:training-orders"), columns,
        tuple(rows), (note,), has_total=True,
    )  # fmt: skip


def vacancies_table(figures: FigureTable, labels: Labels) -> ReportTable:
    keys = ordered_keys(figures, KpiId.VACANCIES, M.POSTED, D.MONTH)

    def cells(dim: Dimension, key: str) -> list[Cell]:
        return [
            *(
                count(figures.value(KpiId.VACANCIES, m, dim, key) or 0)
                for m in (M.POSTED, M.PLACES_OFFERED, M.PLACES_FILLED)
            ),
            share(figures.value(KpiId.VACANCIES, M.FILL, dim, key)),
            decimal(figures.value(KpiId.VACANCIES, M.MEDIAN_DAYS_TO_FILL, dim, key)),
        ]

    rows = [(key_cell(labels, D.MONTH, k), *cells(D.MONTH, k)) for k in keys]
    rows.append((label(N_("Total")), *cells(D.TOTAL, "")))
    columns = (
        N_("Month posted"),
        N_("Vacancies posted"),
        N_("Places offered"),
        N_("Places filled"),
        N_("Fill rate"),
        N_("Median days to fill"),
    )
    return ReportTable(
        "vacancies", N_("Vacancies by month"), N_("sheet:vacancies"), columns,
        tuple(rows), has_total=True,
    )  # fmt: skip


def labour_force_table(
    figures: FigureTable, targets: Mapping[str, kpi.TargetRecord]
) -> ReportTable:
    """Imported labour-force shares and structure beside the sector structure of the year's
    new jobs: two populations, in two columns, never mixed."""
    rows = []
    for indicator in (T.TRAINED_SHARE, T.CERTIFIED_SHARE, *(
        T.STRUCTURE_AGRICULTURE, T.STRUCTURE_INDUSTRY, T.STRUCTURE_SERVICES
    )):  # fmt: skip
        msgid, kpi_id, measure, _ = INDICATORS[indicator]
        imported = figures.get(kpi_id, measure)
        recorded = (
            share(figures.value(KpiId.NEW_JOB_STRUCTURE, measure))
            if kpi_id == KpiId.LABOUR_STRUCTURE
            else share(None)
        )
        rows.append(
            (
                label(msgid),
                share(None if imported is None else imported.value),
                text(imported.note if imported is not None else ""),
                recorded,
                target_cells(targets.get(indicator), True)[0],
            )
        )
    unknown = figures.value(KpiId.NEW_JOB_STRUCTURE, M.UNKNOWN) or 0
    columns = (
        N_("Indicator"),
        N_("Employed (imported figures)"),
        N_("Source"),
        N_("New jobs recorded on the platform"),
        N_("Target"),
    )
    notes = (
        Note(
            N_(
                "The labour-force figures and the new jobs are different populations: they are "
                "shown side by side, never added together."
            )
        ),
        Note(
            N_("{count} new jobs have no sector recorded and are left out of the shares."),
            {"count": int(unknown)},
        ),
    )
    return ReportTable(
        "labour-force", N_("Labour-force shares and structure"), N_("sheet:labour-force"),
        columns, tuple(rows), notes,
    )  # fmt: skip
