"""The yearly report's narrative: short paragraphs read off the report's own tables (the cells
the tables show, never a second computation), so a sentence and its table always agree.

Each sentence is a ``Note`` whose parameters are the tables' cells; the layouts format them
as they format the tables (8.300, 66,7%) and translate the status label, which is the table's
own: "Đạt / Không đạt" once the year is over, "Đạt tiến độ / Chậm tiến độ" during it. A figure
that is missing says so ("chưa có số liệu") instead of a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import TargetIndicator as T
from models.monitoring.report_cells import N_, Cell, Note, Report, ReportTable, count
from models.monitoring.report_progress import INDICATORS
from models.monitoring.report_tables import REPORT_WINDOW

# Columns of the progress table (models/monitoring/report_progress.py).
TARGET_MIN, VALUE, REACHED, STATUS = 1, 3, 4, 6
# Columns of the after-training table: window, due, observed, response, employed, rate, ...
OBSERVED, EMPLOYED, EMPLOYMENT_RATE = 2, 4, 5
# Columns of the trained tables' total row: trained, started, finished, certified.
FINISHED, CERTIFIED = 3, 4

# Per counted indicator: (with a target, without one, without a figure).
COUNTED: dict[str, tuple[str, str, str]] = {
    T.TRAINED: (
        N_("In {year}, the province trained {value} people, {reached} of the year's target "
           "({target} people); status: {status}."),
        N_("In {year}, the province trained {value} people; no target is set for the year."),
        N_("In {year}, there are no figures yet on the people trained."),
    ),
    T.NEW_JOBS: (
        N_("New jobs were created for {value} workers, {reached} of the year's target "
           "({target} workers); status: {status}."),
        N_("New jobs were created for {value} workers; no target is set for the year."),
        N_("There are no figures yet on new jobs."),
    ),
    T.ABROAD: (
        N_("Workers leaving to work abroad under contract: {value}, {reached} of the year's "
           "target ({target}); status: {status}."),
        N_("Workers leaving to work abroad under contract: {value}; no target is set for the "
           "year."),
        N_("There are no figures yet on workers leaving to work abroad."),
    ),
}  # fmt: skip
SHARED = (
    N_("{indicator}: {value}, {reached} of the target ({target}); status: {status}."),
    N_("{indicator}: {value}; no target is set for the year."),
    N_("{indicator}: no figures yet."),
)
SHARE_INDICATORS = (
    T.TRAINED_SHARE,
    T.CERTIFIED_SHARE,
    T.STRUCTURE_AGRICULTURE,
    T.STRUCTURE_INDUSTRY,
    T.STRUCTURE_SERVICES,
)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading ("I. KẾT QUẢ …", a msgid) and its paragraphs, each a run of sentences."""

    title: str
    paragraphs: tuple[tuple[Note, ...], ...]


def narrative(report: Report) -> tuple[Section, ...]:
    """The report's sections of text, from its tables."""
    progress = _progress_rows(report)
    training = [_indicator(T.TRAINED, progress, report.year)]
    trained = report.table("trained-by-level")
    if trained is not None and progress[T.TRAINED][VALUE].value is not None:
        total = trained.rows[-1]
        training.append(
            Note(
                N_("In the year, {finished} people finished a course and {certified} "
                   "received a certificate or diploma."),
                {"finished": total[FINISHED], "certified": total[CERTIFIED]},
            )
        )  # fmt: skip
    jobs = (
        _indicator(T.NEW_JOBS, progress, report.year),
        _indicator(T.ABROAD, progress, report.year),
        _after_training(report.table("after-training")),
    )
    shares = tuple(_indicator(indicator, progress, report.year) for indicator in SHARE_INDICATORS)
    closing = Note(
        N_("The detailed figures are in tables 1 to {last} attached."),
        {"last": count(len(report.tables))},
    )
    return (
        Section(
            N_("I. RESULTS AGAINST THE TARGETS"),
            (tuple(training), jobs, shares),
        ),
        Section(N_("II. DETAILED FIGURES"), ((closing,),)),
    )


def _progress_rows(report: Report) -> dict[str, tuple[Cell, ...]]:
    """The progress table's rows by indicator (the table lists them in INDICATORS' order)."""
    table = report.table("progress")
    assert table is not None
    return dict(zip(INDICATORS, table.rows, strict=True))


def _indicator(indicator: str, progress: dict[str, tuple[Cell, ...]], year: int) -> Note:
    row = progress[indicator]
    with_target, without_target, no_figure = COUNTED.get(indicator, SHARED)
    params: dict[str, object] = {
        "year": year,
        "indicator": row[0],
        "value": row[VALUE],
        "reached": row[REACHED],
        "target": row[TARGET_MIN],
        "status": row[STATUS],
    }
    if row[VALUE].value is None:
        return Note(no_figure, params)
    if row[TARGET_MIN].value is None:
        return Note(without_target, params)
    return Note(with_target, params)


def _after_training(table: ReportTable | None) -> Note:
    """Employment of the year's graduates at the report's window (6 months)."""
    row = None
    if table is not None:
        row = next((r for r in table.rows if r[0].value == REPORT_WINDOW), None)
    if row is None or row[EMPLOYMENT_RATE].value is None:
        return Note(
            N_("There are no figures yet on the employment of the year's graduates "
               "{months} months after graduation."),
            {"months": REPORT_WINDOW},
        )  # fmt: skip
    return Note(
        N_("Of the {observed} graduates of the year followed up {months} months after "
           "graduation, {employed} had a job (employment rate {rate})."),
        {"observed": row[OBSERVED], "employed": row[EMPLOYED], "rate": row[EMPLOYMENT_RATE],
         "months": REPORT_WINDOW},
    )  # fmt: skip
