"""Web fixtures. `client` is a visitor whose forms carry a valid CSRF token (cookie and
header), so tests about other things need not fetch it; `bare_client` sends none, for the
tests of CSRF itself. Signing in (tests/web/helpers.sign_in) switches the header to the
session's own token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from models.settings import Settings
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER

VISITOR_TOKEN = "visitor-token-for-tests"


@pytest.fixture
def app(engine: Engine):
    # No worker thread: tests run the queued jobs themselves (tests/web/jobs.py), so they
    # know when the work is done; tests/web/test_jobs.py runs the embedded worker.
    settings = Settings(database_url=str(engine.url), embedded_worker=False)
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        test_client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        test_client.headers[CSRF_HEADER] = VISITOR_TOKEN
        yield test_client


@pytest.fixture
def bare_client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
