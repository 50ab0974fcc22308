"""The audit entry a page leaves when it shows people's personal data: one per view, in a unit of
work of its own, since reading the page writes nothing else.

In a request, the entries of a page are held and written together, in one unit of work, when
the route has returned and before its response is sent (models.audit `hold_views` and
`write_held_views`, called by web.deps.route_session): a page that shows candidates,
their phones and the applicants takes SQLite's write lock once, not three times. A route that
fails writes none of them, and shows none of the data either; if writing them fails, the page
is not sent."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from models import audit
from models.db import in_unit_of_work, unit_of_work
from web.auth import Actor


def audit_view(
    session: Session,
    principal: Actor,
    entity: str,
    *,
    entity_id: int | None = None,
    person_id: int | None = None,
    **details: Any,
) -> None:
    """Record that this user (or API token) was shown the personal data of the people
    `details` names."""
    if principal.api_token_id is not None:
        details["api_token_id"] = principal.api_token_id
    held = audit.held_views(session)
    if held is not None and not in_unit_of_work(session):
        entry = {"entity": entity, "entity_id": entity_id, "person_id": person_id}
        held.append({"user_id": principal.user_id, **entry, **details})
        return
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user_id,
            action="view_personal_data",
            entity=entity,
            entity_id=entity_id,
            person_id=person_id,
            **details,
        )
