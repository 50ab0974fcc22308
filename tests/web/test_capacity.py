"""Past capacity the site says "busy, try again" (503 with Retry-After) in the reader's
language instead of failing with a 500 or hanging: no free connection in the pool, a lock held
too long by another writer (SQLite's busy timeout, PostgreSQL's lock_timeout), too many
requests at once. The worker threads and the pool are sized from one setting, and a read is
never held up by a writer on SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import anyio.to_thread
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from cli import main as cli_main
from models.db import DatabaseLimits, make_engine
from models.i18n import translate
from models.settings import IN_FLIGHT_PER_THREAD, Settings
from tests.html import one, parse
from tests.html import text as text_of
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import PASSWORD, make_account
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER
from web.capacity import set_worker_threads
from web.errors import RETRY_AFTER_SECONDS

BUSY = "The site is busy right now. Please try again in a few seconds."
IMPATIENT = DatabaseLimits(pool_size=1, max_overflow=0, wait_seconds=0.3)


@pytest.fixture
def impatient_engine(engine: Engine) -> Iterator[Engine]:
    """The test database behind one connection and a 0.3 s wait for it or for a lock."""
    url = engine.url.render_as_string(hide_password=False)
    busy = make_engine(url, limits=IMPATIENT)
    yield busy
    busy.dispose()


def _client(engine: Engine) -> TestClient:
    # No background worker: on a one-connection pool its polling would race the test for the
    # connection the test means to hold.
    settings = Settings(database_url=str(engine.url), embedded_worker=False)
    app = create_app(settings, engine=engine)
    client = TestClient(app)
    client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
    client.headers[CSRF_HEADER] = VISITOR_TOKEN
    return client


def _assert_busy_page(response: httpx.Response, lang: str) -> None:
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    page = parse(response.text)
    assert text_of(one(page, "section.error h1")) == translate("Busy", lang)
    assert text_of(one(page, "p.error-message")) == translate(BUSY, lang)


def test_pool_size_and_worker_threads_come_from_one_setting(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", request_threads=7)
    app = create_app(settings)
    pool = app.state.engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout) == (7, 2, settings.db_wait_seconds)
    assert settings.max_requests_in_flight == 7 * IN_FLIGHT_PER_THREAD
    with TestClient(app) as client:
        tokens = client.portal.call(
            lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
        )
    assert tokens == 7


def test_the_setting_is_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("REQUEST_THREADS", "12")
    monkeypatch.setenv("DB_WAIT_SECONDS", "2.5")
    settings = Settings.from_env()
    assert (settings.request_threads, settings.db_limits.pool_size) == (12, 12)
    assert settings.db_limits.wait_seconds == 2.5
    monkeypatch.setenv("REQUEST_THREADS", "0")  # nonsense never means "no threads"
    assert Settings.from_env().request_threads == Settings.request_threads


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_free_connection_answers_503_with_retry_after(impatient_engine, lang) -> None:
    with _client(impatient_engine) as client, impatient_engine.connect() as held:
        held.execute(text("SELECT 1"))  # the pool's only connection is taken
        client.cookies.set("lang", lang)
        started = time.perf_counter()
        response = client.get("/board")
        api = client.get("/api/home-figures")
    assert time.perf_counter() - started < 10  # not the 30 s a busy timeout used to take
    _assert_busy_page(response, lang)
    assert api.status_code == 503
    assert api.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert api.json()["error"]["message"] == translate(BUSY, lang)


@contextmanager
def write_lock_held_elsewhere(engine: Engine) -> Iterator[None]:
    """Another process's writer: SQLite's write lock, or PostgreSQL's lock on the table of
    failed sign-ins, held until the block ends."""
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(str(engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with engine.connect() as other:
        other.execute(text("LOCK TABLE login_attempt IN ACCESS EXCLUSIVE MODE"))
        yield
        other.rollback()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_lock_held_too_long_answers_503(engine, impatient_engine, lang) -> None:
    """A wrong password is recorded (a write): past the wait for the lock, 503, not 500."""
    with _client(impatient_engine) as client, write_lock_held_elsewhere(engine):
        client.cookies.set("lang", lang)
        started = time.perf_counter()
        response = client.post("/login", data={"username": "someone", "password": "x" * 12})
    assert time.perf_counter() - started < 10  # not the 30 s a busy timeout used to take
    _assert_busy_page(response, lang)


def test_sqlite_reads_go_on_while_another_connection_holds_the_write_lock(
    sqlite_engine_impatient,
) -> None:
    """A read that waited for the lock would be answered 503 after 0.3 s."""
    with _client(sqlite_engine_impatient) as client:
        with write_lock_held_elsewhere(sqlite_engine_impatient):
            board = client.get("/board")
            health = client.get("/healthz")
        assert (board.status_code, health.status_code) == (200, 200)


@pytest.fixture
def sqlite_engine_impatient(tmp_path) -> Iterator[Engine]:
    from sqlmodel import SQLModel

    engine = make_engine(f"sqlite:///{tmp_path / 'reads.sqlite3'}", limits=IMPATIENT)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_past_the_limit_of_requests_in_flight_new_ones_get_503_at_once(engine) -> None:
    settings = Settings(database_url=str(engine.url), request_threads=1)
    app = create_app(settings, engine=engine)
    release = asyncio.Event()

    async def slow() -> dict[str, str]:
        await release.wait()
        return {"status": "done"}

    app.add_api_route("/test-slow", slow)
    limit = settings.max_requests_in_flight

    async def scenario() -> tuple[list[int], httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            waiting = [asyncio.create_task(client.get("/test-slow")) for _ in range(limit)]
            while not _all_started(app, limit):
                await asyncio.sleep(0.01)
            turned_away = await client.get("/healthz")
            release.set()
            done = await asyncio.gather(*waiting)
        return [r.status_code for r in done], turned_away

    statuses, turned_away = asyncio.run(asyncio.wait_for(scenario(), timeout=30))
    assert statuses == [200] * limit
    assert turned_away.status_code == 503
    assert turned_away.headers["retry-after"] == str(RETRY_AFTER_SECONDS)


def _all_started(app, limit: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether the in-flight counter of the app's middleware reached the limit."""
    layer = app.middleware_stack
    while layer is not None and not hasattr(layer, "in_flight"):
        layer = getattr(layer, "app", None)
    return layer is not None and layer.in_flight >= limit


def test_several_server_processes_on_sqlite_are_refused(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    result = CliRunner().invoke(
        cli_main.app, ["--database-url", url, "--lang", "en", "serve", "--workers", "2"]
    )
    assert result.exit_code == 1
    assert "Several server processes need PostgreSQL" in " ".join(result.output.split())


def test_many_signed_in_requests_at_once_never_wait_out_the_pool(engine, session) -> None:
    """Two threads, four connections, forty signed-in pages at once: a request that has its
    page and still holds its connection must not wait for a thread to give it back while the
    threads wait for connections (that deadlock lasted until the pool's wait ran out)."""
    make_account(session, "official", "can.bo")
    session.commit()
    settings = Settings(database_url=str(engine.url), request_threads=2, db_wait_seconds=3)
    busy = make_engine(engine.url.render_as_string(hide_password=False), limits=settings.db_limits)
    app = create_app(settings, engine=busy)

    async def scenario() -> list[tuple[int, float]]:
        set_worker_threads(settings)  # the lifespan's job, which ASGITransport does not run
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
            client.headers[CSRF_HEADER] = VISITOR_TOKEN
            form = {"username": "can.bo", "password": PASSWORD}
            signed = await client.post("/login", data=form)
            assert signed.status_code == 303

            async def timed() -> tuple[int, float]:
                started = time.monotonic()
                response = await client.get("/vacancies")  # a page that reads
                return response.status_code, time.monotonic() - started

            return await asyncio.gather(*(timed() for _ in range(40)))

    try:
        outcomes = asyncio.run(asyncio.wait_for(scenario(), timeout=60))
    finally:
        busy.dispose()
    assert [status for status, _ in outcomes] == [200] * 40
    assert max(seconds for _, seconds in outcomes) < settings.db_wait_seconds
