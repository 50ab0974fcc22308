"""A KPI refresh never freezes a page: it reads in one read-only transaction that takes no write
lock, writes the new figures in short transactions beside the old ones, and switches to them in
one tiny transaction. A save made while it runs gets the lock within a second, and readers see
the old figures or the new ones, never a mix. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.db import unit_of_work
from models.monitoring import generations, store
from models.monitoring import records as load
from models.monitoring.read import figure_table, snapshot_info
from models.tables import Enrolment
from tests import factories
from tests.models.test_monitoring import AS_OF, _world

BATCH = 25  # rows per write transaction in these tests, so a small world takes many
WAIT = 30.0  # seconds a test waits for the refresh thread to reach a step (never reached)


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generations, "BATCH_ROWS", BATCH)
    monkeypatch.setattr(generations, "SQLITE_PAUSE", 0.0)


@dataclass
class Transaction:
    """What one database transaction did, as the engine's events saw it."""

    options: dict[str, Any]
    statements: list[str] = field(default_factory=list)
    rows_written: int = 0
    seconds: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    @property
    def writes(self) -> bool:
        return any(_is_write(s) for s in self.statements)


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}


def _record_transactions(engine: Engine) -> list[Transaction]:
    """Every transaction on ``engine`` from now on, filled in as it runs and ends."""
    done: list[Transaction] = []
    open_: dict[int, Transaction] = {}

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        open_.setdefault(id(conn), Transaction(dict(conn.get_execution_options())))

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("BEGIN"):  # SQLite: models.db begins in its own listener
            open_[id(conn)] = Transaction(dict(conn.get_execution_options()))
        if id(conn) in open_:
            open_[id(conn)].statements.append(statement)

    @event.listens_for(engine, "after_cursor_execute")
    def _rows(conn: Any, cursor: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if id(conn) in open_ and _is_write(statement):
            # executemany gives a list of parameter sets; one row's parameters are scalars
            listed = (
                many and isinstance(params, list) and isinstance(params[0], tuple | list | dict)
            )
            sets = len(params) if listed else 1
            open_[id(conn)].rows_written += max(cursor.rowcount, sets)

    def _end(conn: Any) -> None:
        transaction = open_.pop(id(conn), None)
        if transaction is not None:
            transaction.seconds = time.perf_counter() - transaction.started
            done.append(transaction)

    event.listen(engine, "commit", _end)
    event.listen(engine, "rollback", _end)
    return done


def _table(engine: Engine) -> dict[tuple[str, str, str, str], tuple[Any, ...]]:
    """The year's figures as a reader sees them now (one statement, like the pages)."""
    with Session(engine) as session:
        return {
            (f.kpi, f.measure, f.dimension, f.group_key): (f.value, f.numerator, f.denominator)
            for f in figure_table(session, 2025)
        }


def _add_trainee(engine: Engine) -> None:
    with Session(engine) as session:
        newcomer = factories.person(session, full_name="Cà Văn Tú", citizen_id="011201000009")
        course = factories.course(session, code="HAN", start_date=date(2025, 5, 1))
        factories.enrolment(
            session, person_id=newcomer.id, course_id=course.id, enrolled_on=date(2025, 5, 1)
        )
        session.commit()


def _timed_save(engine: Engine) -> float:
    """How long a save that touches the KPIs' rows takes (it waits for the write lock on SQLite
    and, on PostgreSQL, marks the snapshot stale just after its commit)."""
    started = time.perf_counter()
    with Session(engine) as session, unit_of_work(session):
        session.execute(
            update(Enrolment).where(col(Enrolment.status) == "bo_hoc").values(status="bo_hoc")
        )
    return time.perf_counter() - started


class Pause:
    """Stops the refresh thread at one step until the test lets it go on."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.go_on = threading.Event()

    def __call__(self) -> None:
        if not self.reached.is_set():
            self.reached.set()
            assert self.go_on.wait(WAIT)

    def wait_for_it(self) -> None:
        assert self.reached.wait(WAIT), "the refresh never reached the pause"


def _paused_after(function: Callable[..., Any], pause: Pause) -> Callable[..., Any]:
    def paused(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        pause()
        return result

    return paused


def _refresh_in_thread(engine: Engine) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            store.refresh_year(engine, 2025, as_of=AS_OF)
        except BaseException as error:  # re-raised by the test
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _finish(thread: threading.Thread, errors: list[BaseException], pause: Pause) -> None:
    pause.go_on.set()
    thread.join(WAIT)
    assert not thread.is_alive()
    if errors:
        raise errors[0]


def test_the_refresh_reads_in_one_read_only_transaction_and_writes_in_short_ones(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        _world(session)
    store.refresh_year(engine, 2025, as_of=AS_OF)
    _add_trainee(engine)
    transactions = _record_transactions(engine)
    report = store.refresh_year(engine, 2025, as_of=AS_OF)

    reads = [t for t in transactions if any("FROM enrolment" in s for s in t.statements)]
    assert len(reads) == 1, "the rows are read in one consistent transaction"
    (read,) = reads
    assert not read.writes
    if engine.dialect.name == "sqlite":
        assert read.statements[0] == "BEGIN DEFERRED"  # takes no write lock
    else:
        assert read.options["isolation_level"] == "REPEATABLE READ"
        assert read.options["postgresql_readonly"] is True
    writes = [t for t in transactions if t.writes]
    # The replacement is split: the new generation in batches, a switch, the old one deleted.
    assert len(writes) >= 2 * report.figures // BATCH
    assert max(t.rows_written for t in writes) <= BATCH
    assert max(t.seconds for t in writes) < 1.0
    assert all(not any("FROM enrolment" in s for s in t.statements) for t in writes)


def test_a_save_gets_the_lock_within_a_second_while_the_refresh_reads(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        _world(session)
    store.refresh_year(engine, 2025, as_of=AS_OF)
    pause = Pause()
    monkeypatch.setattr(load, "spells_starting", _paused_after(load.spells_starting, pause))
    thread, errors = _refresh_in_thread(engine)
    try:
        pause.wait_for_it()  # the refresh's read transaction is open, half-way through
        assert _timed_save(engine) < 1.0
    finally:
        _finish(thread, errors, pause)
    with Session(engine) as session:
        info = snapshot_info(session, 2025)
    # The save landed while the refresh was reading: the new figures may miss it, so they
    # are not marked current.
    assert info is not None and info.stale


def test_readers_see_the_old_figures_or_the_new_never_a_mix(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        _world(session)
    store.refresh_year(engine, 2025, as_of=AS_OF)
    old = _table(engine)
    _add_trainee(engine)

    half_written, switched = Pause(), Pause()
    batches = generations._batches

    def batches_pausing_after_the_first(*args: Any) -> Any:
        for number, batch in enumerate(batches(*args)):
            yield batch
            if number == 0 and isinstance(args[1][0], dict):  # the values, not the keys
                half_written()

    monkeypatch.setattr(generations, "_batches", batches_pausing_after_the_first)
    monkeypatch.setattr(
        store, "switch_generation", _paused_after(store.switch_generation, switched)
    )
    thread, errors = _refresh_in_thread(engine)
    try:
        half_written.wait_for_it()  # one batch of the new figures is stored
        assert _table(engine) == old
        assert _timed_save(engine) < 1.0
        half_written.go_on.set()
        switched.wait_for_it()  # the new generation is current, the old not yet deleted
        new = _table(engine)
    finally:
        half_written.go_on.set()
        _finish(thread, errors, switched)
    assert new == _table(engine) != old
    trained = ("trained", "trained", "", "")
    assert (old[trained][0], new[trained][0]) == (3, 4)
    assert new.keys() >= old.keys()
