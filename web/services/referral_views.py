"""What the candidates and referrals pages read: the graduates eligible for a vacancy, ranked
on request (models.ranking), and its referrals, as this user may see them; each view is
audited once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models.clock import today
from models.errors import ForbiddenError
from models.queries.candidates import (
    Candidate,
    CandidateFilters,
    ReferralRow,
    candidates_for,
    commune_names,
    referrals_for,
)
from models.ranking import PER_PAGE, rank_candidates
from models.tables import Vacancy
from web.auth import Actor, Principal
from web.permissions import Permission, PersonView, person_view
from web.services.contact_details import reveal_phones
from web.services.personal_data import audit_view
from web.services.referrals import vacancy_for


@dataclass(frozen=True)
class ShownCandidate:
    candidate: Candidate
    view: PersonView


@dataclass(frozen=True)
class CandidatesView:
    vacancy: Vacancy
    shown: list[ShownCandidate]
    communes: dict[str, str]  # communes of every eligible candidate, for the place filter
    total: int  # eligible people the filters keep, over all pages
    eligible: int  # eligible people before the filters
    page: int
    pages: int


def view_candidates(
    session: Session,
    *,
    principal: Actor,
    vacancy_id: int,
    filters: CandidateFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
    phones: bool = True,
) -> CandidatesView:
    """One page of the vacancy's eligible graduates, ranked now by the matching engine after
    the filters, as this user may see them; the view is audited once. `phones`: reveal the
    full phones the employer may see (audited too); the API does only under
    personal-data:read."""
    vacancy = vacancy_for(session, principal, vacancy_id, Permission.VIEW_CANDIDATES)
    ranked = rank_candidates(
        session, vacancy, on=today(), filters=filters, page=page, per_page=per_page
    )
    shown = _visible(principal, candidates_for(session, vacancy, ranked.people))
    ids = [each.view.person_id for each in shown]
    audit_view(session, principal, "vacancy_candidates", entity_id=vacancy_id, person_ids=ids)
    if phones:
        shown = _with_phones(session, principal, vacancy_id, shown)
    communes = commune_names(session, ranked.communes)
    return CandidatesView(
        vacancy,
        shown,
        {code: communes.get(code, code) for code in ranked.communes},
        ranked.total,
        ranked.eligible,
        ranked.page,
        ranked.pages,
    )


def _with_phones(
    session: Session, principal: Actor, vacancy_id: int, shown: list[ShownCandidate]
) -> list[ShownCandidate]:
    """Full phones of the people the employer may call (web/services/contact_details.py)."""
    pairs = [(each.candidate.person, each.view) for each in shown]
    views = reveal_phones(session, principal, vacancy_id, pairs, page="candidates")
    return [ShownCandidate(each.candidate, views[each.view.person_id]) for each in shown]


def _visible(principal: Actor, candidates: list[Candidate]) -> list[ShownCandidate]:
    """Candidates this user may see (employers: only those who consented)."""
    shown = []
    for candidate in candidates:
        try:
            shown.append(ShownCandidate(candidate, person_view(principal, candidate.person)))
        except ForbiddenError:
            continue
    return shown


@dataclass(frozen=True)
class ReferralsView:
    vacancy: Vacancy
    rows: list[tuple[ReferralRow, PersonView | None]]  # None: not shown to this employer


def view_referrals(session: Session, *, principal: Principal, vacancy_id: int) -> ReferralsView:
    """Every referral to a vacancy; people who withdrew their consent stay listed without
    their personal data for employers. The view is audited once."""
    vacancy = vacancy_for(session, principal, vacancy_id, Permission.VIEW_CANDIDATES)
    rows: list[tuple[ReferralRow, PersonView | None]] = []
    for row in referrals_for(session, vacancy_id):
        try:
            rows.append((row, person_view(principal, row.person)))
        except ForbiddenError:
            rows.append((row, None))
    ids = [view.person_id for _, view in rows if view is not None]
    audit_view(session, principal, "vacancy_referrals", entity_id=vacancy_id, person_ids=ids)
    pairs = [(row.person, view) for row, view in rows if view is not None]
    views = reveal_phones(session, principal, vacancy_id, pairs, page="referrals")
    rows = [(row, views[view.person_id] if view else None) for row, view in rows]
    return ReferralsView(vacancy, rows)
