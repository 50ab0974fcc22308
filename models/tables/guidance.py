"""Career guidance given to one person by a counsellor (a commune officer or the Employment
Service Centre): what the person said, what was advised, and the follow-up. Personal fields
are stored only with the person's consent; without it only the commune, the day and the
trades advised are kept, so sessions can still be counted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class GuidanceSession(SQLModel, table=True):
    """One guidance session. ``form_key`` is the form's one-time key: the same form posted
    twice (a double click) stores one session."""

    __tablename__ = "guidance_session"
    id: int | None = Field(default=None, primary_key=True)
    form_key: str = Field(max_length=64, unique=True)
    commune_code: str = Field(max_length=5, index=True)  # where the person lives
    recorded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    consent: bool = False
    advised_occupations: list[str] = Field(default_factory=list, sa_type=JSON)
    advice: str = Field(default="", max_length=2000)
    # Personal: stored only with consent.
    age: int | None = None
    education: str | None = Field(default=None, max_length=20)
    willing_to_move: bool | None = None
    willing_abroad: bool | None = None
    interests: str | None = Field(default=None, max_length=500)
    follow_up_on: date | None = None
    follow_up_note: str | None = Field(default=None, max_length=500)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
