"""Title-only baselines the engine has to beat, ranked exactly the way the engine is asked to.

Both compare the graduate's occupation text with the vacancy title after folding both to their
search keys, and nothing else: no level, place, age or order. (a) RapidFuzz
``token_set_ratio``; (b) TF-IDF over character n-grams with cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.profiles import GraduateProfile, VacancyProfile
from matching.text import search_key

Rankings = dict[str, list[str]]


def _top_k(scores: np.ndarray, row_ids: Sequence[str], col_ids: Sequence[str], k: int) -> Rankings:
    """Best ``k`` columns per row; ties keep column order (a stable sort)."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return {row: [col_ids[j] for j in order[i]] for i, row in enumerate(row_ids)}


def _texts(
    graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile]
) -> tuple[list[str], list[str]]:
    return [search_key(g.occupation) for g in graduates], [search_key(v.title) for v in vacancies]


def fuzzy_title_scores(
    graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile]
) -> np.ndarray:
    """Vacancies × graduates matrix of ``token_set_ratio`` on search keys (0–100)."""
    occupations, titles = _texts(graduates, vacancies)
    return process.cdist(titles, occupations, scorer=fuzz.token_set_ratio, dtype=np.float32)


def tfidf_title_scores(
    graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile]
) -> np.ndarray:
    """Vacancies × graduates cosine similarity of char_wb 2–4-gram TF-IDF vectors."""
    occupations, titles = _texts(graduates, vacancies)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    vectorizer.fit(titles + occupations)
    product = vectorizer.transform(titles) @ vectorizer.transform(occupations).T
    return np.asarray(product.todense())


def rank_both_ways(
    scores: np.ndarray,
    graduates: Sequence[GraduateProfile],
    vacancies: Sequence[VacancyProfile],
    k: int,
) -> tuple[Rankings, Rankings]:
    """(graduates per vacancy, vacancies per graduate) from a vacancies × graduates matrix."""
    graduate_ids = [g.id for g in graduates]
    vacancy_ids = [v.id for v in vacancies]
    return (
        _top_k(scores, vacancy_ids, graduate_ids, k),
        _top_k(scores.T, graduate_ids, vacancy_ids, k),
    )
