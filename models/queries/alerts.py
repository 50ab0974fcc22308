"""What needs acting on, for the home page of whoever can act: targets the year is falling
short of, training orders still in training past their needed-by date, and (in
models/queries/follow_ups.py, ``overdue_by_institution``) overdue follow-ups. The home page is
visited a lot: each alert is one or two indexed queries, the targets' alert reads the stored
KPI figures (never computes them), and the day is the caller's (models.clock.today). Alerts
count and name organisations and orders, never people. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from matching.kpi import Dimension, TargetRecord
from models.enums import ReportSource, TrainingOrderStatus
from models.monitoring.read import figure_table, snapshot_info
from models.monitoring.target_status import FALLING_SHORT, INDICATORS, Indicator, judge
from models.monitoring.targets import targets
from models.queries.reporting_status import late_reporters
from models.tables import Employer, Institution, TrainingLevel, TrainingOccupation, TrainingOrder

LATE_ORDERS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class TargetAtRisk:
    """A target of this year whose stored figure, projected to the year's end as the
    dashboard projects it, falls short (at risk or behind; missed once the year is over)."""

    year: int
    spec: Indicator
    target: TargetRecord
    status: str  # at_risk | behind | missed
    value: float
    projection: float  # a share is not extrapolated: the value itself


def targets_at_risk(session: Session, *, today: date) -> list[TargetAtRisk]:
    """This year's targets falling short, judged on the stored figures as of the day they were
    computed (the dashboard's card and this alert always agree); none before the year's
    figures are first computed. Three small reads: the snapshot, the targets and the totals of
    the target KPIs."""
    year = today.year
    info = snapshot_info(session, year)
    if info is None:
        return []
    year_targets = targets(session, year)
    judged_specs = [spec for spec in INDICATORS if spec.indicator in year_targets]
    if not judged_specs:
        return []
    table = figure_table(
        session,
        year,
        kpis={spec.kpi for spec in judged_specs},
        dimensions=[Dimension.TOTAL],
    )
    found = []
    for spec in judged_specs:
        target = year_targets[spec.indicator]
        value = table.value(spec.kpi, spec.measure)
        judged = judge(spec, value, target, info.as_of, year, has_data=info.records > 0)
        result = judged.progress
        if judged.status in FALLING_SHORT and result is not None:
            projection = result.projection if result.projection is not None else result.value
            found.append(TargetAtRisk(year, spec, target, judged.status, result.value, projection))
    return found


@dataclass(frozen=True, slots=True)
class LateOrder:
    """A training order still in training after the day its workers were needed by."""

    id: int
    occupation_name: str
    level_name: str
    employer_name: str
    institution_name: str | None
    quantity: int
    needed_by: date


@dataclass(frozen=True, slots=True)
class LateOrders:
    orders: list[LateOrder]  # the longest overdue first, at most LATE_ORDERS_SHOWN
    total: int


def late_orders(
    session: Session,
    *,
    today: date,
    employer_id: int | None = None,
    institution_id: int | None = None,
    limit: int = LATE_ORDERS_SHOWN,
) -> LateOrders:
    """Orders in training whose needed-by date has passed: an employer's own, an
    institution's own, or all (both ids None). Filtered on the indexed status."""
    late = (
        col(TrainingOrder.status) == TrainingOrderStatus.IN_TRAINING.value,
        col(TrainingOrder.needed_by) < today,
    )
    scope = []
    if employer_id is not None:
        scope.append(col(TrainingOrder.employer_id) == employer_id)
    if institution_id is not None:
        scope.append(col(TrainingOrder.institution_id) == institution_id)
    total = session.execute(
        sa_select(func.count()).select_from(TrainingOrder).where(*late, *scope)
    ).scalar_one()
    if not total:
        return LateOrders([], 0)
    rows = session.execute(
        sa_select(
            col(TrainingOrder.id),
            col(TrainingOccupation.name),
            col(TrainingLevel.name),
            col(Employer.name),
            col(Institution.name),
            col(TrainingOrder.quantity),
            col(TrainingOrder.needed_by),
        )
        .join(Employer, col(Employer.id) == col(TrainingOrder.employer_id))
        .outerjoin(Institution, col(Institution.id) == col(TrainingOrder.institution_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id))
        .join(TrainingLevel, col(TrainingLevel.code) == col(TrainingOrder.level_code))
        .where(*late, *scope)
        .order_by(col(TrainingOrder.needed_by), col(TrainingOrder.id))
        .limit(limit)
    ).all()
    orders = [
        LateOrder(id_, occupation, level, employer, institution, quantity, needed_by)
        for id_, occupation, level, employer, institution, quantity, needed_by in rows
    ]
    return LateOrders(orders, int(total))


@dataclass(frozen=True, slots=True)
class LateCommuneReport:
    """A commune whose report of new jobs is past its due date (and grace period): how many
    of its periods are late, and the due date of the latest one."""

    commune_code: str
    commune_name: str
    periods: int
    latest_due: date


def late_commune_reports(session: Session, *, today: date) -> list[LateCommuneReport]:
    """The communes late with a report of the new-jobs register now (periods that ended in
    the last year; see models.queries.reporting_status.late_reporters), most periods late
    first."""
    found = [
        LateCommuneReport(
            str(each.reporter.key), each.reporter.name, len(each.periods), each.periods[-1].due
        )
        for each in late_reporters(session, today)
        if each.reporter.source == ReportSource.COMMUNE and each.periods
    ]
    return sorted(found, key=lambda each: (-each.periods, each.commune_name))
