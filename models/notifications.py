"""In-app notifications: written inside the use case that causes them, read by the signed-in
user. A note addressed to an employer or an institution is seen by each of its users; its
read flag is shared by them (one inbox per organisation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, update
from sqlmodel import Session, col

from models.kept import Kept
from models.tables import Notification, UserAccount


def notify(
    session: Session,
    *,
    msgid: str,
    link: str = "",
    user_id: int | None = None,
    employer_id: int | None = None,
    institution_id: int | None = None,
    **params: Any,
) -> Notification:
    """Add a note (inside the caller's unit of work)."""
    note = Notification(
        user_id=user_id,
        employer_id=employer_id,
        institution_id=institution_id,
        msgid=msgid,
        params=params,
        link=link,
    )
    session.add(note)
    session.flush()
    return note


def _addressed_to(user: UserAccount) -> ColumnElement[bool]:
    conditions = [col(Notification.user_id) == user.id]
    if user.employer_id is not None:
        conditions.append(col(Notification.employer_id) == user.employer_id)
    if user.institution_id is not None:
        conditions.append(col(Notification.institution_id) == user.institution_id)
    return or_(false(), *conditions)


def notifications_for(
    session: Session, user: UserAccount, *, limit: int = 100
) -> list[Notification]:
    """The user's notes, newest first."""
    query = (
        select(Notification)
        .where(_addressed_to(user))
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars().all())


# The menu's count on every signed-in page is kept a moment per inbox: dropped at once when this
# process writes a note or marks notes read, and after a few seconds for other processes' notes.
_UNREAD = Kept(("notification",), seconds=10, size=4096)


def unread_count(session: Session, user: UserAccount) -> int:
    """How many of the user's notes are unread (kept a moment: see _UNREAD)."""
    inbox = (user.id, user.employer_id, user.institution_id)
    return _UNREAD.get(session, inbox, lambda: _unread_count(session, user))


def _unread_count(session: Session, user: UserAccount) -> int:
    query = (
        select(func.count())
        .select_from(Notification)
        .where(_addressed_to(user), col(Notification.read).is_(False))
    )
    return int(session.execute(query).scalar_one())


def mark_all_read(session: Session, user: UserAccount) -> None:
    """Inside the caller's unit of work."""
    session.execute(
        update(Notification)
        .where(_addressed_to(user), col(Notification.read).is_(False))
        .values(read=True)
    )
