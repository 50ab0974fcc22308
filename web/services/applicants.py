"""The people who applied to a vacancy, scored and explained by the matching engine the same
way as its suggestions: each (applicant, vacancy) pair is scored directly (Matcher.score_pairs),
not read from the stored ranking, so an applicant is ranked whoever else applied."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from matching.engine import Matcher
from matching.profiles import GraduateProfile
from models.clock import today, utcnow
from models.errors import ForbiddenError
from models.learned_weights import adopted_weights
from models.profiles import applicant_profile, commune_points, vacancy_profile
from models.queries.applications import Applicant, applicants_for
from models.queries.candidates import Candidate
from models.tables import TrainingOccupation, Vacancy, VacancySuggestion
from web.auth import Principal
from web.permissions import person_view
from web.services.contact_details import reveal_phones
from web.services.personal_data import audit_view
from web.services.referral_views import ShownCandidate


@dataclass(frozen=True)
class ShownApplicant:
    shown: ShownCandidate
    trade: str  # as the applicant wrote it, or the occupation they chose


def view_applicants(
    session: Session, *, principal: Principal, vacancy: Vacancy
) -> list[ShownApplicant]:
    """The open applications, best score first, as this user may see them (the caller has
    checked the vacancy is theirs and audits the view)."""
    applicants = []
    for each in applicants_for(session, vacancy):
        try:
            applicants.append((each, person_view(principal, each.person)))
        except ForbiddenError:
            continue  # consent withdrawn since
    suggestions = _scores(session, vacancy, [each for each, _ in applicants])
    shown = [
        ShownApplicant(
            ShownCandidate(_candidate(each, suggestion), view),
            each.application.trade or (each.occupation.name if each.occupation else ""),
        )
        for (each, view), suggestion in zip(applicants, suggestions, strict=True)
    ]
    shown.sort(key=lambda a: -a.shown.candidate.suggestion.score)
    for rank, applicant in enumerate(shown, start=1):
        applicant.shown.candidate.suggestion.rank = rank
    return shown


def _scores(
    session: Session, vacancy: Vacancy, applicants: list[Applicant]
) -> list[VacancySuggestion]:
    """A suggestion-shaped score for each applicant (not stored)."""
    if not applicants:
        return []
    target = vacancy_profile(session, vacancy)
    pairs = [(_profile(session, each), target) for each in applicants]
    matches = Matcher(today=today(), weights=adopted_weights(session)).score_pairs(pairs)
    now = utcnow()
    return [
        VacancySuggestion(
            vacancy_id=vacancy.id or 0,
            person_id=each.person.id or 0,
            rank=0,
            score=round(float(match.score), 6),
            components={k: round(float(v), 4) for k, v in match.components.items()},
            matched_skills=list(match.matched_skills),
            missing_skills=list(match.missing_skills),
            reason=match.reason,
            computed_at=now,
        )
        for each, match in zip(applicants, matches, strict=True)
    ]


def _profile(session: Session, each: Applicant) -> GraduateProfile:
    training = each.training
    trained = session.get(TrainingOccupation, training.occupation_id) if training else None
    return applicant_profile(
        each.person,
        trade=each.application.trade or "",
        chosen=each.occupation,
        trained=trained,
        level=training.level_code if training else None,
        order_id=training.training_order_id if training else None,
        points=commune_points(session),
    )


def _candidate(each: Applicant, suggestion: VacancySuggestion) -> Candidate:
    return Candidate(
        person=each.person,
        suggestion=suggestion,
        training=each.training,
        referral=each.referral,
        employed_elsewhere=each.employed_elsewhere,
        commune_name=each.commune_name,
    )


def applicants_page(
    session: Session, *, principal: Principal, vacancy: Vacancy
) -> list[ShownApplicant]:
    """The applicants section of the candidates page (the vacancy already checked as this
    user's): scored, with full phones for the employer, the view audited once."""
    shown = view_applicants(session, principal=principal, vacancy=vacancy)
    if not shown or vacancy.id is None:
        return shown
    ids = [each.shown.view.person_id for each in shown]
    audit_view(session, principal, "vacancy_applications", entity_id=vacancy.id, person_ids=ids)
    pairs = [(each.shown.candidate.person, each.shown.view) for each in shown]
    views = reveal_phones(session, principal, vacancy.id, pairs, page="applications")
    return [
        ShownApplicant(
            ShownCandidate(each.shown.candidate, views[each.shown.view.person_id]), each.trade
        )
        for each in shown
    ]
