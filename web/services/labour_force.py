"""Labour-force figures imported by officials with their source: the denominators of the trained
share (K4), the certified share (K5) and the labour structure (K6), which the platform cannot
count from its own users.

An import is all or nothing: every row is checked first and any problem refuses the whole
file, with a message per row. Importing again the same year and source replaces that source's
rows for that year, in the same transaction as the new rows are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, text
from sqlmodel import Session, col

from models import audit
from models.clock import utcnow
from models.csv_read import read_csv_table
from models.db import unit_of_work
from models.errors import InvalidError
from models.excel import SheetTable, read_table, template_workbook
from models.excel.columns import COMMUNE_LIST
from models.excel.read import FIELD, ZIP_MAGIC
from models.queries.admin_units import commune_index
from models.queries.course_rosters import reference_lists
from models.queries.labour_force import FigureSet, figure_sets
from models.tables import LabourForceFigure
from models.validation import ErrorCollector, require_text
from web.auth import Principal
from web.services.imports.export import Download
from web.services.labour_force_rows import COLUMNS, INTRO, SHEET_TITLE, RowProblem, check_rows

MAX_SOURCE = 200
MAX_FILE_ROWS = 5_000  # 45 communes a year: a file this long is a mistake
TEMPLATE_NAME = "mau-so-lieu-luc-luong-lao-dong.xlsx"
_LOCK_KEY = 5_070_101  # PostgreSQL advisory lock: one labour-force import at a time


class RowErrors(InvalidError):
    """Rows of the file have problems: nothing was saved."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            FIELD,
            "The file has errors in {count} rows: nothing was saved. Correct them and upload "
            "the whole file again.",
            count=len({problem.row for problem in problems}),
        )
        self.problems = problems


@dataclass(frozen=True)
class ImportOutcome:
    years: list[int]
    source: str
    rows: int
    replaced: int  # rows of the same years and source deleted


def figure_list(session: Session, *, principal: Principal) -> list[FigureSet]:
    return figure_sets(session)


def labour_force_template(session: Session, *, principal: Principal) -> Download:
    """The empty sheet, with the province's communes on the lists sheet."""
    communes = reference_lists(session)["communes"]
    content = template_workbook(
        COLUMNS, sheet_title=SHEET_TITLE, intro=INTRO, lists={COMMUNE_LIST: communes}
    )
    return Download(content, TEMPLATE_NAME)


def read_figure_file(filename: str, data: bytes) -> SheetTable:
    """An .xlsx workbook, or a CSV file (told by its name: the workbook reader explains what
    is wrong with anything else)."""
    if not data:
        raise InvalidError(FIELD, "Choose the file to upload.")
    if filename.lower().endswith(".csv") and not data.startswith(ZIP_MAGIC):
        return read_csv_table(data, COLUMNS, max_rows=MAX_FILE_ROWS)
    return read_table(data, COLUMNS, max_rows=MAX_FILE_ROWS)


def _source(raw: str) -> str:
    source = require_text(raw, "source")
    if len(source) > MAX_SOURCE:
        raise InvalidError("source", "At most {max} characters.", max=MAX_SOURCE)
    return source


def _one_import_at_a_time(session: Session) -> None:
    """Two imports of the same set at once must not both delete nothing and both insert. On
    SQLite the transaction already holds the write lock (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def import_figures(
    session: Session, *, principal: Principal, filename: str, data: bytes, source_raw: str
) -> ImportOutcome:
    """Check every row, then replace the figures of the file's years from this source."""
    errors = ErrorCollector()
    source = errors.check(_source, source_raw)
    table = errors.check(read_figure_file, filename, data)
    errors.raise_if_any()
    assert source is not None and table is not None
    figures, problems = check_rows(table.rows, commune_index(session))
    if problems:
        raise RowErrors(problems)
    years = sorted({figure.year for figure in figures})
    with unit_of_work(session):  # the file was read and checked before
        _one_import_at_a_time(session)
        deleted = session.execute(
            delete(LabourForceFigure).where(
                col(LabourForceFigure.year).in_(years), col(LabourForceFigure.source) == source
            )
        )
        now = utcnow()
        session.add_all(
            LabourForceFigure(
                year=figure.year,
                commune_code=figure.commune_code,
                labour_force=figure.labour_force,
                trained=figure.trained,
                trained_certified=figure.trained_certified,
                employed=figure.employed,
                employed_nlts=figure.employed_nlts,
                employed_cnxd=figure.employed_cnxd,
                employed_dv=figure.employed_dv,
                source=source,
                imported_at=now,
            )
            for figure in figures
        )
        replaced = cast(CursorResult[Any], deleted).rowcount or 0
        audit.record(
            session,
            user_id=principal.user.id,
            action="import",
            entity="labour_force_figure",
            years=years,
            source=source,
            rows=len(figures),
            replaced=replaced,
            filename=filename,
        )
    return ImportOutcome(years, source, len(figures), replaced)
