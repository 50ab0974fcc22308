"""Progress toward a yearly target: share reached, a projection to the end of the year, status.

Projection of a count that grows through the year (people trained, new jobs): linear,
``value_to_date ÷ share of the year elapsed``. The share elapsed is counted in days (default;
1 January counts as one day done, 31 December as the whole year) or in whole months finished
(``basis="months"``: a month counts once its last day is reached, so nothing is projected in
the first month). Training and hiring are seasonal, so an early projection is rough; the
dashboard shows the projection beside the value, never instead of it.

A share target (trained share, labour structure) is not extrapolated: the projection is the
value itself (``cumulative=False``). Shares are fractions (0.62); a TargetRecord in percent
(65) is divided by 100 so that the two compare.

Status, with ratio = projection ÷ target minimum (target ÷ projection where lower is better,
as for the share of agriculture): ``ok`` when ratio ≥ 1, ``at_risk`` when ratio ≥ 0.9
(``at_risk_ratio``), ``behind`` below that. Once the year is over there is no risk left:
``ok`` or ``behind``, shown as ``reached`` or ``missed`` (``settled``). The share reached is
value ÷ target, or target ÷ value where lower is better, so that it is at least 100 % exactly
when the target is met. Before anything can be projected (before the year starts, or in its
first month on the months basis): ``too_early``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matching.kpi.dates import days_in_year, is_month_end
from matching.kpi.records import TargetRecord
from matching.kpi.results import ratio

OK, AT_RISK, BEHIND, TOO_EARLY = "ok", "at_risk", "behind", "too_early"
AT_RISK_RATIO = 0.9
BASES = ("days", "months")


@dataclass(frozen=True, slots=True)
class Progress:
    """A value against its yearly target on ``as_of``."""

    year: int
    as_of: date
    value: float
    target_min: float
    target_max: float | None
    share_reached: float | None  # value ÷ target minimum (target ÷ value where lower is better)
    elapsed: float  # share of the year elapsed, 0 to 1
    projection: float | None  # expected value at the end of the year
    status: str  # ok | at_risk | behind | too_early


def progress(
    value_to_date: float,
    target: TargetRecord | float | tuple[float, float | None],
    as_of: date,
    year: int | None = None,
    *,
    cumulative: bool = True,
    basis: str = "days",
    higher_is_better: bool = True,
    at_risk_ratio: float = AT_RISK_RATIO,
) -> Progress:
    """Progress of ``value_to_date`` toward ``target`` (a TargetRecord, a number, or a
    (min, max) range) in ``year`` (the target's year when not given), as of ``as_of``."""
    low, high, target_year = _target(target)
    year = year if year is not None else target_year
    if year is None:
        raise ValueError("give the year of the target")
    if not 0 < at_risk_ratio <= 1:
        raise ValueError(f"at_risk_ratio must be in (0, 1], not {at_risk_ratio}")
    elapsed = elapsed_share(as_of, year, basis)
    projection: float | None = value_to_date
    if cumulative:
        projection = value_to_date / elapsed if elapsed > 0 else None
    status = _status(projection, low, elapsed, higher_is_better, at_risk_ratio)
    return Progress(
        year,
        as_of,
        value_to_date,
        low,
        high,
        ratio(value_to_date, low) if higher_is_better else ratio(low, value_to_date),
        elapsed,
        projection,
        status,
    )


REACHED, MISSED = "reached", "missed"


def settled(status: str, elapsed: float) -> str:
    """The status as pages and the report show it: once the year is over, whether the target
    was reached (``reached`` / ``missed``, "Đạt" / "Không đạt"); during it, the progress
    (``ok`` / ``at_risk`` / ``behind``, "Đạt tiến độ" / … / "Chậm tiến độ")."""
    if elapsed >= 1:
        return {OK: REACHED, BEHIND: MISSED}.get(status, status)
    return status


def elapsed_share(as_of: date, year: int, basis: str = "days") -> float:
    """Share of ``year`` done on ``as_of`` (0 before it starts, 1 after it ends)."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    if as_of < date(year, 1, 1):
        return 0.0
    if as_of >= date(year, 12, 31):
        return 1.0
    if basis == "days":
        return ((as_of - date(year, 1, 1)).days + 1) / days_in_year(year)
    return (as_of.month - 1 + (1 if is_month_end(as_of) else 0)) / 12


def _status(
    projection: float | None,
    target: float,
    elapsed: float,
    higher_is_better: bool,
    at_risk_ratio: float,
) -> str:
    if elapsed == 0 or projection is None:
        return TOO_EARLY
    if higher_is_better:
        reached = ratio(projection, target) if target > 0 else None
    else:
        reached = ratio(target, projection) if projection > 0 else None
    if reached is None or reached >= 1:
        return OK
    if elapsed < 1 and reached >= at_risk_ratio:
        return AT_RISK
    return BEHIND


def _target(
    target: TargetRecord | float | tuple[float, float | None],
) -> tuple[float, float | None, int | None]:
    if isinstance(target, TargetRecord):
        scale = 100.0 if target.unit == "percent" else 1.0  # shares are fractions here
        high = target.value_max / scale if target.value_max is not None else None
        return target.value_min / scale, high, target.year
    if isinstance(target, tuple):
        return target[0], target[1], None
    return float(target), None, None
