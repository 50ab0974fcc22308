"""the API's training orders and new-jobs reports: updated_at for syncing; reports by token

Partners sync training orders and new-jobs reports by update time, so each gets `updated_at`
(set for the rows already stored from their latest known change) with an index on
(updated_at, id) for the cursor. A report sent by a machine's API token has no user behind
it: `submitted_by_id` becomes optional (the audit entry names the token).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
FILLED = {
    "training_order": "COALESCE(closed_at, decided_at, requested_at)",
    "new_job_report": "COALESCE(withdrawn_at, submitted_at)",
}


def upgrade() -> None:
    for table, latest in FILLED.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("updated_at", WHEN(), nullable=True))
        op.execute(f"UPDATE {table} SET updated_at = {latest}")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("updated_at", existing_type=WHEN(), nullable=False)
            batch_op.create_index(f"ix_{table}_updated_at_id", ["updated_at", "id"], unique=False)
    with op.batch_alter_table("new_job_report") as batch_op:
        batch_op.alter_column("submitted_by_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("new_job_report") as batch_op:
        batch_op.alter_column("submitted_by_id", existing_type=sa.Integer(), nullable=False)
    for table in FILLED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_updated_at_id")
            batch_op.drop_column("updated_at")
