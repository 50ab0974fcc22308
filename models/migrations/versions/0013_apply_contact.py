"""people reach each other: outbox, notifications, applications from the job board, one-time
phone codes; a person's phone gets a keyed hash (found again by phone) and ethnicity becomes
optional (never asked of someone applying from the board)

Phones already stored get their keyed hash with the configured keys (as in 0006); a
database with no phone needs no key to upgrade.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.encryption import PERSON_PHONE, ensure_keys

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
HASHED = sa.String(length=80)
TEXT = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    _tables()
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("phone_hash", HASHED, nullable=True))
        batch_op.alter_column("ethnicity_code", existing_type=TEXT(length=2), nullable=True)
        batch_op.create_index(batch_op.f("ix_person_phone_hash"), ["phone_hash"], unique=False)
    _fill_phone_hashes()


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_phone_hash"))
        batch_op.drop_column("phone_hash")
        batch_op.alter_column("ethnicity_code", existing_type=TEXT(length=2), nullable=False)
    for table in ("phone_code", "application", "notification", "outbox"):
        op.drop_table(table)


def _tables() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", TEXT(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=True),
        sa.Column("text", TEXT(length=500), nullable=False),
        sa.Column("purpose", TEXT(length=30), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('sms','zalo','email')", name=op.f("ck_outbox_channel_value")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_outbox_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_outbox_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"])
    op.create_index(op.f("ix_outbox_person_id"), "outbox", ["person_id"])
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("msgid", TEXT(length=200), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", TEXT(length=200), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_notification_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_notification_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_employer", "notification", ["employer_id", "created_at"])
    op.create_index("ix_notification_institution", "notification", ["institution_id", "created_at"])
    op.create_index("ix_notification_user", "notification", ["user_id", "created_at"])
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("trade", TEXT(length=120), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=True),
        sa.Column("status", TEXT(length=10), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("withdrawn_at", WHEN(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open','withdrawn')", name=op.f("ck_application_status_value")
        ),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["training_occupation.id"],
            name=op.f("fk_application_occupation_id_training_occupation"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_application_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancy.id"], name=op.f("fk_application_vacancy_id_vacancy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
        sa.UniqueConstraint("vacancy_id", "person_id", name="uq_application_vacancy_person"),
    )
    op.create_index(op.f("ix_application_person_id"), "application", ["person_id"])
    op.create_index(op.f("ix_application_vacancy_id"), "application", ["vacancy_id"])
    op.create_table(
        "phone_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_hash", TEXT(length=80), nullable=False),
        sa.Column("address_hash", TEXT(length=64), nullable=False),
        sa.Column("purpose", TEXT(length=20), nullable=False),
        sa.Column("code_hash", TEXT(length=80), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("expires_at", WHEN(), nullable=False),
        sa.Column("used_at", WHEN(), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_code")),
    )
    op.create_index("ix_phone_code_phone_at", "phone_code", ["phone_hash", "created_at"])
    op.create_index("ix_phone_code_address_at", "phone_code", ["address_hash", "created_at"])


def _fill_phone_hashes() -> None:
    """Every stored phone's keyed hash, a batch of rows at a time, by id."""
    bind = op.get_bind()
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("phone", sa.String),
        sa.column("phone_hash", sa.String),
    )
    if (
        bind.execute(sa.select(person.c.id).where(person.c.phone.is_not(None)).limit(1)).first()
        is None
    ):
        return
    keyring = ensure_keys(bind.engine.url.render_as_string(hide_password=False))
    update = (
        person.update()
        .where(person.c.id == sa.bindparam("row_id"))
        .values(phone_hash=sa.bindparam("digest"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(person.c.id, person.c.phone)
            .where(person.c.id > last, person.c.phone.is_not(None))
            .order_by(person.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [
            {
                "row_id": row.id,
                "digest": keyring.blind_index(_plain(keyring, row.phone), PERSON_PHONE),
            }
            for row in rows
        ]
        bind.execute(update, changed)
        last = rows[-1].id


def _plain(keyring, sealed: str) -> str:  # type: ignore[no-untyped-def]
    return keyring.open(sealed, PERSON_PHONE)
