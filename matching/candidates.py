"""Which pairs get scored: blocking by occupation and a sparse top-n by pre-score.

Graduates are grouped into *kinds*: the same trade text and occupation code. A kind's
pre-score against a vacancy is ``max(code score, TF-IDF cosine)`` (code score: 1 same given
code, 0.9 same given-or-guessed occupation, 0.6 same group); it is computed once per
(kind, vacancy) in blocks of at most ``BLOCK`` entries, never as a full matrix.

* A vacancy's candidates: the graduates of its best kinds (``shortlist`` graduates), then up
  to ``code_cap`` more from kinds of the same or a related occupation.
* A graduate's candidates: their kind's best ``per_graduate`` vacancies (a running top-n kept
  across blocks).
* Every graduate trained under a vacancy's training order (``order_side``).

Only candidate pairs are scored exactly; memory stays bounded by the block sizes, which is what
lets the same code run on 200,000 graduates × 20,000 vacancies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from matching.score import GUESSED_SAME, RELATED_OCCUPATION, UNRELATED_TEXT
from matching.tables import NONE, Tables

# Entries of one dense pre-score block (rows × kinds); bounds memory at ~32 MB a block.
BLOCK = 4_000_000
# Candidate pairs scored at once; bounds the memory of scoring at ~100 MB.
PAIRS_PER_CHUNK = 400_000
# Tiny tie-breaker: among vacancies equally (un)related to a trade, open ones (no occupation
# code) come first, since they suit graduates without a trade.
OPEN_TIE = 1e-6


@dataclass
class Kinds:
    """Graduates grouped by (trade, occupation code)."""

    trade: np.ndarray
    code: np.ndarray
    group: np.ndarray
    known: np.ndarray  # given or guessed catalogue row
    known_group: np.ndarray
    members: np.ndarray  # graduate rows, grouped by kind, ascending within a kind
    start: np.ndarray  # members of kind k: members[start[k]:start[k + 1]]

    def of(self, k: int) -> np.ndarray:
        return self.members[self.start[k] : self.start[k + 1]]

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.start)


def graduate_kinds(t: Tables) -> Kinds:
    """Group the graduates of ``t`` into kinds."""
    gt = t.graduates
    n_codes = len(t.catalogue) + 1
    key = gt.trade * n_codes + (gt.code + 1)
    unique, first, kind = np.unique(key, return_index=True, return_inverse=True)
    members = np.argsort(kind.ravel(), kind="stable")
    start = np.concatenate([[0], np.cumsum(np.bincount(kind.ravel(), minlength=len(unique)))])
    return Kinds(
        gt.trade[first],
        gt.code[first],
        gt.group[first],
        gt.known[first],
        gt.known_group[first],
        members,
        start,
    )


def prescore(t: Tables, kinds: Kinds, v: np.ndarray) -> np.ndarray:
    """Dense (len(v) × kinds) pre-scores for vacancy rows ``v``."""
    vt = t.vacancies
    trades = t.trade_vectors[kinds.trade].T.tocsc()
    texts = vt.text[v]
    cosine = np.maximum(
        (t.title_vectors[texts] @ trades).toarray(), (t.full_vectors[texts] @ trades).toarray()
    )
    given = (kinds.code[None, :] >= 0) & (kinds.code[None, :] == vt.code[v][:, None])
    known_v, group_v = vt.known[v][:, None], vt.known_group[v][:, None]
    known = (kinds.known[None, :] >= 0) & (known_v >= 0)
    same = known & (kinds.known[None, :] == known_v)
    related = known & t.groups_related(kinds.known_group[None, :], group_v)
    code_score = np.select([given, same, related], [1.0, GUESSED_SAME, RELATED_OCCUPATION], 0.0)
    cosine = np.where(known & ~related, cosine * UNRELATED_TEXT, cosine)
    empty = np.array([not s for s in t.trades], dtype=bool)[kinds.trade]
    cosine[:, empty] = 0.0
    return np.maximum(code_score, cosine) + OPEN_TIE * (vt.code[v] == NONE)[:, None]


def _blocks(n: int, width: int) -> Iterator[np.ndarray]:
    rows = max(1, BLOCK // max(1, width))
    for begin in range(0, n, rows):
        yield np.arange(begin, min(n, begin + rows))


def _top(scores: np.ndarray, n: int, ties: np.ndarray | None = None) -> np.ndarray:
    """Column indices of the ``n`` best scores per row, best first; ties by ``ties`` (default:
    the column index)."""
    n = min(n, scores.shape[1])
    if n < scores.shape[1]:
        cols = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    else:
        cols = np.tile(np.arange(scores.shape[1]), (len(scores), 1))
    if not cols.size:
        return cols
    picked = np.take_along_axis(scores, cols, axis=1)
    tie = cols if ties is None else np.take_along_axis(ties, cols, axis=1)
    order = np.lexsort((tie, -picked), axis=-1)
    return np.take_along_axis(cols, order, axis=1)


def _expand(counts: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs of ``counts[i]`` items from ``starts[i]``: (run of each item, item index)."""
    run = np.repeat(np.arange(len(counts)), counts)
    offset = np.arange(len(run)) - np.repeat(np.cumsum(counts) - counts, counts)
    return run, np.repeat(starts, counts) + offset


def _vacancy_block(
    kinds: Kinds, block: np.ndarray, scores: np.ndarray, shortlist: int, code_cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per vacancy of the block: graduates of its best kinds, ``shortlist`` of them whatever
    their pre-score, then up to ``code_cap`` more from kinds of the same or a related
    occupation (pre-score ≥ 0.6)."""
    top = _top(scores, shortlist + code_cap)
    sizes = kinds.sizes[top]
    begin = np.cumsum(sizes, axis=1) - sizes
    near = np.take_along_axis(scores, top, axis=1) >= RELATED_OCCUPATION
    chosen = (begin < shortlist) | ((begin < shortlist + code_cap) & near)
    taken = np.where(chosen, sizes, 0)
    before = np.cumsum(taken, axis=1) - taken  # graduates of chosen kinds ahead in the row
    rows, cols = np.nonzero(chosen)
    kind = top[rows, cols]
    run, member = _expand(kinds.sizes[kind], kinds.start[kind])
    position = before[rows, cols][run] + (member - kinds.start[kind][run])
    keep = position < shortlist + code_cap
    return kinds.members[member[keep]].astype(np.int64), block[rows[run[keep]]].astype(np.int64)


class _RunningTop:
    """Each kind's best ``n`` vacancies so far, merged block by block (ties by vacancy)."""

    def __init__(self, n_kinds: int, n: int) -> None:
        self.n = n
        self.scores = np.zeros((n_kinds, 0))
        self.vacancies = np.zeros((n_kinds, 0), dtype=np.int64)

    def add(self, block: np.ndarray, scores: np.ndarray) -> None:
        merged = np.hstack([self.scores, scores.T])
        ids = np.hstack([self.vacancies, np.broadcast_to(block, merged[:, -len(block) :].shape)])
        keep = _top(merged, self.n, ties=ids)
        self.scores = np.take_along_axis(merged, keep, axis=1)
        self.vacancies = np.take_along_axis(ids, keep, axis=1)

    def pairs(self, kinds: Kinds, max_pairs: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(graduate rows, vacancy rows) in chunks of about ``max_pairs`` pairs."""
        width = max(1, self.vacancies.shape[1])
        first = 0
        while first < len(kinds.trade):
            reach = np.searchsorted(kinds.start, kinds.start[first] + max_pairs // width, "right")
            last = max(first + 1, min(len(kinds.trade), int(reach) - 1))
            members = kinds.members[kinds.start[first] : kinds.start[last]]
            g = np.repeat(members, self.vacancies.shape[1])
            v = np.repeat(self.vacancies[first:last], kinds.sizes[first:last], axis=0).ravel()
            yield g.astype(np.int64), v.astype(np.int64)
            first = last


def candidate_blocks(
    t: Tables, kinds: Kinds, shortlist: int, code_cap: int, per_graduate: int
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Candidate pairs as ("vacancy", g, v) per block of vacancies (each vacancy's shortlist),
    then one ("graduate", g, v): each graduate with their kind's best ``per_graduate``
    vacancies. Pre-scores are computed once per block and never kept whole."""
    if not len(kinds.trade) or not len(t.vacancies.profiles):
        return
    running = _RunningTop(len(kinds.trade), per_graduate)
    for block in _blocks(len(t.vacancies.profiles), len(kinds.trade)):
        scores = prescore(t, kinds, block)
        yield ("vacancy", *_vacancy_block(kinds, block, scores, shortlist, code_cap))
        if per_graduate > 0:
            running.add(block, scores)
    if per_graduate > 0:
        for g, v in running.pairs(kinds, PAIRS_PER_CHUNK):
            yield "graduate", g, v


def order_side(t: Tables) -> tuple[np.ndarray, np.ndarray]:
    """Every graduate trained under a vacancy's training order, with that vacancy: they are
    always candidates for it, however long the shortlist."""
    g_order, v_order = t.graduates.order, t.vacancies.order
    linked_g = np.flatnonzero(g_order >= 0)
    by_order = linked_g[np.argsort(g_order[linked_g], kind="stable")]
    sorted_orders = g_order[by_order]
    vacancies = np.flatnonzero(v_order >= 0)
    lo = np.searchsorted(sorted_orders, v_order[vacancies], side="left")
    hi = np.searchsorted(sorted_orders, v_order[vacancies], side="right")
    counts = hi - lo
    v = np.repeat(vacancies, counts)
    offset = np.arange(len(v)) - np.repeat(np.cumsum(counts) - counts, counts)
    return by_order[np.repeat(lo, counts) + offset].astype(np.int64), v.astype(np.int64)
