"""The query-count guard: the walk over every GET route (tests/web/page_walk.py), in process,
counting the SQL statements each request sends, for every caller, at two sizes of the demo.

- Each count is committed in tests/web/query_counts.json (per database dialect). A count above
  its committed value plus HEADROOM fails: a page gained queries. After a change that is meant
  (or that lowers counts), rewrite the file:

      UPDATE_QUERY_COUNTS=1 .venv/bin/pytest -p no:cacheprovider tests/web/test_query_counts.py

  once with TEST_DATABASE_URL set (PostgreSQL) and once without (SQLite); each run rewrites its
  own dialect's counts, and the test passes. Commit the file.
- A count that is higher on the larger demo than on the smaller one fails whatever the file
  says: a query runs once per row (a query inside a loop).

No timing: bench/bench_pages.py measures time. Kept values (models/kept.py) are forgotten
before each request, so every request does all its work and the counts do not depend on how
long the walk takes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from models.clock import VIETNAM, today
from models.kept import forget_all
from models.monitoring.store import refresh_year
from models.settings import Settings
from seed.demo import generate_demo
from tests.conftest import _truncate_all
from tests.web.page_walk import (
    EXPECTED_STATUS,
    Plan,
    WalkError,
    callers,
    plan_walk,
    sign_in,
    stage,
    walked_routes,
)
from web.app import create_app

COUNTS_FILE = Path(__file__).with_name("query_counts.json")
HEADROOM = 2
UPDATE = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
YEAR = 2026
# The two sizes: the demo of one year at these scales (1.0 is the province). The larger holds
# three times the people, courses, vacancies and reports of the smaller.
SCALES = (0.02, 0.06)
# Records the small demos may lack (none today: the walk's staging adds what they miss).
SCARCE: frozenset[str] = frozenset()
# Blank workbooks that take a second or two to write whoever asks (most of the walk's time if
# every role asked): counted for the first caller only.
ONCE = frozenset({"new_jobs_template", "import_template", "labour_force_template"})
UPDATE_HINT = (
    "If the change is meant, rewrite the counts: UPDATE_QUERY_COUNTS=1 .venv/bin/pytest "
    "-p no:cacheprovider tests/web/test_query_counts.py (with and without TEST_DATABASE_URL), "
    "then commit tests/web/query_counts.json."
)


class StatementCounter:
    """Counts the statements sent on an engine while it listens."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0

    def _seen(self, *_args: object) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def _empty(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        SQLModel.metadata.drop_all(engine)
        SQLModel.metadata.create_all(engine)
        forget_all()
    else:
        _truncate_all(engine)


def _counts(engine: Engine, scale: float) -> tuple[dict[str, int], dict[str, int], Plan]:
    """Statements and status per visit key, on a fresh demo of `scale`."""
    _empty(engine)
    generate_demo(engine, years=(YEAR,), scale=scale)
    with Session(engine, expire_on_commit=False) as session:
        tokens = stage(session, today())
    # After staging (a staged training order changes the figures), and the year before too
    # (supply and demand reads it): no page finds its figures stale or missing, which would
    # compute them on its request (once; the counts are of the pages).
    for year in (YEAR - 1, YEAR):
        refresh_year(engine, year)
    app = create_app(Settings(database_url=str(engine.url), embedded_worker=False), engine=engine)
    with Session(engine, expire_on_commit=False) as session:
        plan = plan_walk(session, app, callers(session, tokens), today())
    counts: dict[str, int] = {}
    statuses: dict[str, int] = {}
    clients: dict[str, TestClient] = {}
    walked_once: set[str] = set()
    # The wall clock stands still during the walk (the steady clock that kept values expire
    # by goes on): the first API request of each minute also notes when its token was used, so
    # a walk that crossed a minute would count two more statements at a place set by timing.
    instant = datetime.combine(date(YEAR, 11, 27), time(10 + SCALES.index(scale)), VIETNAM)
    with StatementCounter(engine) as counter, time_machine.travel(instant, tick=False):
        for visit in plan.visits:
            if visit.route.name in ONCE and visit.route.name in walked_once:
                continue
            walked_once.add(visit.route.name)
            if visit.caller.label not in clients:
                clients[visit.caller.label] = TestClient(app)
                sign_in(clients[visit.caller.label], visit.caller)
            forget_all()
            counter.count = 0
            response = clients[visit.caller.label].get(
                visit.url, headers=visit.caller.headers, follow_redirects=False
            )
            if visit.route.api and response.status_code in (401, 403, 404):
                continue  # not this caller's: kept where some caller gets 200
            counts[visit.key] = counter.count
            statuses[visit.key] = response.status_code
    for client in clients.values():
        client.close()
    return counts, statuses, plan


@pytest.fixture
def committed() -> Iterator[dict[str, dict[str, int]]]:
    yield json.loads(COUNTS_FILE.read_text()) if COUNTS_FILE.exists() else {}


@pytest.mark.today("2026-11-27")  # the demo's own day: its open vacancies, its due follow-ups
def test_statements_per_route_stay_within_the_committed_counts_and_do_not_grow(
    engine: Engine, committed: dict[str, dict[str, int]]
) -> None:
    small, _, _ = _counts(engine, SCALES[0])
    large, large_status, plan = _counts(engine, SCALES[1])
    wrong = [
        f"{key}: answered {status}"
        for key, status in large_status.items()
        if status != EXPECTED_STATUS.get(key.split(": ", 1)[1].split(" ", 1)[0], 200)
    ]
    wrong += [f"no record for the walk: {each}" for each in plan.missing if each not in SCARCE]
    wrong += [
        f"{key}: {small[key]} statements on the smaller demo, {large[key]} on the larger: "
        "a query runs per row"
        for key in sorted(small.keys() & large.keys())
        if large[key] > small[key]
    ]
    wrong += [f"{key}: only on one of the two demos" for key in sorted(small.keys() ^ large.keys())]
    dialect = engine.dialect.name
    measured = {
        key: max(small.get(key, 0), large.get(key, 0)) for key in small.keys() | large.keys()
    }
    if UPDATE:
        stored = committed | {dialect: dict(sorted(measured.items()))}
        COUNTS_FILE.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
    else:
        expected = committed.get(dialect, {})
        over = [
            f"{key}: {count} statements, committed {expected[key]} (+{HEADROOM} allowed)"
            for key, count in sorted(measured.items())
            if key in expected and count > expected[key] + HEADROOM
        ]
        new = [
            f"{key}: not in {COUNTS_FILE.name}" for key in sorted(measured.keys() - expected.keys())
        ]
        gone = [
            f"{key}: committed but not walked" for key in sorted(expected.keys() - measured.keys())
        ]
        if over or new or gone:
            wrong += over + new + gone + [UPDATE_HINT]
    assert wrong == [], "\n".join(wrong)


def test_a_route_whose_path_parameter_no_provider_fills_stops_the_walk(engine: Engine) -> None:
    app = create_app(Settings(database_url=str(engine.url), embedded_worker=False), engine=engine)

    @app.get("/widgets/{widget_id}", name="widget")
    def widget(widget_id: int) -> dict[str, int]:  # pragma: no cover - never requested
        return {"widget": widget_id}

    with pytest.raises(WalkError) as raised:
        walked_routes(app)
    assert "widget (/widgets/{widget_id}): no provider for widget_id" in str(raised.value)
