"""One transaction per use case: models.db.unit_of_work on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, func, select

from models.db import end_read, make_engine, unit_of_work
from models.tables import LoginAttempt


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(LoginAttempt)).one()


class Boom(Exception):
    pass


def test_commits_on_success(engine: Engine) -> None:
    with Session(engine) as session, unit_of_work(session):
        session.add(LoginAttempt(username="an"))
    assert _count(engine) == 1


def test_rolls_back_on_any_exception_and_reraises(engine: Engine) -> None:
    with Session(engine) as session:
        with pytest.raises(Boom), unit_of_work(session):
            session.add(LoginAttempt(username="an"))
            session.flush()  # written to the transaction, then undone
            raise Boom
        assert not session.in_transaction()
    assert _count(engine) == 0


def test_nested_unit_joins_the_outer_one(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(Boom), unit_of_work(session):
        with unit_of_work(session):
            session.add(LoginAttempt(username="inner"))
        assert _count(engine) == 0  # the inner one did not commit
        raise Boom
    assert _count(engine) == 0
    with Session(engine) as session, unit_of_work(session):
        with unit_of_work(session):
            session.add(LoginAttempt(username="inner"))
        session.add(LoginAttempt(username="outer"))
    assert _count(engine) == 2


def test_an_open_read_is_ended_first_and_its_objects_stay_loaded(engine: Engine) -> None:
    with Session(engine, expire_on_commit=True) as session:
        with unit_of_work(session):
            session.add(LoginAttempt(username="an"))
        attempt = session.exec(select(LoginAttempt)).one()  # a read transaction is open
        with unit_of_work(session):
            assert "username" in attempt.__dict__  # not expired by ending the read
            session.add(LoginAttempt(username="binh"))
    assert _count(engine) == 2


def test_changes_made_outside_a_unit_with_a_read_open_are_refused(engine: Engine) -> None:
    with Session(engine) as session:
        session.exec(select(LoginAttempt)).all()
        session.add(LoginAttempt(username="an"))
        with pytest.raises(RuntimeError), unit_of_work(session):
            pass


def _begins(engine: Engine) -> list[str]:
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("BEGIN"):
            statements.append(statement)

    return statements


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """SQLite only: its BEGIN modes and its one write lock (PostgreSQL has neither)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'unit_of_work.sqlite3'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_sqlite_reads_begin_deferred_and_units_immediate(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    begins = _begins(engine)
    with Session(engine) as session:
        session.exec(select(LoginAttempt)).all()
        end_read(session)
        with unit_of_work(session):
            session.add(LoginAttempt(username="an"))
    assert begins == ["BEGIN DEFERRED", "BEGIN IMMEDIATE"]


def test_sqlite_a_read_does_not_wait_for_an_open_unit(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    with Session(engine) as writer, unit_of_work(writer):
        writer.add(LoginAttempt(username="an"))
        writer.flush()
        with engine.connect() as connection:  # a plain read, as a query function makes
            # No waiting allowed: a read that asked for the write lock would fail at once
            # with "database is locked" instead of answering.
            connection.exec_driver_sql("PRAGMA busy_timeout=0")
            with Session(bind=connection) as reader:
                assert reader.exec(select(func.count()).select_from(LoginAttempt)).one() == 0
            connection.exec_driver_sql("PRAGMA busy_timeout=30000")


def test_two_units_at_once_take_turns(engine: Engine) -> None:
    """Each unit reads the count and writes it back plus one: begun IMMEDIATE on SQLite (a
    row lock on PostgreSQL), the second waits for the first instead of failing or losing
    an update."""
    with Session(engine) as session, unit_of_work(session):
        session.add(LoginAttempt(username="0"))
    inside, errors = threading.Event(), []

    def bump(hold: float) -> None:
        try:
            with Session(engine) as session, unit_of_work(session):
                row = session.exec(select(LoginAttempt).with_for_update()).one()
                inside.set()
                time.sleep(hold)
                row.username = str(int(row.username) + 1)
                session.add(row)
        except Exception as error:
            errors.append(error)

    first = threading.Thread(target=bump, args=(0.3,))
    first.start()
    assert inside.wait(5)
    second = threading.Thread(target=bump, args=(0,))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    with Session(engine) as session:
        assert session.exec(select(LoginAttempt.username)).one() == "2"


def test_planner_statistics_are_brought_up_to_date_after_a_bulk_load(postgres_engine):
    """After the demo's generator, PostgreSQL's planner knows how many rows each table
    holds (a plan chosen on a guess of 2 rows where there were 246 made a list 180x slower)."""
    from sqlalchemy import text

    from models.db import refresh_planner_statistics

    with postgres_engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS planner_probe"))
        connection.execute(text("CREATE TABLE planner_probe (id integer)"))
        connection.execute(text("INSERT INTO planner_probe SELECT generate_series(1, 500)"))
    try:
        refresh_planner_statistics(postgres_engine)
        with postgres_engine.connect() as connection:
            rows = connection.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'planner_probe'")
            ).scalar_one()
        assert rows == 500
    finally:
        with postgres_engine.begin() as connection:
            connection.execute(text("DROP TABLE planner_probe"))


def test_planner_statistics_are_left_to_sqlite(tmp_path):
    from sqlalchemy import text

    from models.db import make_engine, refresh_planner_statistics

    engine = make_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (id integer)"))
    refresh_planner_statistics(engine)  # no ANALYZE: SQLite keeps the plans its queries chose
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).first()
            is None
        )
    engine.dispose()
