"""The matching weights page: the proposals fitted on referral outcomes, and an
administrator adopting one or reverting to the weights used before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from matching.score import COMPONENTS
from models import learned_weights
from models.enums import Role
from models.errors import ForbiddenError
from web.auth import Principal


@dataclass(frozen=True)
class ProposalRow:
    """One proposal as the page shows it."""

    id: int
    fitted_on: date
    weights: dict[str, float]
    hand: dict[str, Any]
    fitted: dict[str, Any]
    test_outcomes: int
    confidence: float
    beats_hand: bool
    state: str
    adopted_at: datetime | None


def proposal_rows(session: Session) -> list[ProposalRow]:
    """The newest proposals first."""
    rows = []
    for proposal in learned_weights.proposals(session):
        metrics = proposal.metrics or {}
        rows.append(
            ProposalRow(
                id=proposal.id or 0,
                fitted_on=proposal.fitted_on,
                weights={name: float(proposal.weights.get(name, 0.0)) for name in COMPONENTS},
                hand=metrics.get("hand", {}),
                fitted=metrics.get("fitted", {}),
                test_outcomes=int(metrics.get("test_outcomes", 0)),
                confidence=float(metrics.get("confidence", 0.0)),
                beats_hand=proposal.beats_hand,
                state=proposal.state,
                adopted_at=proposal.adopted_at,
            )
        )
    return rows


def adopted_id(session: Session) -> int | None:
    """The proposal in use (None: the hand weights)."""
    adopted = learned_weights.adopted_proposal(session)
    return adopted.id if adopted else None


def _admin(principal: Principal) -> None:
    if principal.role != Role.ADMIN:
        raise ForbiddenError(None, "You are not allowed to do this.")


def adopt(session: Session, *, principal: Principal, proposal_id: int) -> bool:
    """Adopt a proposal (False: it was adopted already)."""
    _admin(principal)
    return learned_weights.adopt(session, proposal_id=proposal_id, user_id=principal.user_id)


def revert(session: Session, *, principal: Principal, proposal_id: int) -> bool:
    """Go back from the adopted proposal to the weights before it (False: not adopted)."""
    _admin(principal)
    return learned_weights.revert(session, proposal_id=proposal_id, user_id=principal.user_id)
