"""What the candidates and referrals pages read: the ranked graduates of a vacancy and its
referrals, as this user may see them; each view is audited once."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.clock import today
from models.errors import ForbiddenError
from models.queries.candidates import (
    Candidate,
    CandidateFilters,
    ReferralRow,
    candidates_for,
    referrals_for,
)
from models.suggestions import compute_suggestions, suggestions_for, suggestions_stale
from models.tables import Vacancy
from models.vacancy_open import is_open
from web.auth import Principal
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
    communes: dict[str, str]  # communes of every listed candidate, for the place filter
    computed_at: datetime | None


def view_candidates(
    session: Session, *, principal: Principal, vacancy_id: int, filters: CandidateFilters
) -> CandidatesView:
    """The ranked graduates of a vacancy (computed now if none are stored or they are
    stale), filtered, as this user may see them; the view is audited once."""
    vacancy = vacancy_for(session, principal, vacancy_id, Permission.VIEW_CANDIDATES)
    _refresh_suggestions(session, vacancy)
    listed = _visible(principal, candidates_for(session, vacancy))
    shown = [each for each in listed if filters.keeps(each.candidate, vacancy)]
    ids = [each.view.person_id for each in shown]
    audit_view(session, principal, "vacancy_candidates", entity_id=vacancy_id, person_ids=ids)
    shown = _with_phones(session, principal, vacancy_id, shown)
    communes = {each.candidate.person.commune_code: each.candidate.commune_name for each in listed}
    computed = min((each.candidate.suggestion.computed_at for each in listed), default=None)
    return CandidatesView(vacancy, shown, communes, computed)


def _with_phones(
    session: Session, principal: Principal, vacancy_id: int, shown: list[ShownCandidate]
) -> list[ShownCandidate]:
    """Full phones of the people the employer may call (web/services/contact_details.py)."""
    pairs = [(each.candidate.person, each.view) for each in shown]
    views = reveal_phones(session, principal, vacancy_id, pairs, page="candidates")
    return [ShownCandidate(each.candidate, views[each.view.person_id]) for each in shown]


def _refresh_suggestions(session: Session, vacancy: Vacancy) -> None:
    """Compute this vacancy's suggestions when none are stored or they are stale. Two
    readers may do it at once: the one that loses the race keeps the winner's rows."""
    if not is_open(vacancy.status, vacancy.deadline, today()) or vacancy.id is None:
        return
    if not suggestions_stale(session, vacancy, suggestions_for(session, vacancy.id)):
        return
    # Rolled back by compute_suggestions' unit of work on a clash: the other reader's rows
    # stand.
    with suppress(IntegrityError):
        compute_suggestions(session, vacancy_ids=[vacancy.id])


def _visible(principal: Principal, candidates: list[Candidate]) -> list[ShownCandidate]:
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
