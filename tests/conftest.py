"""Fixtures shared by the whole suite.

Every test that takes `engine` or `session` runs twice: on a fresh SQLite file and on
PostgreSQL when TEST_DATABASE_URL is set. Without it the PostgreSQL runs skip, except under CI
(CI=true) or REQUIRE_POSTGRES=1, where a missing database is an error, so CI cannot pass by
skipping them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401  (registers every table)
from models.clock import VIETNAM
from models.db import make_engine, normalise_url
from models.encryption import Keyring, install_keys
from models.kept import forget_all as forget_kept_values

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
# CI runs the whole suite again with the platform's clock moved to far-apart dates, to show that
# no test depends on the day it runs (tests that need a date set it with @pytest.mark.today).
FAKE_TODAY = os.environ.get("TEST_FAKE_TODAY", "")
# "i/n": run only the i-th of n fixed shares of the tests (by a hash of each test's id), so the
# moved-clock runs in .ci/run can each take a different share: every test still runs on the real
# date (on both databases) and under one moved date.
TEST_SHARE = os.environ.get("TEST_SHARE", "")
POSTGRES_REQUIRED = os.environ.get("CI") == "true" or os.environ.get("REQUIRE_POSTGRES") == "1"
# The personal data keys of every test: fixed, so a failure reproduces; never a real key.
TEST_KEYS = Keyring(
    {1: hashlib.sha256(b"test personal data encryption key 1").digest()},
    {1: hashlib.sha256(b"test personal data hash key 1").digest()},
)


def _morning_of(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(9), tzinfo=VIETNAM)


def pytest_configure(config: pytest.Config) -> None:
    # The test keys, in this process and in the commands tests start (never a generated
    # file under var/).
    install_keys(TEST_KEYS)
    os.environ["PERSONAL_DATA_KEYS"] = TEST_KEYS.to_json()
    os.environ.pop("PERSONAL_DATA_KEY_FILE", None)
    if FAKE_TODAY:
        # Started before any test module is imported; every xdist worker runs this hook too.
        time_machine.travel(_morning_of(FAKE_TODAY), tick=True).start()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that runs on PostgreSQL carries the `postgres` marker, so a SQLite-only run
    is `-m "not postgres"` (the runs under a moved clock in .ci/run). With TEST_SHARE=i/n only
    the i-th share of the tests is kept."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        uses_postgres = "postgres_engine" in getattr(item, "fixturenames", ())
        if uses_postgres or (callspec is not None and "postgres" in callspec.params.values()):
            item.add_marker(pytest.mark.postgres)
    if TEST_SHARE:
        share, shares = (int(part) for part in TEST_SHARE.split("/"))
        kept = [item for item in items if zlib.crc32(item.nodeid.encode()) % shares == share]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str | None:
    moved = f"clock moved to {FAKE_TODAY} (TEST_FAKE_TODAY)" if FAKE_TODAY else ""
    share = f"share {TEST_SHARE} of the tests (TEST_SHARE)" if TEST_SHARE else ""
    return "; ".join(part for part in (moved, share) if part) or None


@pytest.fixture(autouse=True)
def _clock_set_by_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    """`@pytest.mark.today("2026-12-15")`: the test runs on that day (09:00 in Vietnam, the
    clock ticking), whatever the machine's date."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with time_machine.travel(_morning_of(marker.args[0]), tick=True):
        yield


def _missing_postgres() -> None:
    reason = "TEST_DATABASE_URL is not set: PostgreSQL runs skipped"
    if POSTGRES_REQUIRED:
        pytest.fail(reason + " (required under CI / REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_engine(worker_id: str) -> Iterator[Engine]:
    """One private database per test worker, created from the models and dropped at the end."""
    if not POSTGRES_URL:
        _missing_postgres()
    base = make_url(normalise_url(POSTGRES_URL))
    name = f"{base.database}_{worker_id}_{uuid.uuid4().hex[:6]}"
    admin = sa_create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
    SQLModel.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with the full schema (tables, indexes, triggers), made once per
    test worker: each test gets a copy of the file, a few milliseconds instead of creating
    every table again."""
    path = tmp_path_factory.mktemp("schema") / "empty.sqlite3"
    eng = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(eng)
    with eng.begin() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    eng.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A fresh, empty database with the full schema."""
    if request.param == "sqlite":
        copy = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), copy)
        eng = make_engine(f"sqlite:///{copy}")
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("postgres_engine")
    _truncate_all(eng)
    yield eng


def _truncate_all(eng: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    forget_kept_values()  # what was kept from this database is gone too


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


BROWSER_REQUIRED = os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium for the browser tests; skipped where it is missing, except under CI."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "Chromium is not installed (Debian package 'chromium'): browser tests skipped"
        if BROWSER_REQUIRED:
            pytest.fail(reason + " (required under CI / REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    return path
