"""The outbox as an administrator reads it, and the signed-in user's notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models import notifications
from models.db import unit_of_work
from models.errors import NotFoundError
from models.messaging import outbox
from models.validation import display_phone
from web.auth import Principal
from web.permissions import NO_SUCH_PAGE, Permission, allowed
from web.services.personal_data import audit_view


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    channel: str
    recipient: str
    purpose: str
    text: str


def read_outbox(session: Session, *, principal: Principal) -> list[OutboxRow]:
    """The latest messages, newest first; anyone but an administrator finds no such page.
    Recipients are phones: the view is audited."""
    if not allowed(principal, Permission.VIEW_OUTBOX):
        raise NotFoundError(None, NO_SUCH_PAGE)
    rows = [
        OutboxRow(
            row.id or 0,
            row.created_at,
            row.channel,
            display_phone(row.recipient) if row.recipient else "—",
            row.purpose,
            row.text,
        )
        for row in outbox(session)
    ]
    people = sorted({row.person_id for row in outbox(session) if row.person_id})
    audit_view(session, principal, "outbox", person_ids=people, messages=len(rows))
    return rows


@dataclass(frozen=True)
class NotificationRow:
    id: int
    created_at: datetime
    msgid: str
    params: dict[str, object]
    link: str
    read: bool


def read_notifications(session: Session, *, principal: Principal) -> list[NotificationRow]:
    """The user's notes, newest first; showing them marks them read."""
    notes = notifications.notifications_for(session, principal.user)
    rows = [
        NotificationRow(n.id or 0, n.created_at, n.msgid, dict(n.params), n.link, n.read)
        for n in notes
    ]
    if any(not row.read for row in rows):
        with unit_of_work(session):
            notifications.mark_all_read(session, principal.user)
    return rows


def unread(session: Session, principal: Principal | None) -> int:
    return 0 if principal is None else notifications.unread_count(session, principal.user)
