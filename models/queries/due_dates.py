"""Follow-up due dates in SQL: a graduation date plus whole calendar months, computed the way
matching.kpi.dates.add_months does (31/1 + 1 month is the last day of February), on SQLite
and on PostgreSQL; and the latest graduation date whose follow-up is due by a given day, so
lists filter on the indexed graduation date instead of a computed one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from matching.kpi.dates import add_months


class months_later(FunctionElement[date]):
    """`day` plus `months` calendar months, clamped to the last day of a shorter month."""

    type = Date()
    inherit_cache = True
    name = "months_later"

    def __init__(self, day: Any, months: int) -> None:  # a date column or expression
        # The month count is part of the statement text (a literal), so cached statements
        # for different windows never mix.
        super().__init__(day, literal_column(str(int(months))))


def _parts(element: months_later, compiler: SQLCompiler, **kw: Any) -> tuple[str, int]:
    day, months = list(element.clauses)
    return compiler.process(day, **kw), int(compiler.process(months, **kw))


@compiles(months_later, "sqlite")
def _months_later_sqlite(element: months_later, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite rolls 30/11 + 3 months over into March; the last day of the target month caps it.
    day, months = _parts(element, compiler, **kw)
    return (
        f"min(date({day}, '+{months} months'), "
        f"date({day}, 'start of month', '+{months + 1} months', '-1 day'))"
    )


@compiles(months_later, "postgresql")
def _months_later_postgresql(element: months_later, compiler: SQLCompiler, **kw: Any) -> str:
    day, months = _parts(element, compiler, **kw)  # PostgreSQL clamps to the month's end
    return f"CAST(({day} + INTERVAL '{months} months') AS DATE)"


def last_graduation_due_by(day: date, months: int) -> date:
    """The latest graduation date whose follow-up `months` after falls due on or before
    `day` (add_months is monotonic, so every earlier graduation is due too)."""
    graduated = add_months(day, -months)
    while add_months(graduated + timedelta(days=1), months) <= day:
        graduated += timedelta(days=1)
    return graduated
