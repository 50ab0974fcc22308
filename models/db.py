"""Engine and session construction for SQLite (default) and PostgreSQL, and the unit of work:
one transaction per use case.

Reads live in query functions that never commit; a read runs in a plain (deferred) transaction
that takes no write lock. Writes live in service functions inside ``with unit_of_work(session):``,
which begins a writing transaction (``BEGIN IMMEDIATE`` on SQLite, so two writers queue for the
lock instead of failing), commits on success and rolls back on any exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from models.writer_queue import WriterQueue


def normalise_url(url: str) -> str:
    """Let users write postgresql://… and get the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@dataclass(frozen=True)
class DatabaseLimits:
    """How many connections an engine keeps and how long a caller waits for one, or for a
    lock (SQLite's busy timeout, PostgreSQL's lock_timeout), before giving up with an error
    that `is_busy_error` recognises. The web app sizes them from its settings; commands and
    tests keep these patient defaults."""

    pool_size: int = 5
    max_overflow: int = 10
    wait_seconds: float = 30.0


def make_engine(url: str, *, echo: bool = False, limits: DatabaseLimits | None = None) -> Engine:
    """Build an engine. SQLite gets WAL, foreign keys, a busy timeout, BEGIN DEFERRED for reads
    and BEGIN IMMEDIATE for a unit of work, so that a conditional UPDATE that claims a vacancy
    place is serialised between writers while readers never wait for them.

    Query parameters never reach a log or an error message (`hide_parameters`): they carry
    personal data (names, birth dates, and the values sealed or hashed at rest)."""
    import models.monitoring.watch  # noqa: F401  (registers the KPI staleness listeners)

    limits = limits or DatabaseLimits()
    pool = {
        "pool_size": limits.pool_size,
        "max_overflow": limits.max_overflow,
        "pool_timeout": limits.wait_seconds,
    }
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # an in-memory database keeps SQLAlchemy's single-connection pool
        connect = {"check_same_thread": False, "timeout": limits.wait_seconds}
        engine = create_engine(url, echo=echo, hide_parameters=True, connect_args=connect, **pool)
        _configure_sqlite(engine, limits)
        _WRITERS[engine] = WriterQueue(limits.wait_seconds)
        return engine
    # A statement waiting for a row lock gives up after the same time (SQLSTATE 55P03).
    options = {"options": f"-c lock_timeout={round(limits.wait_seconds * 1000)}"}
    return create_engine(
        url, echo=echo, pool_pre_ping=True, hide_parameters=True, connect_args=options, **pool
    )


# PostgreSQL's ways of saying "too busy now, try again": lock_not_available (lock_timeout),
# serialization_failure, deadlock_detected, too_many_connections.
_BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01", "53300"})
# SQLite's: the busy timeout passed while another connection held the lock.
_BUSY_SQLITE = ("database is locked", "database table is locked", "database is busy")


def is_busy_error(error: BaseException) -> bool:
    """True when the database could not serve the request in time because of load (no free
    connection, a lock held too long), not because of a fault: worth trying again later."""
    if isinstance(error, exc.TimeoutError):  # no connection free in the pool in time
        return True
    if not isinstance(error, exc.DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return isinstance(error, exc.OperationalError) and str(original).startswith(_BUSY_SQLITE)


def _configure_sqlite(engine: Engine, limits: DatabaseLimits) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={round(limits.wait_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Reads begin deferred: a consistent view that takes no write lock. Only a unit of work
        # asks for the write lock up front; a deferred transaction that later writes would be
        # refused with SQLITE_BUSY (without waiting) if another writer committed in between.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN DEFERRED")


# The execution option a unit of work begins its connection with (SQLite: BEGIN IMMEDIATE).
WRITE_OPTION = "sqlite_immediate"
# Units of work on a SQLite engine queue in arrival order for its write lock.
_WRITERS: WeakKeyDictionary[Engine, WriterQueue] = WeakKeyDictionary()
_UNIT_OF_WORK = "unit_of_work"  # key in Session.info while a unit of work is open
_CONNECTED = "in_database_transaction"  # key in Session.info while a transaction is open


# A session "begins" when an object is added, before it talks to the database; what matters
# here is whether the database has a transaction open for it.
@event.listens_for(Session, "after_begin")
def _on_session_begin(session: Session, _transaction: Any, _connection: Any) -> None:
    session.info[_CONNECTED] = True


@event.listens_for(Session, "after_transaction_end")
def _on_session_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTED, None)


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """One writing transaction for one use case: commit on success, roll back on any exception
    (and re-raise it).

    A read transaction the session still has open (the request's sign-in lookup, the reads
    before a slow step) is ended first, so the write transaction begins fresh with the write
    lock; objects already loaded stay loaded. Changes made before the unit of work with such a
    read open would have to upgrade it to a write, so they are refused. Inside another unit of
    work on the same session it joins the outer one: the outer one commits or rolls back."""
    if session.info.get(_UNIT_OF_WORK):
        yield session
        return
    end_read(session)
    writers = _WRITERS.get(session.get_bind())  # type: ignore[arg-type]
    if writers is not None:
        writers.acquire()  # SQLite: the writers of this process take turns, first come first
    session.info[_UNIT_OF_WORK] = True
    try:
        session.connection(execution_options={WRITE_OPTION: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_UNIT_OF_WORK, None)
        if writers is not None:
            writers.release()


def in_unit_of_work(session: Session) -> bool:
    """Whether a unit of work is open on the session (what is added now lands with it)."""
    return bool(session.info.get(_UNIT_OF_WORK))


def end_read(session: Session) -> None:
    """End the session's read transaction, if one is open, keeping the objects it loaded (a
    rollback would expire them). Call it before waiting for anything slow; inside a unit of
    work it does nothing."""
    if session.info.get(_UNIT_OF_WORK) or not session.info.get(_CONNECTED):
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("changes were made outside a unit of work")
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()  # nothing to write: ends the read and returns the connection
    finally:
        session.expire_on_commit = keep


def end_transaction(session: Session) -> None:
    """End whatever transaction the session has open outside a unit of work: a read is ended
    keeping what it loaded; changes never made inside a unit of work are discarded."""
    if session.info.get(_UNIT_OF_WORK) or not session.info.get(_CONNECTED):
        return
    if session.new or session.dirty or session.deleted:
        session.rollback()
    else:
        end_read(session)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for one use case (writes inside ``unit_of_work``); anything unfinished is
    rolled back when it closes."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def refresh_planner_statistics(engine: Engine) -> None:
    """Bring PostgreSQL's planner statistics up to date after a bulk load (the demo's
    generator, a large import), instead of leaving the first hours of pages to autovacuum:
    without them the planner guessed 2 courses where an institution had 246 and chose a plan
    that turned a 1 ms trainee list into 180 ms. SQLite needs none (its plans are fixed by
    the queries' shape)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
