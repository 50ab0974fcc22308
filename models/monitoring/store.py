"""Computing a year's figures and storing them (the KPI snapshot).

A refresh reads the year's rows in one read-only transaction, runs the KPI functions
(``figures.year_figures``) and stores the figures as a new generation in short transactions
(``generations``): readers see the old figures or the new ones, never a mix, and no page or
save waits for a refresh.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.clock import today
from models.monitoring import records as load
from models.monitoring.aggregates import aggregates_of
from models.monitoring.codec import decode_ids, encode_ids
from models.monitoring.figures import YearInput, year_figures
from models.monitoring.generations import (
    claim_generation,
    drop_old_generations,
    switch_generation,
    write_generation,
)
from models.monitoring.outcome_inputs import read_outcomes
from models.monitoring.supply_inputs import read_supply
from models.tables import LabourForceFigure

__all__ = ["RefreshReport", "decode_ids", "encode_ids", "read_year", "refresh_year"]


def read_year(session: Session, year: int, as_of: date) -> YearInput:
    """Every record the year's figures need, read in the caller's transaction."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    enrolments = load.enrolments_in(session, first, last)
    orders = load.orders_requested(session, first, last)
    order_enrolments = load.enrolments_of_orders(session, [o.id for o in orders])
    return YearInput(
        year=year,
        as_of=as_of,
        enrolments=enrolments,
        spells=load.spells_starting(session, first, last),
        graduate_spells=load.spells_of_graduates(session, first, last),
        follow_ups=load.follow_ups_of_graduates(session, first, last),
        orders=orders,
        order_enrolments=order_enrolments,
        order_spells=load.spells_of_people(session, [e.person_id for e in order_enrolments]),
        vacancies=load.vacancies_posted(session, first, last),
        labour_force=load.labour_force_of(session, year),
        labour_force_source=latest_source(session, year),
        aggregates=aggregates_of(session, first, last),
        # The public outcomes page reads the current year's snapshot only.
        outcomes=read_outcomes(session, as_of) if year == as_of.year else None,
        # So does the supply-and-demand page (its completion rates and available graduates).
        supply=read_supply(session, as_of) if year == as_of.year else None,
    )


def latest_source(session: Session, year: int) -> str | None:
    """The source of the year's most recently imported labour-force figures."""
    return session.execute(
        select(col(LabourForceFigure.source))
        .where(col(LabourForceFigure.year) == year)
        .order_by(col(LabourForceFigure.imported_at).desc(), col(LabourForceFigure.id).desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class RefreshReport:
    year: int
    figures: int
    records: int
    seconds: float


def refresh_year(engine: Engine, year: int, *, as_of: date | None = None) -> RefreshReport:
    """Recompute ``year`` and replace its stored figures, never holding a lock for long.

    The snapshot is marked current first; a write that lands while the figures are computed
    marks it stale again, so it is never left looking current with older figures. The rows are
    read in one read-only transaction that takes no write lock; the new figures are written
    as a new generation in short transactions (``generations``), shown to readers by one tiny
    switch, and the old generation is deleted after it."""
    as_of = as_of or today()
    started = time.perf_counter()
    claim = claim_generation(engine, year)
    with Session(reading_engine(engine)) as reader:
        data = read_year(reader, year, as_of)
    figures = list(year_figures(data))
    records = len(data.enrolments) + len(data.spells) + len(data.follow_ups) + len(data.vacancies)
    write_generation(engine, claim, figures)
    current = switch_generation(
        engine, claim, as_of=as_of, records=records, seconds=time.perf_counter() - started
    )
    drop_old_generations(engine, claim.snapshot_id, current)
    return RefreshReport(year, len(figures), records, time.perf_counter() - started)


def reading_engine(engine: Engine) -> Engine:
    """The engine for a long read: one consistent view of the database that takes no write
    lock (every read on SQLite is a deferred transaction; a read-only REPEATABLE READ
    transaction on PostgreSQL, which takes no row lock)."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
