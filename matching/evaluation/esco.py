"""Occupation normalisation on the external ESCO benchmark (job title → occupation).

The benchmark (``../shared/benchmarks/esco-occupation-titles``, read in place, never copied
into the repository) pairs 29,785 alternative labels with the ESCO occupation that lists them.
The normaliser and the baseline are both fitted on the 3,007 preferred labels only, so every
query is text neither has seen as a label. The baseline is the one the benchmark's README
specifies: TF-IDF char_wb 2–4-grams, sublinear tf, fitted on catalogue and queries, cosine.

This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.evaluation.metrics import hit_at_k, mean

ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
_CHUNK = 2_000


@dataclass(frozen=True)
class EscoBenchmark:
    """Catalogue keys with their preferred labels, and (query, target key) pairs."""

    keys: list[str]
    labels: list[str]
    queries: list[str]
    targets: list[str]


@dataclass(frozen=True)
class Accuracy:
    name: str
    top1: float
    top10: float
    seconds: float


def read_benchmark(directory: Path) -> EscoBenchmark:
    """Read ``occupations.csv``: every alternative label not equal (case-folded) to a preferred
    label becomes a query whose target is the occupation that lists it."""
    with (directory / "occupations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [row["CODE"] for row in rows]
    labels = [row["PREFERREDLABEL"] for row in rows]
    preferred = {label.lower() for label in labels}
    queries, targets = [], []
    for key, row in zip(keys, rows, strict=True):
        for alternative in row["ALTLABELS"].split("\n"):
            if alternative and alternative.lower() not in preferred:
                queries.append(alternative)
                targets.append(key)
    return EscoBenchmark(keys, labels, queries, targets)


def _accuracy(name: str, ranked: list[list[str]], targets: list[str], seconds: float) -> Accuracy:
    return Accuracy(
        name=name,
        top1=mean(float(hit_at_k(r, t, 1)) for r, t in zip(ranked, targets, strict=True)),
        top10=mean(float(hit_at_k(r, t, 10)) for r, t in zip(ranked, targets, strict=True)),
        seconds=seconds,
    )


def tfidf_baseline(
    benchmark: EscoBenchmark, k: int = 10, fit_on_queries: bool = True
) -> list[list[str]]:
    """The README's baseline: top-``k`` catalogue keys per query by TF-IDF cosine.

    As specified there, the vocabulary and IDF are fitted on catalogue and queries; with
    ``fit_on_queries=False`` only on the labels, which is all the normaliser sees.
    """
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    vectorizer.fit(benchmark.labels + (benchmark.queries if fit_on_queries else []))
    catalogue = vectorizer.transform(benchmark.labels).T.tocsr()
    keys = np.asarray(benchmark.keys, dtype=object)
    k = min(k, len(keys))
    ranked: list[list[str]] = []
    for start in range(0, len(benchmark.queries), _CHUNK):
        chunk = vectorizer.transform(benchmark.queries[start : start + _CHUNK])
        cosine = np.asarray((chunk @ catalogue).todense())
        top = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(cosine, top, axis=1).argsort(axis=1)[:, ::-1]
        ranked.extend(keys[np.take_along_axis(top, order, axis=1)].tolist())
    return ranked


def normaliser_ranking(benchmark: EscoBenchmark, k: int = 10) -> list[list[str]]:
    """The engine's normaliser fitted on the preferred labels, top-``k`` keys per query."""
    from matching.normalise import OccupationNormaliser

    normaliser = OccupationNormaliser().fit(zip(benchmark.keys, benchmark.labels, strict=True))
    return [[key for key, _ in p] for p in normaliser.predict_many(benchmark.queries, k)]


def evaluate(directory: Path) -> tuple[EscoBenchmark, list[Accuracy]]:
    """Top-1 and top-10 accuracy of the normaliser and of the baseline, with wall times."""
    benchmark = read_benchmark(directory)
    results = []
    methods: list[tuple[str, Callable[[EscoBenchmark], list[list[str]]]]] = [
        ("normaliser", normaliser_ranking),
        ("TF-IDF baseline", tfidf_baseline),
        ("TF-IDF labels only", lambda b: tfidf_baseline(b, fit_on_queries=False)),
    ]
    for name, method in methods:
        started = time.perf_counter()
        ranked = method(benchmark)
        results.append(_accuracy(name, ranked, benchmark.targets, time.perf_counter() - started))
    return benchmark, results


def format_table(benchmark: EscoBenchmark, results: list[Accuracy]) -> str:
    """A plain-text table, the margin of the first method over the others, the attribution."""
    lines = [
        f"ESCO job titles → occupation: {len(benchmark.queries)} queries against "
        f"{len(benchmark.labels)} preferred labels",
        f"{'method':20}{'top-1':>8}{'top-10':>8}{'time s':>9}",
    ]
    lines += [f"{r.name:20}{r.top1:8.3f}{r.top10:8.3f}{r.seconds:9.1f}" for r in results]
    first = results[0]
    for other in results[1:]:
        lines.append(
            f"{first.name} vs {other.name}: top-1 {first.top1 - other.top1:+.3f}, "
            f"top-10 {first.top10 - other.top10:+.3f}"
        )
    lines.append(ATTRIBUTION)
    return "\n".join(lines)
