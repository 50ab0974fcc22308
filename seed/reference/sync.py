"""Idempotent bulk writes for reference tables, keyed by each table's natural key.

Rows already present and equal are left alone, so a second load writes nothing and reports
zero. Two policies:

- ``overwrite=True`` for lists fixed by law or by a package (admin units, ethnic groups,
  levels, sectors): a changed value in the source replaces the stored one;
- ``overwrite=False`` for lists an administrator edits (zones, wage regions, targets, wages):
  only missing keys are inserted, an existing row is never touched.

Nothing is ever deleted: other tables point at reference rows, and a row that disappears from
a source is closed by an administrator (``valid_to``), not removed.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, bindparam, insert, select, update
from sqlmodel import Session, SQLModel

DATA_DIR = Path(__file__).parent.parent / "data"

Row = dict[str, Any]


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of ``seed/data/<name>`` as dicts of stripped strings."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return [
            {field: (value or "").strip() for field, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def split_list(cell: str) -> list[str]:
    """A ``|``-separated cell as a list without empty parts."""
    return [part.strip() for part in cell.split("|") if part.strip()]


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def sync_rows(
    session: Session,
    model: type[SQLModel],
    key: Sequence[str],
    rows: Sequence[Row],
    *,
    overwrite: bool,
) -> int:
    """Bring ``model``'s table in line with ``rows``; return how many rows were written."""
    if not rows:
        return 0
    table = _table(model)
    columns = list(rows[0])
    wanted = _by_key(rows, key)
    existing = _existing_by_key(session, table, key, columns)
    inserts = [row for k, row in wanted.items() if k not in existing]
    updates = []
    if overwrite:
        updates = [
            (existing[k], row)
            for k, row in wanted.items()
            if k in existing and any(existing[k][c] != row[c] for c in columns)
        ]
    connection = session.connection()
    if inserts:
        connection.execute(insert(table), inserts)
    if updates:
        _update_by_primary_key(session, table, columns, updates)
    return len(inserts) + len(updates)


def _by_key(rows: Sequence[Row], key: Sequence[str]) -> dict[tuple[Any, ...], Row]:
    by_key: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if k in by_key:
            raise ValueError(f"reference rows repeat the key {k!r}")
        by_key[k] = row
    return by_key


def _existing_by_key(
    session: Session, table: Table, key: Sequence[str], columns: Sequence[str]
) -> dict[tuple[Any, ...], Row]:
    names = dict.fromkeys([*(c.name for c in table.primary_key.columns), *key, *columns])
    result = session.connection().execute(select(*(table.c[n] for n in names)))
    return {tuple(row[c] for c in key): dict(row) for row in result.mappings()}


def _update_by_primary_key(
    session: Session, table: Table, columns: Sequence[str], updates: list[tuple[Row, Row]]
) -> None:
    primary = [c.name for c in table.primary_key.columns]
    # Bind names are prefixed so they never clash with the column names SQLAlchemy reserves.
    statement = (
        update(table)
        .where(and_(*(table.c[p] == bindparam(f"pk_{p}") for p in primary)))
        .values({c: bindparam(f"new_{c}", type_=table.c[c].type) for c in columns})
    )
    params = [
        {**{f"pk_{p}": old[p] for p in primary}, **{f"new_{c}": new[c] for c in columns}}
        for old, new in updates
    ]
    session.connection().execute(statement, params)
