"""Targets at milestones: the target of a year between two milestones, on the path to the next.

The resolution sets the shares (trained share, certified share) and the labour structure *by*
2025, and the 2030 orientation by 2030: milestones, not yearly targets. A year between
milestones is judged against the **path** to the next milestone, a straight line:

- the **end** of the path is the next milestone (the first one in the year or after it); a year
  that is itself a milestone is judged against the milestone as it is;
- the **start** is the latest point before the year: the last actual value (the KPI's figure of
  an earlier year) or the last milestone, whichever is later; when both fall in the same year
  the actual value wins (where the province really stands);
- the target of year *y* is ``start + (end − start) × (y − start year) ÷ (end year − start
  year)``, for the lower and for the upper value of a range. An actual value starts both
  lines; a milestone without an upper value gives an upper line only when the next milestone
  has one (it starts from the lower value then). The next milestone without an upper value
  gives a path without one.

A year after the last milestone, or before the first one with nothing before it to start
from, has no target (None). Yearly targets (people trained, new jobs each year) are not
milestones and never go through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from matching.kpi.records import TargetRecord


def path_target(
    milestones: Iterable[TargetRecord],
    year: int,
    actuals: Mapping[int, float | None] | None = None,
) -> TargetRecord | None:
    """The target of ``year`` for one indicator whose ``milestones`` are given (one per
    year), with ``actuals`` the KPI's value by earlier year as the KPI gives it (a share as a
    fraction, 0.62; None or missing where there is no figure). The result is in the milestones'
    unit, with ``path_to`` the next milestone's year when it lies on a path."""
    by_year = _by_year(milestones)
    ahead = [y for y in by_year if y >= year]
    if not ahead:
        return None
    end = by_year[min(ahead)]
    if end.year == year:
        return end
    start = _start(by_year, year, end.unit, actuals or {})
    if start is None:
        return None
    start_year, start_min, start_max = start
    step = (year - start_year) / (end.year - start_year)
    value_max = None
    if end.value_max is not None:
        value_max = start_max + (end.value_max - start_max) * step
    return TargetRecord(
        indicator=end.indicator,
        year=year,
        value_min=start_min + (end.value_min - start_min) * step,
        value_max=value_max,
        unit=end.unit,
        path_to=end.year,
    )


def _by_year(milestones: Iterable[TargetRecord]) -> dict[int, TargetRecord]:
    by_year: dict[int, TargetRecord] = {}
    for milestone in milestones:
        if milestone.year in by_year:
            raise ValueError(f"two milestones of {milestone.indicator} in {milestone.year}")
        by_year[milestone.year] = milestone
    if len({m.indicator for m in by_year.values()}) > 1:
        raise ValueError("milestones of one indicator at a time")
    return by_year


def _start(
    by_year: Mapping[int, TargetRecord],
    year: int,
    unit: str,
    actuals: Mapping[int, float | None],
) -> tuple[int, float, float] | None:
    """(year, lower, upper) where the path starts, in the milestones' unit."""
    scale = 100.0 if unit == "percent" else 1.0
    actual_years = [y for y, value in actuals.items() if y < year and value is not None]
    milestone_years = [y for y in by_year if y < year]
    last_actual = max(actual_years, default=None)
    last_milestone = max(milestone_years, default=None)
    if last_actual is not None and (last_milestone is None or last_actual >= last_milestone):
        value = float(actuals[last_actual] or 0.0) * scale
        return last_actual, value, value
    if last_milestone is None:
        return None
    milestone = by_year[last_milestone]
    upper = milestone.value_max if milestone.value_max is not None else milestone.value_min
    return last_milestone, milestone.value_min, upper
