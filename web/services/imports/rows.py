"""What the trainee and result checks share: row issues (an error or a warning at a row and a
column, as a message id with its parameters), the rows as JSON, and cell-to-text helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.errors import AppError, InvalidError, ValidationErrors
from models.excel import CellValue, SheetRow
from models.formatting import format_date
from models.validation import FieldWarning, clean_text

ROW_WIDE = ""  # the column key of an issue about the whole row (course capacity)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowIssue:
    """An error (or a warning) at an Excel row and a column key, to be shown in the reader's
    language. Parameters are already text (dates dd/mm/yyyy), so they survive JSON."""

    row: int
    column: str
    msgid: str
    params: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> list[Any]:
        return [self.row, self.column, self.msgid, self.params]

    @classmethod
    def from_json(cls, value: list[Any]) -> RowIssue:
        row, column, msgid, params = value
        return cls(int(row), str(column), str(msgid), dict(params))


def _text_params(params: dict[str, Any]) -> dict[str, str]:
    return {
        name: format_date(value) if isinstance(value, date) else str(value)
        for name, value in params.items()
    }


def issue(row: int, column: str, msgid: str, /, **params: Any) -> RowIssue:
    return RowIssue(row, column, msgid, _text_params(params))


def issues_from(row: int, error: AppError) -> list[RowIssue]:
    """One issue per field error (a ValidationErrors holds several)."""
    errors = error.errors if isinstance(error, ValidationErrors) else [error]
    return [RowIssue(row, e.field or ROW_WIDE, e.msgid, _text_params(e.params)) for e in errors]


def warning_issue(row: int, warning: FieldWarning) -> RowIssue:
    return RowIssue(row, warning.field, warning.msgid, _text_params(warning.params))


@dataclass
class RowChecks:
    """Errors and warnings of a whole file, and a short note per valid row."""

    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # row -> new | existing | updated

    def add_error(self, row: int, error: AppError) -> None:
        self.errors.extend(issues_from(row, error))

    def rows_with_errors(self) -> set[int]:
        return {each.row for each in self.errors}

    def as_json(self) -> dict[str, Any]:
        return {
            "errors": [each.as_json() for each in self.errors],
            "warnings": [each.as_json() for each in self.warnings],
            "notes": {str(row): note for row, note in self.notes.items()},
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> RowChecks:
        return cls(
            errors=[RowIssue.from_json(each) for each in value.get("errors", [])],
            warnings=[RowIssue.from_json(each) for each in value.get("warnings", [])],
            notes={int(row): note for row, note in value.get("notes", {}).items()},
        )


def rows_to_json(rows: Iterable[SheetRow]) -> list[list[Any]]:
    """Rows as [number, {key: value}]; dates become ISO text, which the date parser reads
    back to the same date."""
    return [
        [row.number, {key: _json_cell(value) for key, value in row.values.items()}] for row in rows
    ]


def _json_cell(value: CellValue) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def rows_from_json(value: list[list[Any]]) -> list[SheetRow]:
    return [SheetRow(int(number), dict(values)) for number, values in value]


def cell_text(value: CellValue) -> str:
    """A cell as text for a validator: 912345678 -> "912345678", blank -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


def citizen_id_text(value: CellValue) -> str:
    """An ID number typed into a number cell lost its leading zero (every province code of
    birth registration starts with 0): give it back."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == 11:
        return str(value).zfill(12)
    return cell_text(value)


def display_cell(value: Any) -> str:
    """A stored cell as the preview shows it: ISO dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def required(value: CellValue, field_name: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidError(field_name, "This field is required.")
