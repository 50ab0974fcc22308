"""Reading a row for update: the one way a use case locks what it is about to change."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from models.ids import out_of_range

Row = TypeVar("Row", bound=SQLModel)


def locked_row(session: Session, model: type[Row], row_id: Any) -> Row | None:
    """The row with this primary key, locked until the transaction ends (a row lock on
    PostgreSQL; on SQLite the transaction already holds the write lock), re-read from the
    database rather than taken from the session's cache. An int beyond any stored key names
    no row: None, without asking the database (which would refuse to convert it)."""
    if out_of_range(row_id):
        return None
    primary_key = model.__table__.primary_key.columns.values()[0]  # type: ignore[attr-defined]
    return session.exec(
        select(model)
        .where(primary_key == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
