"""Who goes where: an optimal plan that fills places, and a greedy plan to compare with.

The plan maximises the total score with at most one vacancy per graduate and at most
``quantity`` graduates per vacancy. Graduates trained under a training order go first to the
ordering employer's vacancy: inside the solver their edge weighs ``score + ORDER_BONUS``; the
reported scores never include the bonus.

The optimal solver expands each vacancy into slots (no more than its number of candidates),
The optimal solver is a min-cost flow on the sparse shortlist graph (OR-Tools); SciPy's
sparse LAPJVsp on vacancy slots is kept as a slower reference that the tests compare with.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from matching.score import Match

# Larger than any score: an order-linked pair outweighs any ordinary swap (scores are ≤ 1).
ORDER_BONUS = 2.0


@dataclass(frozen=True)
class Plan:
    """An assignment. ``total_score`` sums the reported scores; ``objective`` is what the
    solver maximised (the total plus ``ORDER_BONUS`` per order-linked assignment)."""

    assignments: list[Match]
    places_filled: int
    total_score: float
    objective: float = 0.0


def solver_weights(score: np.ndarray, linked: np.ndarray) -> np.ndarray:
    """Edge weights the solvers maximise."""
    return np.asarray(score, dtype=np.float64) + ORDER_BONUS * np.asarray(linked, dtype=bool)


def _slots(v: np.ndarray, quantity: np.ndarray, n_vac: int) -> tuple[np.ndarray, np.ndarray]:
    """Slot count per vacancy (≤ its candidates) and the first slot column of each."""
    degree = np.bincount(v, minlength=n_vac)
    count = np.minimum(quantity, degree)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    return count, first


def _rank_at_vacancy(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """0-based rank of each edge among its vacancy's edges, best weight first."""
    order = np.lexsort((-w, v))
    sorted_v = v[order]
    starts = np.flatnonzero(np.r_[True, sorted_v[1:] != sorted_v[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(v)]))
    rank = np.empty(len(v), dtype=np.int64)
    rank[order] = np.arange(len(v)) - run_start
    return rank


# Weights are scaled to integers for the flow solver; 1e-6 is far below any score difference
# a user could see, and the reference solver checks the optimum in the tests.
_WEIGHT_SCALE = 1_000_000


def optimal_edges(
    g: np.ndarray, v: np.ndarray, weight: np.ndarray, quantity: np.ndarray
) -> np.ndarray:
    """Positions of the chosen edges that maximise the total weight (weights > 0).

    A min-cost flow (OR-Tools): source → each graduate (capacity 1) → a vacancy (capacity 1,
    cost ``big - weight``) or straight to the sink unplaced (cost ``big``) → sink, with the
    vacancy → sink arc holding its quantity. Every graduate sends one unit, so minimising
    the cost maximises the total weight of the placed pairs.
    """
    keep = np.flatnonzero(weight > 0)
    if not len(keep):
        return keep
    g = np.asarray(g, dtype=np.int64)[keep]
    v = np.asarray(v, dtype=np.int64)[keep]
    scaled = np.round(np.asarray(weight)[keep] * _WEIGHT_SCALE).astype(np.int64)
    n_grad, n_vac = int(g.max()) + 1, len(quantity)
    source, sink = n_grad + n_vac, n_grad + n_vac + 1
    big = int(scaled.max()) + 1
    graduates = np.arange(n_grad, dtype=np.int64)
    tails = np.concatenate([np.full(n_grad, source), g, n_grad + np.arange(n_vac), graduates])
    heads = np.concatenate([graduates, n_grad + v, np.full(n_vac, sink), np.full(n_grad, sink)])
    capacity = np.concatenate(
        [np.ones(n_grad), np.ones(len(g)), np.asarray(quantity), np.ones(n_grad)]
    ).astype(np.int64)
    cost = np.concatenate(
        [np.zeros(n_grad), big - scaled, np.zeros(n_vac), np.full(n_grad, big)]
    ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, cost)
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[source], supply[sink] = n_grad, -n_grad
    flow.set_nodes_supplies(np.arange(sink + 1), supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: the unplaced arcs always give a feasible flow
        raise RuntimeError(f"placement solver failed with status {status}")
    placed = flow.flows(arcs[n_grad : n_grad + len(g)])
    return np.sort(keep[np.flatnonzero(placed > 0)])


def reference_optimal_edges(
    g: np.ndarray, v: np.ndarray, weight: np.ndarray, quantity: np.ndarray
) -> np.ndarray:
    """The same optimum by another route (SciPy's LAPJVsp on vacancy slots), slower: the
    tests check that both solvers reach the same total weight.

    Each connected component of the graph is solved on its own: exact, and much faster,
    since the solver's work grows with rows × columns.
    """
    keep = np.flatnonzero(weight > 0)
    if not len(keep):
        return keep
    g, v = np.asarray(g, dtype=np.int64)[keep], np.asarray(v, dtype=np.int64)[keep]
    n_nodes = int(g.max()) + 1 + len(quantity)
    links = sp.csr_matrix((np.ones(len(g)), (g, g.max() + 1 + v)), shape=(n_nodes, n_nodes))
    _, label = connected_components(links, directed=False)
    component = label[g]
    order = np.argsort(component, kind="stable")
    bounds = np.flatnonzero(np.r_[True, component[order][1:] != component[order][:-1], True])
    chosen = [
        part[_solve(g[part], v[part], weight[keep][part], quantity)]
        for part in (order[a:b] for a, b in itertools.pairwise(bounds))
    ]
    return np.sort(keep[np.concatenate(chosen)])


def _solve(g: np.ndarray, v: np.ndarray, w: np.ndarray, quantity: np.ndarray) -> np.ndarray:
    """Positions of the optimal edges of one connected graph (LAPJVsp on slots)."""
    rows, row_of = np.unique(g, return_inverse=True)
    count, first = _slots(v, quantity, len(quantity))
    n_slots = int(count.sum())
    # Slots of a vacancy are interchangeable, so its assigned graduates can sit in rank order:
    # the r-th best candidate never needs a slot past the r-th. Exact, and fewer edges.
    per_edge = np.minimum(count[v], _rank_at_vacancy(v, w) + 1)
    edge = np.repeat(np.arange(len(g)), per_edge)
    offset = np.arange(len(edge)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    n_rows = len(rows)
    # +1 on every edge, real and dummy, keeps weights non-zero without changing the optimum:
    # every row is matched exactly once.
    data = np.concatenate([w[edge] + 1.0, np.ones(n_rows)])
    r = np.concatenate([row_of[edge], np.arange(n_rows)])
    c = np.concatenate([first[v[edge]] + offset, n_slots + np.arange(n_rows)])
    graph = sp.csr_matrix((data, (r, c)), shape=(n_rows, n_slots + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph, maximize=True)
    real = col_ind < n_slots
    slot_vacancy = np.repeat(np.arange(len(count)), count)
    chosen_keys = row_ind[real].astype(np.int64) * len(quantity) + slot_vacancy[col_ind[real]]
    edge_keys = row_of.astype(np.int64) * len(quantity) + v
    order = np.argsort(edge_keys, kind="stable")
    return order[np.searchsorted(edge_keys[order], chosen_keys)]


def greedy_edges(
    g: np.ndarray, v: np.ndarray, weight: np.ndarray, quantity: np.ndarray
) -> np.ndarray:
    """Best edge first (ties by graduate, then vacancy) while places and graduates last."""
    order = np.lexsort((v, g, -weight))
    left = np.asarray(quantity, dtype=np.int64).copy()
    taken: set[int] = set()
    chosen = []
    for position in order[weight[order] > 0]:
        gi, vi = int(g[position]), int(v[position])
        if gi not in taken and left[vi] > 0:
            taken.add(gi)
            left[vi] -= 1
            chosen.append(position)
    return np.sort(np.asarray(chosen, dtype=np.int64))


def _plan_from(matches: Sequence[Match], chosen: np.ndarray, weight: np.ndarray) -> Plan:
    picked = [matches[i] for i in chosen]
    return Plan(
        assignments=sorted(picked, key=lambda m: (m.vacancy_id, m.graduate_id)),
        places_filled=len(picked),
        total_score=float(sum(m.score for m in picked)),
        objective=float(weight[chosen].sum()) if len(chosen) else 0.0,
    )


def _edges(matches: Sequence[Match], quantity: Mapping[str, int]):
    usable = [m for m in matches if m.eligible and m.score > 0 and m.vacancy_id in quantity]
    graduates = {gid: i for i, gid in enumerate(sorted({m.graduate_id for m in usable}))}
    vacancies = {vid: j for j, vid in enumerate(sorted(quantity))}
    g = np.array([graduates[m.graduate_id] for m in usable], dtype=np.int64)
    v = np.array([vacancies[m.vacancy_id] for m in usable], dtype=np.int64)
    linked = np.array([m.components.get("order", 0.0) >= 1.0 for m in usable], dtype=bool)
    weight = solver_weights(np.array([m.score for m in usable]), linked)
    q = np.array([quantity[vid] for vid in sorted(quantity)], dtype=np.int64)
    return usable, g, v, weight, q


def optimal_assign(matches: Iterable[Match], quantity: Mapping[str, int]) -> Plan:
    """Optimal plan over scored pairs; ``quantity`` maps vacancy id → places."""
    usable, g, v, weight, q = _edges(list(matches), quantity)
    return _plan_from(usable, optimal_edges(g, v, weight, q), weight)


def greedy_assign(matches: Iterable[Match], quantity: Mapping[str, int]) -> Plan:
    """Greedy plan over scored pairs (best pair first), for comparison with the optimum."""
    usable, g, v, weight, q = _edges(list(matches), quantity)
    return _plan_from(usable, greedy_edges(g, v, weight, q), weight)
