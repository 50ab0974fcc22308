"""personal data encrypted at rest: citizen IDs and phones sealed, citizen IDs hashed

Citizen IDs and phone numbers already stored are encrypted with the configured keys
(models/encryption: PERSONAL_DATA_KEYS, PERSONAL_DATA_KEY_FILE, or the embedded default's
generated file), and every citizen ID gets its keyed hash, which now carries the uniqueness
the plain column had. A database with no such values needs no key to upgrade.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:30:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from models.encryption import (
    EMPLOYER_PHONE,
    INSTITUTION_PHONE,
    PERSON_CITIZEN_ID,
    PERSON_PHONE,
    Keyring,
    ensure_keys,
)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
SEALED = sa.String(length=100)
HASHED = sa.String(length=80)
# table -> its personal data columns and what each is bound to when sealed
COLUMNS = {
    "person": {"citizen_id": PERSON_CITIZEN_ID, "phone": PERSON_PHONE},
    "employer": {"phone": EMPLOYER_PHONE},
    "institution": {"phone": INSTITUTION_PHONE},
}
PLAIN_LENGTH = {"citizen_id": 12, "phone": 16}


def upgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_constraint("uq_person_citizen_id", type_="unique")
        batch_op.add_column(sa.Column("citizen_id_hash", HASHED, nullable=True))
    _widen(SEALED)
    keyring = _keys_if_needed()
    if keyring is not None:
        for table, columns in COLUMNS.items():
            _rewrite(table, columns, _sealer(keyring, table == "person"))
    with op.batch_alter_table("person") as batch_op:
        batch_op.create_unique_constraint(op.f("uq_person_citizen_id_hash"), ["citizen_id_hash"])
        batch_op.create_check_constraint(
            op.f("ck_person_citizen_id_hashed"),
            "(citizen_id IS NULL) = (citizen_id_hash IS NULL)",
        )


def downgrade() -> None:
    keyring = _keys_if_needed()
    if keyring is not None:
        for table, columns in COLUMNS.items():
            _rewrite(table, columns, _opener(keyring))
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_constraint(op.f("ck_person_citizen_id_hashed"), type_="check")
        batch_op.drop_constraint(op.f("uq_person_citizen_id_hash"), type_="unique")
        batch_op.drop_column("citizen_id_hash")
    _widen(None)
    with op.batch_alter_table("person") as batch_op:
        batch_op.create_unique_constraint("uq_person_citizen_id", ["citizen_id"])


def _widen(to: sa.String | None) -> None:
    """Sealed values are longer than the plain ones; `None` narrows back."""
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                plain = sa.String(length=PLAIN_LENGTH[column])
                batch_op.alter_column(
                    column,
                    type_=to or plain,
                    existing_type=plain if to else SEALED,
                    existing_nullable=True,
                )


def _keys_if_needed() -> Keyring | None:
    """The keys, loaded only when some personal data column holds a value."""
    bind = op.get_bind()
    for table, columns in COLUMNS.items():
        raw = sa.table(table, *(sa.column(name, sa.String) for name in columns))
        present = sa.or_(*(raw.c[name].is_not(None) for name in columns))
        if bind.execute(sa.select(sa.literal(1)).where(present).limit(1)).first():
            return ensure_keys(bind.engine.url.render_as_string(hide_password=False))
    return None


Row = dict[str, str | None]


def _sealer(keyring: Keyring, hashed: bool) -> Callable[[str, Row], Row]:
    def seal(table: str, row: Row) -> Row:
        out: Row = {
            name: None if value is None else keyring.seal(value, COLUMNS[table][name])
            for name, value in row.items()
        }
        if hashed:
            number = row["citizen_id"]
            out["citizen_id_hash"] = (
                None if number is None else keyring.blind_index(number, PERSON_CITIZEN_ID)
            )
        return out

    return seal


def _opener(keyring: Keyring) -> Callable[[str, Row], Row]:
    def open_row(table: str, row: Row) -> Row:
        return {
            name: None if value is None else keyring.open(value, COLUMNS[table][name])
            for name, value in row.items()
        }

    return open_row


def _rewrite(table: str, columns: dict[str, str], change: Callable[[str, Row], Row]) -> None:
    """Rewrite every row's personal data columns, a batch of rows at a time, by id."""
    bind = op.get_bind()
    names = list(columns)
    extra = ["citizen_id_hash"] if table == "person" else []
    raw = sa.table(
        table, sa.column("id", sa.Integer), *(sa.column(n, sa.String) for n in names + extra)
    )
    present = sa.or_(*(raw.c[name].is_not(None) for name in names))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(raw.c.id, *(raw.c[n] for n in names))
            .where(raw.c.id > last, present)
            .order_by(raw.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = []
        for row in rows:
            values = change(table, {name: row._mapping[name] for name in names})
            changed.append({"row_id": row.id, **{f"new_{k}": v for k, v in values.items()}})
        keys = [k.removeprefix("new_") for k in changed[0] if k.startswith("new_")]
        bind.execute(
            raw.update()
            .where(raw.c.id == sa.bindparam("row_id"))
            .values({k: sa.bindparam(f"new_{k}") for k in keys}),
            changed,
        )
        last = rows[-1].id
