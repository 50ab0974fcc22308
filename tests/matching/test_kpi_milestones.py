"""Targets at milestones: a year between two milestones is judged against the path to the next
one (matching/kpi/milestones.py; the rule is in docs/kpi.md). Every expected number is worked
out by hand in the test's comment."""

from __future__ import annotations

from datetime import date

import pytest

from matching.kpi import TargetRecord, path_target, progress

SHARE = "trained_share_pct"


def milestone(year: int, low: float, high: float | None = None) -> TargetRecord:
    return TargetRecord(indicator=SHARE, year=year, value_min=low, value_max=high, unit="percent")


# 2025: 65–70 % (the resolution); 2030: 75–80 % (an orientation entered later).
PLAN = (milestone(2025, 65, 70), milestone(2030, 75, 80))


def test_a_milestone_year_is_judged_against_the_milestone_itself() -> None:
    assert path_target(PLAN, 2025) == PLAN[0]
    assert path_target(PLAN, 2030, {2029: 0.5}) == PLAN[1]


def test_a_year_between_milestones_lies_on_the_line_from_the_last_milestone() -> None:
    # 2027 is 2 of the 5 years from 2025 to 2030:
    # lower 65 + (75 − 65) × 2/5 = 69; upper 70 + (80 − 70) × 2/5 = 74.
    target = path_target(PLAN, 2027)
    assert target is not None
    assert (target.value_min, target.value_max) == pytest.approx((69.0, 74.0))
    assert (target.year, target.unit, target.path_to) == (2027, "percent", 2030)


def test_the_last_actual_value_starts_the_path_when_it_is_later_than_the_milestone() -> None:
    # The 2026 figure is 66 % (0.66): 2027 is 1 of the 4 years from 2026 to 2030:
    # lower 66 + (75 − 66) × 1/4 = 68.25; upper 66 + (80 − 66) × 1/4 = 69.5.
    target = path_target(PLAN, 2027, {2024: 0.61, 2026: 0.66, 2027: 0.9, 2028: 0.99})
    assert target is not None
    assert (target.value_min, target.value_max) == pytest.approx((68.25, 69.5))


def test_a_year_without_a_figure_does_not_start_the_path() -> None:
    # 2026 has no figure: the path starts at the 2025 milestone, as without actual values.
    # (An actual in the milestone's own year would win over it: where the province stands.)
    assert path_target(PLAN, 2027, {2026: None}) == path_target(PLAN, 2027)
    on_time = path_target(PLAN, 2026, {2025: 0.60})
    # 60 + (75 − 60) × 1/5 = 63; 60 + (80 − 60) × 1/5 = 64.
    assert on_time is not None
    assert (on_time.value_min, on_time.value_max) == pytest.approx((63.0, 64.0))


def test_before_the_first_milestone_the_path_needs_an_actual_value() -> None:
    assert path_target(PLAN, 2023) is None
    # From the 2021 figure of 55 %: 2023 is 2 of the 4 years to 2025:
    # 55 + (65 − 55) × 2/4 = 60; 55 + (70 − 55) × 2/4 = 62.5.
    target = path_target(PLAN, 2023, {2021: 0.55})
    assert target is not None
    assert (target.value_min, target.value_max) == pytest.approx((60.0, 62.5))
    assert target.path_to == 2025


def test_after_the_last_milestone_there_is_no_target() -> None:
    assert path_target(PLAN, 2031, {2030: 0.8}) is None
    assert path_target((), 2025) is None


def test_a_single_valued_milestone_gives_a_single_valued_path() -> None:
    # Agriculture's share falls from 62.5 % (2025) to 55 % (2030): 2028 is 3 of 5 years,
    # 62.5 + (55 − 62.5) × 3/5 = 58.
    plan = (milestone(2025, 62.5), milestone(2030, 55))
    target = path_target(plan, 2028)
    assert target is not None
    assert (target.value_min, target.value_max) == (pytest.approx(58.0), None)
    # A range at the end from a single value at the start: both lines start from 62.5;
    # upper 62.5 + (60 − 62.5) × 3/5 = 61.
    ranged = path_target((milestone(2025, 62.5), milestone(2030, 55, 60)), 2028)
    assert ranged is not None
    assert ranged.value_max == pytest.approx(61.0)


def test_a_path_target_is_judged_like_any_share_target() -> None:
    # 2027's path target is 69 % (above); a figure of 0.70 at the year's end reaches it.
    target = path_target(PLAN, 2027)
    assert target is not None
    result = progress(0.70, target, date(2028, 1, 10), cumulative=False)
    assert result.status == "ok" and result.target_min == pytest.approx(0.69)
    short = progress(0.68, target, date(2028, 1, 10), cumulative=False)
    assert short.status == "behind"


def test_milestones_of_one_indicator_once_a_year() -> None:
    with pytest.raises(ValueError, match="two milestones"):
        path_target((milestone(2025, 65), milestone(2025, 66)), 2024)
    other = TargetRecord(indicator="certified_share_pct", year=2030, value_min=45, unit="percent")
    with pytest.raises(ValueError, match="one indicator"):
        path_target((PLAN[0], other), 2027)
