"""Writing and reading an exchange file: a zip archive holding `manifest.json` and one data
file, `data.csv` (UTF-8 without a byte-order mark, comma-separated, RFC 4180 quoting, CRLF line
ends, a header row of the layout's column names, then one line per record).

The manifest names the format and the layout version, counts the rows and gives the data
file's SHA-256, so a receiver knows the file is whole before reading a row. It is the
archive's last member: the archive is written while it is sent (models/zip_stream), and the
count and the hash are known only once the data file is written. The data file is
written exactly (formula_guard.ExactCsvWriter): a program reads it, not a spreadsheet user,
and the manifest says so. Reading checks the manifest first, then the header; every problem
is an InvalidError on the field "file", in the reader's language.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.errors import InvalidError
from models.exchange.layouts import LAYOUTS, Layout
from models.formula_guard import MACHINE_FILE_NOTICE, ExactCsvWriter
from models.zip_stream import zip_chunks

FORMAT = "dienbien-jobs-exchange"
PLATFORM = "dienbien-jobs"
MANIFEST = "manifest.json"
DATA_FILE = "data.csv"
FIELD = "file"
MAX_FILE_BYTES = 64 * 1024 * 1024  # a data file of 100,000 graduates takes about 30 MB
MAX_ROWS = 100_000
FIRST_ROW = 2  # the data file's line 1 is its header: rows are numbered as lines
CHUNK_ROWS = 500  # rows of data.csv per piece of the archive as it is written

NOT_EXCHANGE = (
    "This is not an exchange file: it must be a zip archive holding manifest.json and data.csv."
)
BAD_MANIFEST = "The manifest of this exchange file cannot be read: it is not a JSON object."
OTHER_FORMAT = "This file is not an exchange file of this platform (format “{format}”)."
UNKNOWN_LAYOUT = "Unknown layout version “{layout}”: this platform reads {known}."
WRONG_KIND = "This file holds the layout {layout}; a file of {expected} is expected here."
WRONG_COUNT = (
    "The file holds {actual} rows but its manifest says {stated}: it is incomplete or was changed."
)
WRONG_HASH = "The data file does not match the SHA-256 of its manifest: it was changed or damaged."
WRONG_COLUMNS = (
    "The columns of the data file are not those of the layout {layout}: expected {expected}."
)
NOT_UTF8 = "The data file is not UTF-8 text."
NOT_CSV = "The data file cannot be read as CSV at line {line}: a cell is too long or badly quoted."
WRONG_WIDTH = "Row {row} has {count} cells; the layout has {expected}."
TOO_BIG = "The file is too big: at most {limit} MB."
TOO_MANY_ROWS = "The file has more than {limit} rows: split it."


def cell(value: Any) -> str:
    """A value as the data file writes it: ISO dates, `true`/`false`, integers, text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class _DataFile:
    """data.csv written in pieces (a piece every `chunk_rows` rows), counting its rows and
    hashing its bytes as they go: the manifest, written after it, states both."""

    def __init__(self, layout: Layout, rows: Iterable[Mapping[str, Any]], chunk_rows: int) -> None:
        self.layout, self.rows, self.chunk_rows = layout, rows, chunk_rows
        self.count = 0
        self.digest = hashlib.sha256()

    def pieces(self) -> Iterator[bytes]:
        text = io.StringIO()
        writer = ExactCsvWriter(text)
        writer.writerow(self.layout.headers)
        yield self._drain(text)
        for row in self.rows:
            writer.writerow(cell(row.get(name)) for name in self.layout.headers)
            self.count += 1
            if self.count % self.chunk_rows == 0:
                yield self._drain(text)
        if text.tell():
            yield self._drain(text)

    def _drain(self, text: io.StringIO) -> bytes:
        piece = text.getvalue().encode("utf-8")
        text.seek(0)
        text.truncate()
        self.digest.update(piece)
        return piece


def archive_pieces(
    layout: Layout,
    rows: Iterable[Mapping[str, Any]],
    *,
    generated_at: datetime,
    personal_data: Sequence[str],
    extra: Mapping[str, Any] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[bytes]:
    """The zip archive of one layout's rows (each a mapping by column name), in pieces as it
    is written: data.csv first, read from `rows` as the archive is taken, then the manifest,
    whose row count and SHA-256 are known only then (a reader looks members up by name).
    Memory holds a piece, never the archive."""
    data = _DataFile(layout, rows, chunk_rows)

    def manifest() -> Iterator[bytes]:  # run once data.csv is written
        stated = {
            "format": FORMAT,
            "layout": layout.name,
            "data_file": DATA_FILE,
            "encoding": "utf-8",
            "rows": data.count,
            "sha256": data.digest.hexdigest(),
            "generated_at": generated_at.isoformat(),
            "source": {"platform": PLATFORM},
            "columns": layout.headers,
            "personal_data": list(personal_data),
            "formula_guard": MACHINE_FILE_NOTICE,
            **(extra or {}),
        }
        yield (json.dumps(stated, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    return zip_chunks([(DATA_FILE, data.pieces()), (MANIFEST, manifest())])


def build(
    layout: Layout,
    rows: Iterable[Mapping[str, Any]],
    *,
    generated_at: datetime,
    personal_data: Sequence[str],
    extra: Mapping[str, Any] | None = None,
) -> bytes:
    """The whole archive of :func:`archive_pieces` at once (small files: tests, fixtures)."""
    return b"".join(
        archive_pieces(
            layout, rows, generated_at=generated_at, personal_data=personal_data, extra=extra
        )
    )


@dataclass(frozen=True)
class ExchangeFile:
    """A checked exchange file: its manifest, layout and rows (line number, cells by name)."""

    manifest: dict[str, Any]
    layout: Layout
    rows: list[tuple[int, dict[str, str]]]
    sha256: str  # of the whole archive, as the import's audit entry records it


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise InvalidError(FIELD, NOT_EXCHANGE) from None
    if info.file_size > MAX_FILE_BYTES:
        raise InvalidError(FIELD, TOO_BIG, limit=MAX_FILE_BYTES // (1024 * 1024))
    return archive.read(info)


def _open(data: bytes) -> tuple[dict[str, Any], bytes]:
    if len(data) > MAX_FILE_BYTES:
        raise InvalidError(FIELD, TOO_BIG, limit=MAX_FILE_BYTES // (1024 * 1024))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw_manifest = _member(archive, MANIFEST)
            content = _member(archive, DATA_FILE)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidError(FIELD, NOT_EXCHANGE) from None
    try:
        manifest = json.loads(raw_manifest.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidError(FIELD, BAD_MANIFEST) from None
    if not isinstance(manifest, dict):
        raise InvalidError(FIELD, BAD_MANIFEST)
    return manifest, content


def _layout(manifest: Mapping[str, Any], kind: str | None) -> Layout:
    if manifest.get("format") != FORMAT:
        raise InvalidError(FIELD, OTHER_FORMAT, format=str(manifest.get("format", "")))
    name = str(manifest.get("layout", ""))
    layout = LAYOUTS.get(name)
    if layout is None:
        raise InvalidError(FIELD, UNKNOWN_LAYOUT, layout=name, known=", ".join(LAYOUTS))
    if kind is not None and layout.kind != kind:
        raise InvalidError(FIELD, WRONG_KIND, layout=name, expected=kind)
    return layout


def _stated_rows(manifest: Mapping[str, Any]) -> int:
    stated = manifest.get("rows")
    if not isinstance(stated, int) or isinstance(stated, bool) or stated < 0:
        raise InvalidError(FIELD, BAD_MANIFEST)
    return stated


def read(data: bytes, *, kind: str | None = None) -> ExchangeFile:
    """Check the manifest (format, a known layout of `kind`, the SHA-256 and the row count),
    then the header, and give the rows; anything wrong is an InvalidError on "file"."""
    manifest, content = _open(data)
    layout = _layout(manifest, kind)
    stated = _stated_rows(manifest)
    if hashlib.sha256(content).hexdigest() != str(manifest.get("sha256", "")).lower():
        raise InvalidError(FIELD, WRONG_HASH)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidError(FIELD, NOT_UTF8) from None
    lines = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = _rows(lines, layout)
    except csv.Error:  # a cell longer than the csv module's field limit
        raise InvalidError(FIELD, NOT_CSV, line=lines.line_num) from None
    if len(rows) != stated:
        raise InvalidError(FIELD, WRONG_COUNT, actual=len(rows), stated=stated)
    return ExchangeFile(manifest, layout, rows, hashlib.sha256(data).hexdigest())


def _rows(lines: Iterator[list[str]], layout: Layout) -> list[tuple[int, dict[str, str]]]:
    """The records after a header that must be the layout's, each with its line number."""
    header = next(lines, [])
    if header != layout.headers:
        raise InvalidError(
            FIELD, WRONG_COLUMNS, layout=layout.name, expected=", ".join(layout.headers)
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(lines, FIRST_ROW):
        if len(rows) >= MAX_ROWS:
            raise InvalidError(FIELD, TOO_MANY_ROWS, limit=MAX_ROWS)
        if len(cells) != len(layout.headers):
            raise InvalidError(
                FIELD, WRONG_WIDTH, row=number, count=len(cells), expected=len(layout.headers)
            )
        rows.append((number, dict(zip(layout.headers, cells, strict=True))))
    return rows
