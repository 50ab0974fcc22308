"""What administrators and officials change in the monitoring reference data: the history of
every edit of a yearly target (who, when, from what to what, and why)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.clock import utcnow


class TargetChange(SQLModel, table=True):
    """One change of a target: its values before (None when the change created the target)
    and after, and the reason given. The indicator and year are copied so the history reads
    on its own."""

    __tablename__ = "target_change"
    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    indicator: str = Field(max_length=40)
    year: int = Field(index=True)
    old_value_min: float | None = None
    old_value_max: float | None = None
    old_source_document: str | None = Field(default=None, max_length=300)
    new_value_min: float
    new_value_max: float | None = None
    new_source_document: str = Field(max_length=300)
    changed_by_id: int = Field(foreign_key="user_account.id", index=True)
    changed_at: datetime = Field(default_factory=utcnow)
    reason: str = Field(max_length=500)
