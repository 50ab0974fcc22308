"""Weights learned from outcomes: a synthetic world whose true weights are known gives them
back, the time split never cuts a vacancy, and the rules for what an outcome teaches."""

from __future__ import annotations

import numpy as np
import pytest

from matching.learning import (
    HIRED,
    INTERVIEWED,
    LEARNED,
    REFUSED,
    TRUE_WEIGHTS,
    OutcomeSet,
    WeightFitter,
    compare,
    outcome_grade,
    quality,
    synthetic_outcomes,
)
from matching.score import COMPONENTS, Weights


def test_the_true_weights_of_a_synthetic_world_are_recovered() -> None:
    fitted = WeightFitter().fit(synthetic_outcomes(seed=0)).weights_.as_dict()
    true = TRUE_WEIGHTS.as_dict()
    by_true = sorted(LEARNED, key=lambda name: -true[name])
    by_fitted = sorted(LEARNED, key=lambda name: -fitted[name])
    assert by_fitted == by_true
    assert max(abs(fitted[name] - true[name]) for name in LEARNED) < 0.03
    assert fitted["order"] == TRUE_WEIGHTS.order  # policy, never learned


def test_fitted_weights_beat_the_hand_weights_on_the_later_outcomes() -> None:
    result = compare(synthetic_outcomes(seed=1))
    assert result.beats_hand
    assert result.fitted.ndcg > result.hand.ndcg
    assert result.fitted.auc > result.hand.auc
    assert result.train_outcomes + result.test_outcomes == 6000


def test_random_outcomes_are_not_adopted_over_the_hand_weights() -> None:
    world = synthetic_outcomes(seed=2)
    rng = np.random.default_rng(3)
    noise = OutcomeSet(
        world.components, world.has_order, rng.permutation(world.grade), world.group, world.when
    )
    result = compare(noise, hand=TRUE_WEIGHTS)
    assert abs(result.fitted.ndcg - result.hand.ndcg) < 0.02


def _tiny(when: list[int], group: list[int], grade: list[int]) -> OutcomeSet:
    n = len(group)
    components = np.tile(np.linspace(0.1, 0.9, n)[:, None], (1, len(COMPONENTS)))
    return OutcomeSet(
        components, np.zeros(n, dtype=bool), np.array(grade), np.array(group), np.array(when)
    )


def test_the_time_split_puts_later_vacancies_in_the_test_part_whole() -> None:
    data = _tiny([1, 1, 5, 5, 9, 9, 9], [0, 0, 1, 1, 2, 2, 2], [0, 2, 0, 1, 0, 2, 1])
    train, test = data.split(0.5)
    assert set(train.group) == {0}
    assert set(test.group) == {1, 2}
    assert len(test) == 5


def test_outcomes_that_order_nothing_leave_the_hand_weights() -> None:
    data = _tiny([1, 1], [0, 0], [REFUSED, REFUSED])
    assert WeightFitter().fit(data).weights_ == Weights()
    assert quality(Weights(), data).vacancies == 0


@pytest.mark.parametrize(
    ("status", "reason", "grade"),
    [
        ("hired", "", HIRED),
        ("interview", "", INTERVIEWED),
        ("rejected", "Không đạt yêu cầu phỏng vấn", REFUSED),
        ("withdrawn", "Gia đình không đồng ý cho đi làm xa", REFUSED),
        ("rejected", "Doanh nghiệp đã tuyển đủ người", None),
        ("withdrawn", "Nguoi lao dong da co viec lam khac", None),
        ("proposed", "", None),
        ("referred", "", None),
    ],
)
def test_what_each_outcome_teaches(status: str, reason: str, grade: int | None) -> None:
    assert outcome_grade(status, reason) == grade


def test_the_evaluation_prints_the_recovery_and_both_verdicts() -> None:
    from matching.evaluation.outcomes import report

    lines = report().splitlines()
    table = {line.split()[0]: line.split()[1:] for line in lines[2:9]}
    assert set(table) == set(COMPONENTS)
    assert table["place"][1] == "0.300"  # the true weight, beside the hand and fitted ones
    verdicts = [line.rsplit("-> ", 1)[1] for line in lines if "-> " in line]
    assert verdicts == ["adopt", "keep the hand weights"]
