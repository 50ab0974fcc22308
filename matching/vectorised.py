"""The fast scorer: every rule of :mod:`matching.score` as numpy arithmetic on pair arrays.

Pairs are two index arrays ``g`` (graduate rows) and ``v`` (vacancy rows) into
:class:`matching.tables.Tables`. No Python loop runs per pair; text is compared once per
distinct (trade, vacancy text) combination.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.languages import LANGUAGE_MET, LANGUAGE_ONE_SHORT, LANGUAGE_UNMET
from matching.score import (
    FACTORS,
    FAR_KM,
    FRESH_DAYS,
    FRESHNESS_UNKNOWN,
    GUESSED_SAME,
    KM_PER_DEGREE,
    LEVEL_BY_GAP,
    LEVEL_ROOM,
    MAX_DELAY_DAYS,
    PLACE_ACCEPTED,
    PLACE_UNSTATED,
    PLACE_UNWILLING,
    RELATED_OCCUPATION,
    TOP_RANK,
    UNRELATED_TEXT,
    WAGE_ROOM,
    WAGE_UNKNOWN,
    WAGE_UNSTATED,
    Weights,
)
from matching.similarity import combine_text, rowwise_cosine, title_fuzzy_pairs, trade_pairs
from matching.tables import NO_REQUIREMENT, Tables

SAME, RELATED, UNRELATED, UNKNOWN = 2, 1, 0, -1
AGE, TIMING = 1, 2  # reasons a pair is ineligible


@dataclass
class PairScores:
    """Scores of many pairs, one array entry per pair."""

    g: np.ndarray
    v: np.ndarray
    score: np.ndarray
    components: dict[str, np.ndarray]
    relation: np.ndarray  # SAME, RELATED, UNRELATED
    matched: np.ndarray  # number of vacancy skills held
    scope: np.ndarray
    delay: np.ndarray
    ineligible: np.ndarray  # 0, AGE or TIMING

    @property
    def eligible(self) -> np.ndarray:
        return self.ineligible == 0

    def take(self, positions: np.ndarray) -> PairScores:
        """The subset of pairs at ``positions``."""
        return PairScores(
            g=self.g[positions],
            v=self.v[positions],
            score=self.score[positions],
            components={k: a[positions] for k, a in self.components.items()},
            relation=self.relation[positions],
            matched=self.matched[positions],
            scope=self.scope[positions],
            delay=self.delay[positions],
            ineligible=self.ineligible[positions],
        )


def code_relation(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """SAME, RELATED or UNRELATED for the occupation codes of each pair."""
    gc, vc = t.graduates.code[g], t.vacancies.code[v]
    gg, vg = t.graduates.group[g], t.vacancies.group[v]
    same = (gc >= 0) & (gc == vc)
    related = ~same & t.groups_related(gg, vg)
    return np.where(same, SAME, np.where(related, RELATED, UNRELATED))


def _readings(t: Tables, g: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Syllable cosine and head/object agreement per pair, each (trade reading, title
    reading) combination once."""
    ra, rb = t.graduates.reading[g], t.vacancies.reading[v]
    n = max(1, int(rb.max(initial=0)) + 1)
    combos, inverse = np.unique(ra * n + rb, return_inverse=True)
    words, agree = trade_pairs(t.trade_columns.take(combos // n), t.title_columns.take(combos % n))
    return words[inverse.ravel()], agree[inverse.ravel()]


def text_scores(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Occupation-text similarity of pairs, each (trade, vacancy text) combination once."""
    if not len(g):
        return np.zeros(0)
    trade, text = t.graduates.trade[g], t.vacancies.text[v]
    n_texts = max(1, len(t.titles))
    combos, inverse = np.unique(trade * n_texts + text, return_inverse=True)
    a, b = combos // n_texts, combos % n_texts
    cos_title = rowwise_cosine(t.trade_vectors[a], t.title_vectors[b])
    cos_full = rowwise_cosine(t.trade_vectors[a], t.full_vectors[b])
    fuzzy = np.zeros(len(combos))
    usable = np.flatnonzero(
        [bool(t.trades[i]) and bool(t.titles[j]) for i, j in zip(a, b, strict=True)]
    )
    fuzzy[usable] = title_fuzzy_pairs(
        [t.trades[i] for i in a[usable]], [t.titles[j] for j in b[usable]]
    )
    back = inverse.ravel()
    words, agree = _readings(t, g, v)
    sims = combine_text(cos_title[back], cos_full[back], fuzzy[back], words, agree)
    sims[np.array([not t.trades[i] for i in a], dtype=bool)[inverse.ravel()]] = 0.0
    return sims


def guessed_relation(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """SAME, RELATED, UNRELATED or UNKNOWN for the given-or-guessed occupations of pairs."""
    gk, vk = t.graduates.known[g], t.vacancies.known[v]
    gg, vg = t.graduates.known_group[g], t.vacancies.known_group[v]
    known = (gk >= 0) & (vk >= 0)
    return np.select(
        [~known, gk == vk, t.groups_related(gg, vg)], [UNKNOWN, SAME, RELATED], UNRELATED
    )


def occupation(t: Tables, g: np.ndarray, v: np.ndarray, relation: np.ndarray) -> np.ndarray:
    """Mirror of :func:`score.occupation_component`."""
    given_same = relation == SAME
    need = np.flatnonzero(~given_same)
    text = np.zeros(len(g))
    text[need] = text_scores(t, g[need], v[need])
    guessed = guessed_relation(t, g, v)
    return np.select(
        [given_same, guessed == SAME, guessed == RELATED, guessed == UNRELATED],
        [
            1.0,
            np.maximum(text, GUESSED_SAME),
            np.maximum(text, RELATED_OCCUPATION),
            text * UNRELATED_TEXT,
        ],
        text,
    )


def contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in the sorted array ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    found = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[found] == keys


def matched_skills(t: Tables, g: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(skills held, skills required) per pair, via sorted (graduate, skill) keys."""
    indptr, indices = t.vacancies.skills.indptr, t.vacancies.skills.indices
    required = (indptr[v + 1] - indptr[v]).astype(np.int64)
    pair = np.repeat(np.arange(len(g)), required)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(required) - required, required)
    skill = indices[np.repeat(indptr[v], required) + offset]
    keys = g[pair] * max(1, len(t.vacancy_skills)) + skill
    held = contains(t.covered, keys)
    matched = np.bincount(pair, weights=held, minlength=len(g)).astype(np.int64)
    return matched, required


def level(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Mirror of :func:`score.level_component`."""
    required, rank = t.vacancies.required[v], t.graduates.rank[g]
    gap = np.clip(required - rank, 0, len(LEVEL_BY_GAP) - 1)
    ended = t.graduates.graduated[g]
    days = np.maximum(0, t.vacancies.start[v] - ended)
    fresh = np.where(ended > 0, 1.0 / (1.0 + days / FRESH_DAYS), FRESHNESS_UNKNOWN)
    trained = (rank + 1) / (TOP_RANK + 1)
    meets = 1.0 - LEVEL_ROOM * (1.0 - (trained + fresh) / 2)
    short = np.asarray(LEVEL_BY_GAP)[gap]
    return np.where((required == NO_REQUIREMENT) | (rank >= required), meets, short)


def scope_of(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    kind, gc, vc = t.vacancies.kind[v], t.graduates.commune[g], t.vacancies.commune[v]
    own = (gc >= 0) & (gc == vc)
    return np.select([kind == 2, kind == 1, own], [3, 2, 0], 1)


def km_between(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Mirror of :func:`score.distance_km` (nan where a point is unknown)."""
    a, b = t.graduates.point[g], t.vacancies.point[v]
    north = (a[:, 0] - b[:, 0]) * KM_PER_DEGREE
    east = (a[:, 1] - b[:, 1]) * KM_PER_DEGREE * np.cos(np.radians((a[:, 0] + b[:, 0]) / 2))
    return np.hypot(north, east)


def place(t: Tables, g: np.ndarray, scope: np.ndarray, km: np.ndarray) -> np.ndarray:
    """Mirror of :func:`score.place_component`."""
    accepted = t.graduates.accepts[g, scope]
    far = np.clip(np.nan_to_num(km, nan=0.0) / FAR_KM, 0.0, 1.0)
    near = PLACE_ACCEPTED[1] - far * (PLACE_ACCEPTED[1] - PLACE_ACCEPTED[2])
    within = np.where((scope == 1) & ~np.isnan(km), near, np.asarray(PLACE_ACCEPTED)[scope])
    stated = np.where(accepted, within, np.asarray(PLACE_UNWILLING)[scope])
    return np.where(t.graduates.stated[g], stated, np.asarray(PLACE_UNSTATED)[scope])


def wage(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    expected, offered = t.graduates.expected[g], t.vacancies.offered[v]
    with np.errstate(invalid="ignore"):
        ratio = offered / expected
        met = np.minimum(1.0, np.maximum(0.0, 1.0 - 2.0 * (1.0 - ratio)))
        fit = (1.0 - WAGE_ROOM) * met + WAGE_ROOM * np.minimum(1.0, np.maximum(0.0, ratio - 1.0))
    unknown_offer = np.where(np.isnan(offered), WAGE_UNKNOWN, fit)
    return np.where(np.isnan(expected), WAGE_UNSTATED, unknown_offer)


def language(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Mirror of :func:`languages.language_factor`."""
    lang, need = t.vacancies.language[v], t.vacancies.language_level[v]
    held = t.graduates.languages[g, np.maximum(lang, 0)]
    short = (held >= 1) & (held == need - 1)
    fit = np.where(held >= need, LANGUAGE_MET, np.where(short, LANGUAGE_ONE_SHORT, LANGUAGE_UNMET))
    return np.where(lang < 0, LANGUAGE_MET, fit)


def age_ok(t: Tables, g: np.ndarray, v: np.ndarray) -> np.ndarray:
    born = t.graduates.birth_year[g]
    age = t.vacancies.start_year[v] - born
    low, high = t.vacancies.age_min[v], t.vacancies.age_max[v]
    with np.errstate(invalid="ignore"):
        inside = (np.isnan(low) | (age >= low)) & (np.isnan(high) | (age <= high))
    return np.isnan(born) | inside


def total(components: dict[str, np.ndarray], weights: Weights, has_order: np.ndarray):
    """Weighted mean in the same order of operations as :func:`score.weighted_score`."""
    score = np.zeros(len(has_order))
    weight_sum = 0.0
    for name, weight in weights.as_dict().items():
        if name != "order":
            score = score + weight * components[name]
            weight_sum += weight
    score = score + np.where(has_order, weights.order * components["order"], 0.0)
    divisor = np.where(has_order, weight_sum + weights.order, weight_sum)
    mean = np.minimum(1.0, np.maximum(0.0, score / divisor))
    for name in FACTORS:
        if name in components:
            mean = mean * components[name]
    return mean


def score_index_pairs(t: Tables, g: np.ndarray, v: np.ndarray, weights: Weights) -> PairScores:
    """Score the pairs (``g[i]``, ``v[i]``) of a batch."""
    g, v = np.asarray(g, dtype=np.int64), np.asarray(v, dtype=np.int64)
    relation = code_relation(t, g, v)
    matched, required = matched_skills(t, g, v)
    scope = scope_of(t, g, v)
    delay = np.maximum(
        0,
        np.where(t.graduates.available[g] > 0, t.graduates.available[g] - t.vacancies.start[v], 0),
    )
    has_order = t.vacancies.order[v] >= 0
    linked = has_order & (t.graduates.order[g] == t.vacancies.order[v])
    components = {
        "occupation": occupation(t, g, v, relation),
        "skills": np.where(required > 0, matched / np.maximum(required, 1), 1.0),
        "level": level(t, g, v),
        "place": place(t, g, scope, km_between(t, g, v)),
        "wage": wage(t, g, v),
        "timing": np.maximum(0.0, 1.0 - delay / MAX_DELAY_DAYS),
        "order": linked.astype(np.float64),
        # A training order's cohort learns the language in the order's own course.
        "language": np.where(linked, 1.0, language(t, g, v)),
    }
    ineligible = np.where(~age_ok(t, g, v), AGE, np.where(delay > MAX_DELAY_DAYS, TIMING, 0))
    score = np.where(ineligible == 0, total(components, weights, has_order), 0.0)
    return PairScores(g, v, score, components, relation, matched, scope, delay, ineligible)


@dataclass
class Kept:
    """What the matcher keeps of each scored pair: enough to rank and to assign. The full
    breakdown is recomputed (identically) for the few pairs that are shown."""

    g: np.ndarray
    v: np.ndarray
    score: np.ndarray
    linked: np.ndarray  # order-linked: ranks first among equal scores, bonus in the solver

    @classmethod
    def of(cls, s: PairScores) -> Kept:
        """The eligible pairs of ``s``."""
        ok = np.flatnonzero(s.eligible)
        return cls(
            s.g[ok].astype(np.int32),
            s.v[ok].astype(np.int32),
            s.score[ok],
            s.components["order"][ok] >= 1.0,
        )

    def take(self, positions: np.ndarray) -> Kept:
        """The subset at ``positions``."""
        return Kept(
            self.g[positions], self.v[positions], self.score[positions], self.linked[positions]
        )

    @classmethod
    def concat(cls, parts: list[Kept]) -> Kept:
        """All pairs of ``parts``, in order."""
        if not parts:
            empty = np.zeros(0, dtype=np.int32)
            return cls(empty, empty, np.zeros(0), np.zeros(0, dtype=bool))
        return cls(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in ("g", "v", "score", "linked"))
        )
