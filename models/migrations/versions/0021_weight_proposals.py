"""weight proposals: component weights learned from referral outcomes

Each `dbjobs fit-weights` stores a proposal: the weights fitted on the earlier outcomes, the
hand weights, both judged on the later outcomes (nDCG, AUC), and whether it beat them. An
administrator adopts one (the engine then uses it) or reverts to the one adopted before.

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
TEXT = sa.String


def upgrade() -> None:
    op.create_table(
        "weight_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fitted_on", sa.Date(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("hand_weights", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("beats_hand", sa.Boolean(), nullable=False),
        sa.Column("state", TEXT(length=10), nullable=False),
        sa.Column("replaced_id", sa.Integer(), nullable=True),
        sa.Column("adopted_at", WHEN(), nullable=True),
        sa.Column("adopted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.CheckConstraint(
            "state IN ('proposed','adopted','retired')",
            name=op.f("ck_weight_proposal_state_value"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_id"],
            ["weight_proposal.id"],
            name=op.f("fk_weight_proposal_replaced_id_weight_proposal"),
        ),
        sa.ForeignKeyConstraint(
            ["adopted_by_id"],
            ["user_account.id"],
            name=op.f("fk_weight_proposal_adopted_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_proposal")),
    )
    op.create_index("ix_weight_proposal_state", "weight_proposal", ["state"])
    op.create_index(
        "uq_weight_proposal_adopted",
        "weight_proposal",
        ["state"],
        unique=True,
        sqlite_where=sa.text("state = 'adopted'"),
        postgresql_where=sa.text("state = 'adopted'"),
    )


def downgrade() -> None:
    op.drop_table("weight_proposal")
