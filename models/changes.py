"""Which tables this process has written to: a count per table, raised when a transaction
that wrote to it commits. Whatever keeps something derived from those tables for a moment
(the visitors' job board) compares the count to know it is out of date. Writes of other
processes are not seen: such a copy also expires after a few seconds."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

_TOUCHED = "tables_written"  # key in Session.info: names of the tables this transaction wrote
_counts: Counter[str] = Counter()
_lock = threading.Lock()


def writes_to(tables: Iterable[str]) -> int:
    """How many committed transactions of this process wrote to any of `tables` (a number
    that only grows)."""
    with _lock:
        return sum(_counts[name] for name in tables)


def _touched(session: OrmSession) -> set[str]:
    names: set[str] = session.info.setdefault(_TOUCHED, set())
    return names


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        name = getattr(instance, "__tablename__", None)
        if name:
            _touched(session).add(name)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        name = getattr(getattr(state.statement, "table", None), "name", None)
        if name:
            _touched(state.session).add(name)


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    names = session.info.pop(_TOUCHED, None)
    if names:
        with _lock:
            _counts.update(names)


@event.listens_for(Session, "after_rollback")
def _on_rollback(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
