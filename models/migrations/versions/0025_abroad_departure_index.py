"""abroad departures index: new_job_line (channel, start_date, id)

The departures list of work abroad reads the register lines of one channel, latest first, a
page at a time after or before a line (keyset), and counts them. Without an index on the
channel each of those reads scanned every line of the register (225,000 at ten times the
province, for 3,500 departures); with it they read the departures alone, in the list's order
(docs/performance.md, "Work abroad: the departures list").

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_new_job_line_channel_start_date_id"


def upgrade() -> None:
    op.create_index(NAME, "new_job_line", ["channel", "start_date", "id"], unique=False)


def downgrade() -> None:
    op.drop_index(NAME, table_name="new_job_line")
