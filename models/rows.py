"""One row by its primary key, or the page a missing row gets: the one get-or-404 helper."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from models.errors import NotFoundError
from models.ids import out_of_range
from models.locking import Row, locked_row


def get_or_404(
    session: Session,
    model: type[Row],
    row_id: Any,
    msgid: str,
    *,
    field: str | None = None,
    lock: bool = False,
) -> Row:
    """The row with this primary key (locked until the transaction ends when `lock`, see
    `locked_row`); NotFoundError(field, msgid) when there is none, as for an id beyond any
    stored key (the database would refuse to convert it)."""
    if out_of_range(row_id):
        raise NotFoundError(field, msgid)
    row = locked_row(session, model, row_id) if lock else session.get(model, row_id)
    if row is None:
        raise NotFoundError(field, msgid)
    return row
