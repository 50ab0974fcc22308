"""The assignment plan: optimal, within places, order-linked graduates first."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.assign import greedy_edges, optimal_assign, optimal_edges, reference_optimal_edges
from matching.engine import Matcher, greedy_assign
from matching.profiles import Location
from matching.score import Match
from tests.matching.factories import TODAY, graduate, vacancy


def test_optimal_beats_greedy_where_greedy_is_short_sighted() -> None:
    # Greedy takes the best edge (a, x) = 0.9 and leaves b with nothing: 0.9 in all.
    # The optimum gives a → y and b → x: 0.8 + 0.8 = 1.6.
    g = np.array([0, 0, 1])
    v = np.array([0, 1, 0])
    w = np.array([0.9, 0.8, 0.8])
    quantity = np.array([1, 1])
    assert sorted(w[optimal_edges(g, v, w, quantity)]) == [0.8, 0.8]
    assert list(w[greedy_edges(g, v, w, quantity)]) == [0.9]


def test_plan_fills_places_up_to_quantity() -> None:
    people = [graduate(id=f"G{i}") for i in range(5)]
    jobs = [
        vacancy(id="V1", quantity=2),
        vacancy(id="V2", quantity=1, location=Location.commune("03127")),
    ]
    plan = Matcher(today=TODAY).fit(people, jobs).assign()
    assert plan.places_filled == 3
    assert sum(m.vacancy_id == "V1" for m in plan.assignments) == 2
    assert len({m.graduate_id for m in plan.assignments}) == 3
    assert plan.total_score == sum(m.score for m in plan.assignments)


def test_order_linked_graduate_goes_to_the_ordering_employer() -> None:
    # The trainee fits the other vacancy better, but was trained for E7's order.
    trainee = graduate(id="G1", order_id="DH-7", willing_to_work=("commune",))
    local = vacancy(id="V1", location=Location.commune("03127"))
    ordered = vacancy(
        id="V2", employer_id="E7", order_id="DH-7", quantity=1, location=Location.commune("03334")
    )
    plan = Matcher(today=TODAY).fit([trainee], [local, ordered]).assign()
    assert [(m.graduate_id, m.vacancy_id) for m in plan.assignments] == [("G1", "V2")]


def test_module_level_greedy_assign_for_comparison() -> None:
    people = [graduate(id=f"G{i}") for i in range(3)]
    plan = greedy_assign(people, [vacancy(quantity=2)], today=TODAY)
    assert plan.places_filled == 2


def test_optimal_assign_over_match_lists() -> None:
    matches = [
        Match("a", "x", 0.9, {"order": 0.0}),
        Match("a", "y", 0.8, {"order": 0.0}),
        Match("b", "x", 0.8, {"order": 0.0}),
    ]
    plan = optimal_assign(matches, {"x": 1, "y": 1})
    assert {(m.graduate_id, m.vacancy_id) for m in plan.assignments} == {("a", "y"), ("b", "x")}
    assert abs(plan.total_score - 1.6) < 1e-12


@st.composite
def _graphs(draw):
    n_grad = draw(st.integers(1, 25))
    n_vac = draw(st.integers(1, 6))
    pairs = draw(
        st.sets(st.tuples(st.integers(0, n_grad - 1), st.integers(0, n_vac - 1)), max_size=60)
    )
    pairs = sorted(pairs)
    weights = draw(
        st.lists(st.floats(0.0, 3.0, allow_nan=False), min_size=len(pairs), max_size=len(pairs))
    )
    quantity = draw(st.lists(st.integers(1, 4), min_size=n_vac, max_size=n_vac))
    g = np.array([p[0] for p in pairs], dtype=np.int64)
    v = np.array([p[1] for p in pairs], dtype=np.int64)
    return g, v, np.round(np.array(weights, dtype=float), 4), np.array(quantity)


@settings(max_examples=150, deadline=None)
@given(_graphs())
def test_flow_solver_reaches_the_reference_optimum(graph):
    g, v, w, quantity = graph
    if not len(g):
        return
    fast = optimal_edges(g, v, w, quantity)
    slow = reference_optimal_edges(g, v, w, quantity)
    assert abs(w[fast].sum() - w[slow].sum()) < 1e-5
    assert len(set(g[fast].tolist())) == len(fast)  # one vacancy per graduate
    assert (np.bincount(v[fast], minlength=len(quantity)) <= quantity).all()
