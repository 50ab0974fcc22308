"""How people reach each other: messages sent through a channel (kept in the outbox), in-app
notifications, applications to vacancies from the public board, and the one-time codes that
prove a visitor holds the phone they typed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.encryption import HASH_LENGTH, OUTBOX_RECIPIENT, SealedString


class OutboxMessage(SQLModel, table=True):
    """One message handed to a channel (SMS, Zalo, e-mail). The default sender only keeps it
    here; a gateway would read and send it. The recipient is encrypted and kept only while
    the message may still need sending."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("channel IN ('sms','zalo','email')", name="channel_value"),
        Index("ix_outbox_created_at", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=8)
    recipient: str | None = Field(
        default=None, max_length=16, sa_type=SealedString(OUTBOX_RECIPIENT)
    )
    text: str = Field(max_length=500)
    purpose: str = Field(max_length=30)  # apply_code, my_applications_code, referral, ...
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")  # who caused it
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """A note shown in the app to one user, or to every user of an employer or institution:
    a msgid with its parameters (translated when shown), a link, and whether it was read."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_employer", "employer_id", "created_at"),
        Index("ix_notification_institution", "institution_id", "created_at"),
        Index("ix_notification_user", "user_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    msgid: str = Field(max_length=200)
    params: dict[str, object] = Field(default_factory=dict, sa_type=JSON)
    link: str = Field(default="", max_length=200)
    read: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Application(SQLModel, table=True):
    """Someone applying to a vacancy from the public board, after proving their phone. One
    per person and vacancy: a second submit finds the first."""

    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "person_id", name="uq_application_vacancy_person"),
        CheckConstraint("status IN ('open','withdrawn')", name="status_value"),
    )
    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    trade: str = Field(default="", max_length=120)  # as the applicant wrote it
    occupation_id: int | None = Field(default=None, foreign_key="training_occupation.id")
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = None


class PhoneCode(SQLModel, table=True):
    """A one-time code sent to a phone: only its hash is kept, it expires, and it allows a
    few attempts. The rows also count requests per phone and per client address (hashed),
    which is how code requests are throttled."""

    __tablename__ = "phone_code"
    __table_args__ = (
        Index("ix_phone_code_phone_at", "phone_hash", "created_at"),
        Index("ix_phone_code_address_at", "address_hash", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    phone_hash: str = Field(max_length=HASH_LENGTH)
    address_hash: str = Field(max_length=64)
    purpose: str = Field(max_length=20)  # apply | my_applications
    code_hash: str = Field(max_length=HASH_LENGTH)
    attempts: int = 0
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
