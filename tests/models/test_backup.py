"""The backup drill: copy the database while it is being written, restore the copy into another
database and check what it holds; refuse a damaged copy before anything is replaced. On SQLite
and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from models import backup as backups
from models.db import make_engine, unit_of_work
from tests import factories
from tests.test_cli import run, url_of

PAIR = "drill"  # the writer adds audit entries two at a time, in one transaction


class Writer(threading.Thread):
    """Keeps committing transactions of two rows until stopped."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(daemon=True)
        self.engine = engine
        self.stop = threading.Event()
        self.transactions = 0
        self.started_writing = threading.Event()

    def run(self) -> None:
        insert = text(
            "INSERT INTO audit_entry (at, action, entity, details) "
            "VALUES (CURRENT_TIMESTAMP, :action, 'drill', '{}')"
        )
        while not self.stop.is_set():
            with Session(self.engine) as session, unit_of_work(session):
                session.execute(insert, {"action": PAIR})
                session.execute(insert, {"action": PAIR})
            self.transactions += 1
            if self.transactions >= 5:
                self.started_writing.set()


def _drill_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM audit_entry WHERE action = :a"), {"a": PAIR}
            ).scalar_one()
        )


def _some_records(engine: Engine) -> None:
    """Rows that refer to each other, so the restored references can be checked."""
    with Session(engine) as session, unit_of_work(session):
        for _ in range(3):
            factories.enrolment(session)


@pytest.fixture
def empty_twin(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """Another empty database of the same kind to restore into."""
    if engine.dialect.name == "sqlite":
        twin = make_engine(f"sqlite:///{tmp_path / 'twin.sqlite3'}")
        yield twin
        twin.dispose()
        return
    name = f"{engine.url.database}_twin_{uuid.uuid4().hex[:6]}"
    admin = sa_create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    twin = make_engine(make_url(engine.url).set(database=name).render_as_string(False))
    try:
        yield twin
    finally:
        twin.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_copy_taken_during_writes_restores_whole(engine, empty_twin, tmp_path):
    _some_records(engine)
    writer = Writer(engine)
    writer.start()
    try:
        assert writer.started_writing.wait(30)
        copy = tmp_path / "copies" / backups.default_name(engine.dialect.name)
        manifest = backups.backup(engine, copy)
        done_at_copy = writer.transactions
        while writer.transactions < done_at_copy + 5:  # the site went on writing
            writer.stop.wait(0.01)
    finally:
        writer.stop.set()
        writer.join(30)

    copied = manifest.tables["audit_entry"]
    assert copied > 0 and copied % 2 == 0  # no transaction cut in half
    assert _drill_rows(engine) > copied  # the copy is one moment; writing went on
    assert manifest.tables["enrolment"] == 3 and manifest.tables["person"] == 3
    assert backups.manifest_path(copy).is_file()

    restored = backups.restore(copy, empty_twin)
    assert restored == manifest
    with empty_twin.connect() as connection:
        tables, _ = backups.count_rows(connection)
        joined = connection.execute(
            text("SELECT count(*) FROM enrolment JOIN person ON person.id = enrolment.person_id")
        ).scalar_one()
    assert tables == manifest.tables  # row counts of every table
    assert joined == 3  # references still lead to their rows


def test_a_restore_replaces_what_the_database_holds_now(engine, tmp_path):
    _some_records(engine)
    copy = tmp_path / "before.copy"
    manifest = backups.backup(engine, copy)
    with Session(engine) as session, unit_of_work(session):
        factories.enrolment(session)  # a mistake made after the copy
    backups.restore(copy, engine)
    with engine.connect() as connection:
        tables, _ = backups.count_rows(connection)
    assert tables == manifest.tables
    assert tables["enrolment"] == 3


def test_a_damaged_copy_is_refused_and_nothing_is_replaced(engine, empty_twin, tmp_path):
    _some_records(engine)
    copy = tmp_path / "damaged.copy"
    backups.backup(engine, copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    SQLModel.metadata.create_all(empty_twin)
    with Session(empty_twin) as session, unit_of_work(session):
        factories.person(session)

    with pytest.raises(backups.BackupError, match="checksum"):
        backups.restore(copy, empty_twin)
    with empty_twin.connect() as connection:
        tables, _ = backups.count_rows(connection)
    assert tables["person"] == 1  # untouched


def test_a_copy_without_its_manifest_is_refused(engine, tmp_path):
    copy = tmp_path / "lonely.copy"
    backups.backup(engine, copy)
    backups.manifest_path(copy).unlink()
    with pytest.raises(backups.BackupError, match="manifest"):
        backups.check_copy(copy, engine)


def test_a_copy_of_the_other_kind_of_database_is_refused(engine, tmp_path):
    copy = tmp_path / "other.copy"
    backups.backup(engine, copy)
    path = backups.manifest_path(copy)
    other = "postgresql" if engine.dialect.name == "sqlite" else "sqlite"
    path.write_text(path.read_text().replace(f'"{engine.dialect.name}"', f'"{other}"'))
    with pytest.raises(backups.BackupError, match="database"):
        backups.check_copy(copy, engine)


def test_a_backup_never_overwrites_an_earlier_copy(engine, tmp_path):
    copy = tmp_path / "once.copy"
    backups.backup(engine, copy)
    first = copy.read_bytes()
    with pytest.raises(backups.BackupError, match="already exists"):
        backups.backup(engine, copy)
    assert copy.read_bytes() == first


def test_keeping_generations_deletes_only_the_oldest(tmp_path):
    for day in ("20261201", "20261202", "20261203", "20261204"):
        copy = tmp_path / f"dienbien-{day}-020000.sqlite3"
        copy.write_bytes(b"x")
        backups.manifest_path(copy).write_text("{}")
    removed = backups.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == [
        "dienbien-20261202-020000.sqlite3",
        "dienbien-20261201-020000.sqlite3",
    ]
    assert [p.name for p in backups.generations(tmp_path)] == [
        "dienbien-20261204-020000.sqlite3",
        "dienbien-20261203-020000.sqlite3",
    ]


def test_the_commands_back_up_and_restore(engine, tmp_path):
    _some_records(engine)
    folder = tmp_path / "nightly"
    made = run(url_of(engine), "backup", "--to", str(folder), "--keep", "3", lang="en")
    assert made.exit_code == 0, made.output
    assert "Copied" in made.output and "tables" in made.output
    (copy,) = backups.generations(folder)

    with Session(engine) as session, unit_of_work(session):
        factories.enrolment(session)
    refused = run(url_of(engine), "restore", str(copy), input="n\n", lang="en")
    assert refused.exit_code != 0
    with engine.connect() as connection:
        assert backups.count_rows(connection)[0]["enrolment"] == 4  # nothing replaced

    done = run(url_of(engine), "restore", str(copy), "--yes", lang="en")
    assert done.exit_code == 0, done.output
    assert "now holds the copy" in done.output
    with engine.connect() as connection:
        assert backups.count_rows(connection)[0]["enrolment"] == 3


def test_a_missing_copy_is_one_sentence_in_vietnamese(engine, tmp_path):
    result = run(url_of(engine), "restore", str(tmp_path / "nothing.copy"), "--yes")
    assert result.exit_code == 1
    assert "Không có bản sao nào" in result.output
    assert "Traceback" not in result.output
