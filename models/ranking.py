"""The candidates of a vacancy ranked on request: every eligible graduate (chosen in SQL,
models.queries.eligible) scored by the matching engine in one vectorised pass, narrowed by
the employer's filters, ordered by score with ties broken by evidence, then cut into pages.
Nothing is stored: a page always shows the people eligible now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlmodel import Session

from matching.assign import solver_weights
from matching.one_vacancy import VacancyScores, score_graduates
from matching.score import Match
from models.clock import utcnow
from models.kept import Kept
from models.learned_weights import adopted_weights
from models.profiles import profiles_of_rows, vacancy_profile
from models.queries.candidates import CandidateFilters, employed_since
from models.queries.eligible import eligible_query
from models.tables import Person, Vacancy, VacancySuggestion

PER_PAGE = 20
SHOWN_DECIMALS = 1  # the candidates page shows scores to 0.1 percent
# A vacancy's ranking is kept a moment (models/kept.py): its pages, filters and the next
# visitor read it again without ranking everyone again. A write in this process to what the
# ranking reads drops it at once; one made by another process shows within RANKING_SECONDS (a
# hire there is refused by the service meanwhile, never made twice).
RANKING_SECONDS = 30.0
RANKING_TABLES = (
    "person",
    "enrolment",
    "course",
    "employment_spell",
    "vacancy",
    "training_occupation",
    "training_level",
    "admin_unit",
    "weight_proposal",  # adopting weights re-ranks at once
)
_RANKINGS = Kept(RANKING_TABLES, seconds=RANKING_SECONDS, size=64)
RECENT_DAYS = 183  # "recently graduated": within about six months of the day of the view
# Columns of eligible_query after the engine's ten.
GRADUATED_ON, LEVEL_RANK, CERTIFIED = 10, 11, 12


@dataclass(frozen=True)
class RankedPage:
    """One page of a vacancy's ranked candidates."""

    people: list[VacancySuggestion]  # the engine's results, in the stored rows' shape
    total: int  # eligible people the filters keep
    eligible: int  # eligible people before the filters
    page: int
    pages: int
    communes: list[str]  # where the eligible people live (for the commune filter)


def rank_candidates(
    session: Session,
    vacancy: Vacancy,
    *,
    on: date,
    filters: CandidateFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> RankedPage:
    """The page `page` (clamped to the pages there are) of the vacancy's eligible graduates
    who are not employed elsewhere since graduating, best first, after `filters`."""
    assert vacancy.id is not None
    ranking = _RANKINGS.get(session, (vacancy.id, on), lambda: _ranking(session, vacancy, on))
    if ranking is None:
        return RankedPage([], 0, 0, 1, 1, [])
    scores, facts, order, communes = ranking
    eligible = scores.eligible
    kept = order[(eligible & _filtered(filters, scores, facts))[order]]
    pages = max(1, -(-len(kept) // per_page))
    page = min(max(1, page), pages)
    shown = kept[(page - 1) * per_page : page * per_page]
    computed_at = utcnow()
    people = [
        _suggestion(vacancy, int(facts.person_id[position]), rank, match, computed_at)
        for rank, (position, match) in enumerate(
            zip(shown, scores.matches(shown), strict=True), start=(page - 1) * per_page + 1
        )
    ]
    return RankedPage(people, len(kept), int(eligible.sum()), page, pages, communes)


@dataclass(frozen=True)
class EligibleScores:
    """Every eligible graduate of a vacancy with the engine's scores, as the candidates page
    ranks them (the same kept ranking): what a placement plan over vacancies starts from."""

    person_ids: np.ndarray  # int64, one per eligible graduate
    weights: np.ndarray  # the plan's edge weights (order-linked graduates weigh more)
    scores: VacancyScores | None  # None: nobody is eligible
    positions: np.ndarray  # each one's position in `scores`


def eligible_scores(session: Session, vacancy: Vacancy, *, on: date) -> EligibleScores:
    """The vacancy's eligible graduates (those its candidates page ranks) and their scores."""
    assert vacancy.id is not None
    ranking = _RANKINGS.get(session, (vacancy.id, on), lambda: _ranking(session, vacancy, on))
    if ranking is None:
        empty = np.zeros(0, dtype=np.int64)
        return EligibleScores(empty, np.zeros(0), None, empty)
    scores, facts, order, _ = ranking
    positions = order[scores.eligible[order]]
    weights = solver_weights(scores.score[positions], scores.linked[positions])
    return EligibleScores(facts.person_id[positions], weights, scores, positions)


def _ranking(
    session: Session, vacancy: Vacancy, on: date
) -> tuple[VacancyScores, _Facts, np.ndarray, list[str]] | None:
    """Every eligible graduate scored and ordered (None: nobody is eligible): the part of a
    page that neither its filters nor its number change, with the communes the eligible
    people live in."""
    rows = session.execute(_looking(vacancy, eligible_query(vacancy, on))).all()
    if not rows:
        return None
    scores = score_graduates(
        profiles_of_rows(session, rows),
        vacancy_profile(session, vacancy),
        today=on,
        weights=adopted_weights(session),
    )
    facts = _Facts.of(rows, scores.ids, vacancy, on)
    communes = sorted({facts.commune[p] for p in np.flatnonzero(scores.eligible)})
    return scores, facts, scores.order(tie_breaks=facts.tie_breaks()), communes


def _suggestion(
    vacancy: Vacancy, person_id: int, rank: int, match: Match, computed_at: datetime
) -> VacancySuggestion:
    assert vacancy.id is not None
    return VacancySuggestion(
        vacancy_id=vacancy.id,
        person_id=person_id,
        rank=rank,
        score=float(match.score),
        components={k: float(v) for k, v in match.components.items()},
        matched_skills=list(match.matched_skills),
        missing_skills=list(match.missing_skills),
        reason=match.reason,
        computed_at=computed_at,
    )


def _looking(vacancy: Vacancy, query: Any) -> Any:
    """Without the people who took a job since their graduation (other than this one): they
    are not looking, and a hire would be refused."""
    graduated = query.selected_columns.graduated_on
    return query.where(~employed_since(Person.id, graduated, except_vacancy=vacancy.id))


@dataclass(frozen=True)
class _Facts:
    """What the tie-breaks and filters read, aligned with the engine's (id-sorted) rows."""

    person_id: np.ndarray
    commune: list[str]
    same_commune: np.ndarray
    level_rank: np.ndarray
    graduated: np.ndarray  # date ordinal, 0 when unknown
    certified: np.ndarray
    recent: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[Any], ids: Sequence[str], vacancy: Vacancy, on: date) -> _Facts:
        by_id = {str(row[0]): row for row in rows}
        aligned = [by_id[i] for i in ids]
        graduated_on = [row[GRADUATED_ON] for row in aligned]
        ordinal = np.array([d.toordinal() if d else 0 for d in graduated_on], dtype=np.int64)
        commune = [row[2] for row in aligned]
        return cls(
            person_id=np.array([row[0] for row in aligned], dtype=np.int64),
            commune=commune,
            same_commune=np.array(
                [vacancy.location_kind == "commune" and c == vacancy.commune_code for c in commune]
            ),
            level_rank=np.array([row[LEVEL_RANK] for row in aligned], dtype=np.int64),
            graduated=ordinal,
            certified=np.array([bool(row[CERTIFIED]) for row in aligned]),
            recent=ordinal >= (on - timedelta(days=RECENT_DAYS)).toordinal(),
        )

    def tie_breaks(self) -> list[np.ndarray]:
        """Among equal scores: living in the commune of the job (no move, no commute),
        graduated in the last six months, trained higher, holding a certificate, then the
        later graduation day, and last the earlier record (lower id). Day-exact recency comes
        late: nearly every date differs, so first it would decide everything alone."""
        return [
            self.same_commune,
            self.recent,
            self.level_rank,
            self.certified,
            self.graduated,
            -self.person_id,
        ]


def _filtered(filters: CandidateFilters, scores: VacancyScores, facts: _Facts) -> np.ndarray:
    keep = np.ones(len(scores.ids), dtype=bool)
    if filters.min_score is not None:
        # Against the score as shown (to 0.1 percent): "at least 93 %" never keeps a 92.6.
        keep &= np.round(scores.score * 100, SHOWN_DECIMALS) >= filters.min_score
    if filters.min_level_rank is not None:
        keep &= facts.level_rank >= filters.min_level_rank
    if filters.commune_code:
        keep &= np.array([c == filters.commune_code for c in facts.commune], dtype=bool)
    if filters.order_only:
        keep &= scores.linked
    if filters.recent:
        keep &= facts.recent
    return keep


def score_of(session: Session, vacancy: Vacancy, person_id: int, *, on: date) -> float | None:
    """The engine's score of one eligible person for the vacancy now (None if not eligible):
    what a referral records, the same number the candidates page shows."""
    rows = session.execute(eligible_query(vacancy, on, person_id=person_id)).all()
    if not rows:
        return None
    scores = score_graduates(
        profiles_of_rows(session, rows),
        vacancy_profile(session, vacancy),
        today=on,
        weights=adopted_weights(session),
    )
    return float(scores.score[0]) if bool(scores.eligible[0]) else None
