"""Messages to people outside the platform (a one-time code, a referral) behind one
interface. `MessageSender` is what use cases call; the default `OutboxSender` only writes
each message to the outbox table, in the caller's transaction, so a message exists exactly
when the change it reports was committed. A gateway (SMS, Zalo, e-mail) would read the
outbox and send; tests and the demo read the outbox instead."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy import select
from sqlmodel import Session, col

from models.tables import OutboxMessage


class Channel(StrEnum):
    SMS = "sms"
    ZALO = "zalo"
    EMAIL = "email"


class Purpose(StrEnum):
    """Why a message was sent: the outbox page and the tests tell them apart by it."""

    APPLY_CODE = "apply_code"
    MY_APPLICATIONS_CODE = "my_applications_code"
    REFERRAL = "referral"


@dataclass(frozen=True)
class Message:
    channel: Channel
    recipient: str  # E.164 phone, or an e-mail address
    text: str
    purpose: Purpose
    person_id: int | None = None
    user_id: int | None = None  # the user whose action caused it, if any


class MessageSender(Protocol):
    def send(self, session: Session, message: Message) -> None: ...


class OutboxSender:
    """Keeps every message in the outbox table (inside the caller's unit of work)."""

    def send(self, session: Session, message: Message) -> None:
        session.add(
            OutboxMessage(
                channel=message.channel.value,
                recipient=message.recipient,
                text=message.text[:500],
                purpose=message.purpose.value,
                person_id=message.person_id,
                user_id=message.user_id,
            )
        )
        session.flush()


_sender: MessageSender = OutboxSender()


def sender() -> MessageSender:
    """The sender in use (the outbox unless a deployment installs a gateway)."""
    return _sender


def install_sender(chosen: MessageSender) -> None:
    global _sender
    _sender = chosen


def outbox(session: Session, *, limit: int = 200) -> list[OutboxMessage]:
    """The latest messages, newest first."""
    query = (
        select(OutboxMessage)
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
    )
    return list(session.execute(query).scalars().all())
