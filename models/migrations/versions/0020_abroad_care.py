"""abroad care: orientation, support and return of each departure to work abroad

One row per register line of the abroad channel (`abroad_departure`, unique by line): the
pre-departure orientation, the loan or support received, the planned and actual return date,
and the languages and skills learned abroad, told at return.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
TEXT = sa.String


def upgrade() -> None:
    op.create_table(
        "abroad_departure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("orientation_attended", sa.Boolean(), nullable=True),
        sa.Column("orientation_date", sa.Date(), nullable=True),
        sa.Column("orientation_provider", TEXT(length=200), nullable=False),
        sa.Column("support_kind", TEXT(length=20), nullable=True),
        sa.Column("support_amount", sa.Integer(), nullable=True),
        sa.Column("support_source", TEXT(length=200), nullable=False),
        sa.Column("planned_return", sa.Date(), nullable=True),
        sa.Column("actual_return", sa.Date(), nullable=True),
        sa.Column("languages", TEXT(length=300), nullable=False),
        sa.Column("skills_learned", TEXT(length=500), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("updated_at", WHEN(), nullable=False),
        sa.CheckConstraint(
            "support_amount IS NULL OR support_amount >= 0",
            name=op.f("ck_abroad_departure_amount_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["new_job_line.id"],
            name=op.f("fk_abroad_departure_line_id_new_job_line"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_abroad_departure_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_abroad_departure_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abroad_departure")),
        sa.UniqueConstraint("line_id", name="uq_abroad_departure_line_id"),
    )
    op.create_index("ix_abroad_departure_person_id", "abroad_departure", ["person_id"])
    op.create_index("ix_abroad_departure_actual_return", "abroad_departure", ["actual_return"])


def downgrade() -> None:
    op.drop_table("abroad_departure")
