"""Every given graduate scored against one vacancy, for a page that ranks on request.

The caller has already chosen the graduates (in the platform: by SQL, on trade, consent, age
and place); here each of them is scored with the vectorised scorer in one pass, and full
:class:`Match` objects (breakdown, skills, reason) are built only for the few rows shown.

>>> scores = score_graduates(graduates, vacancy, today=date(2026, 7, 1))  # doctest: +SKIP
>>> order = scores.order(tie_breaks=[recency])                           # doctest: +SKIP
>>> scores.matches(order[:20])                                           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.catalogue import OccupationCatalogue, load_catalogue
from matching.profiles import GraduateProfile, VacancyProfile
from matching.results import MatchBuilder
from matching.score import RELATED_OCCUPATION, Match, Weights
from matching.tables import Tables, build_tables
from matching.vectorised import PairScores, score_index_pairs

# Scores are compared at this precision, so that float noise never decides an order and the
# tie-breaks of the caller do.
SCORE_DECIMALS = 6


@dataclass
class VacancyScores:
    """The scores of many graduates for one vacancy; entry ``i`` is ``ids[i]``."""

    ids: tuple[str, ...]
    score: np.ndarray
    eligible: np.ndarray  # within the age range and available in time
    related: np.ndarray  # occupation component at least that of a related trade
    linked: np.ndarray  # trained under the vacancy's training order
    components: dict[str, np.ndarray]
    _scored: PairScores
    _tables: Tables

    def order(self, tie_breaks: Sequence[np.ndarray] = ()) -> np.ndarray:
        """Positions best first: score, then order-linked, then each of ``tie_breaks`` (larger
        first, in the order given), then id. Deterministic for equal inputs."""
        rounded = np.round(self.score, SCORE_DECIMALS)
        position = np.arange(len(self.ids))  # ids are sorted: position order is id order
        keys = [position, *(-np.asarray(k, dtype=np.float64) for k in reversed(tie_breaks))]
        return np.lexsort((*keys, ~self.linked, -rounded))

    def matches(self, positions: np.ndarray) -> list[Match]:
        """Full matches (breakdown, skills, reason) for ``positions``, in that order."""
        return MatchBuilder(self._tables).build(self._scored, np.asarray(positions, np.int64))


def score_graduates(
    graduates: Sequence[GraduateProfile],
    vacancy: VacancyProfile,
    *,
    today: date,
    weights: Weights | None = None,
    catalogue: OccupationCatalogue | None = None,
) -> VacancyScores:
    """Score each of ``graduates`` (sorted by id in the result) for ``vacancy``: one
    vectorised pass, no Python loop per pair."""
    tables = build_tables(graduates, [vacancy], catalogue or load_catalogue(), today)
    n = len(tables.graduates.profiles)
    g = np.arange(n, dtype=np.int64)
    scored = score_index_pairs(tables, g, np.zeros(n, dtype=np.int64), weights or Weights())
    components = scored.components
    return VacancyScores(
        ids=tuple(p.id for p in tables.graduates.profiles),
        score=scored.score,
        eligible=scored.eligible,
        related=components["occupation"] >= RELATED_OCCUPATION,
        linked=components["order"] >= 1.0,
        components=components,
        _scored=scored,
        _tables=tables,
    )
