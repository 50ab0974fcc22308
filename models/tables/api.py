"""The machine API's own records: tokens (stored hashed), the scopes an administrator lets
each organisation's staff grant, the per-minute request counters of the rate limit, and the
responses kept for `Idempotency-Key` retries. All in the database, so they hold across the
server's worker processes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow

ORGANISATION_CHECKS = (
    CheckConstraint(
        "org_kind IN ('institution','employer','commune','job_centre')", name="org_kind_value"
    ),
    CheckConstraint(
        "(org_kind = 'institution') = (institution_id IS NOT NULL)", name="institution_bound"
    ),
    CheckConstraint("(org_kind = 'employer') = (employer_id IS NOT NULL)", name="employer_bound"),
    CheckConstraint("(org_kind = 'commune') = (commune_code IS NOT NULL)", name="commune_bound"),
)


class ApiToken(SQLModel, table=True):
    """A machine's credential for one organisation. Only the SHA-256 of the secret is kept;
    `prefix` (the secret's first characters) lets people tell their tokens apart."""

    __tablename__ = "api_token"
    __table_args__ = (
        *ORGANISATION_CHECKS,
        Index("ix_api_token_employer_id", "employer_id"),
        Index("ix_api_token_institution_id", "institution_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    org_kind: str = Field(max_length=12)
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    commune_code: str | None = Field(default=None, max_length=5)
    scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiScopeAllowance(SQLModel, table=True):
    """The scopes an administrator lets the staff of one institution or employer put on the
    tokens they issue themselves (none without a row)."""

    __tablename__ = "api_scope_allowance"
    __table_args__ = (
        *ORGANISATION_CHECKS,
        UniqueConstraint("institution_id", name="uq_api_scope_allowance_institution"),
        UniqueConstraint("employer_id", name="uq_api_scope_allowance_employer"),
    )
    id: int | None = Field(default=None, primary_key=True)
    org_kind: str = Field(max_length=12)
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    commune_code: str | None = Field(default=None, max_length=5)
    scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    updated_by: int | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=utcnow)


class ApiRateWindow(SQLModel, table=True):
    """How many requests a token made in one minute (minutes since the epoch)."""

    __tablename__ = "api_rate_window"
    token_id: int = Field(foreign_key="api_token.id", primary_key=True)
    minute: int = Field(primary_key=True)
    count: int = 0


class ApiIdempotency(SQLModel, table=True):
    """A write sent with an `Idempotency-Key`: the request's fingerprint and the response it
    got, stored in the write's own transaction. The unique (token, key) makes a concurrent
    duplicate fail instead of writing twice."""

    __tablename__ = "api_idempotency"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_api_idempotency_token_key"),)
    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key="api_token.id")
    key: str = Field(max_length=255)
    fingerprint: str = Field(max_length=64)
    status_code: int
    body: dict[str, object] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, index=True)
