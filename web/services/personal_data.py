"""The audit entry a page leaves when it shows people's personal data: one per view, in a unit of
work of its own, since reading the page writes nothing else."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from models import audit
from models.db import unit_of_work
from web.auth import Principal


def audit_view(
    session: Session,
    principal: Principal,
    entity: str,
    *,
    entity_id: int | None = None,
    person_id: int | None = None,
    **details: Any,
) -> None:
    """Record that this user was shown the personal data of the people `details` names."""
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user.id,
            action="view_personal_data",
            entity=entity,
            entity_id=entity_id,
            person_id=person_id,
            **details,
        )
