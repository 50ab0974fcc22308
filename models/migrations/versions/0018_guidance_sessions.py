"""career guidance sessions; the communes' coordinates

A counsellor (commune officer, Employment Service Centre) records a guidance session: the
commune, the trades advised, and, with the person's consent, what they said and the follow-up.
Admin units get the latitude and longitude the admin-unit package gives for each ward (filled
by the next reference-data load), so courses can be ordered by distance from a commune.

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("admin_unit") as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
    op.create_table(
        "guidance_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_key", TEXT(length=64), nullable=False),
        sa.Column("commune_code", TEXT(length=5), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("advised_occupations", sa.JSON(), nullable=False),
        sa.Column("advice", TEXT(length=2000), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("education", TEXT(length=20), nullable=True),
        sa.Column("willing_to_move", sa.Boolean(), nullable=True),
        sa.Column("willing_abroad", sa.Boolean(), nullable=True),
        sa.Column("interests", TEXT(length=500), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_note", TEXT(length=500), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_key"),
    )
    with op.batch_alter_table("guidance_session") as batch_op:
        batch_op.create_index("ix_guidance_session_commune_code", ["commune_code"], unique=False)
        batch_op.create_index("ix_guidance_session_person_id", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("guidance_session")
    with op.batch_alter_table("admin_unit") as batch_op:
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
