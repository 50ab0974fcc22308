"""A placement plan over a set of vacancies: who would go where, reading the same eligible
graduates and scores as each vacancy's candidates page (models.ranking), solved by the
matching engine's optimal assignment (matching.assign: at most one vacancy per graduate,
never more graduates than a vacancy's places left). A proposal: nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel import Session

from matching.assign import optimal_edges
from matching.score import Match
from models.ranking import EligibleScores, eligible_scores
from models.tables import Vacancy
from models.vacancy_open import is_open


@dataclass(frozen=True)
class PlannedVacancy:
    vacancy_id: int
    places_left: int  # open places now: quantity less those filled (0 once not taking people)
    assigned: int


@dataclass(frozen=True)
class Placement:
    vacancy_id: int
    person_id: int
    match: Match


@dataclass(frozen=True)
class PlacementPlan:
    vacancies: list[PlannedVacancy]
    placements: list[Placement]

    @property
    def total_score(self) -> float:
        return float(sum(each.match.score for each in self.placements))


def places_left(vacancy: Vacancy, on: date) -> int:
    if not is_open(vacancy.status, vacancy.deadline, on):
        return 0
    return max(0, vacancy.quantity - vacancy.filled)


def placement_plan(session: Session, vacancies: Sequence[Vacancy], *, on: date) -> PlacementPlan:
    """The plan that maximises the total score over `vacancies` (distinct), order-linked
    graduates first to their order's vacancy, as matching.assign does."""
    ranked = [eligible_scores(session, vacancy, on=on) for vacancy in vacancies]
    quantity = np.array([places_left(vacancy, on) for vacancy in vacancies], dtype=np.int64)
    people = np.unique(np.concatenate([r.person_ids for r in ranked] or [np.zeros(0, np.int64)]))
    g = np.concatenate([np.searchsorted(people, r.person_ids) for r in ranked] or [people])
    v = np.concatenate([np.full(len(r.person_ids), i, np.int64) for i, r in enumerate(ranked)])
    weight = np.concatenate([r.weights for r in ranked] or [np.zeros(0)])
    chosen = optimal_edges(g, v, weight, quantity) if len(g) else np.zeros(0, np.int64)
    starts = np.concatenate([[0], np.cumsum([len(r.person_ids) for r in ranked])])
    placements: list[Placement] = []
    for index, (vacancy, scores) in enumerate(zip(vacancies, ranked, strict=True)):
        mine = chosen[(chosen >= starts[index]) & (chosen < starts[index + 1])] - starts[index]
        placements += _placements(vacancy, scores, np.sort(mine))
    assigned = np.bincount(v[chosen], minlength=len(vacancies)) if len(chosen) else None
    planned = [
        PlannedVacancy(
            vacancy.id or 0, int(quantity[i]), int(assigned[i]) if assigned is not None else 0
        )
        for i, vacancy in enumerate(vacancies)
    ]
    return PlacementPlan(planned, placements)


def _placements(vacancy: Vacancy, ranked: EligibleScores, chosen: np.ndarray) -> list[Placement]:
    """The chosen graduates of one vacancy, best first (their order on its candidates page)."""
    if not len(chosen) or ranked.scores is None:
        return []
    matches = ranked.scores.matches(ranked.positions[chosen])
    return [
        Placement(vacancy.id or 0, int(ranked.person_ids[position]), match)
        for position, match in zip(chosen, matches, strict=True)
    ]
