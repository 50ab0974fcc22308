"""Marking the KPI snapshots stale whenever a write touches the rows the KPIs read: ORM flushes
and bulk statements alike, so no use case can forget it. Imported by ``models.db.make_engine``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, col

from models.jobs.queue import WAKE
from models.monitoring.refresh_jobs import enqueue_refreshes
from models.tables import (
    Course,
    EmploymentSpell,
    Enrolment,
    FollowUp,
    KpiSnapshot,
    LabourForceFigure,
    Person,
    TrainingOrder,
    Vacancy,
)

# Tables whose rows the KPIs read: a write to any of them makes every snapshot stale.
WATCHED = frozenset(
    table.__tablename__
    for table in (
        Course,
        EmploymentSpell,
        Enrolment,
        FollowUp,
        LabourForceFigure,
        Person,
        TrainingOrder,
        Vacancy,
    )
)


def mark_stale(session: Session) -> None:
    """Flag every snapshot as out of date and queue a refresh of each year that was current
    (inside the caller's transaction)."""
    years = session.execute(_MARK_STALE).scalars().all()
    enqueue_refreshes(session, years)


# The years whose snapshot this write made stale (a year already stale has its refresh queued).
_MARK_STALE = (
    update(KpiSnapshot)
    .where(col(KpiSnapshot.stale).is_(False))
    .values(stale=True)
    .returning(col(KpiSnapshot.year))
    .execution_options(synchronize_session=False)
)


def _touches_watched(session: Session) -> bool:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if getattr(instance, "__tablename__", None) in WATCHED:
            return True
    return False


@event.listens_for(Session, "before_flush")
def _stale_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _touches_watched(session):
        session.info["kpi_stale"] = True


@event.listens_for(Session, "do_orm_execute")
def _stale_on_statement(state: ORMExecuteState) -> None:
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) in WATCHED:
            state.session.info["kpi_stale"] = True


def _in_transaction(session: Session) -> bool:
    """SQLite marks inside the writer's transaction, which already holds the database's one
    write lock. PostgreSQL marks just after the commit, on a connection of its own: a writer
    then never holds the snapshot rows' locks while it waits for other rows (two writers that
    lock rows in opposite orders would deadlock). A refresh that starts in between reads the
    committed rows, so the worst case is one refresh too many, never figures left current."""
    return session.get_bind().dialect.name == "sqlite"


@event.listens_for(Session, "after_flush_postexec")
def _flag_after_flush(session: Session, _context: Any) -> None:
    if _in_transaction(session) and session.info.pop("kpi_stale", False):
        mark_stale(session)


@event.listens_for(Session, "before_commit")
def _flag_before_commit(session: Session) -> None:
    if _in_transaction(session) and session.info.pop("kpi_stale", False):
        mark_stale(session)


@event.listens_for(Session, "after_commit")
def _flag_after_commit(session: Session) -> None:
    if session.info.pop("kpi_stale", False):
        with session.get_bind().connect() as connection:  # type: ignore[union-attr]
            years = connection.execute(_MARK_STALE).scalars().all()
            enqueue_refreshes(connection, years)
            connection.commit()  # its own connection, after the writer's commit (see above)
        if years:
            WAKE.set()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("kpi_stale", None)
