"""Care of people who go to work abroad under contract: for each departure (a line of the
new-jobs register in the abroad channel) the pre-departure orientation, the loan or support
received, the planned and actual return, and what the person learned abroad.

The departure itself (country, programme, sending company, start) stays on the register line
and its employment spell; this row adds what the commune or the Employment Service Centre
learns before and after. A returnee (actual return recorded) who agreed to be shown to
employers (Person.consent_to_employers) is offered to employers for their skills and
languages.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class AbroadDeparture(SQLModel, table=True):
    """What is known about one departure beyond the register line: one row per line."""

    __tablename__ = "abroad_departure"
    __table_args__ = (
        # One record per departure: a second save (a double click) updates it.
        UniqueConstraint("line_id", name="uq_abroad_departure_line_id"),
        CheckConstraint("support_amount IS NULL OR support_amount >= 0", name="amount_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="new_job_line.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    orientation_attended: bool | None = None  # None: not known yet
    orientation_date: date | None = None
    orientation_provider: str = Field(default="", max_length=200)
    support_kind: str | None = Field(default=None, max_length=20)  # AbroadSupportKind
    support_amount: int | None = None  # VND
    support_source: str = Field(default="", max_length=200)
    planned_return: date | None = None
    actual_return: date | None = Field(default=None, index=True)
    languages: str = Field(default="", max_length=300)  # learned abroad, as the person says
    skills_learned: str = Field(default="", max_length=500)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})
