"""The home page: the platform's figures for anyone, and for a signed-in user the alerts of
what they can act on (issue 11):

| alert | who sees it |
|---|---|
| a target of this year falling short (the dashboard's projection) | officials, administrators |
| a training order still in training past its needed-by date | its employer, its institution (their own orders), officials |
| follow-ups overdue | an institution its own count, officials the count of each institution |
| a commune late with its report of new jobs (models.queries.alerts.late_commune_reports) | officials |

Each alert links to where it is acted on. Alerts name organisations and orders, never people.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from models.clock import today
from models.db import end_read
from models.enums import Role, TrainingOrderStatus
from models.i18n import translate
from models.queries.alerts import (
    LateOrders,
    TargetAtRisk,
    late_commune_reports,
    late_orders,
    targets_at_risk,
)
from models.queries.follow_ups import OVERDUE_AFTER_DAYS, DueState, overdue_by_institution
from models.queries.home import HomeFigures, home_figures
from web.auth import Principal
from web.services.dashboard import STATUS_LABELS
from web.services.dashboard.sections import target_text
from web.services.kpi_format import COUNT, RATE, format_value

Path = Callable[..., str]  # web.paths.path_for bound to the request: (route name, **params)


class AlertKind(StrEnum):
    TARGET_AT_RISK = "target_at_risk"
    ORDER_LATE = "order_late"
    FOLLOW_UPS_OVERDUE = "follow_ups_overdue"
    COMMUNE_REPORT_LATE = "commune_report_late"


GROUP_TITLES = {
    AlertKind.TARGET_AT_RISK: "Targets at risk this year",
    AlertKind.ORDER_LATE: "Training orders late",
    AlertKind.FOLLOW_UPS_OVERDUE: "Follow-ups overdue",
    AlertKind.COMMUNE_REPORT_LATE: "Communes late with their report",
}


@dataclass(frozen=True, slots=True)
class Alert:
    key: str  # the indicator, the order's id, the institution's id
    text: str
    href: str


@dataclass(frozen=True, slots=True)
class AlertGroup:
    kind: AlertKind
    title: str
    alerts: list[Alert]
    more: Alert | None = None  # "n more…", linking to the whole list


@dataclass(frozen=True)
class HomePage:
    figures: HomeFigures
    signed_in: bool
    alerts: list[AlertGroup] = field(default_factory=list)  # only groups with an alert


def home_page(session: Session, *, principal: Principal | None, lang: str, path: Path) -> HomePage:
    """The figures of this year, and the alerts of the reader's role (none for a visitor)."""
    day = today()
    figures = home_figures(session, year=day.year, on=day)
    groups = [] if principal is None else _alerts(session, principal, day, lang, path)
    end_read(session)
    return HomePage(figures, principal is not None, [g for g in groups if g.alerts])


def _alerts(
    session: Session, principal: Principal, day: date, lang: str, path: Path
) -> list[AlertGroup]:
    user = principal.user
    if principal.role == Role.ADMIN:
        return [_targets(targets_at_risk(session, today=day), lang, path)]
    if principal.role == Role.OFFICIAL:
        return [
            _targets(targets_at_risk(session, today=day), lang, path),
            _orders(late_orders(session, today=day), lang, path),
            _overdue(session, day, None, lang, path),
            _late_reports(session, day, lang, path),
        ]
    if principal.role == Role.INSTITUTION and user.institution_id is not None:
        orders = late_orders(session, today=day, institution_id=user.institution_id)
        return [
            _orders(orders, lang, path),
            _overdue(session, day, user.institution_id, lang, path),
        ]
    if principal.role == Role.EMPLOYER and user.employer_id is not None:
        return [_orders(late_orders(session, today=day, employer_id=user.employer_id), lang, path)]
    return []


def _group(
    kind: AlertKind, alerts: list[Alert], lang: str, more: Alert | None = None
) -> AlertGroup:
    return AlertGroup(kind, translate(GROUP_TITLES[kind], lang), alerts, more)


def _targets(found: list[TargetAtRisk], lang: str, path: Path) -> AlertGroup:
    alerts = []
    for each in found:
        kind = COUNT if each.spec.cumulative else RATE
        params = {
            "indicator": translate(each.spec.label, lang),
            "target": target_text(each.target, lang),
            "status": translate(STATUS_LABELS[each.status], lang),
        }
        if each.spec.cumulative and each.status != "missed":
            projection = format_value(each.projection, kind, lang)
            text = translate(
                "{indicator}: {projection} by 31/12 at this pace, against a target of "
                "{target} ({status}).",
                lang,
                projection=projection,
                **params,
            )
        else:
            value = format_value(each.value, kind, lang)
            text = translate(
                "{indicator}: {value}, against a target of {target} ({status}).",
                lang,
                value=value,
                **params,
            )
        href = f"{path('dashboard')}?year={each.year}#target-{each.spec.indicator}"
        alerts.append(Alert(each.spec.indicator, text, href))
    return _group(AlertKind.TARGET_AT_RISK, alerts, lang)


def _orders(found: LateOrders, lang: str, path: Path) -> AlertGroup:
    alerts = [
        Alert(
            str(order.id),
            translate(
                "Order no. {order} ({occupation}, {level}, {quantity} people) of {employer} "
                "at {institution}: needed by {needed_by}, still in training.",
                lang,
                order=order.id,
                occupation=order.occupation_name,
                level=order.level_name,
                quantity=order.quantity,
                employer=order.employer_name,
                institution=order.institution_name or "—",
                needed_by=order.needed_by,
            ),
            path("training_order_detail", order_id=order.id),
        )
        for order in found.orders
    ]
    more = None
    if found.total > len(found.orders):
        more = Alert(
            "",
            translate(
                "Late orders not listed here: {count}. See the orders in training.",
                lang,
                count=found.total - len(found.orders),
            ),
            f"{path('training_orders')}?status={TrainingOrderStatus.IN_TRAINING.value}",
        )
    return _group(AlertKind.ORDER_LATE, alerts, lang, more)


def _overdue(
    session: Session, day: date, institution_id: int | None, lang: str, path: Path
) -> AlertGroup:
    """An institution's own count (its list needs no institution filter: it sees only its
    own), or each institution's count for an official."""
    found = overdue_by_institution(session, today=day, institution_id=institution_id)
    overdue = f"{path('follow_ups')}?state={DueState.OVERDUE.value}"
    alerts = []
    for each in found:
        if institution_id is not None:
            text = translate(
                "Follow-ups overdue (more than {days} days past their day): {count}.",
                lang,
                days=OVERDUE_AFTER_DAYS,
                count=each.overdue,
            )
            alerts.append(Alert(str(each.institution_id), text, overdue))
        else:
            text = translate(
                "{institution}: follow-ups overdue: {count}.",
                lang,
                institution=each.institution_name,
                count=each.overdue,
            )
            href = f"{overdue}&institution={each.institution_id}"
            alerts.append(Alert(str(each.institution_id), text, href))
    return _group(AlertKind.FOLLOW_UPS_OVERDUE, alerts, lang)


LATE_COMMUNES_SHOWN = 10


def _late_reports(session: Session, day: date, lang: str, path: Path) -> AlertGroup:
    """Communes late with their report of new jobs (past the due date and the grace
    period), those with most periods late first; each links to the page of who has
    reported, filtered to the late ones."""
    found = late_commune_reports(session, today=day)
    late = f"{path('reporting_status')}?late=1"
    alerts = [
        Alert(
            each.commune_code,
            translate(
                "{commune}: reports of new jobs late for {count} periods (the latest was due "
                "on {due}).",
                lang,
                commune=each.commune_name,
                count=each.periods,
                due=each.latest_due,
            ),
            late,
        )
        for each in found[:LATE_COMMUNES_SHOWN]
    ]
    more = None
    if len(found) > LATE_COMMUNES_SHOWN:
        more = Alert(
            "",
            translate(
                "Communes late not listed here: {count}. See who has reported.",
                lang,
                count=len(found) - LATE_COMMUNES_SHOWN,
            ),
            late,
        )
    return _group(AlertKind.COMMUNE_REPORT_LATE, alerts, lang, more)
