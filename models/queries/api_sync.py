"""Rows of a table as the API pages through them: ordered by (updated_at, id), after a cursor
and from an update time, within the conditions that say what the reader may see. Reads only;
the table needs an `updated_at` moved by every write and an index on (updated_at, id)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select


class Synced(Protocol):
    id: int | None
    updated_at: datetime


RowT = TypeVar("RowT", bound=Synced)


def changed_after(
    session: Session,
    model: type[RowT],
    *,
    visible: Sequence[ColumnElement[bool]],
    after: tuple[datetime, int] | None,
    updated_since: datetime | None,
    limit: int,
) -> list[RowT]:
    """Up to `limit` rows of `model` that satisfy `visible`, in (updated_at, id) order,
    after the cursor."""
    table: Any = model
    updated, row_id = col(table.updated_at), col(table.id)
    conditions = list(visible)
    if updated_since is not None:
        conditions.append(updated >= updated_since)
    if after is not None:
        moment, last_id = after
        conditions.append(or_(updated > moment, and_(updated == moment, row_id > last_id)))
    query = select(table).where(*conditions).order_by(updated, row_id).limit(limit)
    return list(session.exec(query))
