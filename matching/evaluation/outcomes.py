"""The learning-from-outcomes comparison that ``python -m matching.evaluation`` prints: on a
synthetic world whose true weights are known, the weights fitted on its outcomes against the
true ones, and hand against fitted weights on the later outcomes; then the same world with
its outcomes shuffled, where nothing may be learned and nothing may be adopted. (The
platform's own outcomes are read from the database: ``dbjobs fit-weights``.)"""

from __future__ import annotations

import numpy as np

from matching.learning import (
    LEARNED,
    TRUE_WEIGHTS,
    Comparison,
    OutcomeSet,
    WeightFitter,
    compare,
    synthetic_outcomes,
)
from matching.score import COMPONENTS, Weights


def _comparison_lines(title: str, result: Comparison) -> list[str]:
    verdict = "adopt" if result.beats_hand else "keep the hand weights"
    return [
        f"{title}: {result.train_outcomes} earlier outcomes fit, "
        f"{result.test_outcomes} later ones judge ({result.fitted.vacancies} vacancies)",
        f"  {'':<10} {'nDCG':>6} {'AUC':>6}",
        f"  {'hand':<10} {result.hand.ndcg:6.3f} {result.hand.auc:6.3f}",
        f"  {'fitted':<10} {result.fitted.ndcg:6.3f} {result.fitted.auc:6.3f}",
        f"  fitted ahead in {100 * result.confidence:.0f} % of resamples -> {verdict}",
    ]


def report(seed: int = 0) -> str:
    """The comparison as text (fixed seed: the same figures every run)."""
    world = synthetic_outcomes(seed=seed)
    recovered = WeightFitter().fit(world).weights_.as_dict()
    hand = Weights().as_dict()
    true = TRUE_WEIGHTS.as_dict()
    lines = [
        "Learning from outcomes (synthetic world, logistic link, seed "
        f"{seed}: {len(world)} outcomes, {len(np.unique(world.group))} vacancies)",
        f"  {'component':<10} {'hand':>6} {'true':>6} {'fitted':>6}",
    ]
    for name in COMPONENTS:
        lines.append(f"  {name:<10} {hand[name]:6.3f} {true[name]:6.3f} {recovered[name]:6.3f}")
    error = max(abs(recovered[name] - true[name]) for name in LEARNED)
    lines.append(f"  largest error of a fitted weight: {error:.3f}")
    lines += _comparison_lines("Time split, hand against fitted", compare(world))
    rng = np.random.default_rng(seed + 1)
    shuffled = OutcomeSet(
        world.components, world.has_order, rng.permutation(world.grade), world.group, world.when
    )
    noise = compare(shuffled)
    lines += _comparison_lines("Shuffled outcomes (nothing to learn)", noise)
    fitted = noise.fitted_weights.as_dict()
    lines.append("  fitted on noise: " + ", ".join(f"{n} {fitted[n]:.2f}" for n in LEARNED))
    return "\n".join(lines)
