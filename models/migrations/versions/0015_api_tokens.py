"""the machine API: tokens, scope allowances, rate windows, idempotency keys; vacancy.updated_at

Partners sync vacancies by update time, so each vacancy gets `updated_at` (set to its
creation time for the rows already stored) with an index on (updated_at, id) for the cursor.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
ORG_KIND = "org_kind IN ('institution','employer','commune','job_centre')"


def _organisation_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("org_kind", sa.String(length=12), nullable=False),
        sa.Column("institution_id", sa.Integer(), sa.ForeignKey("institution.id"), nullable=True),
        sa.Column("employer_id", sa.Integer(), sa.ForeignKey("employer.id"), nullable=True),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
    ]


def _organisation_checks() -> list[sa.CheckConstraint]:
    return [
        sa.CheckConstraint(ORG_KIND, name="org_kind_value"),
        sa.CheckConstraint(
            "(org_kind = 'institution') = (institution_id IS NOT NULL)", name="institution_bound"
        ),
        sa.CheckConstraint(
            "(org_kind = 'employer') = (employer_id IS NOT NULL)", name="employer_bound"
        ),
        sa.CheckConstraint(
            "(org_kind = 'commune') = (commune_code IS NOT NULL)", name="commune_bound"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        *_organisation_columns(),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("expires_at", WHEN(), nullable=False),
        sa.Column("last_used_at", WHEN(), nullable=True),
        sa.Column("revoked_at", WHEN(), nullable=True),
        *_organisation_checks(),
    )
    op.create_index("ix_api_token_employer_id", "api_token", ["employer_id"])
    op.create_index("ix_api_token_institution_id", "api_token", ["institution_id"])
    op.create_table(
        "api_scope_allowance",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_organisation_columns(),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("updated_at", WHEN(), nullable=False),
        *_organisation_checks(),
        sa.UniqueConstraint("institution_id", name="uq_api_scope_allowance_institution"),
        sa.UniqueConstraint("employer_id", name="uq_api_scope_allowance_employer"),
    )
    op.create_table(
        "api_rate_window",
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("api_token.id"), primary_key=True),
        sa.Column("minute", sa.Integer(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "api_idempotency",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("api_token.id"), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.UniqueConstraint("token_id", "key", name="uq_api_idempotency_token_key"),
    )
    op.create_index("ix_api_idempotency_created_at", "api_idempotency", ["created_at"])
    with op.batch_alter_table("vacancy") as batch_op:
        batch_op.add_column(sa.Column("updated_at", WHEN(), nullable=True))
    op.execute("UPDATE vacancy SET updated_at = created_at")
    with op.batch_alter_table("vacancy") as batch_op:
        batch_op.alter_column("updated_at", existing_type=WHEN(), nullable=False)
        batch_op.create_index("ix_vacancy_updated_at_id", ["updated_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vacancy") as batch_op:
        batch_op.drop_index("ix_vacancy_updated_at_id")
        batch_op.drop_column("updated_at")
    op.drop_index("ix_api_idempotency_created_at", table_name="api_idempotency")
    op.drop_table("api_idempotency")
    op.drop_table("api_rate_window")
    op.drop_table("api_scope_allowance")
    op.drop_index("ix_api_token_institution_id", table_name="api_token")
    op.drop_index("ix_api_token_employer_id", table_name="api_token")
    op.drop_table("api_token")
