"""Properties of the matcher that must hold for any input (hypothesis)."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.catalogue import load_catalogue
from matching.engine import Matcher
from matching.reference import reference_score
from matching.score import ALL_COMPONENTS, Weights
from tests.matching.factories import TODAY, batch

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fit(graduates, vacancies, **kwargs) -> Matcher:
    return Matcher(today=TODAY, **kwargs).fit(graduates, vacancies)


@FAST
@given(batch())
def test_scores_and_components_lie_in_unit_interval(data) -> None:
    graduates, vacancies = data
    matches = _fit(graduates, vacancies).score_pairs(
        [(g.id, v.id) for g in graduates for v in vacancies]
    )
    for match in matches:
        assert 0.0 <= match.score <= 1.0
        assert set(match.components) == set(ALL_COMPONENTS)
        assert all(0.0 <= value <= 1.0 for value in match.components.values())
        assert match.eligible or match.score == 0.0


@FAST
@given(batch(), st.randoms(use_true_random=False))
def test_rankings_do_not_depend_on_input_order(data, rnd) -> None:
    graduates, vacancies = data
    shuffled_g, shuffled_v = list(graduates), list(vacancies)
    rnd.shuffle(shuffled_g)
    rnd.shuffle(shuffled_v)
    first, second = _fit(graduates, vacancies), _fit(shuffled_g, shuffled_v)
    for rank in ("rank_graduates", "rank_vacancies"):
        a = getattr(first, rank)(3).to_dict()
        b = getattr(second, rank)(3).to_dict()
        assert a == b


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch(max_graduates=5, max_vacancies=4))
def test_fast_path_equals_reference(data) -> None:
    graduates, vacancies = data
    catalogue = load_catalogue()
    pairs = [(g, v) for g in graduates for v in vacancies]
    fast = Matcher(today=TODAY).score_pairs(pairs)
    for (g, v), match in zip(pairs, fast, strict=True):
        slow = reference_score(g, v, Weights(), catalogue, today=TODAY)
        assert math.isclose(match.score, slow.score, rel_tol=0, abs_tol=1e-9)
        for name in ALL_COMPONENTS:
            assert math.isclose(match.components[name], slow.components[name], abs_tol=1e-9)
        assert match.matched_skills == slow.matched_skills
        assert match.missing_skills == slow.missing_skills
        assert match.eligible == slow.eligible
        assert match.reason == slow.reason


@FAST
@given(batch(max_graduates=10, max_vacancies=5))
def test_plan_respects_places_and_beats_greedy(data) -> None:
    graduates, vacancies = data
    matcher = _fit(graduates, vacancies)
    plan, greedy = matcher.assign(), matcher.greedy_assign()
    quantity = {v.id: v.quantity for v in vacancies}
    for chosen in (plan, greedy):
        per_vacancy = Counter(m.vacancy_id for m in chosen.assignments)
        per_graduate = Counter(m.graduate_id for m in chosen.assignments)
        assert all(n <= quantity[vid] for vid, n in per_vacancy.items())
        assert all(n == 1 for n in per_graduate.values())
        assert chosen.places_filled == len(chosen.assignments)
        assert all(m.eligible and m.score > 0 for m in chosen.assignments)
    assert plan.objective >= greedy.objective - 1e-9
    if not any(m.components["order"] for m in greedy.assignments + plan.assignments):
        assert plan.total_score >= greedy.total_score - 1e-9


@FAST
@given(batch(max_graduates=6, max_vacancies=3), st.integers(0, 2), st.integers(0, 5))
def test_order_linked_graduate_never_ranks_below_unlinked_twin(data, v_pick, g_pick) -> None:
    graduates, vacancies = data
    target = dataclasses.replace(vacancies[v_pick % len(vacancies)], order_id="DH-9")
    vacancies = [target if v.id == target.id else v for v in vacancies]
    base = graduates[g_pick % len(graduates)]
    linked = dataclasses.replace(base, id="ZZ-linked", order_id="DH-9")
    unlinked = dataclasses.replace(base, id="AA-unlinked", order_id=None)
    ranking = _fit([*graduates, linked, unlinked], vacancies, shortlist=1)
    ranked = [m.graduate_id for m in ranking.rank_graduates(top_k=50)[target.id]]
    if "AA-unlinked" in ranked:
        assert "ZZ-linked" in ranked
        assert ranked.index("ZZ-linked") < ranked.index("AA-unlinked")
