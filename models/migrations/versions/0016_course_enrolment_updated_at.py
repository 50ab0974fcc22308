"""course.updated_at and enrolment.updated_at, for the API's sync by change time

An institution's student-management system syncs its courses and enrolments by update time,
so each row gets `updated_at` (its creation time for the rows already stored) with an index
on (updated_at, id) for the cursor.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
TABLES = ("course", "enrolment")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("updated_at", WHEN(), nullable=True))
        op.execute(f"UPDATE {table} SET updated_at = created_at")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("updated_at", existing_type=WHEN(), nullable=False)
            batch_op.create_index(f"ix_{table}_updated_at_id", ["updated_at", "id"], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_updated_at_id")
            batch_op.drop_column("updated_at")
