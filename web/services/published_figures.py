"""Figures the province published before the platform kept the records (its yearly reports:
people trained, new jobs, the trained share…), imported per year with their source so the
review over the years can show them, marked as published.

The sheet has one row per year and indicator: the year, the indicator (its Vietnamese name or
its code), the value (people, or a share in percent as printed: 52,3) and the source. An import
is all or nothing: every row is checked first and any problem refuses the whole file, with a
message per row. A figure already stored for the same year and indicator is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sqlalchemy import delete, text, tuple_
from sqlmodel import Session, col

from matching.text import search_key
from models import audit
from models.clock import utcnow
from models.csv_read import read_csv_table
from models.db import unit_of_work
from models.errors import InvalidError
from models.excel import CellValue, Column, SheetRow, SheetTable, read_table, template_workbook
from models.excel.read import FIELD, ZIP_MAGIC
from models.i18n import translate
from models.monitoring.review import FIRST_YEAR, PUBLISHABLE, SHARE_INDICATORS, published_list
from models.tables import PublishedFigure
from models.years import check_year
from web.auth import Principal
from web.services.imports.export import Download
from web.services.imports.rows import cell_text
from web.services.labour_force import RowErrors
from web.services.labour_force_rows import RowProblem, whole_number

MAX_SOURCE = 200
MAX_FILE_ROWS = 1_000
TEMPLATE_NAME = "mau-so-lieu-da-cong-bo.xlsx"
SHEET_TITLE = "Số liệu đã công bố"
_LOCK_KEY = 5_070_102  # PostgreSQL advisory lock: one import of published figures at a time
_DECIMAL = re.compile(r"\d+([.,]\d+)?")
T = TypeVar("T")

COLUMNS = (
    Column("year", "Năm", required=True, aliases=("Year",), note="Năm của số liệu, ví dụ 2022.",
           width=8),
    Column("indicator", "Chỉ tiêu", required=True, aliases=("Indicator",),
           choices=tuple(translate(spec.label, "vi") for spec in PUBLISHABLE.values()),
           open_choices=True, note="Tên chỉ tiêu trong danh sách.", width=48),
    Column("value", "Giá trị", required=True, aliases=("Value",),
           note="Số người (số nguyên), hoặc tỷ lệ phần trăm như đã công bố, ví dụ 52,3.",
           width=14),
    Column("source", "Nguồn", required=True, aliases=("Source",),
           note="Văn bản đã công bố số liệu, ví dụ: Báo cáo số 123/BC-UBND ngày 15/12/2022.",
           width=48, max_length=MAX_SOURCE),
)  # fmt: skip
HEADERS = {column.key: column.header for column in COLUMNS}
INTRO = (
    "Số liệu toàn tỉnh đã công bố trong các năm trước khi có nền tảng, mỗi dòng một năm và "
    "một chỉ tiêu, kèm nguồn.",
    "Nhập lại cùng năm và cùng chỉ tiêu sẽ thay thế số liệu cũ.",
)


@dataclass(frozen=True)
class PublishedRow:
    number: int
    year: int
    indicator: str
    value: float
    source: str


@dataclass(frozen=True)
class ImportOutcome:
    rows: int
    replaced: int


def _indicator_index() -> dict[str, str]:
    """Search key of every name and code a row may give -> the indicator."""
    index: dict[str, str] = {}
    for indicator, spec in PUBLISHABLE.items():
        for name in (indicator, spec.label, translate(spec.label, "vi")):
            index[search_key(name)] = indicator
    return index


def _share(value: CellValue) -> float:
    """A percentage between 0 and 100: 52.3, 52,3 or 52,3 %."""
    if isinstance(value, bool):
        raise InvalidError("value", "Write a percentage between 0 and 100, such as 52,3.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        written = cell_text(value).removesuffix("%").strip()
        if not _DECIMAL.fullmatch(written):
            raise InvalidError("value", "Write a percentage between 0 and 100, such as 52,3.")
        number = float(written.replace(",", "."))
    if not 0 <= number <= 100:
        raise InvalidError("value", "Write a percentage between 0 and 100, such as 52,3.")
    return number


def check_row(row: SheetRow, last_year: int) -> PublishedRow | list[RowProblem]:
    """The row's figure, or every problem found in it."""
    problems: list[RowProblem] = []

    def attempt(reader: Callable[[CellValue], T], key: str) -> T | None:
        try:
            return reader(row.values.get(key))
        except InvalidError as error:
            problems.append(RowProblem(row.number, HEADERS.get(error.field or ""), error))
            return None

    year = attempt(partial(_year, last_year=last_year), "year")
    indicator = attempt(_indicator, "indicator")
    value = None
    if indicator is not None:
        value = attempt(_share if indicator in SHARE_INDICATORS else _count, "value")
    source = attempt(_source, "source")
    if problems or year is None or indicator is None or value is None or source is None:
        return problems
    return PublishedRow(row.number, year, indicator, value, source)


def _year(value: CellValue, last_year: int) -> int:
    return check_year(whole_number(value, "year"), first=FIRST_YEAR, last=last_year)


def _count(value: CellValue) -> float:
    return float(whole_number(value, "value"))


def _indicator(value: CellValue) -> str:
    written = cell_text(value)
    if not written:
        raise InvalidError("indicator", "This field is required.")
    found = _indicator_index().get(search_key(written))
    if found is None:
        raise InvalidError("indicator", "Choose an indicator from the list.")
    return found


def _source(value: CellValue) -> str:
    written = cell_text(value)
    if not written:
        raise InvalidError("source", "This field is required.")
    if len(written) > MAX_SOURCE:
        raise InvalidError("source", "At most {max} characters.", max=MAX_SOURCE)
    return written


def check_rows(rows: list[SheetRow], last_year: int) -> tuple[list[PublishedRow], list[RowProblem]]:
    """Every row checked; a year and indicator given twice is refused on its second row."""
    checked: list[PublishedRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        result = check_row(row, last_year)
        if isinstance(result, list):
            problems += result
            continue
        key = (result.year, result.indicator)
        if key in seen:
            error = InvalidError(
                "indicator", "This indicator is already given for this year on row {first}.",
                first=seen[key],
            )  # fmt: skip
            problems.append(RowProblem(row.number, HEADERS["indicator"], error))
            continue
        seen[key] = row.number
        checked.append(result)
    return checked, problems


def figure_list(session: Session, *, principal: Principal) -> list[PublishedFigure]:
    return published_list(session)


def published_template(*, principal: Principal) -> Download:
    content = template_workbook(COLUMNS, sheet_title=SHEET_TITLE, intro=INTRO)
    return Download(content, TEMPLATE_NAME)


def read_file(filename: str, data: bytes) -> SheetTable:
    if not data:
        raise InvalidError(FIELD, "Choose the file to upload.")
    if filename.lower().endswith(".csv") and not data.startswith(ZIP_MAGIC):
        return read_csv_table(data, COLUMNS, max_rows=MAX_FILE_ROWS)
    return read_table(data, COLUMNS, max_rows=MAX_FILE_ROWS)


def import_published(
    session: Session, *, principal: Principal, filename: str, data: bytes, last_year: int
) -> ImportOutcome:
    """Check every row, then store the figures, replacing those of the same year and
    indicator."""
    table = read_file(filename, data)
    figures, problems = check_rows(table.rows, last_year)
    if problems:
        raise RowErrors(problems)
    keys = [(figure.year, figure.indicator) for figure in figures]
    with unit_of_work(session):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        deleted = session.execute(
            delete(PublishedFigure).where(
                tuple_(col(PublishedFigure.year), col(PublishedFigure.indicator)).in_(keys)
            )
        )
        now = utcnow()
        session.add_all(
            PublishedFigure(
                year=f.year, indicator=f.indicator, value=f.value, source=f.source,
                imported_at=now,
            )
            for f in figures
        )  # fmt: skip
        replaced = getattr(deleted, "rowcount", 0) or 0
        audit.record(
            session,
            user_id=principal.user.id,
            action="import",
            entity="published_figure",
            years=sorted({f.year for f in figures}),
            rows=len(figures),
            replaced=replaced,
            filename=filename,
        )
    return ImportOutcome(len(figures), replaced)


def indicator_labels(lang: str) -> dict[str, str]:
    """Each publishable indicator's name in the reader's language."""
    return {indicator: translate(spec.label, lang) for indicator, spec in PUBLISHABLE.items()}
