"""The matcher: score a batch of graduates against a batch of vacancies, rank both ways, plan.

>>> matcher = Matcher(today=date(2026, 7, 1)).fit(graduates, vacancies)  # doctest: +SKIP
>>> matcher.rank_graduates(top_k=10)["V1"][0].reason       # doctest: +SKIP
'Đúng nghề May công nghiệp; đủ 2 kỹ năng yêu cầu; lương đáp ứng mong muốn'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from matching.assign import Plan, greedy_edges, optimal_edges, solver_weights
from matching.candidates import candidate_blocks, graduate_kinds, order_side
from matching.catalogue import OccupationCatalogue, load_catalogue
from matching.profiles import GraduateProfile, VacancyProfile
from matching.results import MatchBuilder, Ranking
from matching.score import Match, Weights
from matching.tables import Tables, build_tables
from matching.vectorised import Kept, score_index_pairs

Pair = tuple[str, str] | tuple[GraduateProfile, VacancyProfile]


def _first_per_group(group: np.ndarray, limit: np.ndarray | int) -> np.ndarray:
    """Mask of the first ``limit`` entries of each run of equal values in sorted ``group``
    (``limit`` may be an array indexed by the group value)."""
    if not len(group):
        return np.zeros(0, dtype=bool)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    bound = limit[group] if isinstance(limit, np.ndarray) else limit
    return (np.arange(len(group)) - run_start) < bound


def _ranking_order(owner: np.ndarray, other: np.ndarray, kept: Kept) -> np.ndarray:
    """Positions sorted by owner, then best score, order-linked first on a tie, then id."""
    return np.lexsort((other, ~kept.linked, -kept.score, owner))


def _best_per_vacancy(kept: Kept, keep: np.ndarray) -> Kept:
    """At most ``keep[v]`` pairs per vacancy ``v``, the best ones."""
    order = _ranking_order(kept.v, kept.g, kept)
    return kept.take(order[_first_per_group(kept.v[order], keep)])


def _dedupe(kept: Kept, n_grad: int) -> Kept:
    _, first = np.unique(kept.v.astype(np.int64) * max(1, n_grad) + kept.g, return_index=True)
    return kept.take(first)


class Matcher:
    """Scores, rankings and an assignment plan for one batch.

    Parameters
    ----------
    weights:
        Component weights (:class:`Weights`).
    shortlist:
        Graduates per vacancy taken by occupation/text pre-score before exact scoring (see
        :mod:`matching.candidates`). After scoring, each vacancy keeps its best
        ``max(shortlist, 2 × quantity)`` pairs for rankings and the plan.
    catalogue:
        Occupation catalogue; the bundled one by default.
    today:
        The date used when a vacancy has no start date. Required: the library never reads the
        clock, so the same inputs always give the same scores.
    include_code_matches, max_code_matches:
        Also score up to ``max_code_matches`` graduates per vacancy whose occupation (given or
        guessed) is the same as or related to the vacancy's, beyond the shortlist.
    vacancies_per_graduate:
        Vacancies per graduate taken by pre-score, so each graduate has a ranking too.
    """

    def __init__(
        self,
        *,
        today: date,
        weights: Weights | None = None,
        shortlist: int = 50,
        catalogue: OccupationCatalogue | None = None,
        include_code_matches: bool = True,
        max_code_matches: int = 150,
        vacancies_per_graduate: int = 20,
    ) -> None:
        self.weights = weights or Weights()
        self.shortlist = shortlist
        self.catalogue = catalogue
        self.today = today
        self.include_code_matches = include_code_matches
        self.max_code_matches = max_code_matches
        self.vacancies_per_graduate = vacancies_per_graduate

    def _tables(self, graduates, vacancies) -> Tables:
        catalogue = self.catalogue or load_catalogue()
        return build_tables(graduates, vacancies, catalogue, self.today)

    def fit(
        self, graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile]
    ) -> Matcher:
        """Build candidate pairs and score them; returns ``self``.

        Learned: ``tables_`` (columnar profiles) and ``pairs_`` (eligible scored pairs).
        """
        if self.shortlist < 1:
            raise ValueError("shortlist must be at least 1")
        t = self.tables_ = self._tables(graduates, vacancies)
        kinds = graduate_kinds(t)
        keep = np.maximum(self.shortlist, 2 * t.vacancies.quantity)
        code_cap = self.max_code_matches if self.include_code_matches else 0
        parts = []
        blocks = candidate_blocks(t, kinds, self.shortlist, code_cap, self.vacancies_per_graduate)
        for side, g, v in blocks:
            kept = Kept.of(score_index_pairs(t, g, v, self.weights))
            parts.append(_best_per_vacancy(kept, keep) if side == "vacancy" else kept)
        parts.append(Kept.of(score_index_pairs(t, *order_side(t), self.weights)))
        self.pairs_ = _dedupe(Kept.concat(parts), len(t.graduates.profiles))
        self.builder_ = MatchBuilder(t)
        return self

    def _matches(self, positions: np.ndarray) -> list[Match]:
        """Full matches (breakdown, skills, reason) for kept pairs, recomputed exactly."""
        p = self.pairs_
        scored = score_index_pairs(self.tables_, p.g[positions], p.v[positions], self.weights)
        return self.builder_.build(scored, np.arange(len(positions)))

    def _ranked(self, by_vacancy: bool, top_k: int) -> Ranking:
        p, t = self.pairs_, self.tables_
        owner, other = (p.v, p.g) if by_vacancy else (p.g, p.v)
        order = _ranking_order(owner, other, p)
        order = order[_first_per_group(owner[order], top_k)]
        profiles = t.vacancies.profiles if by_vacancy else t.graduates.profiles
        bounds = np.searchsorted(owner[order], np.arange(len(profiles) + 1))
        ids = [profile.id for profile in profiles]
        return Ranking(ids, bounds, order, self._matches)

    def rank_graduates(self, top_k: int = 10) -> Ranking:
        """For each vacancy id, its best ``top_k`` eligible graduates (score, then id).

        A read-only mapping vacancy id → list of :class:`Match`; ``.to_dict()`` gives a dict.
        """
        return self._ranked(by_vacancy=True, top_k=top_k)

    def rank_vacancies(self, top_k: int = 10) -> Ranking:
        """For each graduate id, their best ``top_k`` eligible vacancies (score, then id).

        A read-only mapping graduate id → list of :class:`Match`; ``.to_dict()`` gives a dict.
        """
        return self._ranked(by_vacancy=False, top_k=top_k)

    def score_pairs(self, pairs: Iterable[Pair]) -> list[Match]:
        """Exact scores for the given pairs, in order, whether shortlisted or not.

        Pairs are ``(graduate_id, vacancy_id)`` of the fitted batch, or
        ``(GraduateProfile, VacancyProfile)`` (no ``fit`` needed). Ineligible pairs come back
        with ``eligible=False`` and score 0.
        """
        pairs = list(pairs)
        if not pairs:
            return []
        if isinstance(pairs[0][0], GraduateProfile):
            graduates = {_id(gp): gp for gp, _ in pairs}
            vacancies = {_id(vp): vp for _, vp in pairs}
            tables = self._tables(list(graduates.values()), list(vacancies.values()))
        else:
            tables = self.tables_
        g = np.array([tables.graduates.index[_id(a)] for a, _ in pairs], dtype=np.int64)
        v = np.array([tables.vacancies.index[_id(b)] for _, b in pairs], dtype=np.int64)
        scored = score_index_pairs(tables, g, v, self.weights)
        return MatchBuilder(tables).build(scored, np.arange(len(pairs)))

    def _plan(self, chosen: np.ndarray, weight: np.ndarray) -> Plan:
        matches = self._matches(chosen)
        matches.sort(key=lambda m: (m.vacancy_id, m.graduate_id))
        return Plan(
            assignments=matches,
            places_filled=len(matches),
            total_score=float(self.pairs_.score[chosen].sum()),
            objective=float(weight[chosen].sum()),
        )

    def assign(self) -> Plan:
        """The optimal plan over the kept pairs (see :mod:`matching.assign`)."""
        p = self.pairs_
        weight = solver_weights(p.score, p.linked)
        chosen = optimal_edges(p.g, p.v, weight, self.tables_.vacancies.quantity)
        return self._plan(chosen, weight)

    def greedy_assign(self) -> Plan:
        """The greedy plan over the same pairs, for comparison."""
        p = self.pairs_
        weight = solver_weights(p.score, p.linked)
        chosen = greedy_edges(p.g, p.v, weight, self.tables_.vacancies.quantity)
        return self._plan(chosen, weight)


def _id(item: object) -> str:
    return item.id if isinstance(item, GraduateProfile | VacancyProfile) else str(item)


def greedy_assign(
    graduates: Sequence[GraduateProfile],
    vacancies: Sequence[VacancyProfile],
    weights: Weights | None = None,
    *,
    today: date,
) -> Plan:
    """The greedy plan (best pair first) over the same scored pairs as :meth:`Matcher.assign`,
    for comparison with the optimum."""
    return Matcher(weights=weights, today=today).fit(graduates, vacancies).greedy_assign()


def assign(
    graduates: Sequence[GraduateProfile],
    vacancies: Sequence[VacancyProfile],
    weights: Weights | None = None,
    *,
    today: date,
) -> Plan:
    """The optimal plan for a batch (``Matcher(...).fit(...).assign()``)."""
    return Matcher(weights=weights, today=today).fit(graduates, vacancies).assign()
