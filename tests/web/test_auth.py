"""Signing in and out: server-side sessions, CSRF on every form, throttled guessing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from models.accounts import hash_password
from models.i18n import translate
from models.tables import AuditEntry, UserAccount
from tests.html import links, one, parse, text, texts
from tests.web.helpers import PASSWORD, csrf_token, make_account, sign_in
from web.auth import SESSION_COOKIE
from web.services.auth import revoke_all_sessions
from web.services.sign_in_guard import PER_ACCOUNT


def _post_login(client, username, password):
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )


def test_sign_in_opens_a_session_cookie_and_the_account_page(bare_client, session: Session):
    make_account(session, "official", "can.bo")
    response = _post_login(bare_client, "Can.Bo ", PASSWORD)  # case and spaces forgiven
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("sid="))
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    page = parse(bare_client.get("/account").text)
    assert text(one(page, "[data-field=username]")) == "can.bo"
    assert text(one(page, "[data-field=role]")) == translate("role:official", "vi")
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "sign_in")).one()
    assert entry.entity == "user_account"


def test_wrong_password_is_refused_in_vietnamese_without_a_session(bare_client, session):
    make_account(session, "official", "can.bo")
    response = _post_login(bare_client, "can.bo", "sai-mat-khau")
    assert response.status_code == 400
    assert texts(parse(response.text), "[role=alert]") == [
        translate("Wrong username or password.", "vi")
    ]
    assert SESSION_COOKIE not in bare_client.cookies
    assert bare_client.get("/account", follow_redirects=False).status_code == 303


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(bare_client, session):
    response = _post_login(bare_client, "khong.ton.tai", PASSWORD)
    assert response.status_code == 400
    assert texts(parse(response.text), "[role=alert]") == [
        translate("Wrong username or password.", "vi")
    ]


@pytest.mark.today("2026-12-10")
def test_repeated_failures_from_a_new_place_are_slowed_down_not_locked(
    bare_client, session, time_machine
):
    """From an address and a browser that never signed in to the account, the right password
    waits too once the free tries are spent; the refusal says for how long."""
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    make_account(session, "official", "can.bo")
    for _ in range(PER_ACCOUNT.free):
        assert _post_login(bare_client, "can.bo", "sai").status_code == 400
    response = _post_login(bare_client, "can.bo", PASSWORD)  # even the right password
    assert response.status_code == 429
    seconds = int(response.headers["retry-after"])
    assert seconds == PER_ACCOUNT.base_seconds
    assert texts(parse(response.text), "[role=alert]") == [
        translate(
            "Too many failed sign-ins. Try again in {seconds} seconds.", "vi", seconds=seconds
        )
    ]
    assert SESSION_COOKIE not in bare_client.cookies


def test_pages_that_need_a_user_send_visitors_to_sign_in_and_back(bare_client, session):
    response = bare_client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faccount"


def test_a_form_without_the_csrf_token_changes_nothing(bare_client, session):
    make_account(session, "official", "can.bo")
    response = bare_client.post(
        "/login", data={"username": "can.bo", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in bare_client.cookies


def test_signed_in_forms_need_the_session_token_not_the_visitor_one(client, session):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    forged = client.post("/logout", headers={"x-csrf-token": "visitor-token-for-tests"})
    assert forged.status_code == 403
    assert client.get("/account", follow_redirects=False).status_code == 200


def test_sign_out_revokes_the_session_on_the_server(client, session):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    stolen = client.cookies.get(SESSION_COOKIE)
    assert client.post("/logout", follow_redirects=False).status_code == 303
    client.cookies.set(SESSION_COOKIE, stolen)  # replaying the old cookie does not work
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_each_sign_in_gets_a_new_session(client, session):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    first = client.cookies.get(SESSION_COOKIE)
    sign_in(client, "can.bo")
    assert client.cookies.get(SESSION_COOKIE) != first


def test_disabling_an_account_ends_its_sessions(client, session):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    user = session.exec(select(UserAccount).where(UserAccount.username == "can.bo")).one()
    user.is_active = False
    session.add(user)
    revoke_all_sessions(session, user_id=user.id)
    session.commit()
    assert client.get("/account", follow_redirects=False).status_code == 303


def _menu_routes(html: str) -> list[str]:
    return links(parse(html), "nav.site-menu a[href]")


def test_the_menu_shows_each_role_its_own_areas(client, session):
    # A visitor: the job board and which training leads to a job.
    assert _menu_routes(client.get("/").text) == ["/board", "/outcomes"]
    make_account(session, "employer", "nha.tuyen.dung")
    sign_in(client, "nha.tuyen.dung")
    links = _menu_routes(client.get("/").text)
    assert "/vacancies" in links and "/board" in links
    assert "/courses" not in links and "/users" not in links


def test_an_older_short_password_still_signs_in(bare_client, session):
    """The 12-character rule applies when a password is set, not to accounts made before."""
    session.add(
        UserAccount(
            username="can.bo.cu",
            full_name="Cán bộ cũ",
            role="official",
            password_hash=hash_password("8-ky-tu!"),
        )
    )
    session.commit()
    assert _post_login(bare_client, "can.bo.cu", "8-ky-tu!").status_code == 303
