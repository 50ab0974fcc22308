"""Run the engine and the title-only baselines on the labelled set and tabulate nDCG@10, P@5."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.evaluation.baselines import (
    Rankings,
    fuzzy_title_scores,
    rank_both_ways,
    tfidf_title_scores,
)
from matching.evaluation.dataset import EvaluationSet
from matching.evaluation.metrics import mean_ranking_metrics
from matching.profiles import GraduateProfile, VacancyProfile

K_NDCG, K_PRECISION = 10, 5
# The day the labels assume for vacancies without a start date (labels.DEFAULT_REFERENCE_YEAR).
REFERENCE_DAY = date(2026, 7, 1)
Ranker = Callable[
    [Sequence[GraduateProfile], Sequence[VacancyProfile], int], tuple[Rankings, Rankings]
]


@dataclass(frozen=True)
class RankerResult:
    """Mean metrics of one ranker, both ways round, and its wall time."""

    name: str
    per_vacancy: dict[str, float]
    per_graduate: dict[str, float]
    seconds: float


def engine_ranker(
    graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile], k: int
) -> tuple[Rankings, Rankings]:
    """The engine with its default weights, asked for its top ``k`` both ways."""
    from matching.engine import Matcher

    matcher = Matcher(today=REFERENCE_DAY).fit(list(graduates), list(vacancies))
    per_vacancy = {v: [m.graduate_id for m in ms] for v, ms in matcher.rank_graduates(k).items()}
    per_graduate = {g: [m.vacancy_id for m in ms] for g, ms in matcher.rank_vacancies(k).items()}
    return per_vacancy, per_graduate


def _matrix_ranker(score: Callable[..., np.ndarray]) -> Ranker:
    def ranker(
        graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile], k: int
    ) -> tuple[Rankings, Rankings]:
        return rank_both_ways(score(graduates, vacancies), graduates, vacancies, k)

    return ranker


RANKERS: dict[str, Ranker] = {
    "engine (Matcher)": engine_ranker,
    "rapidfuzz titles": _matrix_ranker(fuzzy_title_scores),
    "TF-IDF titles": _matrix_ranker(tfidf_title_scores),
}


def evaluate(
    dataset: EvaluationSet, rankers: dict[str, Ranker] | None = None
) -> list[RankerResult]:
    """Every ranker on ``dataset``: graduates per vacancy and vacancies per graduate."""
    results = []
    by_graduate = dataset.by_graduate()
    for name, ranker in (rankers or RANKERS).items():
        started = time.perf_counter()
        per_vacancy, per_graduate = ranker(dataset.graduates, dataset.vacancies, K_NDCG)
        seconds = time.perf_counter() - started
        results.append(
            RankerResult(
                name=name,
                per_vacancy=mean_ranking_metrics(per_vacancy, dataset.qrels, K_NDCG, K_PRECISION),
                per_graduate=mean_ranking_metrics(per_graduate, by_graduate, K_NDCG, K_PRECISION),
                seconds=seconds,
            )
        )
    return results


def _ideal(qrels: dict[str, dict[str, int]]) -> Rankings:
    return {q: sorted(judged, key=lambda item: -judged[item]) for q, judged in qrels.items()}


def ceiling(dataset: EvaluationSet) -> str:
    """The best P@5 any ranker could reach (few graduates have five relevant vacancies)."""
    by_graduate = dataset.by_graduate()
    per_vacancy = mean_ranking_metrics(_ideal(dataset.qrels), dataset.qrels, K_NDCG, K_PRECISION)
    per_graduate = mean_ranking_metrics(_ideal(by_graduate), by_graduate, K_NDCG, K_PRECISION)
    return (
        f"best possible P@5 (labels as the ranking): {per_vacancy['p@5']:.3f} per vacancy, "
        f"{per_graduate['p@5']:.3f} per graduate; nDCG@10 is 1.000 both ways"
    )


def describe(dataset: EvaluationSet) -> str:
    """One line: the size of the set and of its labels."""
    grades = [g for judged in dataset.qrels.values() for g in judged.values()]
    return (
        f"Labelled set: {len(dataset.vacancies)} vacancies, {len(dataset.graduates)} graduates, "
        f"{len(grades)} judged pairs ({grades.count(2)} refer first, {grades.count(1)} "
        f"plausible, {grades.count(0)} judged not relevant; unlisted pairs are 0)"
    )


def format_table(results: Sequence[RankerResult]) -> str:
    """A plain-text table, then the margin of the first ranker over each of the others."""
    nd, pk = f"ndcg@{K_NDCG}", f"p@{K_PRECISION}"
    lines = [
        f"{'':22}{'graduates per vacancy':>22}{'vacancies per graduate':>25}",
        f"{'ranker':22}{'nDCG@10':>11}{'P@5':>11}{'nDCG@10':>14}{'P@5':>11}{'time s':>10}",
    ]
    for r in results:
        lines.append(
            f"{r.name:22}{r.per_vacancy[nd]:11.3f}{r.per_vacancy[pk]:11.3f}"
            f"{r.per_graduate[nd]:14.3f}{r.per_graduate[pk]:11.3f}{r.seconds:10.2f}"
        )
    first = results[0]
    lines.append(
        f"(means over {first.per_vacancy['queries']:.0f} vacancies and "
        f"{first.per_graduate['queries']:.0f} graduates that have a relevant counterpart)"
    )
    for other in results[1:]:
        lines.append(
            f"{first.name} vs {other.name}: "
            f"nDCG@10 {first.per_vacancy[nd] - other.per_vacancy[nd]:+.3f}, "
            f"P@5 {first.per_vacancy[pk] - other.per_vacancy[pk]:+.3f} per vacancy; "
            f"nDCG@10 {first.per_graduate[nd] - other.per_graduate[nd]:+.3f}, "
            f"P@5 {first.per_graduate[pk] - other.per_graduate[pk]:+.3f} per graduate"
        )
    return "\n".join(lines)
