"""corrections: a person's change history, data subject requests and their legal deadline,
and the Excel import that created a person, an enrolment or a follow-up (to undo it)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:30:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTO = sqlmodel.sql.sqltypes.AutoString
MOMENT = sqlmodel.sql.sqltypes.UTCDateTime
SEALED = 100  # models.encryption.columns.SEALED_LENGTH
IMPORTED = ("person", "enrolment", "follow_up")


def upgrade() -> None:
    op.create_table(
        "person_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", MOMENT(), nullable=False),
        sa.Column("field", AUTO(length=30), nullable=False),
        sa.Column("old_value", AUTO(length=200), nullable=True),
        sa.Column("new_value", AUTO(length=200), nullable=True),
        sa.Column("old_sealed", sa.String(length=SEALED), nullable=True),
        sa.Column("new_sealed", sa.String(length=SEALED), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_change_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_person_change_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_change")),
    )
    op.create_index("ix_person_change_person", "person_change", ["person_id", "changed_at"])
    op.create_table(
        "legal_deadline",
        sa.Column("key", AUTO(length=40), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("basis", AUTO(length=300), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("updated_at", MOMENT(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_legal_deadline")),
    )
    op.create_table(
        "data_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", AUTO(length=12), nullable=False),
        sa.Column("channel", AUTO(length=12), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("note", AUTO(length=500), nullable=False),
        sa.Column("outcome", AUTO(length=12), nullable=True),
        sa.Column("outcome_note", AUTO(length=500), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENT(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_data_request_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_data_request_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["user_account.id"],
            name=op.f("fk_data_request_handled_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_request")),
    )
    op.create_index("ix_data_request_open", "data_request", ["outcome", "due_on"])
    op.create_index(op.f("ix_data_request_person_id"), "data_request", ["person_id"])
    for table in IMPORTED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_import_id"), ["import_id"])
    deadline = sa.table(
        "legal_deadline",
        sa.column("key", sa.String),
        sa.column("days", sa.Integer),
        sa.column("basis", sa.String),
        sa.column("verified", sa.Boolean),
        sa.column("updated_at", sa.DateTime),
    )
    op.bulk_insert(
        deadline,
        [
            {
                "key": "data_subject_request",
                "days": 15,
                "basis": "Nghị định 356/2025/NĐ-CP (chưa đối chiếu văn bản gốc)",
                "verified": False,
                "updated_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    for table in IMPORTED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_import_id"))
            batch_op.drop_column("import_id")
    op.drop_table("data_request")
    op.drop_table("legal_deadline")
    op.drop_index("ix_person_change_person", table_name="person_change")
    op.drop_table("person_change")
