"""Changing one's own password and an administrator's reset: both end the user's other
sessions and are audited; a reset password must be replaced at the next sign-in; a new
password has at least 12 characters and is not a common one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.i18n import translate
from models.passwords import MIN_PASSWORD_LENGTH
from models.tables import AuditEntry, AuthSession, UserAccount
from tests.html import field_errors, find_all, one, parse, text
from tests.web.helpers import PASSWORD, csrf_token, make_account, sign_in
from web.auth import CSRF_HEADER, SESSION_COOKIE
from web.deps import LANGUAGE_COOKIE

NEW_PASSWORD = "Mường Thanh mùa lúa chín"


def fresh_client(app) -> TestClient:
    return TestClient(app)


def change_form(current: str = PASSWORD, new: str = NEW_PASSWORD, repeat: str | None = None):
    return {
        "current_password": current,
        "new_password": new,
        "new_password_repeat": new if repeat is None else repeat,
    }


def user_named(session: Session, username: str) -> UserAccount:
    session.rollback()
    return session.exec(select(UserAccount).where(col(UserAccount.username) == username)).one()


def audit_actions(session: Session, action: str) -> list[AuditEntry]:
    session.rollback()
    return list(session.exec(select(AuditEntry).where(col(AuditEntry.action) == action)))


def can_sign_in(app, username: str, password: str) -> bool:
    browser = fresh_client(app)
    token = csrf_token(browser, "/login")
    response = browser.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code == 303


def test_changing_ones_password_ends_the_other_sessions_but_not_this_one(app, session):
    make_account(session, "official", "can.bo")
    phone, laptop = fresh_client(app), fresh_client(app)
    sign_in(phone, "can.bo")
    sign_in(laptop, "can.bo")

    page = parse(laptop.get("/account").text)
    assert one(page, "a#change-password").attributes["href"] == "/account/password"
    response = laptop.post("/account/password", data=change_form(), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account?changed=password"

    notice = one(parse(laptop.get(response.headers["location"]).text), "[data-notice]")
    assert text(notice) == translate(
        "Your password was changed. Your other sessions were signed out.", "vi"
    )
    assert phone.get("/account", follow_redirects=False).status_code == 303  # to sign in
    assert not can_sign_in(app, "can.bo", PASSWORD)
    assert can_sign_in(app, "can.bo", NEW_PASSWORD)
    (entry,) = audit_actions(session, "change_password")
    user = user_named(session, "can.bo")
    assert (entry.user_id, entry.entity_id) == (user.id, str(user.id))
    open_sessions = session.exec(
        select(AuthSession)
        .where(col(AuthSession.user_id) == user.id)
        .where(col(AuthSession.revoked_at).is_(None))
    ).all()
    assert len(open_sessions) == 2  # the laptop's and the one can_sign_in just opened


@pytest.mark.parametrize(
    ("form", "field", "msgid", "params"),
    [
        (change_form(current="khong-phai-mat-khau"), "current_password",
         "The current password is not right.", {}),
        (change_form(new="ngắn-quá-11"), "new_password",
         "Password must have at least {n} characters.", {"n": MIN_PASSWORD_LENGTH}),
        (change_form(new="Password1234"), "new_password",
         "This password is on a list of commonly used passwords. Choose another one.", {}),
        (change_form(new=PASSWORD), "new_password",
         "Choose a password other than the current one.", {}),
        (change_form(repeat="Mường Thanh mùa lúa xanh"), "new_password_repeat",
         "The two passwords are not the same.", {}),
    ],
)  # fmt: skip
def test_a_bad_password_change_is_refused_next_to_its_field(
    client, session, form, field, msgid, params
):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    response = client.post("/account/password", data=form)
    assert response.status_code == 400
    page = parse(response.text)
    assert field_errors(page)[field] == translate(msgid, "vi", **params)
    assert all(
        node.attributes.get("value") == "" for node in find_all(page, "input[type=password]")
    )
    assert can_sign_in(client.app, "can.bo", PASSWORD)
    assert audit_actions(session, "change_password") == []


def test_the_messages_are_in_english_for_an_english_reader(client, session):
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    client.cookies.set(LANGUAGE_COOKIE, "en")
    response = client.post("/account/password", data=change_form(new="Password1234"))
    assert field_errors(parse(response.text))["new_password"] == (
        "This password is on a list of commonly used passwords. Choose another one."
    )


@pytest.mark.today("2026-12-10")
def test_guessing_the_current_password_is_slowed_like_signing_in(client, session, time_machine):
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    make_account(session, "official", "can.bo")
    sign_in(client, "can.bo")
    answers = [
        client.post("/account/password", data=change_form(current=f"doan-{n}")).status_code
        for n in range(8)
    ]
    assert answers[:5] == [400] * 5 and 429 in answers[5:]


def _reset(admin: TestClient, user_id: int):
    return admin.post(f"/users/{user_id}/password", follow_redirects=False)


def test_an_administrator_resets_a_password_to_a_temporary_one(app, session):
    make_account(session, "admin", "quan.tri")
    make_account(session, "official", "can.bo")
    target = user_named(session, "can.bo").id
    assert target is not None
    staff, admin = fresh_client(app), fresh_client(app)
    sign_in(staff, "can.bo")
    sign_in(admin, "quan.tri")

    users_page = parse(admin.get("/users").text)
    form = one(users_page, f'tr[data-user-id="{target}"] form.reset-password')
    assert form.attributes["action"] == f"/users/{target}/password"
    response = _reset(admin, target)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    temporary = text(one(parse(response.text), "#temporary-password"))
    assert len(temporary) >= MIN_PASSWORD_LENGTH

    assert staff.get("/account", follow_redirects=False).status_code == 303  # signed out
    assert admin.get("/users").status_code == 200  # the administrator's session stays
    assert not can_sign_in(app, "can.bo", PASSWORD)
    (entry,) = audit_actions(session, "reset_password")
    admin_id = user_named(session, "quan.tri").id
    assert (entry.user_id, entry.entity_id) == (admin_id, str(target))
    assert temporary not in str(entry.details)

    # The temporary password signs in once, straight to choosing a new one ...
    browser = fresh_client(app)
    token = csrf_token(browser, "/login")
    landed = browser.post(
        "/login",
        data={"username": "can.bo", "password": temporary, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert landed.headers["location"] == "/account/password"
    browser.headers[CSRF_HEADER] = csrf_token(browser, "/account/password")
    # ... and every other page leads there until it is chosen.
    for path in ("/account", "/trainees"):
        blocked = browser.get(path, follow_redirects=False)
        assert (blocked.status_code, blocked.headers["location"]) == (303, "/account/password")
    changed = browser.post(
        "/account/password", data=change_form(current=temporary), follow_redirects=False
    )
    assert changed.status_code == 303
    assert browser.get("/trainees", follow_redirects=False).status_code == 200
    assert not user_named(session, "can.bo").must_change_password
    assert not can_sign_in(app, "can.bo", temporary)


def test_only_administrators_reset_passwords(app, session):
    make_account(session, "official", "can.bo")
    make_account(session, "official", "can.bo.khac")
    target = user_named(session, "can.bo.khac").id
    official = fresh_client(app)
    sign_in(official, "can.bo")
    assert _reset(official, target).status_code == 403
    assert can_sign_in(app, "can.bo.khac", PASSWORD)
    assert audit_actions(session, "reset_password") == []


def test_resetting_an_unknown_account_is_not_found(app, session):
    make_account(session, "admin", "quan.tri")
    admin = fresh_client(app)
    sign_in(admin, "quan.tri")
    assert _reset(admin, 999_999).status_code == 404
    assert SESSION_COOKIE in admin.cookies
