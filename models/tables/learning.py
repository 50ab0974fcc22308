"""Component weights learned from referral outcomes: each fit is a proposal kept with its day
and how it and the hand weights ranked the later outcomes. At most one proposal is adopted at a
time; the engine uses it, or the hand weights when none is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class WeightProposal(SQLModel, table=True):
    """One fit of the weights (`dbjobs fit-weights`): the weights, the hand weights it was
    judged against, the metrics of both on the later outcomes, and whether an administrator
    adopted it. `replaced_id` is the proposal adopted before it (None: the hand weights), the
    one a revert goes back to."""

    __tablename__ = "weight_proposal"
    __table_args__ = (
        CheckConstraint("state IN ('proposed','adopted','retired')", name="state_value"),
        # At most one adopted proposal: the weights the engine uses are never in doubt.
        Index(
            "uq_weight_proposal_adopted",
            "state",
            unique=True,
            sqlite_where=text("state = 'adopted'"),
            postgresql_where=text("state = 'adopted'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    fitted_on: date
    weights: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    hand_weights: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    beats_hand: bool = False
    state: str = Field(default="proposed", max_length=10, index=True)
    replaced_id: int | None = Field(default=None, foreign_key="weight_proposal.id")
    adopted_at: datetime | None = None
    adopted_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
