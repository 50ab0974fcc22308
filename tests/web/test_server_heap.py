"""A served app (`dbjobs serve`) leaves the objects it built to start out of the garbage
collector's full passes, which otherwise walked them all in the middle of a request (a pause of
100-200 ms every few dozen requests at ten times the province's size); an app built for a test
does not, since a test process builds thousands of them."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from models.settings import Settings
from web.app import create_app


def _served(engine: Engine, *, settle_heap: bool) -> int:
    """How many objects the collector leaves aside once the app has started."""
    settings = Settings(database_url=str(engine.url), embedded_worker=False)
    app = create_app(settings, engine=engine, settle_heap=settle_heap)
    try:
        with TestClient(app) as browser:
            assert browser.get("/healthz").status_code == 200
            return gc.get_freeze_count()
    finally:
        gc.unfreeze()  # give this test process its heap back


def test_a_served_app_sets_its_startup_objects_aside_from_full_collections(engine: Engine):
    assert gc.get_freeze_count() == 0
    set_aside = _served(engine, settle_heap=True)

    assert set_aside > 10_000  # the modules, the templates, the app itself
    assert gc.get_freeze_count() == 0


def test_an_app_built_for_a_test_leaves_the_collector_alone(engine: Engine):
    assert _served(engine, settle_heap=False) == 0
