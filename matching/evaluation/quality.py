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
from matching.evaluation.metrics import mean, mean_ranking_metrics, ndcg_at_k
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


def rank_all(
    dataset: EvaluationSet, rankers: dict[str, Ranker] | None = None
) -> dict[str, tuple[Rankings, Rankings, float]]:
    """Each ranker's top ``K_NDCG`` both ways (per vacancy, per graduate) and its wall time."""
    ranked = {}
    for name, ranker in (rankers or RANKERS).items():
        started = time.perf_counter()
        per_vacancy, per_graduate = ranker(dataset.graduates, dataset.vacancies, K_NDCG)
        ranked[name] = (per_vacancy, per_graduate, time.perf_counter() - started)
    return ranked


def _results(
    dataset: EvaluationSet, ranked: dict[str, tuple[Rankings, Rankings, float]]
) -> list[RankerResult]:
    by_graduate = dataset.by_graduate()
    return [
        RankerResult(
            name=name,
            per_vacancy=mean_ranking_metrics(per_vacancy, dataset.qrels, K_NDCG, K_PRECISION),
            per_graduate=mean_ranking_metrics(per_graduate, by_graduate, K_NDCG, K_PRECISION),
            seconds=seconds,
        )
        for name, (per_vacancy, per_graduate, seconds) in ranked.items()
    ]


def evaluate(
    dataset: EvaluationSet, rankers: dict[str, Ranker] | None = None
) -> list[RankerResult]:
    """Every ranker on ``dataset``: graduates per vacancy and vacancies per graduate."""
    return _results(dataset, rank_all(dataset, rankers))


@dataclass(frozen=True)
class SplitReport:
    """A set split by vacancy into halves: overall results, means per half, nDCG per vacancy."""

    overall: list[RankerResult]
    halves: dict[str, dict[str, dict[str, float]]]  # half -> ranker -> mean metrics per vacancy
    per_vacancy: dict[str, dict[str, float]]  # ranker -> vacancy -> nDCG@10
    split: dict[str, tuple[str, str]]  # vacancy -> (half, kind)
    traps_top5: dict[str, dict[str, int]]  # ranker -> vacancy -> trap pairs in its top 5


def evaluate_split(
    dataset: EvaluationSet,
    split: dict[str, tuple[str, str]],
    rankers: dict[str, Ranker] | None = None,
    traps: frozenset[tuple[str, str]] = frozenset(),
) -> SplitReport:
    """Rank once over the whole set, then score each half's vacancies and each vacancy.

    ``traps`` holds the (vacancy, graduate) pairs whose trades only share words; the report
    counts how many of them each ranker puts in a vacancy's top 5.
    """
    ranked = rank_all(dataset, rankers)
    halves: dict[str, dict[str, dict[str, float]]] = {}
    for half in sorted({h for h, _ in split.values()}):
        qrels = {v: judged for v, judged in dataset.qrels.items() if split[v][0] == half}
        halves[half] = {
            name: mean_ranking_metrics(per_vacancy, qrels, K_NDCG, K_PRECISION)
            for name, (per_vacancy, _, _) in ranked.items()
        }
    per_vacancy = {
        name: {
            v: ndcg_at_k(rankings.get(v, ()), judged, K_NDCG)
            for v, judged in dataset.qrels.items()
            if any(g >= 1 for g in judged.values())
        }
        for name, (rankings, _, _) in ranked.items()
    }
    traps_top5 = {
        name: {
            v: sum((v, g) in traps for g in rankings.get(v, ())[:K_PRECISION])
            for v in per_vacancy[name]
        }
        for name, (rankings, _, _) in ranked.items()
    }
    return SplitReport(_results(dataset, ranked), halves, per_vacancy, split, traps_top5)


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


def format_split_report(report: SplitReport, titles: dict[str, str] | None = None) -> str:
    """Per half and per kind of trap, then one row per vacancy (nDCG@10 of each ranker)."""
    nd, pk = f"ndcg@{K_NDCG}", f"p@{K_PRECISION}"
    names = [r.name for r in report.overall]
    short = {name: name.split(" ")[0][:10] for name in names}
    lines = [format_table(report.overall), "", "graduates per vacancy, by half:"]
    lines.append(f"{'half':10}{'vacancies':>10}" + "".join(
        f"{short[n] + ' nDCG':>17}{'P@5':>7}" for n in names))  # fmt: skip
    for half, by_ranker in report.halves.items():
        count = by_ranker[names[0]]["queries"]
        lines.append(f"{half:10}{count:10.0f}" + "".join(
            f"{by_ranker[n][nd]:17.3f}{by_ranker[n][pk]:7.3f}" for n in names))  # fmt: skip
    lines += ["", "trap graduates (trades that only share words) in the top 5 of each vacancy:"]
    lines.append("  ".join(
        f"{n}: {sum(report.traps_top5[n].values())}" for n in names))  # fmt: skip
    lines += ["", "nDCG@10 per vacancy, mean by kind of trap (traps in top 5, summed):"]
    lines.append(f"{'kind':17}{'vacancies':>10}" + "".join(f"{short[n]:>17}" for n in names))
    kinds: dict[str, list[str]] = {}
    for vacancy, (_, kind) in report.split.items():
        if vacancy in report.per_vacancy[names[0]]:
            kinds.setdefault(kind, []).append(vacancy)
    for kind, vacancies in kinds.items():
        lines.append(f"{kind:17}{len(vacancies):10}" + "".join(
            f"{mean(report.per_vacancy[n][v] for v in vacancies):12.3f}"
            f" ({sum(report.traps_top5[n][v] for v in vacancies):2})" for n in names))  # fmt: skip
    lines += ["", "nDCG@10 per vacancy:"]
    lines.append(f"{'vacancy':8}{'half':8}{'kind':17}" + "".join(f"{short[n]:>11}" for n in names)
                 + f"{'traps':>7}  title")  # fmt: skip
    for vacancy, (half, kind) in report.split.items():
        if vacancy not in report.per_vacancy[names[0]]:
            continue
        title = (titles or {}).get(vacancy, "")
        lines.append(f"{vacancy:8}{half:8}{kind:17}" + "".join(
            f"{report.per_vacancy[n][vacancy]:11.3f}" for n in names)
            + f"{report.traps_top5[names[0]][vacancy]:7}  {title[:48]}")  # fmt: skip
    return "\n".join(lines)
