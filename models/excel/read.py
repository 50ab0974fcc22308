"""Reading an uploaded workbook into rows, or saying in plain words why it cannot be read.

openpyxl's read-only mode streams the sheet, so a 10,000-row file is read in about a second
without holding its whole XML tree in memory. Before openpyxl sees the file, its archive is
checked against the limits of `excel.bounds` (nothing decompressed), and a sheet's declared
size when it is opened; rows and text are counted as they stream. File-level problems are
raised as `InvalidError`s on the field "file" (several at once as `ValidationErrors`).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from models.errors import AppError, InvalidError, ValidationErrors
from models.excel.bounds import (
    MAX_SHEET_ROWS,
    TextBudget,
    check_archive,
    check_dimension,
    too_many_rows,
)
from models.excel.types import CellValue, Column, SheetRow, SheetTable, column_list, header_key

FIELD = "file"
MAX_ROWS = 20_000
MAX_COLUMNS = 60  # columns looked at: a template has about a dozen
HEADER_SEARCH_ROWS = 10  # a title or a note may sit above the header row
IGNORED_HEADERS = frozenset({"stt", "so thu tu", "tt"})  # numbering people add
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and other OLE files
ZIP_MAGIC = b"PK\x03\x04"


def check_row_limit(rows: Sequence[object], max_rows: int) -> None:
    """Refuse a file before it holds one row more than a sheet may."""
    if len(rows) >= max_rows:
        raise InvalidError(
            FIELD,
            "The file has more than {max} rows of data: split it into several files.",
            max=max_rows,
        )


def _sniff(data: bytes) -> None:
    """Refuse, with the reason, what is not an .xlsx workbook before openpyxl sees it."""
    if not data.strip():
        raise InvalidError(FIELD, "The file is empty.")
    if data.startswith(OLE2_MAGIC):
        raise InvalidError(
            FIELD,
            "This is an Excel 97–2003 file (.xls): open it in Excel, save it as an Excel "
            "Workbook (.xlsx) and upload that file.",
        )
    if data.lstrip().startswith(b"%PDF"):
        raise InvalidError(FIELD, "This is a PDF file, not an Excel workbook (.xlsx).")
    if data.startswith(ZIP_MAGIC):
        if _is_opendocument(data):
            raise InvalidError(
                FIELD,
                "This is an OpenDocument spreadsheet (.ods): save it as an Excel Workbook "
                "(.xlsx) and upload that file.",
            )
        return
    if _looks_like_text(data):
        raise InvalidError(
            FIELD,
            "This is a text (CSV) file, not an Excel workbook: open it in Excel, save it as an "
            "Excel Workbook (.xlsx) and upload that file.",
        )
    raise damaged()


def damaged() -> InvalidError:
    return InvalidError(FIELD, "The file is not an Excel workbook (.xlsx), or it is damaged.")


def _is_opendocument(data: bytes) -> bool:
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            archive.open("mimetype") as mimetype,
        ):
            return mimetype.read(64).startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, KeyError):
        return False


def _looks_like_text(data: bytes) -> bool:
    """Text saved by a spreadsheet or an editor: UTF-16 with its byte-order mark, or mostly
    printable UTF-8 or Windows-1258 (the Vietnamese code page)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:4096]
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        if text and printable / len(text) > 0.95:
            return True
    return False


def _open(data: bytes) -> Any:
    check_archive(data)  # before anything is decompressed, even to tell an .ods
    _sniff(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign zip
        raise damaged() from error


def cell_value(value: Any) -> CellValue:
    """What a cell holds, in plain types: text in NFC without outer spaces (blank is None),
    whole numbers as int, dates without their time of day."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    """The sheet's rows as a stream, refused past `MAX_SHEET_ROWS` whether its dimension
    says so or the count finds it."""
    check_dimension(sheet.title, sheet.max_row, sheet.max_column)
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
            if number > MAX_SHEET_ROWS:
                raise too_many_rows(sheet.title)
            yield number, tuple(cell_value(value) for value in row)
    except AppError:
        raise
    except Exception as error:  # damaged XML, or a DTD that defusedxml forbids
        raise damaged() from error


def _at(cells: tuple[CellValue, ...], index: int) -> CellValue:
    return cells[index] if index < len(cells) else None


def _known(columns: Sequence[Column]) -> dict[str, Column]:
    return {key: column for column in columns for key in column.header_keys()}


def _find_header(sheet: Any, columns: Sequence[Column]) -> tuple[int, tuple[CellValue, ...], int]:
    """(row number, cells, how many template headers it has) of the most header-like row
    among the first rows; row 0 when the sheet is empty."""
    known = _known(columns)
    best: tuple[int, tuple[CellValue, ...], int] = (0, (), -1)
    for number, cells in _rows(sheet):
        if number > HEADER_SEARCH_ROWS:
            break
        if not any(cell is not None for cell in cells):
            continue
        hits = sum(header_key(cell) in known for cell in cells if cell is not None)
        if hits > best[2]:
            best = (number, cells, hits)
    return best


def _map_header(
    cells: tuple[CellValue, ...], columns: Sequence[Column], ignored: Sequence[Column] = ()
) -> tuple[dict[int, Column], list[int]]:
    """Which column each position holds, and the positions without a header; raises the
    header's problems all at once. Headers of `ignored` columns are accepted and their cells
    left unread (another layout's columns: the trainee export sent back as results)."""
    known = _known(columns)
    skipped = set(_known(ignored)) - set(known)
    found: dict[int, Column] = {}
    unknown: list[str] = []
    blank: list[int] = []
    problems: list[AppError] = []
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            blank.append(index)
        elif key in known:
            column = known[key]
            if column in found.values():
                problems.append(
                    InvalidError(
                        FIELD, "The column {column} appears more than once.", column=column.header
                    )
                )
            found[index] = column
        elif key not in IGNORED_HEADERS and key not in skipped:
            unknown.append(str(cell))
    raise_header_problems(columns, found, unknown, problems)
    return found, blank


def _pick_sheet(workbook: Any, columns: Sequence[Column]) -> tuple[Any, int, tuple[CellValue, ...]]:
    """The first sheet whose header has the template's columns (the data sheet comes first in
    the template, but people reorder sheets)."""
    first: tuple[Any, int, tuple[CellValue, ...], int] | None = None
    for sheet in workbook.worksheets:
        number, cells, hits = _find_header(sheet, columns)
        if first is None:
            first = (sheet, number, cells, hits)
        if hits >= min(2, len(columns)):
            return sheet, number, cells
    if first is None or first[1] == 0:
        raise InvalidError(FIELD, "The workbook is empty: its first sheet has no data.")
    sheet, number, cells, _hits = first
    raise InvalidError(
        FIELD,
        "The sheet {sheet} has no header row with the template's columns ({columns}).",
        sheet=sheet.title,
        columns=column_list(columns),
    )


def check_layout(data: bytes, columns: Sequence[Column], *, ignored: Sequence[Column] = ()) -> None:
    """The cheap part of `read_table`: the file is a workbook, its header row has the
    template's columns, and a data row follows. Stops at the first data row."""
    workbook = _open(data)
    try:
        sheet, header_row, header = _pick_sheet(workbook, columns)
        positions, blank = _map_header(header, columns, ignored)
        watched = [*positions, *blank]
        for number, cells in _rows(sheet):
            if number > header_row and any(_at(cells, i) is not None for i in watched):
                return  # one data row is enough here
        raise InvalidError(
            FIELD, "The sheet {sheet} has a header row but no data rows.", sheet=sheet.title
        )
    finally:
        workbook.close()


def read_table(
    data: bytes,
    columns: Sequence[Column],
    *,
    max_rows: int = MAX_ROWS,
    on_progress: Callable[[int], object] | None = None,
    ignored: Sequence[Column] = (),
) -> SheetTable:
    """The data rows of the first sheet laid out as `columns`, each with its Excel row
    number; entirely blank rows are skipped. Raises InvalidError/ValidationErrors (field
    "file") for a file that is not a workbook, is empty, or has missing or unknown columns;
    the headers of `ignored` columns are known, and their cells left out of the rows."""
    workbook = _open(data)
    try:
        sheet, header_row, header = _pick_sheet(workbook, columns)
        positions, blank = _map_header(header, columns, ignored)
        keys = [column.key for column in columns]
        rows = _data_rows(sheet, header_row, positions, blank, keys, max_rows, on_progress)
    finally:
        workbook.close()
    if not rows:
        raise InvalidError(
            FIELD, "The sheet {sheet} has a header row but no data rows.", sheet=sheet.title
        )
    return SheetTable(sheet=sheet.title, header_row=header_row, rows=rows)


def _data_rows(
    sheet: Any,
    header_row: int,
    positions: dict[int, Column],
    blank: list[int],
    keys: list[str],
    max_rows: int,
    on_progress: Callable[[int], object] | None,
) -> list[SheetRow]:
    """Rows below the header with something in a column we read (a row holding only its
    STT number is blank), each with every key of the layout (None for absent columns)."""
    rows: list[SheetRow] = []
    headless: set[int] = set()
    watched = [*positions, *blank]
    budget = TextBudget()
    for number, cells in _rows(sheet):
        if number <= header_row or not any(_at(cells, i) is not None for i in watched):
            continue
        check_row_limit(rows, max_rows)
        headless.update(i for i in blank if _at(cells, i) is not None)
        values: dict[str, CellValue] = dict.fromkeys(keys)
        values.update({column.key: _at(cells, i) for i, column in positions.items()})
        budget.spend(values.values())
        rows.append(SheetRow(number, values))
        if on_progress and len(rows) % 500 == 0:
            on_progress(len(rows))
    if headless:
        letters = ", ".join(get_column_letter(i + 1) for i in sorted(headless))
        raise InvalidError(
            FIELD, "Column {letters} has data but no header: give it one of the template's "
            "headers or delete it.", letters=letters,
        )  # fmt: skip
    return rows


def raise_header_problems(
    columns: Sequence[Column],
    found: dict[int, Column],
    unknown: list[str],
    problems: list[AppError],
) -> None:
    """Refuse a header that lacks a required column or has columns the template does not
    (with the problems found before), for a sheet and a CSV file alike."""
    missing = [c for c in columns if c.required and c not in found.values()]
    if missing:
        problems.append(
            InvalidError(
                FIELD, "Columns missing from the sheet: {columns}.", columns=column_list(missing)
            )
        )
    if unknown:
        problems.append(
            InvalidError(
                FIELD,
                "Columns the template does not have: {columns}. Remove them, or copy the data "
                "into the template.",
                columns=", ".join(unknown),
            )
        )
    if problems:
        raise ValidationErrors(problems)
