"""No input gives a server error: a seeded fuzzer walks every route of the app's route table
as each role (and a visitor) with hostile values, on SQLite and PostgreSQL (the `engine`
fixture). How it learns the routes, their parameters and their forms: tests/web/fuzzing.py.

FUZZ_REQUESTS (default 2,000) and FUZZ_SEED (default 1) change the run; a failure lists each
request that got a 5xx with the error the app logged, and the same seed sends the same
requests again. bench/bench_fuzz.py sends more, over several seeds."""

from __future__ import annotations

import os

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.web import fuzzing
from tests.web.fuzzing import Generator, World, build_world, run, unfillable
from web.forms import FormFields

pytestmark = pytest.mark.today(fuzzing.DEMO_DAY.isoformat())

REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2000"))
SEED = int(os.environ.get("FUZZ_SEED", "1"))


def test_no_request_gets_a_server_error(engine: Engine, tmp_path) -> None:
    world = build_world(engine, tmp_path / "imports")
    try:
        assert unfillable(world) == [], "the fuzzer can't fill these routes"
        outcome = run(world, Generator(world, SEED).requests(REQUESTS))
    finally:
        world.close()
    print(f"seed {SEED}: {outcome.sent} requests, by status {sorted(outcome.statuses.items())}")
    assert outcome.sent == REQUESTS
    assert outcome.failures == [], f"seed {SEED}, server errors:\n" + "\n".join(outcome.failures)
    # The values reached the routes: most requests were answered, not refused at the door.
    refused = outcome.statuses[403] + outcome.statuses[303]
    assert refused < 0.5 * REQUESTS, outcome.statuses


def _visitor_world(app, engine: Engine) -> World:
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()  # World.close() ends it
    world = World(app, engine, {"visitor": client}, fuzzing.route_specs(app))
    world.undeclared_forms = fuzzing.reads_undeclared_form(app)
    fuzzing.crawl(world)
    fuzzing.fill_the_rest(world)
    return world


def test_a_new_route_is_fuzzed_and_its_crash_reported(app, engine: Engine) -> None:
    """Routes added to the app are found in its route table: one that crashes on a hostile
    value is reported with its request, one the fuzzer can't fill is named."""
    added = APIRouter()

    @added.get("/fragile", name="fragile")
    def fragile(n: str = "1") -> dict[str, int]:
        return {"n": int(n) + 1}  # int("x") raises: a 500 the fuzzer must report

    @added.post("/formless/{thing_id}", name="formless")
    def formless(thing_id: int, fields: FormFields) -> dict[str, int]:
        return {"fields": len(fields)}  # reads a form that no page shows

    app.include_router(added)
    world = _visitor_world(app, engine)
    try:
        missing = {" ".join(line.split(" ", 2)[:2]) for line in unfillable(world)}
        assert "POST formless" in missing  # the empty world shows no form for it
        assert "GET fragile" not in missing
        outcome = run(world, Generator(world, 7).requests(400))
    finally:
        world.close()
    crashed = [line for line in outcome.failures if line.startswith("500 ")]
    assert crashed and all("GET '/fragile?" in line for line in crashed), outcome.failures
    assert "ValueError" in outcome.failures[1]
