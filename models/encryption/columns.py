"""Columns that hold personal data encrypted, read and written as plain text by the code.

`SealedString` seals a value on its way into the database and opens it on the way out, for the
ORM and for Core inserts and selects alike. The database compares sealed values only as
opaque text: the same number sealed twice gives two different texts. So a sealed column
refuses every comparison but IS (NOT) NULL, and a mistaken `WHERE citizen_id = ...` fails at
once instead of silently finding nobody; lookups go through the keyed hash column
(`citizen_id_hash`, filled by `hash_of("citizen_id", ...)` as a column default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import String, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from models.encryption.keyring import UnknownKeyError, keys, reload_keys

SEALED_LENGTH = 100  # "k<id>:" and the base64 of 12 + 16 + up to 32 bytes of text
HASH_LENGTH = 80  # "h<id>:" and 64 hex digits
_NULL_TESTS = {operators.is_, operators.is_not}


class SealedString(TypeDecorator[str]):
    """Text encrypted at rest under the process's keys, bound to its column (`purpose`)."""

    impl = String(SEALED_LENGTH)
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    class Comparator(TypeDecorator.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            null_test = op in (operators.eq, operators.ne) and other == (None,)
            if op not in _NULL_TESTS and not null_test:
                raise TypeError(f"{self.expr} is encrypted: compare its keyed hash column instead")
            return super().operate(op, *other, **kwargs)

    comparator_factory = Comparator

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keys().seal(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else open_sealed(value, self.purpose)


def open_sealed(value: str, purpose: str) -> str:
    """Open a sealed value; a key this process lacks makes it read its key file again once."""
    try:
        return keys().open(value, purpose)
    except UnknownKeyError:
        if not reload_keys():
            raise
        return keys().open(value, purpose)


class KeyedHash:
    """A column default: the keyed hash of the row's `source` column as it is inserted (the
    ORM and Core inserts both call it, with the value before it is sealed)."""

    def __init__(self, source: str, purpose: str) -> None:
        self.source = source
        self.purpose = purpose

    def __call__(self, context: DefaultExecutionContext) -> str | None:
        return self.from_row(context.get_current_parameters())

    def from_row(self, row: Mapping[str, Any]) -> str | None:
        return self.of(row.get(self.source))

    def of(self, value: str | None) -> str | None:
        return None if value is None else keys().blind_index(value, self.purpose)


def hash_of(source: str, purpose: str) -> KeyedHash:
    return KeyedHash(source, purpose)


def sealed_columns(table: Table) -> dict[str, str]:
    """The table's sealed columns and what each is bound to."""
    return {c.name: c.type.purpose for c in table.c if isinstance(c.type, SealedString)}


def hash_columns(table: Table) -> dict[str, KeyedHash]:
    """The table's keyed hash columns and how each is computed."""
    found = {}
    for column in table.c:
        default = getattr(column.default, "arg", None)
        if isinstance(default, KeyedHash):
            found[column.name] = default
    return found


class RowDefault(Protocol):
    """A column default computed from the other values of the row being inserted (a keyed
    hash, a sort key): SQLAlchemy calls it with the insert's context, a bulk writer with
    the row."""

    def from_row(self, row: Mapping[str, Any]) -> Any: ...


def row_defaults(table: Table) -> dict[str, RowDefault]:
    """The table's columns whose default is computed from the row, and how."""
    found: dict[str, RowDefault] = {}
    for column in table.c:
        default = getattr(column.default, "arg", None)
        if default is not None and callable(getattr(default, "from_row", None)):
            found[column.name] = default
    return found


def stored_rows(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the database stores them (personal data sealed, keyed hashes and other
    row-computed defaults filled in), for a writer that bypasses SQLAlchemy's column types
    and defaults: PostgreSQL's COPY."""
    sealed = sealed_columns(table)
    derived = row_defaults(table)
    if not sealed and not derived:
        return rows
    keyring = keys()
    out = []
    for row in rows:
        stored = dict(row)
        for name, default in derived.items():
            if stored.get(name) is None:
                stored[name] = default.from_row(row)
        for name, purpose in sealed.items():
            value = stored.get(name)
            if value is not None:
                stored[name] = keyring.seal(value, purpose)
        out.append(stored)
    return out
