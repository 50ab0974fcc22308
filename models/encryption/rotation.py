"""Moving every stored value to the newest keys (`dbjobs rotate-key`).

A value sealed under an older key is opened and sealed again under the current one; a keyed
hash under an older hash key is computed again from the opened value. The rows go a batch at
a time, each batch its own short unit of work, so the site keeps working meanwhile and an
interrupted rotation continues where it stopped when run again: it only ever picks the values
not yet under the current keys. A value a user changed between the read and the write is
left alone (the write is conditional on the old value); it was written under the keys of the
process that changed it, and the next run picks it up if those were old.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from models.db import unit_of_work
from models.encryption.columns import KeyedHash, hash_columns, sealed_columns
from models.encryption.keyring import Keyring

DEFAULT_BATCH = 1000


@dataclass(frozen=True)
class ProtectedTable:
    """A table's sealed columns (name -> purpose) and keyed hash columns."""

    name: str
    sealed: dict[str, str]
    hashes: dict[str, KeyedHash]

    def raw(self) -> sa.TableClause:
        """The table as plain text columns: values as stored, nothing sealed or opened."""
        names = [*self.sealed, *self.hashes]
        return sa.table(
            self.name, sa.column("id", sa.Integer), *(sa.column(n, sa.String) for n in names)
        )


def protected_tables() -> list[ProtectedTable]:
    """Every table with personal data sealed at rest, from the models."""
    import models.tables  # noqa: F401  (registers every table)

    found = []
    for table in SQLModel.metadata.sorted_tables:
        sealed = sealed_columns(table)
        if sealed:
            hashes = hash_columns(table)
            found.append(ProtectedTable(table.name, sealed, hashes))
    return found


def _stale(raw: sa.TableClause, table: ProtectedTable, keyring: Keyring) -> sa.ColumnElement[bool]:
    sealed = f"k{keyring.current_encryption}:%"
    hashed = f"h{keyring.current_hash}:%"
    return sa.or_(
        *(raw.c[n].is_not(None) & raw.c[n].not_like(sealed) for n in table.sealed),
        *(raw.c[n].is_not(None) & raw.c[n].not_like(hashed) for n in table.hashes),
    )


def stale_values(engine: Engine, keyring: Keyring) -> dict[str, int]:
    """Rows per table still holding a value under an older key."""
    counts = {}
    with engine.connect() as conn:
        for table in protected_tables():
            raw = table.raw()
            query = sa.select(sa.func.count()).select_from(raw).where(_stale(raw, table, keyring))
            counts[table.name] = int(conn.execute(query).scalar() or 0)
    return counts


@dataclass
class RotationReport:
    """Values re-sealed by column ("person.phone") and keyed hashes recomputed by column."""

    resealed: dict[str, int] = field(default_factory=dict)
    rehashed: dict[str, int] = field(default_factory=dict)


def rotate(
    engine: Engine,
    keyring: Keyring,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Re-seal and re-hash every value not under the current keys, batch by batch."""
    report = RotationReport()
    for table in protected_tables():
        last = 0
        while True:
            with Session(engine) as session, unit_of_work(session):
                done, last = _rotate_batch(session, table, keyring, last, batch_size, report)
            if not done:
                break
            if progress:
                progress(table.name, done)
    return report


def _rotate_batch(
    session: Session,
    table: ProtectedTable,
    keyring: Keyring,
    after: int,
    batch_size: int,
    report: RotationReport,
) -> tuple[int, int]:
    raw = table.raw()
    rows = (
        session.connection()
        .execute(
            sa.select(raw)
            .where(raw.c.id > after, _stale(raw, table, keyring))
            .order_by(raw.c.id)
            .limit(batch_size)
        )
        .all()
    )
    if not rows:
        return 0, after
    changes: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        values = row._mapping
        opened = {n: keyring.open(values[n], p) for n, p in table.sealed.items() if values[n]}
        for name, purpose in table.sealed.items():
            old = values[name]
            if old is not None and not old.startswith(f"k{keyring.current_encryption}:"):
                new = keyring.seal(opened[name], purpose)
                changes.setdefault(name, []).append({"row_id": row.id, "old": old, "new": new})
        for name, keyed in table.hashes.items():
            old = values[name]
            if old is not None and not old.startswith(f"h{keyring.current_hash}:"):
                new = keyring.blind_index(opened[keyed.source], keyed.purpose)
                changes.setdefault(name, []).append({"row_id": row.id, "old": old, "new": new})
    for name, params in changes.items():
        session.connection().execute(
            raw.update()
            .where(raw.c.id == sa.bindparam("row_id"), raw.c[name] == sa.bindparam("old"))
            .values({name: sa.bindparam("new")}),
            params,
        )
        counts = report.rehashed if name in table.hashes else report.resealed
        key = f"{table.name}.{name}"
        counts[key] = counts.get(key, 0) + len(params)
    return len(rows), rows[-1].id
