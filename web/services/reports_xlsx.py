"""The yearly report as an Excel workbook: a cover sheet (year, the day the figures are as of,
when they were computed, the sources of imported figures, the targets, the list of sheets) and
one sheet per table, its title above a frozen header row. Numbers are real numbers with
formats (#,##0 for counts, 0.0% for shares), dates real dates shown dd/mm/yyyy."""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.clock import local_time
from models.formula_guard import guard_workbook
from models.i18n import translate
from models.monitoring.report import INDICATORS
from models.monitoring.report_cells import COUNT, DECIMAL, LABEL, MONEY, SHARE, Report, ReportTable

FORMATS = {COUNT: "#,##0", MONEY: "#,##0", SHARE: "0.0%", DECIMAL: "#,##0.0"}
DATE_FORMAT = "DD/MM/YYYY"
MOMENT_FORMAT = "DD/MM/YYYY HH:MM"
TITLE_ROW, HEADER_ROW = 1, 2  # data from row 3
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
_TITLE = Font(bold=True, size=13)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBDD")
_WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_name(msgid: str, lang: str, taken: set[str]) -> str:
    """The translated name, without the characters Excel refuses, 31 characters at most and
    different from the names already taken."""
    name = _BAD_SHEET_CHARACTERS.sub(" ", translate(msgid, lang)).strip()[:MAX_SHEET_NAME]
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" {n}"
        candidate, n = name[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def workbook_bytes(report: Report, lang: str) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    taken: set[str] = set()
    cover.title = sheet_name("sheet:cover", lang, taken)
    names = [sheet_name(table.sheet, lang, taken) for table in report.tables]
    _cover(cover, report, names, lang)
    for table, name in zip(report.tables, names, strict=True):
        _table_sheet(workbook.create_sheet(name), table, lang)
    guard_workbook(workbook)  # names of places, occupations and sources stay text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _local(moment: datetime) -> datetime:
    """A stored moment on Vietnam's clock, without a zone (Excel has none)."""
    return local_time(moment).replace(tzinfo=None)


def _cover(sheet: Worksheet, report: Report, names: list[str], lang: str) -> None:
    sheet.append(
        [
            translate(
                "Yearly report on vocational training and employment, {year}",
                lang,
                year=report.year,
            )
        ]
    )
    sheet.cell(row=1, column=1).font = _TITLE
    sheet.append([])
    sheet.append([translate("Year", lang), report.year])
    sheet.append([translate("Figures as of", lang), report.as_of])
    sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
    if report.computed_at is not None:
        sheet.append([translate("Figures computed at", lang), _local(report.computed_at)])
        sheet.cell(row=sheet.max_row, column=2).number_format = MOMENT_FORMAT
    sources = "; ".join(report.sources) or translate("No labour-force figures imported", lang)
    sheet.append([translate("Sources of imported figures", lang), sources])
    if report.stale:
        sheet.append([translate("Some records changed after these figures were computed.", lang)])
    sheet.append([])
    sheet.append([translate("Targets", lang)])
    sheet.cell(row=sheet.max_row, column=1).font = _BOLD
    _header(
        sheet,
        sheet.max_row + 1,
        [
            translate("Indicator", lang),
            translate("Minimum", lang),
            translate("Maximum", lang),
            translate("Unit", lang),
        ],
    )
    for target in report.targets:
        unit = "%" if target.unit == "percent" else translate("people", lang)
        sheet.append(
            [
                translate(INDICATORS[target.indicator][0], lang),
                target.value_min,
                target.value_max,
                unit,
            ]
        )
        for column in (2, 3):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.number_format = target_format(cell.value)
    if not report.targets:
        sheet.append([translate("No target set", lang)])
    sheet.append([])
    sheet.append([translate("Tables", lang)])
    sheet.cell(row=sheet.max_row, column=1).font = _BOLD
    for table, name in zip(report.tables, names, strict=True):
        sheet.append([name, translate(table.title, lang)])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 14
    sheet.column_dimensions["D"].width = 10


def target_format(value: object) -> str:
    """A target as written: 8,700 and 65.5, never "8,700." (Excel's "#,##0.##" leaves the
    decimal separator after a whole number)."""
    if isinstance(value, float) and not value.is_integer():
        return "#,##0.0#"
    return "#,##0"


def _header(sheet: Worksheet, row: int, headers: list[str]) -> None:
    for column, header in enumerate(headers, 1):
        cell = sheet.cell(row=row, column=column, value=header)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP


def _table_sheet(sheet: Worksheet, table: ReportTable, lang: str) -> None:
    sheet.cell(row=TITLE_ROW, column=1, value=translate(table.title, lang)).font = _TITLE
    headers = [translate(column, lang) for column in table.columns]
    _header(sheet, HEADER_ROW, headers)
    widths = [min(max(len(h) * 0.8, 10), 40) for h in headers]
    for index, row in enumerate(table.rows):
        excel_row = HEADER_ROW + 1 + index
        last = table.has_total and index == len(table.rows) - 1
        for column, cell in enumerate(row, 1):
            value = translate(str(cell.value), lang) if cell.kind == LABEL else cell.value
            target = sheet.cell(row=excel_row, column=column, value=value)
            if cell.kind in FORMATS:
                target.number_format = FORMATS[cell.kind]
            if last:
                target.font = _BOLD
            if isinstance(value, str):
                widths[column - 1] = min(max(widths[column - 1], len(value) + 2), 50)
    notes_row = HEADER_ROW + len(table.rows) + 2
    for offset, note in enumerate(table.notes):
        sheet.cell(
            row=notes_row + offset, column=1, value=translate(note.msgid, lang, **note.params)
        )
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
