"""Text in the files we write can't run as a formula in the reader's spreadsheet.

A spreadsheet that opens a CSV file runs a cell starting with `=`, `+`, `-` or `@` as a
formula (`=HYPERLINK(...)`, `-1+1+cmd|' /C calc'!A0`), and a tab or a carriage return in
front hides such a start from a naive check. Following OWASP's rule on CSV injection, every
writer of a CSV file or a workbook passes its cells through here:

- CSV: text with such a start gets a single quote in front (`'=HYPERLINK(...)`), which
  spreadsheets show as text. Numbers are written as numbers: a negative count stays `-5`.
- Workbooks: text is stored as a text cell, never as a formula (openpyxl would turn any text
  starting with `=` into one), and text with such a start carries Excel's "quote prefix"
  style, so Excel keeps it as text even when the cell is edited, without showing a quote.

The platform's CSV reader calls `restore` on every cell, so what we export imports back as the
same text; a workbook stores the text itself, so it reads back unchanged. A text that already
starts with quotes before such a start gets one more quote, so `restore(neutralise(text)) ==
text` for every text.

Machine exchange files (read by programs, not people) are exempt on purpose: a program must
read the exact text, so `ExactCsvWriter` writes their data file unchanged, and their manifest
says so (`MACHINE_FILE_NOTICE`, models/exchange). They are offered as a zip with a manifest,
never as a spreadsheet; see docs/web.md and docs/exchange.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet could run: it starts with a formula start, perhaps after
    quotes (so that the quote we add can be told from one the text had)."""
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """The text with a single quote in front when a spreadsheet could run it."""
    return QUOTE + text if is_formula_like(text) else text


def restore(text: str) -> str:
    """Undo `neutralise`: drop the quote we put in front of formula-like text."""
    if text.startswith(QUOTE) and is_formula_like(text[1:]):
        return text[1:]
    return text


def csv_cell(value: Any) -> Any:
    """A value for `csv.writer`: text neutralised, numbers and blanks as they are."""
    return neutralise(value) if isinstance(value, str) else value


class CsvWriter:
    """`csv.writer` whose every text cell is neutralised; the one CSV writer of the platform."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


BYTE_ORDER_MARK = "\ufeff"  # so that Excel reads a CSV file as UTF-8
CSV_CHUNK_ROWS = 500  # rows per piece of a streamed CSV file


def csv_chunks(
    header: Sequence[Any],
    rows: Iterable[Iterable[Any]],
    *,
    byte_order_mark: bool = True,
    chunk_rows: int = CSV_CHUNK_ROWS,
    **options: Any,
) -> Iterator[bytes]:
    """A CSV file (UTF-8, every text cell neutralised) in pieces: the header line (after the
    byte-order mark) before `rows` is touched, then one piece per `chunk_rows` rows, so a
    response sends the file while `rows` is still being read."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, **options)
    if byte_order_mark:
        buffer.write(BYTE_ORDER_MARK)
    writer.writerow(header)
    yield _drain(buffer)  # before the first row is read: the reader's download starts
    for written, row in enumerate(rows, 1):
        writer.writerow(row)
        if written % chunk_rows == 0:
            yield _drain(buffer)
    if buffer.tell():
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def guard_cell(cell: Cell) -> Cell:
    """Make a workbook cell that holds text a text cell (never a formula or an error
    value), with the quote-prefix style when its text could run as a formula."""
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def guard_workbook(workbook: Any) -> None:
    """Guard every cell of a workbook built in memory, just before it is saved."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                guard_cell(cell)


def write_only_value(sheet: Any, value: Any) -> Any:
    """A value for a write-only sheet's `append`: plain text stays plain (cheaper); text
    that openpyxl would store as an error value (`#N/A`), or that could run, becomes a
    guarded cell."""
    if isinstance(value, str) and (is_formula_like(value) or value in ERROR_CODES):
        return guard_cell(WriteOnlyCell(sheet, value=value))
    return value


# What the manifest of a machine exchange file says about formula neutralisation.
MACHINE_FILE_NOTICE = "none: machine exchange file, text is exact"


class ExactCsvWriter:
    """`csv.writer` that writes text exactly as it is: only for the data file of a machine
    exchange file, whose manifest carries MACHINE_FILE_NOTICE (models/exchange/files.py).
    Never for a file offered to people as a spreadsheet."""

    def __init__(self, stream: Any) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(list(row))
