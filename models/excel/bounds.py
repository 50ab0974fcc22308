"""Limits an uploaded file must keep before it is read, so that a small upload can't make the
server decompress, parse or store a huge one (a "zip bomb": 1 MB that expands to 1 GB).

An .xlsx file is a zip archive of XML parts. Its central directory declares each part's
compressed and uncompressed size; they are checked before anything is decompressed: the
number of parts, the size of each part and of all of them, and how much each part expands.
Python's zipfile never returns more bytes than a part declares (and then fails its checksum),
so a part that lies about its size can't get past these checks either.

The sheet's dimension (`<dimension ref="A1:L250"/>`, near the top of its XML) gives its rows
and columns, checked when the sheet is opened; the reader also counts rows as it streams
them, for a sheet written without a dimension, and counts the characters of text it keeps,
which a few shared strings repeated in every cell could otherwise multiply.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl.utils import get_column_letter

from models.errors import InvalidError

FIELD = "file"
MAX_PARTS = 1_000  # an .xlsx saved by Excel has a dozen or two
MAX_PART_BYTES = 64 * 1024 * 1024  # 50,000 rows of 14 columns take about 40 MB of XML
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_RATIO = 250  # sheets expand 15-20 times (130 for one long text repeated); a bomb 1,000
RATIO_FROM_BYTES = 1024 * 1024  # small parts (styles, a theme) may compress better
MAX_SHEET_ROWS = 50_000  # rows of a sheet, blank ones included
MAX_SHEET_COLUMNS = 100  # a template has about a dozen
MAX_TEXT_MILLIONS = 20  # millions of characters kept from one file (1,000 a row at 20,000 rows)


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


def check_archive(data: bytes) -> None:
    """Refuse a zip archive whose parts are too many, too big or too compressed, from its
    directory alone (nothing is decompressed). Not a zip at all is for the reader to say."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the workbook reader explains that the file is damaged
    if len(parts) > MAX_PARTS:
        raise InvalidError(
            FIELD,
            "The file is not a normal Excel workbook: it has {parts} parts.",
            parts=len(parts),
        )
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise InvalidError(
                FIELD,
                "The file expands to more than {max} MB when opened: it is too big to import. "
                "Split it into several files, or delete what it holds beside the data.",
                max=_megabytes(MAX_TOTAL_BYTES),
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise InvalidError(
                FIELD,
                "The file is not a normal Excel workbook: part of it expands {ratio} times when "
                "opened. Save it again from Excel, or copy the data into the template.",
                ratio=int(ratio),
            )


def check_dimension(title: str, rows: int | None, columns: int | None) -> None:
    """Refuse a sheet whose dimension (read by openpyxl from the top of its XML) declares
    more rows or columns than a file may have. A sheet without one is counted as it is read."""
    if rows is not None and rows > MAX_SHEET_ROWS:
        raise too_many_rows(title)
    if columns is not None and columns > MAX_SHEET_COLUMNS:
        raise too_many_columns(title, columns)


def too_many_rows(sheet: str) -> InvalidError:
    return InvalidError(
        FIELD,
        "The sheet {sheet} has more than {max} rows: split it into files of at most {max} rows.",
        sheet=sheet,
        max=MAX_SHEET_ROWS,
    )


def too_many_columns(sheet: str, columns: int) -> InvalidError:
    return InvalidError(
        FIELD,
        "The sheet {sheet} has data or formatting up to column {last}: at most {max} columns "
        "can be read. Delete the columns after the data.",
        sheet=sheet,
        last=get_column_letter(min(columns, 18_278)),  # the last letters openpyxl names (ZZZ)
        max=MAX_SHEET_COLUMNS,
    )


class TextBudget:
    """Characters of text kept from one file, refused past `MAX_TEXT_MILLIONS` million."""

    def __init__(self) -> None:
        self.millions = MAX_TEXT_MILLIONS
        self.left = MAX_TEXT_MILLIONS * 1_000_000

    def spend(self, values: Iterable[object]) -> None:
        self.left -= sum(len(value) for value in values if isinstance(value, str))
        if self.left < 0:
            raise InvalidError(
                FIELD,
                "The file holds more than {max} million characters of text: split it into "
                "several files.",
                max=self.millions,
            )
