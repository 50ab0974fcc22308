"""An employer may call the people who applied to its vacancy or whom it referred: their
phone is shown in full to it on that vacancy's pages (the commune is shown anyway; the
village never is). Everyone else's stays masked. Each page that shows full phones leaves an
audit entry naming the people."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from models.enums import Role
from models.queries.applications import in_contact
from models.tables import Person
from models.validation import display_phone
from web.auth import Actor
from web.permissions import PersonView
from web.services.personal_data import audit_view


def reveal_phones(
    session: Session,
    principal: Actor,
    vacancy_id: int,
    people: list[tuple[Person, PersonView]],
    *,
    page: str,
) -> dict[int, PersonView]:
    """person id -> the view to show: the full phone for the people in contact with this
    vacancy, when the user is its employer (other roles see phones in full already)."""
    views = {view.person_id: view for _, view in people}
    if principal.role != Role.EMPLOYER:
        return views
    callable_ids = in_contact(session, vacancy_id, views)
    shown = []
    for person, view in people:
        if view.person_id in callable_ids and person.phone:
            views[view.person_id] = replace(view, phone=display_phone(person.phone))
            shown.append(view.person_id)
    if shown:
        audit_view(
            session,
            principal,
            "vacancy_contacts",
            entity_id=vacancy_id,
            person_ids=shown,
            page=page,
        )
    return views
