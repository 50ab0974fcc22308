"""The yearly report's tables (models/monitoring/report.py) hold the stored figures, and those
equal the KPI functions computed straight from the year's records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching import kpi
from models.clock import today
from models.i18n import catalogue, translate
from models.monitoring.read import FigureTable, figure_table, snapshot_info
from models.monitoring.report import (
    INDICATORS,
    REPORT_DIMENSIONS,
    STATUS_LABELS,
    build_report,
    grouped_keys,
)
from models.monitoring.report_cells import LABEL, Report, ReportTable
from models.monitoring.store import refresh_year
from models.monitoring.targets import targets
from models.queries.labels import CHANNEL_LABELS, Labels, key_labels
from tests.report_expected import Rows, expected_tables, report_labels, significant
from tests.report_world import AS_OF, SOURCE, YEAR, build_world, year_input

pytestmark = pytest.mark.today(AS_OF)


def first_label(table: ReportTable, row: tuple[Any, ...], lang: str) -> str:
    cell = row[0]
    if cell.kind == LABEL:
        return translate(str(cell.value), lang)
    return str(cell.value)


def table_rows(table: ReportTable, lang: str = "vi") -> Rows:
    """Rows by their first cell, the numbers of the other cells."""
    return {
        first_label(table, row, lang): tuple(c.value for c in row[1:] if c.is_number)
        for row in table.rows
    }


def stored_report(session: Session, *, every_cut: bool = True) -> Report:
    info = snapshot_info(session, YEAR)
    assert info is not None
    figures = figure_table(session, YEAR, dimensions=None if every_cut else REPORT_DIMENSIONS)
    return build_report(
        figures,
        targets(session, YEAR),
        key_labels(session, grouped_keys(figures)),
        year=YEAR,
        as_of=info.as_of,
        computed_at=info.computed_at,
    )


@pytest.fixture
def report(engine: Engine, session: Session) -> Report:
    build_world(session)
    refresh_year(engine, YEAR)
    session.rollback()
    report = stored_report(session)
    session.rollback()
    return report


def test_every_table_equals_the_kpi_functions(report: Report, session: Session):
    expected = expected_tables(
        year_input(session), targets(session, YEAR), report_labels(session), "vi"
    )

    assert set(expected) <= {table.id for table in report.tables}
    for table_id, rows in expected.items():
        table = report.table(table_id)
        assert table is not None
        assert significant(table_rows(table)) == significant(rows), table_id


def test_the_report_reads_only_the_cuts_it_shows_and_loses_nothing(
    report: Report, session: Session
):
    """The report is built from the cuts in REPORT_DIMENSIONS only (a year at ten times the
    province's size holds more than twice as many figures, by employer and by order): the same
    report as from every figure of the year."""
    every = figure_table(session, YEAR)
    read = figure_table(session, YEAR, dimensions=REPORT_DIMENSIONS)
    skipped = {figure.dimension for figure in every} - set(REPORT_DIMENSIONS)

    assert skipped, "the world holds figures of cuts the report does not show"
    assert len(read) < len(every)
    assert stored_report(session, every_cut=False) == report


def test_figures_checked_by_hand(report: Report):
    def rows(table_id: str) -> Rows:
        table = report.table(table_id)
        assert table is not None
        return table_rows(table, "en")

    by_level = rows("trained-by-level")
    # Minh took a short course and a sơ cấp course: one trainee, at his highest level. Trained
    # means started in the year: the graduate of a course begun the year before is among the
    # finished only.
    assert by_level["Total"] == (5, 5, 5, 2)
    assert sum(v[0] for k, v in by_level.items() if k != "Total") == 5
    channels = rows("new-jobs-by-channel")
    # Minh was hired twice: once, in the channel that comes first (loans before enterprises).
    assert list(channels)[:6] == list(CHANNEL_LABELS.values())
    assert channels["Loans for job creation"] == (1,)
    assert channels["Enterprises in the province"] == (0,)
    assert channels["Total"] == (4,)
    assert rows("abroad-by-country") == {"Hàn Quốc": (1,), "Total": (1,)}
    assert rows("abroad-by-programme") == {"EPS": (1,), "Total": (1,)}
    six_months = rows("after-training")["6"]
    # due 4, observed 3, the non-response reported and out of the denominator
    assert six_months[:3] == (4, 3, 0.75)
    assert six_months[3:5] == (3, 1.0)
    assert six_months[6] == 1
    orders = rows("training-orders")["All orders"]
    assert orders[:5] == (10, 4, 3, 1, 1)  # the graduate hired by the ordering employer
    assert orders[-1] == 9_000_000
    assert rows("vacancies")["Total"][:3] == (3, 9, 7)


def test_groups_are_named_from_the_registers_and_sorted_by_name(report: Report):
    communes = report.table("trained-by-commune")
    institutions = report.table("trained-by-institution")
    assert communes is not None and institutions is not None
    assert list(table_rows(communes)) == ["Phường Điện Biên Phủ", "Xã Tuần Giáo", "Tổng cộng"]
    assert list(table_rows(institutions))[:2] == [
        "Trung tâm GDNN-GDTX Tuần Giáo",
        "Trường Cao đẳng Điện Biên",
    ]


def test_progress_uses_the_kpi_progress_rules(report: Report, session: Session):
    table = report.table("progress")
    assert table is not None
    data, year_targets = year_input(session), targets(session, YEAR)
    structure = kpi.labour_structure(data.labour_force, YEAR, source=SOURCE).shares["nlts"]
    status = {first_label(table, row, "en"): row[-1].value for row in table.rows}
    nlts = kpi.progress(
        structure.value or 0.0,
        year_targets["structure_nlts_pct"],
        data.as_of,
        YEAR,
        cumulative=False,
        higher_is_better=False,
    )
    assert status[INDICATORS["structure_nlts_pct"][0]] == STATUS_LABELS[nlts.status]
    assert status[INDICATORS["abroad_departures"][0]] == "No target set"


def test_labour_force_and_new_jobs_stay_in_their_own_columns(report: Report, session: Session):
    table = report.table("labour-force")
    assert table is not None
    data = year_input(session)
    imported = kpi.labour_structure(data.labour_force, YEAR, source=SOURCE).shares
    recorded = kpi.new_job_structure(data.spells, YEAR).shares
    services = next(row for row in table.rows if row[0].value == INDICATORS["structure_dv_pct"][0])
    assert services[1].value == pytest.approx(imported["dv"].value)
    assert services[2].value == SOURCE
    assert services[3].value == pytest.approx(recorded["dv"].value)
    assert imported["dv"].value != recorded["dv"].value
    assert report.sources == (SOURCE,)


def test_a_year_without_figures_gives_every_table_with_zeros():
    report = build_report(FigureTable([]), {}, Labels(), year=YEAR, as_of=today())

    assert len(report.tables) >= 16
    for table in report.tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table.id
    progress = report.table("progress")
    assert progress is not None
    assert {row[-1].value for row in progress.rows} == {"No figures yet"}


def test_every_label_of_the_report_has_a_vietnamese_entry_and_sheet_names_fit(report: Report):
    msgids = {"sheet:cover"}
    for table in report.tables:
        msgids |= {table.title, table.sheet, *table.columns, *(n.msgid for n in table.notes)}
        msgids |= {str(c.value) for row in table.rows for c in row if c.kind == LABEL}
    vietnamese = catalogue("vi")
    assert sorted(m for m in msgids if not vietnamese.get(m)) == []
    for lang in ("vi", "en"):
        names = [translate(table.sheet, lang) for table in report.tables]
        assert all(len(name) <= 31 for name in names), names
        assert len(set(names)) == len(names)
        assert not any(name.startswith("sheet:") for name in names)


def test_the_progress_table_of_a_finished_year_says_reached_or_missed() -> None:
    """The report speaks the dashboard's vocabulary: "Đạt / Không đạt" once the year is over."""
    from matching import kpi
    from models.monitoring.report_progress import progress_table

    class Figures:
        def value(self, kpi_id: object, measure: object) -> float | None:
            return 9000.0 if kpi_id == kpi.KpiId.TRAINED else None

    target = kpi.TargetRecord(
        year=2025, indicator="trained_people", value_min=8000, value_max=8300, unit="people"
    )
    finished = progress_table(Figures(), {"trained_people": target}, 2025, date(2026, 1, 15))  # type: ignore[arg-type]
    running = progress_table(Figures(), {"trained_people": target}, 2025, date(2025, 6, 30))  # type: ignore[arg-type]

    def status(table: ReportTable) -> str:
        row = next(r for r in table.rows if r[3].value == 9000.0)
        return translate(str(row[-1].value), "vi")

    assert status(finished) == "Đạt"
    assert status(running) == "Đạt tiến độ"


def test_the_trained_shares_in_the_report_are_of_the_employed(report: Report):
    table = report.table("labour-force")
    assert table is not None
    rows = {first_label(table, row, "en"): row for row in table.rows}
    # report_world: 98,800 trained and 60,800 certified of 372,000 employed (380,000 in the
    # labour force, which would give 26 % and 16 %).
    trained = rows["Trained share of the employed"]
    certified = rows["Share of the employed trained 3 months or more with a certificate"]
    assert trained[1].value == pytest.approx(98_800 / 372_000)  # 26.6 %
    assert certified[1].value == pytest.approx(60_800 / 372_000)  # 16.3 %
    assert translate(str(table.columns[1]), "vi") == "Lao động có việc làm (số liệu nhập)"
