"""The layout of a sheet (its columns) and the rows read from it, shared by reading and writing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from matching.text import search_key
from models.validation.rules import check_length

CellValue = str | int | float | bool | date | None
ColumnKind = Literal["text", "code", "date"]
_HINT = re.compile(r"\([^)]*\)|\*")


def header_key(text: object) -> str:
    """A header compared without its hint in parentheses, stars, diacritics or case:
    "Ngày sinh (dd/mm/yyyy)", "NGAY SINH" and "ngày sinh*" meet."""
    return search_key(_HINT.sub(" ", str(text or "")))


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key in the rows read, its Vietnamese header, other headers
    it is recognised by, and what the instructions sheet says about it."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    choices: tuple[str, ...] = ()  # values offered in a drop-down list
    open_choices: bool = False  # values outside the list are accepted too (codes, old names)
    list_name: str | None = None  # a list on the lists sheet (communes, ethnic groups)
    kind: ColumnKind = "text"  # "code" keeps leading zeros (written as text)
    width: float = 18
    max_length: int | None = None  # read from the model field the column fills

    def check_length(self, text: str) -> str:
        """The text if it fits the field the column fills; else InvalidError on the column."""
        return text if self.max_length is None else check_length(text, self.max_length, self.key)

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(alias) for alias in self.aliases)}


@dataclass(frozen=True)
class SheetRow:
    """A data row: its row number in the sheet (as Excel shows it) and its cells by key."""

    number: int
    values: dict[str, CellValue]


@dataclass(frozen=True)
class SheetTable:
    sheet: str
    header_row: int
    rows: list[SheetRow]


def column_list(columns: Sequence[Column]) -> str:
    """Headers joined for a message: "Họ và tên, Ngày sinh"."""
    return ", ".join(column.header for column in columns)
