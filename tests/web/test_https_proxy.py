"""Served over HTTPS, directly or behind a TLS-terminating proxy listed in TRUSTED_PROXIES:
the session cookie is Secure and HSTS is sent. From any other peer, X-Forwarded-* is ignored,
for the scheme and for the address the sign-in guard counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.settings import Settings
from models.tables import LoginAttempt
from tests.web.helpers import PASSWORD, csrf_token, make_account
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, DEVICE_COOKIE, SESSION_COOKIE

PROXY = "10.0.0.2"
CLIENT = "198.51.100.23"
FORWARDED_HTTPS = {"x-forwarded-proto": "https", "x-forwarded-for": CLIENT}


@pytest.fixture
def proxied_app(engine: Engine):
    settings = Settings(database_url=str(engine.url), trusted_proxies=(PROXY, "fd00::/8"))
    return create_app(settings, engine=engine)


def _browser(app, peer: str, base_url: str = "http://testserver") -> TestClient:
    return TestClient(app, base_url=base_url, client=(peer, 40000), headers=FORWARDED_HTTPS)


def _sign_in(browser: TestClient):
    token = csrf_token(browser, "/login")
    # The proxy speaks HTTPS to the browser but HTTP to the app, and the test client is the
    # browser: give it back the visitor's CSRF cookie it keeps for HTTPS only.
    browser.cookies.set(ANONYMOUS_CSRF_COOKIE, token)
    return browser.post(
        "/login",
        data={"username": "can.bo", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )


def _cookie(response, name: str) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}="))


def _recorded_address(session: Session) -> str:
    session.rollback()
    return session.exec(select(LoginAttempt.address).where(col(LoginAttempt.succeeded))).one()


@pytest.fixture
def account(session: Session) -> Iterator[None]:
    make_account(session, "official", "can.bo")
    yield


def test_behind_a_trusted_proxy_the_cookie_is_secure_and_hsts_is_sent(
    proxied_app, session, account
):
    browser = _browser(proxied_app, PROXY)
    page = browser.get("/login")
    assert page.headers["strict-transport-security"] == "max-age=31536000"
    response = _sign_in(browser)
    assert response.status_code == 303
    for name in (SESSION_COOKIE, DEVICE_COOKIE):
        assert "secure" in _cookie(response, name).lower().split("; ")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert _recorded_address(session) == CLIENT  # the client, not the proxy


def test_from_an_untrusted_peer_the_forwarded_headers_are_ignored(proxied_app, session, account):
    browser = _browser(proxied_app, "203.0.113.9")
    page = browser.get("/login")
    assert "strict-transport-security" not in page.headers
    response = _sign_in(browser)
    assert response.status_code == 303
    assert "secure" not in _cookie(response, SESSION_COOKIE).lower().split("; ")
    assert "strict-transport-security" not in response.headers
    assert _recorded_address(session) == "203.0.113.9"  # its own address, not the header's


def test_without_trusted_proxies_even_a_local_peer_is_not_believed(app, session, account):
    browser = _browser(app, "127.0.0.1")
    assert "strict-transport-security" not in browser.get("/login").headers
    _sign_in(browser)
    assert _recorded_address(session) == "127.0.0.1"


def test_served_over_https_directly_the_cookie_is_secure(app, session, account):
    browser = TestClient(app, base_url="https://testserver")
    assert browser.get("/").headers["strict-transport-security"] == "max-age=31536000"
    response = _sign_in(browser)
    assert "secure" in _cookie(response, SESSION_COOKIE).lower().split("; ")


def test_the_server_leaves_forwarded_headers_to_the_app(monkeypatch, tmp_path):
    """uvicorn's own proxy handling trusts 127.0.0.1 whatever TRUSTED_PROXIES says: off."""
    import uvicorn

    from cli.core import Cli
    from cli.server import run_server

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.2, 10.0.1.0/24")
    run_server(Cli(f"sqlite:///{tmp_path / 'x.sqlite3'}", "vi"), "127.0.0.1", 8000)
    assert seen["proxy_headers"] is False
    assert Settings.from_env().trusted_proxies == ("10.0.0.2", "10.0.1.0/24")
