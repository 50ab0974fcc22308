"""The yearly report as an Excel workbook: a cover sheet (the administrative heading, the
narrative and the signature block; then the year, the day the figures are as of, when they
were computed, the sources of imported figures, the targets, the list of sheets) and one sheet
per table, its numbered title ("Biểu 1. …") above a frozen header row. Numbers are real numbers with
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
from web.services.report_text import FiledReport, HeadingLines, say

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
_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_ITALIC = Font(italic=True)
_BOLD_ITALIC = Font(bold=True, italic=True)
NARRATIVE_COLUMNS = 4  # a paragraph spans columns A to D
CHARACTERS_PER_LINE = 110  # of a paragraph across A:D, to size its row
LINE_HEIGHT = 15


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


def workbook_bytes(document: FiledReport, lang: str) -> bytes:
    report = document.report
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    taken: set[str] = set()
    cover.title = sheet_name("sheet:cover", lang, taken)
    names = [sheet_name(table.sheet, lang, taken) for table in report.tables]
    titles = document.titles(lang)
    _heading(cover, document.heading)
    _narrative(cover, document, lang)
    _signature(cover, document.heading)
    _cover(cover, report, list(zip(names, titles, strict=True)), lang)
    for table, name, title in zip(report.tables, names, titles, strict=True):
        _table_sheet(workbook.create_sheet(name), table, title, lang)
    guard_workbook(workbook)  # names of places, occupations and sources stay text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _local(moment: datetime) -> datetime:
    """A stored moment on Vietnam's clock, without a zone (Excel has none)."""
    return local_time(moment).replace(tzinfo=None)


def _styled(sheet: Worksheet, values: list[str], font: Font | None = None) -> None:
    """A row of centred text (the two columns of the heading)."""
    sheet.append(values)
    for column in range(1, len(values) + 1):
        cell = sheet.cell(row=sheet.max_row, column=column)
        cell.alignment = _CENTRE
        if font is not None:
            cell.font = font


def _heading(sheet: Worksheet, heading: HeadingLines) -> None:
    """The decree's heading: the agencies on the left, the national name and motto on the
    right, the number level with the place and date; then "BÁO CÁO" and the summary."""
    _styled(sheet, [heading.parent_agency, heading.national_name])
    sheet.cell(row=1, column=2).font = _BOLD
    _styled(sheet, [heading.agency, heading.motto], _BOLD)
    _styled(sheet, [heading.number, heading.place_and_date])
    sheet.cell(row=3, column=2).font = _ITALIC
    sheet.append([])
    for line in (heading.document_type, heading.summary):
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row=row, column=1).alignment = _CENTRE
        sheet.cell(row=row, column=1).font = _TITLE
    sheet.append([])


def _narrative(sheet: Worksheet, document: FiledReport, lang: str) -> None:
    for section in document.sections:
        sheet.append([translate(section.title, lang)])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        for paragraph in section.paragraphs:
            words = " ".join(say(sentence, lang) for sentence in paragraph)
            sheet.append([words])
            row = sheet.max_row
            sheet.merge_cells(
                start_row=row, start_column=1, end_row=row, end_column=NARRATIVE_COLUMNS
            )
            sheet.cell(row=row, column=1).alignment = _WRAP
            lines = len(words) // CHARACTERS_PER_LINE + 1
            sheet.row_dimensions[row].height = LINE_HEIGHT * lines
    sheet.append([])


def _signature(sheet: Worksheet, heading: HeadingLines) -> None:
    """ "Nơi nhận" on the left, level with the signer's title on the right; the name under
    room for the signature."""
    right = (
        [heading.signer_on_behalf, heading.signer_title]
        if heading.signer_on_behalf
        else [heading.signer_title]
    )
    right += ["", "", "", heading.signer_name]
    left = [heading.recipients_title, *heading.recipients]
    first = sheet.max_row + 2  # after a blank row
    for offset in range(max(len(left), len(right))):
        row = first + offset
        if offset < len(left):
            cell = sheet.cell(row=row, column=1, value=left[offset])
            cell.font = _BOLD_ITALIC if offset == 0 else Font(size=10)
        if offset < len(right) and right[offset]:
            cell = sheet.cell(row=row, column=2, value=right[offset])
            cell.font, cell.alignment = _BOLD, _CENTRE
    sheet.append([])


def _cover(sheet: Worksheet, report: Report, tables: list[tuple[str, str]], lang: str) -> None:
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
    for name, title in tables:
        sheet.append([name, title])
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


def _table_sheet(sheet: Worksheet, table: ReportTable, title: str, lang: str) -> None:
    sheet.cell(row=TITLE_ROW, column=1, value=title).font = _TITLE
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
