"""Writing workbooks: a template (an empty data sheet with drop-down lists, a sheet that
explains each column, and the reference lists) and an export (a data sheet of rows).

Dates are real dates shown dd/mm/yyyy; codes (ID numbers, phones, certificate numbers) are
text, so Excel keeps their leading zeros.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from models.excel.types import CellValue, Column
from models.formula_guard import guard_cell, write_only_value

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


def _styled(sheet: Any, value: Any, **style: Any) -> WriteOnlyCell:
    """A cell of a write-only sheet with its style; text stays text (formula_guard)."""
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return guard_cell(cell)


def _data_sheet(
    workbook: Workbook, columns: Sequence[Column], title: str, ranges: Mapping[str, str]
) -> None:
    """The header, then TEMPLATE_ROWS empty rows with their formats (so a typed ID keeps its
    zeros and a date shows as dd/mm/yyyy) and drop-down lists."""
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(
        [
            _styled(
                sheet,
                column.header,
                font=_HEADER_FONT,
                fill=_REQUIRED_FILL if column.required else _HEADER_FILL,
                alignment=_WRAP,
            )
            for column in columns
        ]
    )
    formats = [
        None if column.kind == "text" else DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
        for column in columns
    ]
    for _ in range(TEMPLATE_ROWS):
        sheet.append(
            [None if each is None else _styled(sheet, None, number_format=each) for each in formats]
        )
    for validation in _validations(columns, TEMPLATE_ROWS, ranges):
        sheet.data_validations.append(validation)


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
    columns: Sequence[Column], rows: int, lists: Mapping[str, str]
) -> Iterator[DataValidation]:
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        validation = _list_validation(column, f"{letter}2:{letter}{rows + 1}", lists)
        if validation is not None:
            yield validation


def _notes_sheet(workbook: Workbook, columns: Sequence[Column], intro: Sequence[str]) -> None:
    sheet = workbook.create_sheet(NOTES_SHEET)
    for line in intro:
        sheet.append([_styled(sheet, line, font=_HEADER_FONT)])
    sheet.append([])
    headers = ("Cột", "Bắt buộc", "Giải thích", "Giá trị được chấp nhận")
    sheet.append([_styled(sheet, text, font=_HEADER_FONT) for text in headers])
    for column in columns:
        allowed = ", ".join(column.choices)
        if column.list_name:
            allowed = f"Danh sách ở trang {LISTS_SHEET} (có thể ghi mã)"
        values = (column.header, "Có" if column.required else "Không", column.note, allowed)
        sheet.append([_styled(sheet, text, alignment=_WRAP) for text in values])
    for letter, width in zip("ABCD", (30, 10, 70, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _list_ranges(lists: Mapping[str, Sequence[tuple[str, str]]]) -> dict[str, str]:
    """The range of each list's names on the lists sheet (three columns a list: code, name,
    a gap), for the drop-downs."""
    ranges: dict[str, str] = {}
    for offset, (title, entries) in enumerate(lists.items()):
        letter = get_column_letter(3 * offset + 2)
        last = len(entries) + 1
        ranges[title] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    return ranges


def _lists_sheet(workbook: Workbook, lists: Mapping[str, Sequence[tuple[str, str]]]) -> None:
    """Reference lists side by side, two columns each (code, name), written row by row."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    header: list[Any] = []
    for offset, title in enumerate(lists):
        sheet.column_dimensions[get_column_letter(3 * offset + 2)].width = 32
        header += [
            _styled(sheet, f"Mã {title.lower()}", font=_HEADER_FONT),
            _styled(sheet, title, font=_HEADER_FONT),
            None,
        ]
    sheet.append(header[:-1])
    longest = max((len(entries) for entries in lists.values()), default=0)
    for index in range(longest):
        row: list[Any] = []
        for entries in lists.values():
            if index < len(entries):
                code, name = entries[index]
                row += [_styled(sheet, code, number_format=TEXT_FORMAT), _styled(sheet, name)]
            else:
                row += [None, None]
            row.append(None)
        sheet.append(row[:-1])


def template_workbook(
    columns: Sequence[Column],
    *,
    sheet_title: str,
    intro: Sequence[str] = (),
    lists: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> bytes:
    """An empty data sheet laid out as `columns`, a sheet explaining each column, and the
    reference lists (`lists`: title -> (code, name) pairs) the drop-downs draw on; written in
    openpyxl's write-only mode, row by row. Text is stored as text (reference names are
    data: formula_guard)."""
    workbook = Workbook(write_only=True)
    _data_sheet(workbook, columns, sheet_title, _list_ranges(lists) if lists else {})
    _notes_sheet(workbook, columns, intro)
    if lists:
        _lists_sheet(workbook, lists)
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
