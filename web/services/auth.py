"""Signing in and out with server-side sessions that can be revoked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import audit
from models.accounts import hash_password, verify_password
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.errors import InvalidError
from models.tables import AuthSession, UserAccount
from models.validation import max_length
from web.services import sign_in_guard
from web.services.sign_in_guard import Source

SESSION_LIFETIME = timedelta(hours=12)
# Verified against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = hash_password("not a real password")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the session token and a new device token, both for cookies."""

    token: str
    device_token: str
    user: UserAccount


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    source: Source,
    now: datetime | None = None,
) -> SignedIn:
    """Check the password and open a new session. The attempt is first let through or
    refused by the guard (web/services/sign_in_guard.py): a refusal raises ThrottledError
    with the seconds to wait, and checks no password."""
    now = now or utcnow()
    username = username.replace("\x00", "").strip().lower()[: max_length(UserAccount, "username")]
    with unit_of_work(session):
        attempt_id = sign_in_guard.claim_attempt(session, username=username, source=source, now=now)
    user = session.exec(select(UserAccount).where(col(UserAccount.username) == username)).first()
    end_read(session)  # verifying the password is slow: no transaction waits for it
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or user.id is None or not valid or not user.is_active:
        with unit_of_work(session):
            sign_in_guard.mark_failed(session, attempt_id, now)
        raise InvalidError("password", "Wrong username or password.")
    device_token = secrets.token_urlsafe(32)
    with unit_of_work(session):
        sign_in_guard.mark_succeeded(
            session, attempt_id, device_hash=sign_in_guard.device_digest(device_token), now=now
        )
        token = _open_session(session, user.id, now)
        user.last_login_at = now
        session.add(user)
        audit.record(
            session, user_id=user.id, action="sign_in", entity="user_account", entity_id=user.id
        )
    return SignedIn(token=token, device_token=device_token, user=user)


def _open_session(session: Session, user_id: int, now: datetime) -> str:
    """A new session row; the token is for the cookie."""
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


def resolve_session(
    session: Session, token: str, *, now: datetime | None = None
) -> tuple[UserAccount, AuthSession] | None:
    """The active user behind a session cookie, or None (unknown, expired, revoked, or the
    account was disabled)."""
    if not token:
        return None
    now = now or utcnow()
    row = session.execute(_session_query(), {"token_hash": token_digest(token), "now": now}).first()
    if row is None:
        return None
    auth, user = row
    return user, auth


@cache
def _session_query() -> Select[AuthSession, UserAccount]:
    """Built once and bound at each request: every page resolves its cookie, and building the
    statement cost about as much as running it."""
    expires_at = AuthSession.__table__.c.expires_at  # type: ignore[attr-defined]
    return (
        sa_select(AuthSession, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(AuthSession.user_id))
        .where(col(AuthSession.token_hash) == bindparam("token_hash"))
        .where(col(AuthSession.revoked_at).is_(None))
        .where(expires_at > bindparam("now", type_=expires_at.type))
        .where(col(UserAccount.is_active).is_(True))
    )


def sign_out(session: Session, *, token: str) -> None:
    """End the session behind the cookie (idempotent)."""
    with unit_of_work(session):
        session.execute(
            update(AuthSession)
            .where(col(AuthSession.token_hash) == token_digest(token))
            .where(col(AuthSession.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all_sessions(session: Session, *, user_id: int, keep: int | None = None) -> None:
    """End every session of a user but `keep` (the one a user changing their own password
    signed in with). No commit: part of a use case's unit of work."""
    query = (
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id)
        .where(col(AuthSession.revoked_at).is_(None))
    )
    if keep is not None:
        query = query.where(col(AuthSession.id) != keep)
    session.execute(query.values(revoked_at=utcnow()))
