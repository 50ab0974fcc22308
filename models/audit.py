"""The audit log: every view or change of personal data leaves a row (no commit here: the
entry belongs to the caller's use case and lands, or not, with it)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

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
        user_id=user_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        person_id=person_id,
        details=details,
    )
    session.add(entry)
    return entry
