"""The province's target of each indicator for a year, as the dashboard, the alerts and the
yearly report judge it: a yearly target (people trained, new jobs) as stored for the year; a
milestone indicator (the shares, the structure) at its milestone, or in a year between
milestones on the path to the next one, starting from the last stored figure or the last
milestone (``matching.kpi.path_target``; the rule is in docs/kpi.md). Targets of communes and
institutions are not the province's and are left out. Nothing commits."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from matching.kpi import KpiId, Measure, TargetRecord, path_target
from models.enums import MILESTONE_INDICATORS, TargetIndicator
from models.monitoring.figures import TOTAL
from models.monitoring.read import current_values
from models.monitoring.target_status import INDICATORS
from models.tables import KpiFigure, KpiFigureValue, KpiSnapshot, Target

# The stored figure each milestone indicator is judged on.
_FIGURE_OF = {spec.indicator: (spec.kpi, spec.measure) for spec in INDICATORS}
_MILESTONES = sorted(MILESTONE_INDICATORS)


def record(target: Target) -> TargetRecord:
    return TargetRecord(
        indicator=target.indicator,
        year=target.year,
        value_min=target.value_min,
        value_max=target.value_max,
        unit=target.unit,
    )


def targets(session: Session, year: int) -> dict[str, TargetRecord]:
    """The province's targets of ``year`` by indicator (TargetIndicator values). One read of
    the targets, and one of the earlier years' stored figures when a path needs them."""
    province = and_(col(Target.commune_code).is_(None), col(Target.institution_id).is_(None))
    rows = session.execute(
        select(Target).where(
            province,
            or_(col(Target.year) == year, col(Target.indicator).in_(_MILESTONES)),
        )
    ).scalars()
    found: dict[str, TargetRecord] = {}
    milestones: dict[str, list[TargetRecord]] = {}
    for row in rows:
        if row.indicator in MILESTONE_INDICATORS:
            milestones.setdefault(row.indicator, []).append(record(row))
        elif row.year == year:
            found[row.indicator] = record(row)
    on_path = [
        indicator
        for indicator, marks in milestones.items()
        if all(m.year != year for m in marks) and any(m.year > year for m in marks)
    ]
    history = _figures_before(session, year, on_path) if on_path else {}
    for indicator, marks in milestones.items():
        target = path_target(marks, year, history.get(indicator))
        if target is not None:
            found[indicator] = target
    return found


def _figures_before(
    session: Session, year: int, indicators: Iterable[str]
) -> dict[str, dict[int, float | None]]:
    """The stored totals of the indicators' figures in the years before ``year``."""
    wanted = {_FIGURE_OF[TargetIndicator(i)]: i for i in indicators}
    kpis: set[KpiId] = {kpi for kpi, _ in wanted}
    measures: set[Measure] = {measure for _, measure in wanted}
    query = current_values(
        select(
            col(KpiSnapshot.year),
            col(KpiFigure.kpi),
            col(KpiFigure.measure),
            col(KpiFigureValue.value),
        ).select_from(KpiFigure)
    ).where(
        col(KpiSnapshot.year) < year,
        col(KpiFigure.kpi).in_(kpis),
        col(KpiFigure.measure).in_(measures),
        col(KpiFigure.dimension) == TOTAL,
    )
    history: dict[str, dict[int, float | None]] = {}
    for figure_year, kpi_id, measure, value in session.execute(query):
        indicator = wanted.get((KpiId(kpi_id), Measure(measure)))
        if indicator is not None:
            history.setdefault(indicator, {})[figure_year] = value
    return history
