"""The audit log: every view or change of personal data leaves a row (no commit here: the
entry belongs to the caller's use case and lands, or not, with it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from models.clock import utcnow
from models.db import unit_of_work
from models.tables import AuditEntry


def record(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | str | None = None,
    person_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry. `details` must not hold personal data itself (no ID numbers,
    phones or names): name the fields touched instead."""
    entry = AuditEntry(
        **_columns(
            user_id=user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            person_id=person_id,
            **details,
        )
    )
    session.add(entry)
    return entry


def _columns(
    *,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | str | None = None,
    person_id: int | None = None,
    **details: Any,
) -> dict[str, Any]:
    """An entry's columns from `record`'s arguments."""
    return {
        "user_id": user_id,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "person_id": person_id,
        "details": details,
    }


_HELD_VIEWS = "held_view_audits"  # key in Session.info while a request holds its view entries


def hold_views(session: Session) -> None:
    """From now on, hold the session's entries for views of personal data (see
    web.services.personal_data) until `write_held_views`."""
    session.info[_HELD_VIEWS] = []


def held_views(session: Session) -> list[dict[str, Any]] | None:
    """The view entries held so far (the keyword arguments of `record`, but `action`), or
    None when the session does not hold them."""
    held: list[dict[str, Any]] | None = session.info.get(_HELD_VIEWS)
    return held


def write_held_views(session: Session) -> None:
    """Write the held view entries, all in one unit of work, and stop holding. The rows are
    made before the write lock is taken and sent in one statement: on SQLite the writers of
    a process take turns, and a page's entries held the lock while the ORM flushed them one
    object at a time."""
    held: list[dict[str, Any]] = session.info.pop(_HELD_VIEWS, None) or []
    if not held:
        return
    at = utcnow()
    rows = [{"at": at, **_columns(action="view_personal_data", **entry)} for entry in held]
    with unit_of_work(session):
        session.execute(insert(AuditEntry), rows)
