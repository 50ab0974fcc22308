"""Writing workbooks: a template (an empty data sheet with drop-down lists, a sheet that
explains each column, and the reference lists) and an export (a data sheet of rows).

Dates are real dates shown dd/mm/yyyy; codes (ID numbers, phones, certificate numbers) are
text, so Excel keeps their leading zeros.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from models.excel.types import CellValue, Column
from models.formula_guard import guard_workbook, write_only_value

DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"
TEMPLATE_ROWS = 2000  # rows of the template given formats and drop-downs
LISTS_SHEET = "Danh mục"
NOTES_SHEET = "Hướng dẫn"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBDD")
_REQUIRED_FILL = PatternFill("solid", fgColor="F8E0B0")
_WRAP = Alignment(wrap_text=True, vertical="top")
INLINE_LIST_LIMIT = 250  # Excel's limit on an inline list formula is 255 characters


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _style_header(sheet: Worksheet, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _formats(sheet: Worksheet, columns: Sequence[Column], rows: int) -> None:
    """Give the empty rows their formats, so a typed ID keeps its zeros and a date shows as
    dd/mm/yyyy."""
    for index, column in enumerate(columns, 1):
        if column.kind == "text":
            continue
        number_format = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
        for row in range(2, rows + 2):
            sheet.cell(row=row, column=index).number_format = number_format


def _list_validation(column: Column, cells: str, lists: Mapping[str, str]) -> DataValidation | None:
    if column.list_name and column.list_name in lists:
        formula = lists[column.list_name]
    elif column.choices and len(",".join(column.choices)) <= INLINE_LIST_LIMIT:
        formula = '"' + ",".join(column.choices) + '"'
    else:
        return None
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    # An open list suggests values but lets people type others (a code, a former name).
    validation.showErrorMessage = not column.open_choices
    validation.errorTitle = column.header
    validation.error = "Chọn một giá trị trong danh sách."
    validation.add(cells)
    return validation


def _validations(
    sheet: Worksheet, columns: Sequence[Column], rows: int, lists: Mapping[str, str]
) -> None:
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        validation = _list_validation(column, f"{letter}2:{letter}{rows + 1}", lists)
        if validation is not None:
            sheet.add_data_validation(validation)


def _notes_sheet(workbook: Workbook, columns: Sequence[Column], intro: Sequence[str]) -> None:
    sheet = workbook.create_sheet(NOTES_SHEET)
    row = 1
    for line in intro:
        sheet.cell(row=row, column=1, value=line).font = _HEADER_FONT
        row += 1
    row += 1
    headers = ("Cột", "Bắt buộc", "Giải thích", "Giá trị được chấp nhận")
    for index, text in enumerate(headers, 1):
        sheet.cell(row=row, column=index, value=text).font = _HEADER_FONT
    for column in columns:
        row += 1
        allowed = ", ".join(column.choices)
        if column.list_name:
            allowed = f"Danh sách ở trang {LISTS_SHEET} (có thể ghi mã)"
        values = (column.header, "Có" if column.required else "Không", column.note, allowed)
        for index, text in enumerate(values, 1):
            sheet.cell(row=row, column=index, value=text).alignment = _WRAP
    for letter, width in zip("ABCD", (30, 10, 70, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _lists_sheet(
    workbook: Workbook, lists: Mapping[str, Sequence[tuple[str, str]]]
) -> dict[str, str]:
    """Reference lists, two columns each (code, name); returns the range of each list's
    names, for the drop-downs."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for offset, (title, entries) in enumerate(lists.items()):
        code_col, name_col = 3 * offset + 1, 3 * offset + 2
        sheet.cell(row=1, column=code_col, value=f"Mã {title.lower()}").font = _HEADER_FONT
        sheet.cell(row=1, column=name_col, value=title).font = _HEADER_FONT
        for row, (code, name) in enumerate(entries, 2):
            sheet.cell(row=row, column=code_col, value=code).number_format = TEXT_FORMAT
            sheet.cell(row=row, column=name_col, value=name)
        letter = get_column_letter(name_col)
        sheet.column_dimensions[letter].width = 32
        last = len(entries) + 1
        ranges[title] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    return ranges


def template_workbook(
    columns: Sequence[Column],
    *,
    sheet_title: str,
    intro: Sequence[str] = (),
    lists: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> bytes:
    """An empty data sheet laid out as `columns`, a sheet explaining each column, and the
    reference lists (`lists`: title -> (code, name) pairs) the drop-downs draw on."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = sheet_title
    _style_header(sheet, columns)
    _formats(sheet, columns, TEMPLATE_ROWS)
    _notes_sheet(workbook, columns, intro)
    ranges = _lists_sheet(workbook, lists) if lists else {}
    _validations(sheet, columns, TEMPLATE_ROWS, ranges)
    guard_workbook(workbook)  # reference names are data: text stays text
    return _to_bytes(workbook)


def _cell(sheet: Any, value: CellValue) -> Any:
    """Only dates and text that could run as a formula need a styled cell; other text
    (codes included) is stored as text anyway, and a plain value costs a tenth of a styled
    one."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return write_only_value(sheet, value)


def table_workbook(
    columns: Sequence[Column], rows: Iterable[Mapping[str, CellValue]], *, sheet_title: str
) -> bytes:
    """One sheet: the headers of `columns`, then a line per row (values by column key)."""
    buffer = io.BytesIO()
    write_table_workbook(buffer, columns, rows, sheet_title=sheet_title)
    return buffer.getvalue()


def write_table_workbook(
    target: IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, CellValue]],
    *,
    sheet_title: str,
) -> None:
    """:func:`table_workbook` written to a file: in openpyxl's write-only mode each row goes
    to the sheet's temporary file as it comes, so memory stays flat however many rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, row.get(column.key)) for column in columns])
    workbook.save(target)
