"""Use cases of a training order (đặt hàng đào tạo), from the employer's request to the hires.

    requested → accepted → in_training → trained → fulfilled
        ↘ declined (by the institution, with a reason)
    any stage before fulfilled → closed (by either side, with a reason)

The institution it is addressed to accepts or declines it and links the course that trains
the cohort; the order is trained once that course has finished, and fulfilled once the
ordering employer has hired as many of its graduates as it committed to. Each step locks the
order's row, checks the step is allowed from the current status (ConflictError otherwise),
writes an audit entry and commits once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import Role
from models.enums import TrainingOrderStatus as Status
from models.errors import ConflictError, InvalidError
from models.ids import parse_id
from models.notifications import notify
from models.queries.training_orders import (
    course_finished,
    get_order,
    linked_course_ids,
    order_progress,
)
from models.queries.vacancies import created_with_token
from models.rows import get_or_404
from models.tables import Course, Employer, TrainingOrder
from models.validation import ErrorCollector, clean_text
from web.auth import Actor
from web.permissions import Permission, require, require_employer, require_institution
from web.services.order_form import OrderForm, parse_order
from web.services.vacancies import acting_employer, locked_employer

REASON_MAX = 500
FINAL = (Status.DECLINED, Status.FULFILLED, Status.CLOSED)


def request_order(
    session: Session,
    *,
    principal: Actor,
    employer_id_raw: str,
    form: OrderForm,
    form_token: str,
) -> TrainingOrder:
    """The employer's request. A form sent twice (same token) gives the first order."""
    with unit_of_work(session):
        errors = ErrorCollector()
        employer_id = errors.check(acting_employer, session, principal, employer_id_raw)
        data = errors.check(parse_order, session, form, on=today())
        errors.raise_if_any()
        assert data is not None and employer_id is not None
        locked_employer(session, employer_id)
        earlier = created_with_token(
            session, entity="training_order", user_id=principal.user_id, token=form_token
        )
        if earlier is not None:
            return get_order(session, earlier)
        order = TrainingOrder(
            employer_id=employer_id,
            institution_id=data.institution_id,
            occupation_id=data.occupation_id,
            level_code=data.level_code,
            quantity=data.quantity,
            needed_by=data.needed_by,
            unit_cost=data.unit_cost,
            hiring_commitment=data.hiring_commitment,
            committed_wage=data.committed_wage,
            funding_source=data.funding_source,
            note=data.note,
            location_kind=data.place.location_kind,
            commune_code=data.place.commune_code,
            province_code=data.place.province_code,
            country_code=data.place.country_code,
        )
        session.add(order)
        session.flush()
        _audit(session, principal, "create", order, form_token=form_token)
        _tell_institution(session, order)
        return order


def _tell_institution(session: Session, order: TrainingOrder) -> None:
    """The college the order is addressed to finds it among its notifications."""
    if order.institution_id is None:
        return
    employer = session.get(Employer, order.employer_id)
    notify(
        session,
        institution_id=order.institution_id,
        msgid="New training order from {employer}",
        link=f"/training-orders/{order.id}",
        employer=employer.name if employer else "",
    )


MISSING = "This training order does not exist."


# Checks the locked order before a step and raises to refuse it (the API's If-Match).
Precondition = Callable[[TrainingOrder], None]


def _locked_order(
    session: Session, order_id: int, expected: Precondition | None = None
) -> TrainingOrder:
    order = get_or_404(session, TrainingOrder, order_id, MISSING, lock=True)
    if expected is not None:
        expected(order)
    return order


def require_order_view(principal: Actor, order: TrainingOrder) -> None:
    """Employer staff see their employer's orders, institution staff those addressed to their
    institution; officials and administrators every order."""
    if principal.role == Role.EMPLOYER:
        require_employer(principal, order.employer_id, MISSING)
    elif principal.role == Role.INSTITUTION:
        require_institution(principal, order.institution_id, MISSING)


def _as_institution(principal: Actor, order: TrainingOrder) -> None:
    require(principal, Permission.DECIDE_ORDERS)
    require_institution(principal, order.institution_id, MISSING)


def _as_employer(principal: Actor, order: TrainingOrder) -> None:
    require(principal, Permission.REQUEST_ORDERS)
    require_employer(principal, order.employer_id, MISSING)


def _audit(
    session: Session, principal: Actor, action: str, order: TrainingOrder, **details: Any
) -> None:
    if principal.api_token_id is not None:
        details["api_token_id"] = principal.api_token_id
    audit.record(
        session,
        user_id=principal.user_id,
        action=action,
        entity="training_order",
        entity_id=order.id,
        status=order.status,
        **details,
    )


def _move(
    session: Session, principal: Actor, order: TrainingOrder, status: Status, reason: str = ""
) -> TrainingOrder:
    with unit_of_work(session):
        action = status.value
        order.status = status.value
        if reason:
            order.status_reason = reason
        if status in (Status.ACCEPTED, Status.DECLINED):
            order.decided_at = utcnow()
        if status in (Status.CLOSED, Status.FULFILLED):
            order.closed_at = utcnow()
        session.add(order)
        _audit(session, principal, action, order)
        return order


def _reason(raw: str, msgid: str) -> str:
    reason = clean_text(raw)
    if not reason:
        raise InvalidError("reason", msgid)
    if len(reason) > REASON_MAX:
        raise InvalidError("reason", "A reason may have at most {max} characters.", max=REASON_MAX)
    return reason


def accept_order(
    session: Session, *, principal: Actor, order_id: int, expected: Precondition | None = None
) -> TrainingOrder:
    order = _locked_order(session, order_id, expected)
    _as_institution(principal, order)
    if order.status != Status.REQUESTED:
        raise ConflictError(None, "This order has already been answered.")
    return _move(session, principal, order, Status.ACCEPTED)


def decline_order(
    session: Session,
    *,
    principal: Actor,
    order_id: int,
    reason: str,
    expected: Precondition | None = None,
) -> TrainingOrder:
    order = _locked_order(session, order_id, expected)
    _as_institution(principal, order)
    if order.status != Status.REQUESTED:
        raise ConflictError(None, "This order has already been answered.")
    text = _reason(reason, "Give the reason for declining the order.")
    return _move(session, principal, order, Status.DECLINED, text)


def _linkable_course(session: Session, order: TrainingOrder, raw: str) -> Course:
    chosen = parse_id(clean_text(raw))
    course = session.get(Course, chosen) if chosen is not None else None
    if course is None:
        raise InvalidError("course_id", "Choose a course from the list.")
    if course.institution_id != order.institution_id:
        raise InvalidError("course_id", "This course belongs to another institution.")
    if course.occupation_id != order.occupation_id:
        raise InvalidError("course_id", "This course does not teach the ordered occupation.")
    if course.status == "cancelled":
        raise InvalidError("course_id", "This course was cancelled.")
    return course


def link_course(
    session: Session,
    *,
    principal: Actor,
    order_id: int,
    course_id: str,
    expected: Precondition | None = None,
) -> TrainingOrder:
    """The course that trains the cohort; the order is then in training. One conditional
    write claims the course, so two orders can never share it."""
    with unit_of_work(session):
        order = _locked_order(session, order_id, expected)
        _as_institution(principal, order)
        if order.status not in (Status.ACCEPTED, Status.IN_TRAINING):
            raise ConflictError(None, "A course can be linked only to an accepted order.")
        course = _linkable_course(session, order, course_id)
        claimed = session.execute(
            update(Course)
            .where(col(Course.id) == course.id, col(Course.training_order_id).is_(None))
            .values(training_order_id=order.id)
        )
        if cast(CursorResult[Any], claimed).rowcount != 1:
            raise ConflictError("course_id", "This course already trains an order.")
        order.status = Status.IN_TRAINING.value
        session.add(order)
        _audit(session, principal, "link_course", order, course_id=course.id)
        return order


def mark_trained(
    session: Session, *, principal: Actor, order_id: int, expected: Precondition | None = None
) -> TrainingOrder:
    order = _locked_order(session, order_id, expected)
    _as_institution(principal, order)
    if order.status != Status.IN_TRAINING:
        raise ConflictError(None, "Only an order in training can be marked as trained.")
    on = today()
    courses = [session.get(Course, course_id) for course_id in linked_course_ids(session, order_id)]
    running = [c for c in courses if c is not None and not course_finished(c, on)]
    if running:
        raise ConflictError(
            None,
            "The course {code} has not finished yet (it ends on {date}).",
            code=running[0].code,
            date=running[0].end_date,
        )
    return _move(session, principal, order, Status.TRAINED)


def mark_fulfilled(
    session: Session, *, principal: Actor, order_id: int, expected: Precondition | None = None
) -> TrainingOrder:
    order = _locked_order(session, order_id, expected)
    _as_employer(principal, order)
    if order.status not in (Status.IN_TRAINING, Status.TRAINED):
        raise ConflictError(None, "Only an order in training or trained can be fulfilled.")
    progress = order_progress(session, order)
    if not progress.commitment_met:
        raise ConflictError(
            None,
            "Only {hired} of the {commitment} committed hires are recorded: the order is not "
            "fulfilled yet.",
            hired=progress.hired,
            commitment=progress.commitment,
        )
    return _move(session, principal, order, Status.FULFILLED)


def close_order(
    session: Session,
    *,
    principal: Actor,
    order_id: int,
    reason: str,
    expected: Precondition | None = None,
) -> TrainingOrder:
    """Either side stops the order before it is fulfilled, saying why."""
    order = _locked_order(session, order_id, expected)
    if principal.role == Role.INSTITUTION:
        _as_institution(principal, order)
    else:
        _as_employer(principal, order)
    if order.status in FINAL:
        raise ConflictError(None, "This order is already finished.")
    text = _reason(reason, "Give the reason for closing the order.")
    return _move(session, principal, order, Status.CLOSED, text)
