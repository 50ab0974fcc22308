"""login attempts: whether the password has been checked yet

A sign-in attempt is written before its password is checked. Until now it counted as a
failure for its address as well as its account while the check ran, so people signing in at
the same moment from one shared address (a job fair's Wi-Fi, a commune office's line, a mobile
carrier's shared address) were told to wait although nobody had failed. Attempts being checked
now count for their account (parallel guesses at one account stay bounded), and for their
address only past a cap. Existing rows were all checked.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempt") as batch:
        batch.add_column(
            sa.Column("checked", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("login_attempt") as batch:
        batch.drop_column("checked")
