"""learner support once: the policy a support payment was made under, once per person

Learner support under QĐ 46/2015 is paid once per person. An enrolment that records such
support names the policy in `support_policy`; a partial unique index on (person_id,
support_policy) where it is set refuses a second one, even from two clerks at the same moment.

Rows already stored are filled in: for each person, the first enrolment (by enrolment date,
then id) with support on a course funded under QĐ 46 ("qd46") gets the policy. A later one that
already holds support stays unmarked (it was recorded before the rule) rather than failing
the migration.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 21:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICY = "qd46"
WHERE = sa.text("support_policy IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("enrolment") as batch_op:
        batch_op.add_column(sa.Column("support_policy", sa.String(length=30), nullable=True))
    _fill()
    op.create_index(
        "uq_enrolment_support_once",
        "enrolment",
        ["person_id", "support_policy"],
        unique=True,
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("uq_enrolment_support_once", table_name="enrolment")
    with op.batch_alter_table("enrolment") as batch_op:
        batch_op.drop_column("support_policy")


def _fill() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT e.id, e.person_id FROM enrolment e JOIN course c ON c.id = e.course_id "
            "WHERE e.support_amount > 0 AND c.funding_source = :policy "
            "ORDER BY e.person_id, e.enrolled_on, e.id"
        ),
        {"policy": POLICY},
    ).all()
    first: dict[int, int] = {}
    for enrolment_id, person_id in rows:
        first.setdefault(person_id, enrolment_id)
    if first:
        bind.execute(
            sa.text("UPDATE enrolment SET support_policy = :policy WHERE id = :row_id"),
            [{"policy": POLICY, "row_id": row_id} for row_id in first.values()],
        )
