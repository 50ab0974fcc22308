"""Map free-text occupation names to catalogue keys.

People type "tho may", "công nhân may", "may cn" or "sủa xe máy" for the same few trades. The
normaliser folds every text to its diacritics-free search key, finds candidate catalogue labels
by TF-IDF over character n-grams (robust to typos and missing tone marks), then re-scores the
candidates with RapidFuzz token scorers (robust to word order and extra words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.catalogue import OccupationCatalogue
from matching.similarity import TradeColumns, agreement_matrix, fuzzy_pairs, trade_columns
from matching.text import search_key
from matching.trades import (
    ANY_OBJECT_HEADS,
    FILLERS,
    contradicts,
    has_marks,
    head_and_rest,
    read_trade,
    trade_form,
)

Prediction = list[tuple[str, float]]
# Job-ad boilerplate that names no trade ("Cần tuyển gấp 50 thợ hàn" → "thợ hàn"; "nam nữ":
# men or women).
_AD_WORDS = re.compile(
    r"\b(?:can |thong bao )?tuyen(?: dung)?(?: gap)?\b|\bso luong\b|\b\d+\b|\bnam nu\b"
)


# Words that name no trade (matching.trades.FILLERS, folded): "kỹ thuật viên điện" and
# "nhân viên kỹ thuật điện tử" are compared as "dien" and "dien tu", so that the filler they
# share does not make electricity and electronics look alike.
_FILLERS = re.compile(r"\b(?:" + "|".join(re.escape(search_key(f)) for f in FILLERS) + r")\b")


def trade_key(text: str) -> str:
    """Search key of a trade name without its fillers (unless nothing else is left)."""
    key = search_key(text)
    stripped = " ".join(_FILLERS.sub(" ", key).split())
    return stripped or key


def query_key(text: str) -> str:
    """Search key of a query with job-ad boilerplate and fillers removed (unless nothing
    else is left)."""
    key = search_key(text)
    stripped = " ".join(_AD_WORDS.sub(" ", key).split())
    return trade_key(stripped or key)


# Rows of queries scored against all labels at once; bounds memory to chunk × labels floats.
_CHUNK = 256


def _label_pairs(
    source: OccupationCatalogue | Iterable[tuple[str, str | Sequence[str]]],
) -> list[tuple[str, tuple[str, ...]]]:
    if isinstance(source, OccupationCatalogue):
        return source.labelled()
    pairs = []
    for key, labels in source:
        pairs.append((key, (labels,) if isinstance(labels, str) else tuple(labels)))
    return pairs


# Confidence that a head which takes any object names the occupation of its bare label (a
# guess counts from GUESS_MIN up).
ANY_OBJECT_CONFIDENCE = 0.75


# Confidence that a text starting as a label of two words or more does names its occupation.
CONTAINED_CONFIDENCE = 0.8

_LabelIndex = dict[tuple[str, str], list[tuple[tuple[str, ...], int]]]


def _label_index(raws: Sequence[str], owners: Sequence[int], marked: bool) -> _LabelIndex:
    """Labels of two words or more (fillers dropped) by their head kind and the first word
    after it, in one form: folded, or with marks (then only labels typed with marks)."""
    index: _LabelIndex = {}
    for raw, owner in zip(raws, owners, strict=True):
        if marked and not has_marks(raw):
            continue
        head, rest = head_and_rest(raw, marked)
        if rest and len(read_trade(raw, marked).words) >= 2:
            index.setdefault((head, rest[0]), []).append((rest, int(owner)))
    return index


def _any_object_owners(raws: Sequence[str], owners: Sequence[int]) -> dict[str, set[int]]:
    """Head kind → occupations with a label that is a head of :data:`ANY_OBJECT_HEADS` and
    no object ("bán hàng", "nhân viên bán hàng")."""
    found: dict[str, set[int]] = {}
    for raw, owner in zip(raws, owners, strict=True):
        read = read_trade(raw, has_marks(raw))
        if read.head in ANY_OBJECT_HEADS and not read.object:
            found.setdefault(read.head, set()).add(owner)
    return found


class OccupationNormaliser(BaseEstimator):
    """Free text → ranked catalogue keys with a confidence in [0, 1].

    Follows scikit-learn's estimator contract: ``__init__`` only stores parameters, ``fit``
    learns ``keys_``, ``labels_``, ``vectorizer_``… and returns ``self``.

    Parameters
    ----------
    ngram_range:
        Character n-gram sizes for the TF-IDF candidate search (``char_wb`` analyser).
    tfidf_weight:
        Share of the TF-IDF cosine in the confidence; the rest is the RapidFuzz score.
    candidates:
        Labels per query kept from the TF-IDF search for the RapidFuzz re-scoring.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (2, 4),
        tfidf_weight: float = 0.7,
        candidates: int = 30,
    ) -> None:
        self.ngram_range = ngram_range
        self.tfidf_weight = tfidf_weight
        self.candidates = candidates

    def fit(
        self, catalogue: OccupationCatalogue | Iterable[tuple[str, str | Sequence[str]]]
    ) -> OccupationNormaliser:
        """Learn the labels of a catalogue, or of ``(key, labels)`` pairs; returns ``self``."""
        pairs = _label_pairs(catalogue)
        if not pairs:
            raise ValueError("cannot fit an occupation normaliser on an empty catalogue")
        self.keys_ = np.array([key for key, _ in pairs], dtype=object)
        owners, texts, raws = [], [], []
        for index, (key, labels) in enumerate(pairs):
            # Catalogue keys are words ("MAY_CONG_NGHIEP"); ids from elsewhere are not.
            named = (key.replace("_", " "),) if isinstance(catalogue, OccupationCatalogue) else ()
            for label in (*named, *labels):
                text = trade_key(label)
                if text and not contradicts(label, labels[0]):
                    owners.append(index)
                    texts.append(text)
                    raws.append(trade_form(label))
        self.labels_ = texts
        self.any_object_owners_ = _any_object_owners(raws, owners)
        self.contained_index_ = (
            _label_index(raws, owners, False),
            _label_index(raws, owners, True),
        )
        self.raw_labels_ = raws
        self.label_columns_ = trade_columns(raws)
        self.label_owner_ = np.asarray(owners, dtype=np.int64)
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True, dtype=np.float64
        )
        self.label_matrix_ = self.vectorizer_.fit_transform(texts).T.tocsr()
        self.codes_ = (
            {code: o.key for o in catalogue for code in o.codes}
            if isinstance(catalogue, OccupationCatalogue)
            else {}
        )
        return self

    def predict(self, text: str, k: int = 1) -> Prediction:
        """The ``k`` likeliest catalogue keys for ``text``, best first, as (key, confidence)."""
        return self.predict_many([text], k)[0]

    def predict_many(
        self, texts: Sequence[str], k: int = 1, columns: TradeColumns | None = None
    ) -> list[Prediction]:
        """:meth:`predict` for many texts. Each distinct search key is compared with the labels
        once; each distinct spelling then weighs those labels by how its head and object agree
        with theirs (``columns``: the texts' :func:`trade_columns`, when the caller has them)."""
        forms = np.asarray([trade_form(t) for t in texts], dtype=object)
        distinct, first, inverse = np.unique(forms, return_index=True, return_inverse=True)
        keys = [query_key(str(t)) for t in distinct]
        unique_keys, key_of = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
        key_of = key_of.ravel()
        base, top = self._candidates([str(q) for q in unique_keys])
        read = columns.take(first) if columns is not None else trade_columns(list(distinct))
        results: list[Prediction] = []
        for start in range(0, len(distinct), _CHUNK * 16):
            stop = min(len(distinct), start + _CHUNK * 16)
            agree = agreement_matrix(read.take(np.arange(start, stop)), self.label_columns_)
            for f in range(start, stop):
                labels = top[key_of[f]]
                scores = base[key_of[f]] * agree[f - start, labels]
                best = self._best_occupations(scores, labels, k)
                form = str(distinct[f])
                results.append(self._any_object(form, self._contained(form, best, k), k))
        by_code = [self._exact_code(t, k) for t in texts]
        return [by_code[i] or results[j] for i, j in enumerate(inverse.ravel())]

    def _contained(self, form: str, best: Prediction, k: int) -> Prediction:
        """A text that starts as a label of two words or more does ("chăn nuôi gà thả vườn"
        as "nuôi gà": the same head, then the label's object first) names that label's
        occupation at :data:`CONTAINED_CONFIDENCE` at least: Vietnamese names the trade
        first and adds detail after it."""
        marked = has_marks(form)
        head, rest = head_and_rest(form, marked)
        if not rest:
            return best
        scores = dict(best)
        for phrase, owner in self.contained_index_[int(marked)].get((head, rest[0]), ()):
            if rest[: len(phrase)] == phrase:
                key = str(self.keys_[owner])
                scores[key] = max(scores.get(key, 0.0), CONTAINED_CONFIDENCE)
        if scores == dict(best):
            return best
        return sorted(scores.items(), key=lambda item: -item[1])[:k]

    def _any_object(self, form: str, best: Prediction, k: int) -> Prediction:
        """A text whose head takes any object ("bán phụ tùng xe máy") names, at
        :data:`ANY_OBJECT_CONFIDENCE` at least, the occupation of a label that is that head
        alone ("bán hàng")."""
        head = read_trade(form, has_marks(form)).head
        owners = self.any_object_owners_.get(head)
        if not owners or k < 1:
            return best
        scores = dict(best)
        for owner in owners:
            key = str(self.keys_[owner])
            scores[key] = max(scores.get(key, 0.0), ANY_OBJECT_CONFIDENCE)
        return sorted(scores.items(), key=lambda item: -item[1])[:k]

    def _exact_code(self, text: str, k: int) -> Prediction | None:
        key = self.codes_.get(text.strip()) or self.codes_.get(text.strip().upper())
        return [(key, 1.0)] if key and k > 0 else None

    def _candidates(self, queries: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each search key, its best labels by cosine and their combined scores."""
        take = min(self.candidates, len(self.labels_))
        base = np.zeros((len(queries), take))
        top = np.zeros((len(queries), take), dtype=np.int64)
        for start in range(0, len(queries), _CHUNK):
            chunk = queries[start : start + _CHUNK]
            cosine = np.asarray((self.vectorizer_.transform(chunk) @ self.label_matrix_).todense())
            best = np.argpartition(-cosine, take - 1, axis=1)[:, :take]
            rows = np.repeat(np.arange(len(chunk)), take)
            cols = best.ravel()
            fuzzy = fuzzy_pairs([chunk[r] for r in rows], [self.labels_[c] for c in cols])
            combined = self.tfidf_weight * cosine[rows, cols] + (1 - self.tfidf_weight) * fuzzy
            combined[np.asarray([not q for q in chunk])[rows]] = 0.0
            base[start : start + len(chunk)] = combined.reshape(len(chunk), take)
            top[start : start + len(chunk)] = best
        return base, top

    def _best_occupations(self, scores: np.ndarray, labels: np.ndarray, k: int) -> Prediction:
        owners = self.label_owner_[labels]
        # Best label per occupation; ties go to the earlier catalogue row (the broader trade).
        order = np.lexsort((owners, -scores))
        seen: dict[int, float] = {}
        for position in order:
            owner = int(owners[position])
            if owner not in seen and scores[position] > 0:
                seen[owner] = float(scores[position])
                if len(seen) == k:
                    break
        return [(str(self.keys_[owner]), min(1.0, score)) for owner, score in seen.items()]


# A guess from free text counts as the occupation only from this confidence up. It was 0.75
# for a catalogue of 38 trades; with 51, more labels share syllables ("máy", "sửa", "chế
# biến"), so a title's best label scores lower (character n-grams weigh shared ones less)
# while the head and object agreement still keeps a guess from crossing trades.
GUESS_MIN = 0.7


@lru_cache(maxsize=4)
def catalogue_normaliser(catalogue: OccupationCatalogue) -> OccupationNormaliser:
    """A normaliser fitted on ``catalogue``, built once per catalogue object."""
    return OccupationNormaliser().fit(catalogue)


def guess_keys(
    catalogue: OccupationCatalogue, texts: Sequence[str], columns: TradeColumns | None = None
) -> list[str | None]:
    """The catalogue key each text names, when the normaliser is at least ``GUESS_MIN`` sure
    (``columns``: the texts' :func:`trade_columns`, if already read)."""
    predictions = catalogue_normaliser(catalogue).predict_many(texts, k=1, columns=columns)
    return [p[0][0] if p and p[0][1] >= GUESS_MIN else None for p in predictions]
