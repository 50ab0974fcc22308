"""Text similarity primitives shared by the normaliser, the scorer and the reference scorer.

Every text is compared through its search key (:func:`matching.text.search_key`), so typing
without tone marks, with "hoà"/"hòa" or with đ→d changes nothing. Each primitive has a
one-pair form (used by the reference scorer) and a vectorised form over index arrays (used by
the fast path); both run the same arithmetic so they agree to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.catalogue import OccupationCatalogue
from matching.text import search_key

# A vacancy skill counts as held when a graduate skill reaches this RapidFuzz score (0-100).
SKILL_THRESHOLD = 85.0
# Share of TF-IDF cosine (the rest: RapidFuzz token-set score against the title) in the
# occupation-text similarity between a graduate's trade and a vacancy.
TEXT_TFIDF_SHARE = 0.5


def fuzzy_pairs(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Token-sort similarity in [0, 1] of ``a[i]`` and ``b[i]`` (keys already folded)."""
    if not len(a):
        return np.zeros(0)
    scores = process.cpdist(a, b, scorer=fuzz.token_sort_ratio, workers=-1, dtype=np.float64)
    return np.asarray(scores, dtype=np.float64) / 100.0


def title_fuzzy_pairs(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Token-set similarity in [0, 1]: high when one text's words are inside the other's
    ("công nhân may" inside "tuyển công nhân may tại Bắc Ninh")."""
    if not len(a):
        return np.zeros(0)
    scores = process.cpdist(a, b, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float64)
    return np.asarray(scores, dtype=np.float64) / 100.0


class OccupationText:
    """A TF-IDF space of character n-grams fitted on the catalogue's names and aliases.

    It is fitted on the catalogue, not on the profiles being matched, so a pair's score never
    depends on which other graduates or vacancies are in the batch.
    """

    def __init__(self, catalogue: OccupationCatalogue) -> None:
        labels = [search_key(label) for o in catalogue for label in o.labels]
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float64
        )
        self.vectorizer.fit(labels)

    def vectors(self, keys: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised rows for search keys (an empty key gives an all-zero row)."""
        if not len(keys):
            return sp.csr_matrix((0, len(self.vectorizer.vocabulary_)))
        return sp.csr_matrix(self.vectorizer.transform(list(keys)))


@lru_cache(maxsize=4)
def occupation_text(catalogue: OccupationCatalogue) -> OccupationText:
    """The text space for a catalogue, built once per catalogue object."""
    return OccupationText(catalogue)


def rowwise_cosine(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Cosine of row ``i`` of ``a`` with row ``i`` of ``b`` (rows are L2-normalised)."""
    if a.shape[0] == 0:
        return np.zeros(0)
    return np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()


def combine_text(cos_title: np.ndarray, cos_full: np.ndarray, fuzzy: np.ndarray) -> np.ndarray:
    """Occupation-text similarity in [0, 1] from its three parts."""
    cosine = np.maximum(cos_title, cos_full)
    mixed = TEXT_TFIDF_SHARE * cosine + (1.0 - TEXT_TFIDF_SHARE) * fuzzy
    return np.clip(mixed, 0.0, 1.0)


def text_similarity(model: OccupationText, trade: str, title: str, description: str) -> float:
    """How well a graduate's trade (free text) fits a vacancy's title and description."""
    trade_key, title_key = search_key(trade), search_key(title)
    if not trade_key:
        return 0.0
    full_key = search_key(f"{title} {description}")
    rows = model.vectors([trade_key, title_key, full_key])
    cos_title = float(rows[0].multiply(rows[1]).sum())
    cos_full = float(rows[0].multiply(rows[2]).sum())
    fuzzy = title_fuzzy_pairs([trade_key], [title_key])[0] if title_key else 0.0
    return float(combine_text(np.array([cos_title]), np.array([cos_full]), np.array([fuzzy]))[0])


def _length_ok(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Where a subset match is allowed: the shorter key has two words or four letters, so
    "máy" never matches everything that contains "may"."""
    shorter = [x if len(x) <= len(y) else y for x, y in zip(a, b, strict=True)]
    return np.array([" " in s or len(s) >= 4 for s in shorter], dtype=bool)


def skill_match_pairs(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Whether skill key ``a[i]`` and skill key ``b[i]`` name the same skill."""
    if not len(a):
        return np.zeros(0, dtype=bool)
    sort = process.cpdist(a, b, scorer=fuzz.token_sort_ratio, workers=-1, dtype=np.float64)
    subset = process.cpdist(a, b, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float64)
    subset_ok = (np.asarray(subset) >= 100.0) & _length_ok(a, b)
    return (np.asarray(sort) >= SKILL_THRESHOLD) | subset_ok


def skill_matches(a: str, b: str) -> bool:
    """One-pair form of :func:`skill_match_pairs` on raw skill names."""
    ka, kb = search_key(a), search_key(b)
    return bool(ka and kb and skill_match_pairs([ka], [kb])[0])


def skill_match_matrix(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """:func:`skill_match_pairs` for every key of ``a`` against every key of ``b``."""
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)), dtype=bool)
    sort = process.cdist(a, b, scorer=fuzz.token_sort_ratio, workers=-1, dtype=np.float64)
    subset = process.cdist(a, b, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float64)
    len_a = np.array([len(x) for x in a])[:, None]
    len_b = np.array([len(y) for y in b])[None, :]
    ok_a = np.array([" " in x or len(x) >= 4 for x in a])[:, None]
    ok_b = np.array([" " in y or len(y) >= 4 for y in b])[None, :]
    length_ok = np.where(len_a <= len_b, ok_a, ok_b)
    return (np.asarray(sort) >= SKILL_THRESHOLD) | ((np.asarray(subset) >= 100.0) & length_ok)
