"""The records behind a stored figure (drill-down): one page of them for the page, every one of
them for the CSV.

The ids come from ``read.figure_ids`` (sorted). A page queries only its own ids (an IN list of
at most ``page_size``), so the list of a figure of 80,000 records answers as fast as one of 50;
the CSV reads the ids in chunks of ``CSV_CHUNK`` and yields each line as it goes, so memory
stays flat whatever the size. Reads only; nothing commits.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlmodel import Session

from models.clock import today
from models.formula_guard import CsvWriter
from models.monitoring.drill_rows import READERS, Column, Row, columns_of
from models.queries.reference import PlaceNames, place_names

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
CSV_CHUNK = 1000
RECORD_KINDS = tuple(READERS)

Ids = np.ndarray[Any, np.dtype[np.int64]] | Sequence[int]


@dataclass(frozen=True, slots=True)
class RecordPage:
    """One page of the records behind a figure."""

    kind: str
    columns: tuple[Column, ...]
    rows: list[Row]
    total: int  # records behind the figure, all pages
    page: int
    pages: int
    page_size: int

    @property
    def first(self) -> int:
        """The position of the page's first row (1-based; 0 when there is none)."""
        return (self.page - 1) * self.page_size + 1 if self.rows else 0


def records_page(
    session: Session,
    record_kind: str,
    ids: Ids,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    *,
    window: int | None = None,
) -> RecordPage:
    """Page ``page`` (clamped to the pages there are) of the records ``ids`` of a kind:
    enrolment, spell, order or vacancy. ``window``: for an after-training figure, the
    months after graduation whose follow-up answer the enrolment rows show."""
    reader = _reader(record_kind)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    total = len(ids)
    pages = max(1, -(-total // page_size))
    page = max(1, min(page, pages))
    chosen = [int(each) for each in ids[(page - 1) * page_size : page * page_size]]
    rows = reader(session, chosen, _places(session), window) if chosen else []
    return RecordPage(
        record_kind, columns_of(record_kind, window=window), rows, total, page, pages, page_size
    )


def record_chunks(
    session: Session,
    record_kind: str,
    ids: Ids,
    *,
    window: int | None = None,
    chunk: int = CSV_CHUNK,
) -> Iterator[list[Row]]:
    """Every record of ``ids``, ``chunk`` ids per query, in id order."""
    reader = _reader(record_kind)
    places = _places(session)
    for start in range(0, len(ids), chunk):
        chosen = [int(each) for each in ids[start : start + chunk]]
        yield reader(session, chosen, places, window)


def csv_lines(
    session: Session,
    record_kind: str,
    ids: Ids,
    *,
    header: Callable[[Column], str],
    cell: Callable[[Column, Any], str | int | float],
    window: int | None = None,
    chunk: int = CSV_CHUNK,
) -> Iterator[str]:
    """The records as CSV text, the header line first then one piece per chunk of records.
    ``header`` and ``cell`` put a column's label and a value in the reader's language (a
    number stays a number; text is neutralised so that it can't run as a formula)."""
    columns = columns_of(record_kind, window=window)
    yield _line([header(column) for column in columns])
    for rows in record_chunks(session, record_kind, ids, window=window, chunk=chunk):
        buffer = io.StringIO()
        writer = CsvWriter(buffer)
        for row in rows:
            writer.writerow([cell(column, row.get(column.name)) for column in columns])
        yield buffer.getvalue()


def _line(cells: list[str]) -> str:
    buffer = io.StringIO()
    CsvWriter(buffer).writerow(cells)
    return buffer.getvalue()


def _reader(record_kind: str) -> Any:
    try:
        return READERS[record_kind]
    except KeyError:
        raise ValueError(f"no records of kind {record_kind!r}: one of {RECORD_KINDS}") from None


def _places(session: Session) -> PlaceNames:
    return place_names(session, on=today())
