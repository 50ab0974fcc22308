"""person sort key: lists of people sorted and paged by the database

Each person gets the Vietnamese list order (given, middle, family name, diacritics folded, then
the exact spelling) as one string compared byte by byte ("C" collation on PostgreSQL), so the
trainee list reads one page instead of sorting every match in Python. Rows already stored are
filled in from their name parts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from matching.text import name_sort_text

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LENGTH = 270
SORT_KEY = sa.String(LENGTH).with_variant(sa.String(LENGTH, collation="C"), "postgresql")
BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("sort_key", SORT_KEY, nullable=True))
    _fill()
    with op.batch_alter_table("person") as batch_op:
        batch_op.alter_column("sort_key", existing_type=SORT_KEY, nullable=False)
        batch_op.create_index(batch_op.f("ix_person_sort_key"), ["sort_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_sort_key"))
        batch_op.drop_column("sort_key")


def _fill() -> None:
    """Every stored person's key, a batch of rows at a time, by id."""
    bind = op.get_bind()
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        *(sa.column(name, sa.String) for name in ("given_name", "middle_name", "family_name")),
        sa.column("full_name", sa.String),
        sa.column("sort_key", sa.String),
    )
    update = (
        person.update()
        .where(person.c.id == sa.bindparam("row_id"))
        .values(sort_key=sa.bindparam("key"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(
                person.c.id,
                person.c.given_name,
                person.c.middle_name,
                person.c.family_name,
                person.c.full_name,
            )
            .where(person.c.id > last)
            .order_by(person.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            update,
            [
                {"row_id": row[0], "key": name_sort_text(*(part or "" for part in row[1:]))}
                for row in rows
            ],
        )
        last = rows[-1][0]
