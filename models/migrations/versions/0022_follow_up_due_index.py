"""follow-up due index: enrolment (graduated_on, status, person_id)

The follow-up list and its counts walk the graduations of the last year newest first and, for
each, check the status and probe the person's employment spells. With the status and the
person in the graduation-date index, that walk reads the index alone instead of fetching every
enrolment row (docs/performance.md, "Follow-ups at 10x").

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_enrolment_graduated_on_status_person_id"


def upgrade() -> None:
    op.create_index(NAME, "enrolment", ["graduated_on", "status", "person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(NAME, table_name="enrolment")
