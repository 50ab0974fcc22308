"""The yearly report's building blocks: a table is data (an id, a title, column headers and rows
of cells) that the workbook, the CSV files and the printable page each lay out their own way.
Numbers stay numbers (a share is a fraction flagged as a percentage); text is either a name
from a register or a message id that is translated when shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from matching.kpi import TargetRecord

# Kinds of cell.
TEXT = "text"  # a name or a code, shown as it is
LABEL = "label"  # a message id, translated when shown
COUNT = "count"  # whole people or places: '#,##0'
SHARE = "share"  # a fraction shown as a percentage: '0.0%'
DECIMAL = "decimal"  # a number with one decimal (days)
MONEY = "money"  # whole đồng: '#,##0'
NUMBERS = frozenset({COUNT, SHARE, DECIMAL, MONEY})


def N_(msgid: str) -> str:
    """Marks a message id that is translated later (tests check it has a Vietnamese entry)."""
    return msgid


@dataclass(frozen=True, slots=True)
class Cell:
    value: str | int | float | None
    kind: str = TEXT

    @property
    def is_number(self) -> bool:
        return self.kind in NUMBERS

    @property
    def is_percent(self) -> bool:
        return self.kind == SHARE


def text(value: str) -> Cell:
    return Cell(value, TEXT)


def label(msgid: str) -> Cell:
    return Cell(msgid, LABEL)


def count(value: float | None) -> Cell:
    return Cell(None if value is None else round(value), COUNT)


def share(value: float | None) -> Cell:
    return Cell(None if value is None else float(value), SHARE)


def decimal(value: float | None) -> Cell:
    return Cell(None if value is None else float(value), DECIMAL)


def money(value: float | None) -> Cell:
    return Cell(None if value is None else round(value), MONEY)


def blank() -> Cell:
    return Cell(None, TEXT)


@dataclass(frozen=True, slots=True)
class Note:
    """A sentence under a table: a message id and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One table of the report (one sheet, one CSV file, one section of the printed page)."""

    id: str  # slug: the CSV file's name
    title: str  # msgid
    sheet: str  # msgid of the sheet name (31 characters at most once translated)
    columns: tuple[str, ...]  # msgids
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[Note, ...] = ()
    has_total: bool = False  # the last row is a total


@dataclass(frozen=True, slots=True)
class Report:
    """The yearly report: when its figures were computed, their sources, and its tables."""

    year: int
    as_of: date
    computed_at: datetime | None
    stale: bool
    sources: tuple[str, ...]  # sources of the imported labour-force figures
    targets: tuple[TargetRecord, ...]
    tables: tuple[ReportTable, ...]

    def table(self, table_id: str) -> ReportTable | None:
        return next((t for t in self.tables if t.id == table_id), None)
