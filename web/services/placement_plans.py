"""The placement plan over a set of vacancies (`POST /api/v1/placement-plan`): vacancies the
caller may see candidates of (an employer: its own; another's is answered as missing), the
plan of models.placement_plan, and an audit entry naming the people it proposes. It places
nobody: hires go through the referral steps."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from models.clock import today
from models.placement_plan import PlacementPlan, placement_plan
from web.auth import Actor
from web.permissions import Permission
from web.services.personal_data import audit_view
from web.services.referrals import vacancy_for


def plan_placements(
    session: Session, *, principal: Actor, vacancy_ids: Sequence[int]
) -> PlacementPlan:
    """Who would go where among `vacancy_ids` (each once), never beyond a vacancy's places
    left."""
    vacancies = [
        vacancy_for(session, principal, vacancy_id, Permission.VIEW_CANDIDATES)
        for vacancy_id in dict.fromkeys(vacancy_ids)
    ]
    plan = placement_plan(session, vacancies, on=today())
    people = sorted({each.person_id for each in plan.placements})
    if people:
        vacancy_list = [vacancy.id for vacancy in vacancies]
        audit_view(session, principal, "placement_plan", person_ids=people, vacancies=vacancy_list)
    return plan
