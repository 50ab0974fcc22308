"""Reading an uploaded CSV file into the same rows as an Excel sheet (`models.excel.read_table`):
the header row is found and mapped to a layout's columns the same tolerant way (other order,
headers without diacritics, a title row above, an STT column), and each row keeps the line
number people see in a spreadsheet. Problems are InvalidErrors on the field "file".

The text may be UTF-8 (with or without a byte-order mark, as Excel writes "CSV UTF-8") or
Windows-1258, the Vietnamese code page older Excel versions use; the separator is a comma,
a semicolon (Excel where the decimal mark is a comma) or a tab.

The quote our CSV exports put in front of text that could run as a formula is taken off
again (`formula_guard.restore`), so an exported line reads back as the same text. (Workbooks
need nothing: there the text is stored as it is, with Excel's quote-prefix style.)

Lines are read as a stream under the same limits as a sheet (`excel.bounds`): rows, columns
and characters of text kept.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator, Sequence

from models.errors import AppError, InvalidError
from models.excel.bounds import (
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    TextBudget,
    too_many_columns,
    too_many_rows,
)
from models.excel.read import (
    FIELD,
    HEADER_SEARCH_ROWS,
    IGNORED_HEADERS,
    MAX_ROWS,
    cell_value,
    check_row_limit,
    raise_header_problems,
)
from models.excel.types import CellValue, Column, SheetRow, SheetTable, column_list, header_key
from models.formula_guard import restore

SEPARATORS = ",;\t"
SHEET_NAME = "CSV"


def decode(data: bytes) -> str:
    """The file's text: UTF-8 first (a Windows-1258 file is almost never valid UTF-8)."""
    if not data.strip():
        raise InvalidError(FIELD, "The file is empty.")
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidError(FIELD, "The CSV file cannot be read: save it again as CSV UTF-8.")


def _lines(text: str) -> Iterator[list[str]]:
    """The file's lines as a stream, refused past the rows and columns a sheet may have."""
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, SEPARATORS)
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell the separator by
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), 1):
            if number > MAX_SHEET_ROWS:
                raise too_many_rows(SHEET_NAME)
            if len(cells) > MAX_SHEET_COLUMNS:
                raise too_many_columns(SHEET_NAME, len(cells))
            yield cells
    except csv.Error as error:
        raise InvalidError(
            FIELD, "The CSV file cannot be read: save it again as CSV UTF-8."
        ) from error


def _header(lines: list[list[str]], columns: Sequence[Column]) -> int:
    """Index of the most header-like line among the first ones."""
    known = {key for column in columns for key in column.header_keys()}
    best, best_hits = -1, 0
    for index, cells in enumerate(lines[:HEADER_SEARCH_ROWS]):
        hits = sum(header_key(cell) in known for cell in cells if cell.strip())
        if hits > best_hits:
            best, best_hits = index, hits
    if best < 0:
        raise InvalidError(
            FIELD,
            "The sheet {sheet} has no header row with the template's columns ({columns}).",
            sheet=SHEET_NAME,
            columns=column_list(columns),
        )
    return best


def _positions(cells: list[str], columns: Sequence[Column]) -> dict[int, Column]:
    known = {key: column for column in columns for key in column.header_keys()}
    found: dict[int, Column] = {}
    problems: list[AppError] = []
    unknown = []
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if key in known:
            if known[key] in found.values():
                problems.append(
                    InvalidError(
                        FIELD,
                        "The column {column} appears more than once.",
                        column=known[key].header,
                    )
                )
            found[index] = known[key]
        elif key and key not in IGNORED_HEADERS:
            unknown.append(cell.strip())
    raise_header_problems(columns, found, unknown, problems)
    return found


def read_csv_table(
    data: bytes, columns: Sequence[Column], *, max_rows: int = MAX_ROWS
) -> SheetTable:
    """The data rows laid out as `columns` (every key present, None for a blank cell), each
    with its line number; blank lines are skipped."""
    lines = _lines(decode(data))
    first = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
    header = _header(first, columns)
    positions = _positions(first[header], columns)
    keys = [column.key for column in columns]
    rows: list[SheetRow] = []
    budget = TextBudget()
    for number, cells in enumerate(itertools.chain(first[header + 1 :], lines), header + 2):
        values: dict[str, CellValue] = dict.fromkeys(keys)
        values.update(
            {
                column.key: cell_value(restore(cells[i]))
                for i, column in positions.items()
                if i < len(cells)
            }
        )
        if all(value is None for value in values.values()):
            continue
        check_row_limit(rows, max_rows)
        budget.spend(values.values())
        rows.append(SheetRow(number, values))
    if not rows:
        raise InvalidError(
            FIELD, "The sheet {sheet} has a header row but no data rows.", sheet=SHEET_NAME
        )
    return SheetTable(sheet=SHEET_NAME, header_row=header + 1, rows=rows)
