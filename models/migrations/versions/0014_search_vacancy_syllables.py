"""vacancy search text: whole-syllable search and open meaning "before the deadline"

Each vacancy gets `search_text`, the folded syllables of its title, skills and description
with a space at each end, so the board finds a whole syllable with LIKE '% han %' on SQLite
and PostgreSQL alike; `title_key` is recomputed the same way (punctuation never sticks to a
syllable). An index on (status, deadline) serves "open" (status open, deadline not passed),
which every count of open vacancies now reads.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:30:00
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from matching.syllables import advert_key, title_key

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("vacancy") as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    _fill()
    with op.batch_alter_table("vacancy") as batch_op:
        batch_op.alter_column("search_text", existing_type=sa.Text(), nullable=False)
        batch_op.create_index("ix_vacancy_status_deadline", ["status", "deadline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vacancy") as batch_op:
        batch_op.drop_index("ix_vacancy_status_deadline")
        batch_op.drop_column("search_text")


def _skills(value: Any) -> list[str]:
    """The JSON list as stored (text on SQLite, already decoded on PostgreSQL)."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [str(each) for each in value or []]


def _fill() -> None:
    """Every stored vacancy's keys, a batch of rows at a time, by id."""
    bind = op.get_bind()
    vacancy = sa.table(
        "vacancy",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("description", sa.String),
        sa.column("skills", sa.Text),
        sa.column("title_key", sa.String),
        sa.column("search_text", sa.Text),
    )
    update = (
        vacancy.update()
        .where(vacancy.c.id == sa.bindparam("row_id"))
        .values(
            title_key=sa.bindparam("new_title_key"), search_text=sa.bindparam("new_search_text")
        )
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(vacancy.c.id, vacancy.c.title, vacancy.c.description, vacancy.c.skills)
            .where(vacancy.c.id > last)
            .order_by(vacancy.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            update,
            [
                {
                    "row_id": row[0],
                    "new_title_key": title_key(row[1] or "")[:200],
                    "new_search_text": advert_key(row[1] or "", row[2] or "", _skills(row[3])),
                }
                for row in rows
            ],
        )
        last = rows[-1][0]
