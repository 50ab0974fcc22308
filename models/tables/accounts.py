"""User accounts, server-side sessions and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class UserAccount(SQLModel, table=True):
    """Someone who signs in: an administrator, an official, or staff bound to one institution
    or one employer, or a commune officer bound to one commune (the CHECKs make a staff account
    without its organisation impossible)."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin','official','institution','employer','commune','job_centre')",
            name="role_value",
        ),
        CheckConstraint(
            "(role = 'institution') = (institution_id IS NOT NULL)", name="institution_bound"
        ),
        CheckConstraint("(role = 'employer') = (employer_id IS NOT NULL)", name="employer_bound"),
        CheckConstraint("(role = 'commune') = (commune_code IS NOT NULL)", name="commune_bound"),
    )
    username: str = Field(max_length=60, unique=True)
    full_name: str = Field(max_length=120)
    role: str = Field(max_length=12)
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    commune_code: str | None = Field(default=None, max_length=5)  # a commune officer's commune
    language: str = Field(default="vi", max_length=2)
    is_active: bool = True
    # Set by an administrator's reset: the temporary password must be replaced at once.
    must_change_password: bool = False
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class AuthSession(SQLModel, table=True):
    """A sign-in the server can revoke: the cookie holds a token whose hash is stored here."""

    __tablename__ = "auth_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, written before the password is checked (so parallel guesses at
    one account count) as unchecked, then marked checked: a success when the password was
    right, a failure otherwise. Failures slow down guessing (web/services/sign_in_guard.py);
    successes make an address or a device "usual" for the account for 30 days. Only the hash
    of the device cookie is kept; old rows are pruned."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
        Index("ix_login_attempt_device_hash", "device_hash"),
        Index("ix_login_attempt_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60)
    address: str = Field(default="", max_length=64)
    device_hash: str | None = Field(default=None, max_length=64)
    succeeded: bool = False
    # False while the password is being checked. An attempt left unchecked (its process
    # stopped) counts as a failure once PENDING_FOR has passed.
    checked: bool = True
    at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Who did what to which record, and whose personal data it touched."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    action: str = Field(max_length=40)  # create, update, view_personal_data, import, hire, ...
    entity: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    details: dict[str, object] = Field(default_factory=dict, sa_type=JSON)
