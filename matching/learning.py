"""Learning component weights from referral outcomes, and judging them on later outcomes.

A referral's outcome grades the pair (graduate, vacancy) it proposed: hired above interviewed
above refused. Within one vacancy, a pair graded higher should score higher; a pairwise
logistic regression on the differences of the components of such pairs (no intercept, so
what differs between vacancies cancels out) gives coefficients whose ratios are the weights
that best order each vacancy's candidates. Those become a :class:`~matching.score.Weights`.

Only the components are features: the engine scores nothing else, so nothing else (sex,
ethnicity, a name) can enter a ranking through learned weights. The ``order`` weight is
policy (an order's trainees go first to the employer who ordered them) and is kept as given.

A proposal is judged by a time split: outcomes of the earlier vacancies train it, those of
the later ones test it, and it is adoptable only when it ranks the later ones better than the
hand weights (mean nDCG over vacancies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ndcg_score

from matching.score import COMPONENTS, Weights
from matching.text import search_key
from matching.vectorised import total

LEARNED: tuple[str, ...] = tuple(name for name in COMPONENTS if name != "order")
HIRED, INTERVIEWED, REFUSED = 2, 1, 0
# Refusals and withdrawals whose reason says nothing about the fit of the pair (the places
# were filled, the person found work elsewhere) teach nothing and are left out. Matched on
# the search key (no tone marks), so typing without them meets the same rule.
UNINFORMATIVE_REASONS: tuple[str, ...] = (
    "tuyen du",  # "doanh nghiệp đã tuyển đủ người"
    "co viec lam khac",  # "đã có việc làm khác"
    "places filled",
    "another job",
)
MIN_TEST_VACANCIES = 30  # fewer later vacancies than this judge nothing (a lucky few can)
CONFIDENCE = 0.95  # share of resamples of the later vacancies the fitted weights must win


def outcome_grade(status: str, reason: str = "") -> int | None:
    """The grade a referral's outcome gives its pair, or None when it teaches nothing yet
    (still proposed or referred) or at all (a refusal for a reason unrelated to the fit)."""
    if status == "hired":
        return HIRED
    if status == "interview":
        return INTERVIEWED
    if status in ("rejected", "withdrawn"):
        key = search_key(reason)
        return None if any(word in key for word in UNINFORMATIVE_REASONS) else REFUSED
    return None


@dataclass(frozen=True)
class OutcomeSet:
    """Graded pairs, one row each: the components (columns in :data:`COMPONENTS` order),
    whether the vacancy belongs to a training order, its grade, the vacancy (a group id) and
    when the vacancy's outcomes began (a day number; the time split uses it)."""

    components: np.ndarray
    has_order: np.ndarray
    grade: np.ndarray
    group: np.ndarray
    when: np.ndarray

    def __len__(self) -> int:
        return len(self.grade)

    def take(self, mask: np.ndarray) -> OutcomeSet:
        return OutcomeSet(
            self.components[mask],
            self.has_order[mask],
            self.grade[mask],
            self.group[mask],
            self.when[mask],
        )

    def split(self, train_share: float = 0.7) -> tuple[OutcomeSet, OutcomeSet]:
        """The earlier vacancies' outcomes and the later ones'. A vacancy is never cut in
        two; vacancies that began the same day fall on the same side."""
        _, first = np.unique(self.group, return_index=True)
        starts = np.sort(self.when[first])
        if len(starts) == 0:
            return self, self
        cut = starts[min(len(starts) - 1, int(len(starts) * train_share))]
        later = self.when >= cut
        return self.take(~later), self.take(later)

    def scores(self, weights: Weights) -> np.ndarray:
        columns = {name: self.components[:, i] for i, name in enumerate(COMPONENTS)}
        return np.asarray(total(columns, weights, self.has_order))


def _ordered_pairs(data: OutcomeSet) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (better, worse) of the same vacancy with different grades."""
    better, worse = [], []
    order = np.argsort(data.group, kind="stable")
    bounds = np.flatnonzero(np.diff(data.group[order])) + 1
    for rows in np.split(order, bounds):
        grades = data.grade[rows]
        i, j = np.nonzero(grades[:, None] > grades[None, :])
        better.append(rows[i])
        worse.append(rows[j])
    if not better:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(better), np.concatenate(worse)


class WeightFitter:
    """Pairwise logistic regression of outcomes on the components.

    Parameters
    ----------
    C:
        Inverse L2 regularisation strength (scikit-learn's).
    base:
        The weights whose ``order`` weight is kept and whose total the learned ones share;
        also the answer when the outcomes order no pair.

    Learned: ``coef_`` (one per :data:`LEARNED` component), ``weights_``, ``pairs_``.
    """

    def __init__(self, C: float = 1.0, base: Weights | None = None) -> None:
        self.C = C
        self.base = base

    def fit(self, data: OutcomeSet) -> WeightFitter:
        base = self.base or Weights()
        columns = [COMPONENTS.index(name) for name in LEARNED]
        better, worse = _ordered_pairs(data)
        self.pairs_ = len(better)
        self.coef_ = np.zeros(len(LEARNED))
        self.weights_ = base
        if self.pairs_ == 0:
            return self
        diff = data.components[better][:, columns] - data.components[worse][:, columns]
        features = np.vstack([diff, -diff])
        labels = np.concatenate([np.ones(len(diff)), np.zeros(len(diff))])
        model = LogisticRegression(C=self.C, fit_intercept=False, max_iter=1000)
        self.coef_ = model.fit(features, labels).coef_[0]
        positive = np.clip(self.coef_, 0.0, None)
        if positive.sum() <= 0:
            return self
        share = sum(base.as_dict().values()) - base.order
        learned = positive / positive.sum() * share
        values = {name: round(float(w), 4) for name, w in zip(LEARNED, learned, strict=True)}
        self.weights_ = Weights(**values, order=base.order)
        return self


@dataclass(frozen=True)
class Quality:
    """How well weights order the outcomes of a set of vacancies: mean nDCG over the
    vacancies with at least two graded outcomes that differ, and the share of (better,
    worse) pairs of the same vacancy that score in that order (AUC; ties count half)."""

    ndcg: float
    auc: float
    vacancies: int
    pairs: int


def vacancy_ndcgs(weights: Weights, data: OutcomeSet) -> np.ndarray:
    """nDCG of each vacancy with at least two graded outcomes that differ (gain 2^grade − 1;
    tied scores share their places), in vacancy order."""
    score = data.scores(weights)
    ndcgs = []
    for group in np.unique(data.group):
        rows = data.group == group
        grades = data.grade[rows]
        if rows.sum() >= 2 and grades.max() > grades.min():
            ndcgs.append(ndcg_score([2.0**grades - 1], [score[rows]]))
    return np.array(ndcgs)


def quality(weights: Weights, data: OutcomeSet) -> Quality:
    """The :class:`Quality` of ``weights`` on ``data``."""
    score = data.scores(weights)
    ndcgs = vacancy_ndcgs(weights, data)
    better, worse = _ordered_pairs(data)
    right = (score[better] > score[worse]).sum() + 0.5 * (score[better] == score[worse]).sum()
    return Quality(
        ndcg=float(np.mean(ndcgs)) if len(ndcgs) else 0.0,
        auc=float(right / len(better)) if len(better) else 0.0,
        vacancies=len(ndcgs),
        pairs=len(better),
    )


@dataclass(frozen=True)
class Comparison:
    """Hand weights against weights fitted on the earlier outcomes, both judged on the
    later ones."""

    hand_weights: Weights
    fitted_weights: Weights
    hand: Quality
    fitted: Quality
    train_outcomes: int
    test_outcomes: int
    confidence: float

    @property
    def beats_hand(self) -> bool:
        """Adoptable: enough later vacancies, a better mean nDCG on them, and better in at
        least :data:`CONFIDENCE` of the resamples of those vacancies (a lead that a few
        lucky vacancies give is not enough)."""
        return (
            self.fitted.vacancies >= MIN_TEST_VACANCIES
            and self.fitted.ndcg > self.hand.ndcg
            and self.confidence >= CONFIDENCE
        )


def paired_confidence(
    fitted: np.ndarray, hand: np.ndarray, *, resamples: int = 2000, seed: int = 0
) -> float:
    """Share of bootstrap resamples of the vacancies in which the fitted weights' mean nDCG
    is higher than the hand weights' (the same vacancies drawn for both)."""
    if len(fitted) == 0:
        return 0.0
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, len(fitted), size=(resamples, len(fitted)))
    return float(((fitted - hand)[drawn].mean(axis=1) > 0).mean())


def compare(
    data: OutcomeSet, *, hand: Weights | None = None, train_share: float = 0.7, C: float = 1.0
) -> Comparison:
    """Fit on the earlier part of ``data``, judge both weights on the later part."""
    hand = hand or Weights()
    train, test = data.split(train_share)
    fitted = WeightFitter(C=C, base=hand).fit(train).weights_
    confidence = paired_confidence(vacancy_ndcgs(fitted, test), vacancy_ndcgs(hand, test))
    return Comparison(
        hand, fitted, quality(hand, test), quality(fitted, test), len(train), len(test), confidence
    )


# --- a synthetic world whose true weights are known -------------------------------------------

TRUE_WEIGHTS = Weights(
    occupation=0.24, skills=0.06, level=0.16, place=0.30, wage=0.10, timing=0.04, order=0.10
)


def synthetic_outcomes(
    true: Weights = TRUE_WEIGHTS,
    *,
    vacancies: int = 600,
    per_vacancy: int = 10,
    sharpness: float = 12.0,
    seed: int = 0,
) -> OutcomeSet:
    """Outcomes drawn from known weights with a logistic link: each candidate is hired with
    probability ``sigmoid(sharpness × (utility − the vacancy's mean utility))``, where the
    utility is the true weighted sum of random components; the others are refused.
    Vacancy ``k`` begins on day ``k``, so the time split takes the last ones to test."""
    rng = np.random.default_rng(seed)
    n = vacancies * per_vacancy
    components = rng.uniform(0.0, 1.0, size=(n, len(COMPONENTS)))
    components[:, COMPONENTS.index("order")] = 0.0
    group = np.repeat(np.arange(vacancies), per_vacancy)
    weights = np.array([true.as_dict()[name] for name in COMPONENTS])
    utility = components @ weights
    centred = utility - np.repeat(utility.reshape(vacancies, per_vacancy).mean(axis=1), per_vacancy)
    hired = rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-sharpness * centred))
    grade = np.where(hired, HIRED, REFUSED)
    return OutcomeSet(components, np.zeros(n, dtype=bool), grade, group, group.copy())
