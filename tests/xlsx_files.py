"""Hand-built .xlsx files for the upload limits: a valid workbook (the parts openpyxl needs)
whose sheet XML is written as a stream, so a 1 GB sheet (a zip bomb) is made without holding
1 GB in memory, and an honest sheet can be given any dimension, or none."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{OFFICE}" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        '<sheet name="Học viên" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{WORKSHEET}" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def text_cell(column: int, row: int, text: str) -> str:
    return f'<c r="{get_column_letter(column)}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def row_xml(number: int, cells: Iterable[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_xlsx(
    path: Path,
    rows: Iterable[str],
    *,
    dimension: str | None = None,
    prologue: str = "",
    level: int = 6,
) -> Path:
    """A workbook of one sheet whose rows are the XML strings of `rows`, written as they
    come (`prologue` goes before the root element: a DTD, say)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{prologue}<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


HEADERS = ("Họ và tên", "Ngày sinh (dd/mm/yyyy)", "Giới tính")


def honest_rows(count: int, *, start: int = 1) -> Iterator[str]:
    """A header, then `count` distinct rows of data."""
    yield row_xml(start, (text_cell(i, start, h) for i, h in enumerate(HEADERS, 1)))
    for n in range(start + 1, start + count + 1):
        cells = (f"Người {n}", f"{1 + n % 28:02d}/05/2001", "Nam" if n % 2 else "Nữ")
        yield row_xml(n, (text_cell(i, n, value) for i, value in enumerate(cells, 1)))


def bomb_rows(megabytes: int) -> Iterator[str]:
    """A header, then the same row again and again to about `megabytes` MB: one cell of
    32,000 letters (a run deflate stores in about a thousandth of its size). Rows and cells
    may leave out their numbers: each follows the one before."""
    row = '<row><c t="inlineStr"><is><t>' + "x" * 32_000 + "</t></is></c></row>"
    chunk = row * 32  # about 1 MB
    yield from honest_rows(0)
    for _ in range(megabytes):
        yield chunk
