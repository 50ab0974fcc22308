"""Ranked candidates of a vacancy and the placement plan over vacancies, for the vacancy's
employer or an official (the Employment Service Centre) with `candidates:read`: the same
ranking, visibility rules and audit as the candidates page (web/services/referral_views.py).
Another employer's vacancy is 404. Citizen ID, phone and ethnicity go out only under
`personal-data:read` too, and a phone to an employer only where the page shows it in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from models.enums import ApiScope
from models.ids import MAX_ID
from models.queries.candidates import CandidateFilters, training_levels
from models.validation import display_phone
from web.api.auth import ApiCaller, require_scope
from web.api.problems import api_language, problem_responses
from web.deps import RecordId, SessionDep
from web.services import referral_views as views
from web.services.candidate_rows import candidate_row
from web.services.placement_plans import plan_placements
from web.services.referral_views import ShownCandidate

router = APIRouter(tags=["candidates"])
Reader = Annotated[ApiCaller, Depends(require_scope(ApiScope.CANDIDATES_READ))]
MAX_PLAN_VACANCIES = 50


class CandidateOut(BaseModel):
    """One ranked graduate. `score` and each of `components` lie in [0, 1]; `reason` says
    why in the client's language. `citizen_id`, `phone` and `ethnicity_code` are null
    without `personal-data:read` (and for an employer: no ID number or ethnicity, and a
    phone only of people in contact with this vacancy)."""

    person_id: int
    rank: int
    full_name: str
    commune: str
    level: str | None
    occupation: str | None
    score: float
    components: dict[str, float]
    matched_skills: list[str]
    missing_skills: list[str]
    reason: str
    referral_status: str | None
    employed_elsewhere: bool
    citizen_id: str | None
    phone: str | None
    ethnicity_code: str | None


class CandidatePage(BaseModel):
    """One page of the ranking, best first. `total`: eligible people over all pages."""

    vacancy_id: int
    items: list[CandidateOut]
    total: int
    page: int
    pages: int


def _personal(shown: ShownCandidate, personal: bool) -> dict[str, str | None]:
    view, person = shown.view, shown.candidate.person
    if not personal:
        return {"citizen_id": None, "phone": None, "ethnicity_code": None}
    revealed = person.phone is not None and view.phone == display_phone(person.phone)
    return {
        "citizen_id": None if view.masked else view.citizen_id,
        "phone": view.phone if not view.masked or revealed else None,
        "ethnicity_code": None if view.masked else view.ethnicity_code,
    }


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    response_model=CandidatePage,
    name="api_vacancy_candidates",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def list_candidates(
    request: Request,
    session: SessionDep,
    caller: Reader,
    vacancy_id: RecordId,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CandidatePage:
    """The vacancy's eligible graduates ranked now by the matching engine, as on its
    candidates page. Every read is audited."""
    personal = caller.has(ApiScope.PERSONAL_DATA_READ)
    view = views.view_candidates(
        session,
        principal=caller,
        vacancy_id=vacancy_id,
        filters=CandidateFilters(),
        page=page,
        per_page=limit,
        phones=personal,
    )
    lang = api_language(request)
    vacancy = view.vacancy
    required = next(
        (each for each in training_levels(session) if each.code == vacancy.required_level_code),
        None,
    )
    items = []
    for shown in view.shown:
        row = candidate_row(shown, vacancy, caller, required, lang)
        suggestion = shown.candidate.suggestion
        components = {
            name: round(value, 4)
            for name, value in (suggestion.components or {}).items()
            if name != "order" or vacancy.training_order_id
        }
        items.append(
            CandidateOut(
                person_id=row.person_id,
                rank=suggestion.rank,
                full_name=row.name,
                commune=row.commune,
                level=row.level,
                occupation=row.occupation,
                score=round(suggestion.score, 6),
                components=components,
                matched_skills=list(suggestion.matched_skills or []),
                missing_skills=list(suggestion.missing_skills or []),
                reason=row.reason,
                referral_status=row.status,
                employed_elsewhere=row.elsewhere,
                **_personal(shown, personal),
            )
        )
    return CandidatePage(
        vacancy_id=vacancy_id, items=items, total=view.total, page=view.page, pages=view.pages
    )


class PlanIn(BaseModel):
    """The vacancies to plan over (each one the caller may see candidates of)."""

    model_config = ConfigDict(extra="forbid")
    vacancy_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=MAX_PLAN_VACANCIES
    )


class PlannedVacancyOut(BaseModel):
    vacancy_id: int
    places_left: int
    assigned: int


class PlacementOut(BaseModel):
    vacancy_id: int
    person_id: int
    score: float
    reason: str


class PlanOut(BaseModel):
    """Who would go where: at most one vacancy per person, never more people than a
    vacancy's places left. A proposal: nothing is recorded."""

    vacancies: list[PlannedVacancyOut]
    assignments: list[PlacementOut]
    places_filled: int
    total_score: float


@router.post(
    "/placement-plan",
    response_model=PlanOut,
    name="api_placement_plan",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def placement_plan(session: SessionDep, caller: Reader, body: PlanIn) -> PlanOut:
    """The placement plan over these vacancies (the engine's optimal assignment of their
    ranked candidates). It writes nothing, so it needs no Idempotency-Key: the same request
    gives the same plan while the data stay the same."""
    plan = plan_placements(session, principal=caller, vacancy_ids=body.vacancy_ids)
    return PlanOut(
        vacancies=[
            PlannedVacancyOut(
                vacancy_id=each.vacancy_id, places_left=each.places_left, assigned=each.assigned
            )
            for each in plan.vacancies
        ],
        assignments=[
            PlacementOut(
                vacancy_id=each.vacancy_id,
                person_id=each.person_id,
                score=round(each.match.score, 6),
                reason=each.match.reason,
            )
            for each in plan.placements
        ],
        places_filled=len(plan.placements),
        total_score=round(plan.total_score, 6),
    )
