"""Corrections with their history: what was changed on a person's record and by whom, the
requests people make about their own data (Decree 356/2025), and the legal deadlines that
apply to them, kept as data."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.encryption import PERSON_CHANGE_VALUE, SealedString


class PersonChange(SQLModel, table=True):
    """One field of a person changed: who, when, the old and the new value. Values of
    personal fields (phone, citizen ID) are kept sealed like the person's own columns, in
    `old_sealed`/`new_sealed`; the others in plain text."""

    __tablename__ = "person_change"
    __table_args__ = (Index("ix_person_change_person", "person_id", "changed_at"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    changed_at: datetime = Field(default_factory=utcnow)
    field: str = Field(max_length=30)
    old_value: str | None = Field(default=None, max_length=200)
    new_value: str | None = Field(default=None, max_length=200)
    old_sealed: str | None = Field(
        default=None, max_length=16, sa_type=SealedString(PERSON_CHANGE_VALUE)
    )
    new_sealed: str | None = Field(
        default=None, max_length=16, sa_type=SealedString(PERSON_CHANGE_VALUE)
    )


class LegalDeadline(SQLModel, table=True):
    """A time limit set by law, in days, with the text it comes from and whether that text
    was checked: data an administrator corrects, not a constant in the code."""

    __tablename__ = "legal_deadline"
    key: str = Field(max_length=40, primary_key=True)
    days: int
    basis: str = Field(default="", max_length=300)
    verified: bool = False
    updated_at: datetime = Field(default_factory=utcnow)


class DataRequest(SQLModel, table=True):
    """A person asking for their own data, a correction or its deletion: how and when it
    was received, when it is due, and how it was closed and by whom."""

    __tablename__ = "data_request"
    __table_args__ = (Index("ix_data_request_open", "outcome", "due_on"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=12)  # DataRequestKind
    channel: str = Field(max_length=12)  # DataRequestChannel
    received_on: date
    due_on: date
    note: str = Field(default="", max_length=500)
    outcome: str | None = Field(default=None, max_length=12)  # DataRequestOutcome
    outcome_note: str = Field(default="", max_length=500)
    outcome_on: date | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    handled_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
