"""Signing in and out with server-side sessions that can be revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, select

from models import audit
from models.accounts import hash_password, verify_password
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.errors import InvalidError, ThrottledError
from models.tables import AuthSession, LoginAttempt, UserAccount
from models.validation import max_length

SESSION_LIFETIME = timedelta(hours=12)
MAX_FAILED_SIGN_INS = 5
FAILURE_WINDOW = timedelta(minutes=15)
# Verified against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = hash_password("not a real password")
# Failures are counted under the typed name cut to the column: a longer one names no account,
# and PostgreSQL refuses to store it.
ATTEMPT_KEY_MAX = max_length(LoginAttempt, "username")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    session: Session, *, username: str, password: str, now: datetime | None = None
) -> tuple[str, UserAccount]:
    """Check the password and open a new session; return its token (for the cookie) and the
    user. After MAX_FAILED_SIGN_INS failures within FAILURE_WINDOW the username is refused
    until the window passes, whatever the password."""
    now = now or utcnow()
    username = username.strip().lower()
    attempt_key = username[:ATTEMPT_KEY_MAX]
    _refuse_if_throttled(session, attempt_key, now)
    user = session.exec(select(UserAccount).where(col(UserAccount.username) == username)).first()
    end_read(session)  # verifying the password is slow: no transaction waits for it
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or user.id is None or not valid or not user.is_active:
        with unit_of_work(session):
            session.add(LoginAttempt(username=attempt_key, at=now))
        raise InvalidError("password", "Wrong username or password.")
    with unit_of_work(session):
        # Failures recorded while the password was being verified count too.
        _refuse_if_throttled(session, attempt_key, now)
        token = _open_session(session, user.id, username, now)
        user.last_login_at = now
        session.add(user)
        audit.record(
            session, user_id=user.id, action="sign_in", entity="user_account", entity_id=user.id
        )
    return token, user


def _open_session(session: Session, user_id: int, username: str, now: datetime) -> str:
    """A new session row, the failed sign-ins forgotten; the token is for the cookie."""
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.username) == username))
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=token_digest(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


def _refuse_if_throttled(session: Session, username: str, now: datetime) -> None:
    failures = session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(col(LoginAttempt.username) == username)
        .where(col(LoginAttempt.at) > now - FAILURE_WINDOW)
    ).one()
    if failures >= MAX_FAILED_SIGN_INS:
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise ThrottledError(
            "username",
            "Too many failed sign-ins for this account. Wait {minutes} minutes and try again.",
            minutes=minutes,
        )


def resolve_session(
    session: Session, token: str, *, now: datetime | None = None
) -> tuple[UserAccount, AuthSession] | None:
    """The active user behind a session cookie, or None (unknown, expired, revoked, or the
    account was disabled)."""
    if not token:
        return None
    now = now or utcnow()
    row = session.exec(
        select(AuthSession, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(AuthSession.user_id))
        .where(col(AuthSession.token_hash) == token_digest(token))
        .where(col(AuthSession.revoked_at).is_(None))
        .where(col(AuthSession.expires_at) > now)
        .where(col(UserAccount.is_active).is_(True))
    ).first()
    if row is None:
        return None
    auth, user = row
    return user, auth


def sign_out(session: Session, *, token: str) -> None:
    """End the session behind the cookie (idempotent)."""
    with unit_of_work(session):
        session.execute(
            update(AuthSession)
            .where(col(AuthSession.token_hash) == token_digest(token))
            .where(col(AuthSession.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all_sessions(session: Session, *, user_id: int) -> None:
    """End every session of a user (no commit: part of disabling the account)."""
    session.execute(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id)
        .where(col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
