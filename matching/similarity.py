"""Text similarity primitives shared by the normaliser, the scorer and the reference scorer.

Every text is compared through its search key (:func:`matching.text.search_key`), so typing
without tone marks, with "hoà"/"hòa" or with đ→d changes nothing. Each primitive has a
one-pair form (used by the reference scorer) and a vectorised form over index arrays (used by
the fast path); both run the same arithmetic so they agree to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.catalogue import OccupationCatalogue
from matching.text import search_key
from matching.trades import (
    HEAD_MISMATCH,
    HEADS,
    NOTHING_SHARED,
    OBJECT_HEADS,
    OBJECT_MISMATCH,
    ROLE_UNSTATED,
    ROLES,
    has_marks,
    read_trade,
)

# A vacancy skill counts as held when a graduate skill reaches this RapidFuzz score (0-100).
SKILL_THRESHOLD = 85.0
# Shares of the occupation-text similarity between a graduate's trade and a vacancy: TF-IDF
# cosine of character n-grams, RapidFuzz token-set score against the title, and cosine of
# syllables and syllable pairs against the title. The sum is then multiplied by how far the
# two can be one trade at all (heads and objects, :mod:`matching.trades`).
TEXT_TFIDF_SHARE = 0.35
TEXT_FUZZY_SHARE = 0.25
TEXT_SYLLABLE_SHARE = 0.4


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


_HEAD_BITS: dict[str, int] = {kind: 1 << i for i, kind in enumerate(HEADS)}
_OBJECT_HEAD_MASK = sum(_HEAD_BITS[h] for h in OBJECT_HEADS)
_ROLE_MASK = sum(_HEAD_BITS[h] for h in ROLES)


def _head_mask(heads: frozenset[str]) -> int:
    return sum(_HEAD_BITS[h] for h in heads)


@dataclass(frozen=True)
class TradeColumns:
    """Syllable features of texts, in both forms (folded, marked): L2-normalised syllable and
    syllable-pair vectors, binary object and content-word vectors, object sizes, head kinds as
    bit masks, and whether each text carries marks."""

    marks: np.ndarray
    words: tuple[sp.csr_matrix, sp.csr_matrix]
    objects: tuple[sp.csr_matrix, sp.csr_matrix]
    object_size: tuple[np.ndarray, np.ndarray]
    heads: tuple[np.ndarray, np.ndarray]
    content: tuple[sp.csr_matrix, sp.csr_matrix]

    def take(self, rows: np.ndarray) -> TradeColumns:
        return TradeColumns(
            self.marks[rows],
            (self.words[0][rows], self.words[1][rows]),
            (self.objects[0][rows], self.objects[1][rows]),
            (self.object_size[0][rows], self.object_size[1][rows]),
            (self.heads[0][rows], self.heads[1][rows]),
            (self.content[0][rows], self.content[1][rows]),
        )


# Syllable features get ids in order of first sight (the same string, the same id, in every
# batch); the matrices are this wide so rows of different batches can be compared.
_FEATURE_IDS: dict[str, int] = {}
_WIDTH = 1 << 24


def _hashed(docs: Sequence[Sequence[str]], norm: str | None) -> sp.csr_matrix:
    """Binary rows of feature strings, L2-normalised when ``norm == "l2"``."""
    indptr, indices, data = [0], [], []
    for doc in docs:
        ids = sorted({_FEATURE_IDS.setdefault(f, len(_FEATURE_IDS)) % _WIDTH for f in doc})
        indices.extend(ids)
        value = 1.0 / np.sqrt(len(ids)) if norm == "l2" and ids else 1.0
        data.extend([value] * len(ids))
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), indptr),
        shape=(len(docs), _WIDTH),
    )


def trade_columns(texts: Sequence[str]) -> TradeColumns:
    """:class:`TradeColumns` of ``texts`` (raw, marks as typed)."""
    words, objects, sizes, heads, content = [], [], [], [], []
    for marked in (False, True):
        read = [read_trade(t, marked) for t in texts]
        words.append(_hashed([r.features for r in read], "l2"))
        objects.append(_hashed([sorted(r.object) for r in read], None))
        sizes.append(np.array([len(r.object) for r in read], dtype=np.float64))
        heads.append(np.array([_head_mask(r.heads) for r in read], dtype=np.int64))
        content.append(_hashed([sorted(r.content) for r in read], None))
    return TradeColumns(
        marks=np.array([has_marks(t) for t in texts], dtype=bool),
        words=(words[0], words[1]),
        objects=(objects[0], objects[1]),
        object_size=(sizes[0], sizes[1]),
        heads=(heads[0], heads[1]),
        content=(content[0], content[1]),
    )


def _agreement(a: TradeColumns, b: TradeColumns, form: int) -> np.ndarray:
    """Vectorised :func:`matching.trades.agreement` in one form (0 folded, 1 marked)."""
    ha, hb = a.heads[form], b.heads[form]
    sa, sb = a.object_size[form], b.object_size[form]
    shared = rowwise_cosine(a.objects[form], b.objects[form])  # binary rows: a count
    overlap = shared / np.maximum(np.minimum(sa, sb), 1.0)
    ca, cb = a.content[form], b.content[form]
    has_a, has_b = np.diff(ca.indptr) > 0, np.diff(cb.indptr) > 0
    headed = (ha != 0) | (hb != 0)
    nothing = has_a & has_b & (rowwise_cosine(ca, cb) == 0) & headed
    role = ((ha & _ROLE_MASK != 0) & (hb == 0) & has_b) | (
        (hb & _ROLE_MASK != 0) & (ha == 0) & has_a
    )
    rest = np.where(role, ROLE_UNSTATED, 1.0)
    rest = np.where(nothing, np.minimum(rest, NOTHING_SHARED), rest)
    return np.select(
        [
            (ha != 0) & (hb != 0) & (ha & hb == 0),
            (ha & hb & _OBJECT_HEAD_MASK != 0) & (sa > 0) & (sb > 0),
        ],
        [HEAD_MISMATCH, OBJECT_MISMATCH + (1.0 - OBJECT_MISMATCH) * overlap],
        rest,
    )


def _shared_counts(x: sp.csr_matrix, y: sp.csr_matrix) -> np.ndarray:
    """``x @ y.T`` as a dense array, computed on the columns either uses (the rows are
    ``_WIDTH`` wide; a transpose of that width costs more than the product)."""
    used = np.union1d(x.indices, y.indices)
    width = max(1, len(used))

    def narrow(m: sp.csr_matrix) -> sp.csr_matrix:
        return sp.csr_matrix(
            (m.data, np.searchsorted(used, m.indices), m.indptr), shape=(m.shape[0], width)
        )

    return np.asarray((narrow(x) @ narrow(y).T).toarray())


def agreement_matrix(a: TradeColumns, b: TradeColumns) -> np.ndarray:
    """:func:`matching.trades.agreement` of every row of ``a`` with every row of ``b``
    (a dense ``len(a) × len(b)`` array: for short query lists against a catalogue)."""
    out = []
    for form in (0, 1):
        ha, hb = a.heads[form][:, None], b.heads[form][None, :]
        sa, sb = a.object_size[form][:, None], b.object_size[form][None, :]
        shared = _shared_counts(a.objects[form], b.objects[form])
        overlap = shared / np.maximum(np.minimum(sa, sb), 1.0)
        ca, cb = a.content[form], b.content[form]
        has_a = (np.diff(ca.indptr) > 0)[:, None]
        has_b = (np.diff(cb.indptr) > 0)[None, :]
        headed = (ha != 0) | (hb != 0)
        nothing = has_a & has_b & (_shared_counts(ca, cb) == 0) & headed
        role = ((ha & _ROLE_MASK != 0) & (hb == 0) & has_b) | (
            (hb & _ROLE_MASK != 0) & (ha == 0) & has_a
        )
        rest = np.where(role, ROLE_UNSTATED, 1.0)
        rest = np.where(nothing, np.minimum(rest, NOTHING_SHARED), rest)
        out.append(
            np.select(
                [
                    (ha != 0) & (hb != 0) & (ha & hb == 0),
                    (ha & hb & _OBJECT_HEAD_MASK != 0) & (sa > 0) & (sb > 0),
                ],
                [HEAD_MISMATCH, OBJECT_MISMATCH + (1.0 - OBJECT_MISMATCH) * overlap],
                rest,
            )
        )
    marked = a.marks[:, None] & b.marks[None, :]
    return np.where(marked, out[1], out[0])


def trade_pairs(a: TradeColumns, b: TradeColumns) -> tuple[np.ndarray, np.ndarray]:
    """Row ``i`` of ``a`` against row ``i`` of ``b``: the syllable cosine and the agreement
    of heads and objects (:func:`matching.trades.agreement`), each compared with marks when
    both texts carry them."""
    marked = a.marks & b.marks
    words = [rowwise_cosine(a.words[f], b.words[f]) for f in (0, 1)]
    agree = [_agreement(a, b, f) for f in (0, 1)]
    return np.where(marked, words[1], words[0]), np.where(marked, agree[1], agree[0])


def rowwise_cosine(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Cosine of row ``i`` of ``a`` with row ``i`` of ``b`` (rows are L2-normalised)."""
    if a.shape[0] == 0:
        return np.zeros(0)
    return np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()


def combine_text(
    cos_title: np.ndarray,
    cos_full: np.ndarray,
    fuzzy: np.ndarray,
    words: np.ndarray,
    agree: np.ndarray,
) -> np.ndarray:
    """Occupation-text similarity in [0, 1] from its parts."""
    cosine = np.maximum(cos_title, cos_full)
    mixed = TEXT_TFIDF_SHARE * cosine + TEXT_FUZZY_SHARE * fuzzy + TEXT_SYLLABLE_SHARE * words
    return np.clip(mixed * agree, 0.0, 1.0)


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
    columns = trade_columns([trade, title])
    words, agree = trade_pairs(columns.take(np.array([0])), columns.take(np.array([1])))
    parts = (np.array([cos_title]), np.array([cos_full]), np.array([fuzzy]), words, agree)
    return float(combine_text(*parts)[0])


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
