"""The yearly report: its tables (models/monitoring/report.py) computed from a current KPI
snapshot, and laid out as an Excel workbook, a Word document, a CSV file per table, a ZIP of
them all and a printable page. The workbook, the document and the page are the filed report:
the administrative heading and signature block the official gives
(models/monitoring/report_heading.py), a narrative read off the tables
(models/monitoring/report_narrative.py) and numbered tables. Every export and every print view
is in the audit log.

The figures come from the stored snapshot the dashboard reads; a missing or out-of-date year is
recomputed first (synchronously), so an export never carries older numbers than the page."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import audit
from models.clock import local_time, today
from models.db import unit_of_work
from models.formatting import format_date
from models.formula_guard import csv_chunks
from models.i18n import translate
from models.monitoring.read import FigureTable, figure_table
from models.monitoring.report import REPORT_DIMENSIONS, build_report, grouped_keys
from models.monitoring.report_cells import (
    COUNT,
    DECIMAL,
    LABEL,
    MONEY,
    SHARE,
    Cell,
    Report,
    ReportTable,
)
from models.monitoring.report_heading import Heading, default_heading, parse_heading
from models.monitoring.targets import targets
from models.queries.labels import Labels, key_labels
from web.auth import Principal
from web.downloads import zip_chunks
from web.services.monitoring import fresh_year
from web.services.report_text import FiledReport, filed, say, shown
from web.services.reports_docx import document_bytes
from web.services.reports_xlsx import workbook_bytes
from web.services.review import review_table

__all__ = ["Download", "FiledReport", "heading_from", "say", "shown"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"
SHARE_DECIMALS = 4  # a share in a CSV file: a fraction to 0.01 percentage point


@dataclass(frozen=True)
class Download:
    """A file for the browser to save."""

    content: bytes | Iterator[bytes]  # pieces: sent while they are written (web.downloads)
    filename: str
    media_type: str


def heading_from(fields: Mapping[str, str] | None) -> Heading:
    """The heading the official typed (ValidationErrors when a field is wrong), or the
    default one (today's date, no number, no signer's name) when nothing was typed."""
    if fields is None:
        return default_heading(today())
    return parse_heading(fields, today())


def file_stem(year: int) -> str:
    return f"bao-cao-lao-dong-viec-lam-{year}"


def table_index() -> tuple[tuple[str, str], ...]:
    """(id, title msgid) of every table, without reading anything: for the page's links."""
    empty = build_report(FigureTable([]), {}, Labels(), year=2000, as_of=today())
    return tuple((table.id, table.title) for table in empty.tables)


def yearly_report(engine: Engine, session: Session, year: int) -> Report:
    """The year's report from a current snapshot (computed now if missing or out of date)."""
    info = fresh_year(engine, session, year, in_background=False)
    assert info is not None  # fresh_year computes a missing year
    figures = figure_table(session, year, dimensions=REPORT_DIMENSIONS)
    return build_report(
        figures,
        targets(session, year),
        key_labels(session, grouped_keys(figures)),
        year=year,
        as_of=info.as_of,
        computed_at=info.computed_at,
        stale=info.stale,
        has_data=info.records > 0,
    )


def _audited(
    engine: Engine,
    session: Session,
    principal: Principal,
    year: int,
    kind: str,
    table: str | None = None,
) -> Report:
    report = yearly_report(engine, session, year)
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user.id,
            action="export",
            entity="report",
            entity_id=year,
            export_kind=kind,
            table=table,
        )
    return report


def export_workbook(
    engine: Engine,
    session: Session,
    *,
    principal: Principal,
    year: int,
    lang: str,
    heading: Heading | None = None,
) -> Download:
    report = _audited(engine, session, principal, year, "xlsx")
    # The review over the years is the workbook's last table (its number follows the others).
    report = replace(report, tables=(*report.tables, review_table(session, year, lang)))
    document = filed(report, heading or heading_from(None), lang)
    return Download(workbook_bytes(document, lang), f"{file_stem(year)}.xlsx", XLSX)


def export_docx(
    engine: Engine,
    session: Session,
    *,
    principal: Principal,
    year: int,
    lang: str,
    heading: Heading | None = None,
) -> Download:
    report = _audited(engine, session, principal, year, "docx")
    document = filed(report, heading or heading_from(None), lang)
    return Download(document_bytes(document, lang), f"{file_stem(year)}.docx", DOCX)


def export_csv(
    engine: Engine, session: Session, *, principal: Principal, year: int, table_id: str, lang: str
) -> Download | None:
    """One table as CSV; None when the report has no such table."""
    if table_id not in dict(table_index()):
        return None
    report = _audited(engine, session, principal, year, "csv", table=table_id)
    table = report.table(table_id)
    assert table is not None
    return Download(csv_pieces(table, lang), csv_name(year, table_id), CSV)


def export_zip(
    engine: Engine, session: Session, *, principal: Principal, year: int, lang: str
) -> Download:
    report = _audited(engine, session, principal, year, "zip")
    return Download(zip_pieces(report, lang), f"{file_stem(year)}-csv.zip", ZIP)


def print_view(
    engine: Engine,
    session: Session,
    *,
    principal: Principal,
    year: int,
    lang: str,
    heading: Heading | None = None,
) -> FiledReport:
    report = _audited(engine, session, principal, year, "print")
    return filed(report, heading or heading_from(None), lang)


def csv_name(year: int, table_id: str) -> str:
    return f"{file_stem(year)}-{table_id}.csv"


def csv_value(cell: Cell, lang: str) -> str | int | float:
    """A cell in a CSV file: numbers plain and as numbers (a share as a fraction), labels
    translated."""
    value = cell.value
    if value is None:
        return ""
    if cell.kind == LABEL:
        return translate(str(value), lang)
    if cell.kind in (COUNT, MONEY):
        return int(value)
    if cell.kind == SHARE:
        return round(float(value), SHARE_DECIMALS)
    if cell.kind == DECIMAL:
        return round(float(value), 1)
    return str(value)


def csv_pieces(table: ReportTable, lang: str) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel reads the Vietnamese), commas, a header row."""
    header = [translate(column, lang) for column in table.columns]
    rows = ([csv_value(cell, lang) for cell in row] for row in table.rows)
    return csv_chunks(header, rows, lineterminator="\r\n")


def zip_pieces(report: Report, lang: str) -> Iterator[bytes]:
    """Every table's CSV file in a zip archive, sent member by member as it is compressed."""
    return zip_chunks(
        (csv_name(report.year, table.id), csv_pieces(table, lang)) for table in report.tables
    )


def moment(value: datetime | None, lang: str) -> str:
    """dd/mm/yyyy hh:mm on Vietnam's clock (a naive time read back is UTC)."""
    if value is None:
        return ""
    local = local_time(value)
    return f"{format_date(local.date(), lang)} {local:%H:%M}"
