"""Where a year's stored figure stands against its target: the one judgement the dashboard's
progress cards and the home page's "target at risk" alerts both show, by
``matching.kpi.progress`` (a count is projected linearly to the year's end on the days basis;
a share is not extrapolated; for the share of agriculture lower is better)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matching.kpi import KpiId, Measure, Progress, TargetRecord, progress, settled
from matching.kpi.progress import AT_RISK, BEHIND, MISSED
from models.enums import TargetIndicator

T = TargetIndicator
M = Measure


@dataclass(frozen=True, slots=True)
class Indicator:
    """A target's indicator with the stored figure it is judged on."""

    indicator: str
    kpi: KpiId
    measure: Measure
    label: str  # msgid
    cumulative: bool = True
    higher_is_better: bool = True
    always: bool = False  # shown on the dashboard even without a target


INDICATORS = (
    Indicator(T.TRAINED, KpiId.TRAINED, M.TRAINED, "Trained people (all levels)", always=True),
    Indicator(T.NEW_JOBS, KpiId.NEW_JOBS, M.PEOPLE, "New jobs created", always=True),
    Indicator(T.TRAINED_SHARE, KpiId.TRAINED_SHARE, M.SHARE, "Trained share of the employed",
              cumulative=False),
    Indicator(T.CERTIFIED_SHARE, KpiId.CERTIFIED_SHARE, M.SHARE,
              "Share of the employed trained 3 months or more with a certificate",
              cumulative=False),
    Indicator(T.STRUCTURE_AGRICULTURE, KpiId.LABOUR_STRUCTURE, M.AGRICULTURE,
              "Labour structure: agriculture, forestry and fishery", cumulative=False,
              higher_is_better=False),
    Indicator(T.STRUCTURE_INDUSTRY, KpiId.LABOUR_STRUCTURE, M.INDUSTRY,
              "Labour structure: industry and construction", cumulative=False),
    Indicator(T.STRUCTURE_SERVICES, KpiId.LABOUR_STRUCTURE, M.SERVICES,
              "Labour structure: services", cumulative=False),
    Indicator(T.ABROAD, KpiId.ABROAD, M.PEOPLE, "Workers leaving to work abroad under contract",
              always=True),
)  # fmt: skip

# The statuses of a target the year is falling short of: at risk or behind during the year,
# missed once it is over.
FALLING_SHORT = frozenset({AT_RISK, BEHIND, MISSED})


@dataclass(frozen=True, slots=True)
class Judged:
    """The shown status (ok | at_risk | behind | too_early | reached | missed | no_target |
    no_figures | no_data) and the progress behind it, when there is one."""

    status: str
    progress: Progress | None = None


def judge(
    spec: Indicator,
    value: float | None,
    target: TargetRecord | None,
    as_of: date,
    year: int,
    *,
    has_data: bool = True,
) -> Judged:
    """The figure ``value`` (None: not stored) against ``target`` on ``as_of``. A year whose
    figures were computed from no record at all (``has_data`` false) shows "no data" for the
    counts rather than zeros judged "behind"; a count with records but no stored figure is 0,
    an imported share without figures has none."""
    if target is None:
        return Judged("no_target")
    if spec.cumulative and not has_data:
        return Judged("no_data")
    if value is None and spec.cumulative:
        value = 0.0
    if value is None:
        return Judged("no_figures")
    result = progress(
        value,
        target,
        as_of,
        year,
        cumulative=spec.cumulative,
        higher_is_better=spec.higher_is_better,
        basis="days",
    )
    return Judged(settled(result.status, result.elapsed), result)
