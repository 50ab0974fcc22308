"""Changing one's own password, and an administrator's reset. Either ends the user's other
sessions at once and is audited.

A reset gives the user a one-time temporary password, shown once to the administrator, and
marks the account so that the next sign-in leads straight to choosing a new password: the
administrator never knows the password the user goes on with, and a temporary password
that leaks (read out on the phone, written down) is worth nothing once the user has chosen
theirs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session

from models import audit
from models.accounts import hash_password, verify_password
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.errors import InvalidError
from models.locking import locked_row
from models.passwords import check_new_password
from models.rows import get_or_404
from models.tables import UserAccount
from models.validation import ErrorCollector
from web.auth import Principal
from web.services import sign_in_guard
from web.services.auth import revoke_all_sessions
from web.services.sign_in_guard import Source

# No 0/o, 1/l/i: read out on the phone or copied from paper without mistakes.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS = 4  # of 4 characters: 19 characters with the hyphens, about 79 bits


@dataclass
class PasswordChange:
    """The form a signed-in user fills in to change their password."""

    current_password: str = ""
    new_password: str = ""
    new_password_repeat: str = ""


def _new_password(form: PasswordChange) -> str:
    check_new_password(form.new_password, "new_password")
    if form.new_password == form.current_password:
        raise InvalidError("new_password", "Choose a password other than the current one.")
    return form.new_password


def _repeated(form: PasswordChange) -> None:
    if form.new_password != form.new_password_repeat:
        raise InvalidError("new_password_repeat", "The two passwords are not the same.")


def change_own_password(
    session: Session, *, principal: Principal, source: Source, form: PasswordChange
) -> None:
    """Check the current password (guessing it here is slowed down like signing in), set
    the new one, end the user's other sessions. Slow (argon2 twice): call from a worker
    thread (a plain `def` route)."""
    errors = ErrorCollector()
    new_password = errors.check(_new_password, form)
    errors.check(_repeated, form)
    errors.raise_if_any()
    user_id, username = principal.user.id, principal.user.username
    assert user_id is not None and new_password is not None
    now = utcnow()
    with unit_of_work(session):
        attempt_id = sign_in_guard.claim_attempt(session, username=username, source=source, now=now)
    if not verify_password(principal.user.password_hash, form.current_password):
        with unit_of_work(session):
            sign_in_guard.mark_failed(session, attempt_id, now)
        raise InvalidError("current_password", "The current password is not right.")
    password_hash = hash_password(new_password)
    with unit_of_work(session):
        sign_in_guard.forget_attempt(session, attempt_id)
        _set_password(session, user_id, password_hash, must_change=False)
        revoke_all_sessions(session, user_id=user_id, keep=principal.auth.id)
        audit.record(
            session,
            user_id=user_id,
            action="change_password",
            entity="user_account",
            entity_id=user_id,
        )


def temporary_password() -> str:
    groups = (
        "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4))
        for _ in range(TEMPORARY_GROUPS)
    )
    return "-".join(groups)


def reset_password(session: Session, *, principal: Principal, user_id: int) -> str:
    """Give the account a temporary password that must be changed at the next sign-in, end
    all its sessions (but the administrator's own), and return the password to show once."""
    password = temporary_password()
    end_read(session)  # hashing is slow: no transaction waits for it
    password_hash = hash_password(password)
    with unit_of_work(session):
        get_or_404(session, UserAccount, user_id, "There is no such account.")
        _set_password(session, user_id, password_hash, must_change=True)
        revoke_all_sessions(session, user_id=user_id, keep=principal.auth.id)
        audit.record(
            session,
            user_id=principal.user.id,
            action="reset_password",
            entity="user_account",
            entity_id=user_id,
        )
    return password


def _set_password(session: Session, user_id: int, password_hash: str, *, must_change: bool) -> None:
    user = locked_row(session, UserAccount, user_id)
    if user is None:
        raise InvalidError(None, "There is no such account.")
    user.password_hash = password_hash
    user.must_change_password = must_change
    session.add(user)
