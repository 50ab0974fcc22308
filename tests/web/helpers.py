"""Helpers for web tests: sign in as a persona, read the CSRF token a page carries."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from models.accounts import create_user
from tests import factories
from tests.html import find_all, parse
from web.auth import CSRF_HEADER

PASSWORD = "mật-khẩu-đủ-dài"


def csrf_token(client: TestClient, path: str = "/login") -> str:
    """The token the forms of `path` carry (and, for a visitor, its cookie is now set)."""
    page = parse(client.get(path).text)
    tokens = {node.attributes.get("value") for node in find_all(page, "input[name=csrf_token]")}
    assert len(tokens) == 1, f"{path} carries {len(tokens)} different CSRF tokens"
    token = tokens.pop()
    assert token, f"no CSRF token on {path}"
    return token


def make_account(
    session: Session, role: str, username: str | None = None, **binding: int | str
) -> str:
    """An account of the given role (bound to a new institution or employer when it needs
    one); returns its username."""
    username = username or f"{role}_user"
    if role == "institution" and "institution_id" not in binding:
        binding["institution_id"] = factories.institution(session).id  # type: ignore[assignment]
    if role == "employer" and "employer_id" not in binding:
        binding["employer_id"] = factories.employer(session).id  # type: ignore[assignment]
    create_user(
        session,
        username=username,
        password=PASSWORD,
        full_name=f"Người dùng {role}",
        role=role,
        **binding,
    )
    session.commit()
    return username


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    # From now on forms carry the session's token; send it as the header too.
    client.headers[CSRF_HEADER] = csrf_token(client, "/")
