"""Ranking metrics as small pure functions (graded nDCG, precision, top-k accuracy).

Gains are linear in the grade (relevance 2 counts twice relevance 1) and discounted by
log2(rank + 1), the form of Järvelin and Kekäläinen (2002). Unjudged items count as 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def dcg(gains: Sequence[float], k: int) -> float:
    """Discounted cumulative gain of the first ``k`` gains, in rank order."""
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains[:k]))


def ndcg_at_k(ranking: Sequence[str], relevance: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of ``ranking`` (ids, best first) against graded ``relevance`` (id -> 0/1/2).

    The ideal ranking sorts every judged item by grade, so items the ranker never returned
    still count against it. Returns 0.0 when nothing is relevant.
    """
    ideal = dcg(sorted(relevance.values(), reverse=True), k)
    if ideal == 0:
        return 0.0
    return dcg([relevance.get(item, 0) for item in ranking], k) / ideal


def precision_at_k(
    ranking: Sequence[str], relevance: Mapping[str, int], k: int = 5, threshold: int = 1
) -> float:
    """Share of the first ``k`` places holding an item of grade ≥ ``threshold``.

    The denominator is always ``k``: a ranker that returns fewer than ``k`` items is not
    rewarded for saying less.
    """
    hits = sum(1 for item in ranking[:k] if relevance.get(item, 0) >= threshold)
    return hits / k


def hit_at_k(ranked: Sequence[str], target: str, k: int) -> bool:
    """Whether ``target`` is among the first ``k`` of ``ranked`` (top-k accuracy per query)."""
    return target in ranked[:k]


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; 0.0 for no values."""
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def mean_ranking_metrics(
    rankings: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, int]],
    k_ndcg: int = 10,
    k_precision: int = 5,
) -> dict[str, float]:
    """Mean nDCG@k and P@k over every query of ``qrels`` that has a relevant item.

    A query missing from ``rankings`` counts as an empty ranking (scores 0).
    """
    queries = [q for q, rel in qrels.items() if any(g >= 1 for g in rel.values())]
    return {
        f"ndcg@{k_ndcg}": mean(ndcg_at_k(rankings.get(q, ()), qrels[q], k_ndcg) for q in queries),
        f"p@{k_precision}": mean(
            precision_at_k(rankings.get(q, ()), qrels[q], k_precision) for q in queries
        ),
        "queries": float(len(queries)),
    }
