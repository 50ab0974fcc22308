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

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col

from models import audit
from models.clock import today, utcnow
from models.enums import FundingSource, Role
from models.enums import TrainingOrderStatus as Status
from models.errors import ConflictError, InvalidError, NotFoundError
from models.locking import locked_row
from models.queries.reference import WorkPlaceInput, validate_work_place
from models.queries.training_orders import (
    course_finished,
    get_order,
    institution_options,
    linked_course_ids,
    order_progress,
)
from models.queries.vacancies import created_with_token
from models.tables import Course, TrainingOrder
from models.validation import ErrorCollector, clean_text, parse_date, validate_quantity
from models.wages import check_vacancy_wage
from web.auth import Principal
from web.permissions import Permission, require, require_employer, require_institution
from web.services.vacancies import (
    acting_employer,
    level_code_from,
    locked_employer,
    occupation_id_from,
)

QUANTITY_MAX = 10_000
NOTE_MAX = 2000
REASON_MAX = 500
FINAL = (Status.DECLINED, Status.FULFILLED, Status.CLOSED)
_MONEY_NOISE = re.compile(r"(?i)[\s.,]|₫|vnđ|vnd|đồng|đ")


@dataclass
class OrderForm:
    """The order form as typed; every value a string."""

    institution_id: str = ""
    occupation_id: str = ""
    level_code: str = ""
    quantity: str = ""
    needed_by: str = ""
    unit_cost: str = ""
    hiring_commitment: str = ""
    committed_wage: str = ""
    funding_source: str = ""
    note: str = ""
    location_kind: str = "commune"
    commune_code: str = ""
    province_code: str = ""
    country_code: str = ""


@dataclass
class OrderInput:
    institution_id: int
    occupation_id: int
    level_code: str
    quantity: int
    needed_by: date
    unit_cost: int | None
    hiring_commitment: int
    committed_wage: int | None
    funding_source: str | None
    note: str
    place: WorkPlaceInput


def _institution(session: Session, raw: str) -> int:
    if clean_text(raw) not in {o.value for o in institution_options(session)}:
        raise InvalidError("institution_id", "Choose an institution from the list.")
    return int(clean_text(raw))


def _amount(raw: str, field_name: str) -> int | None:
    text = _MONEY_NOISE.sub("", clean_text(raw))
    if not clean_text(raw):
        return None
    if not text.isdigit():
        raise InvalidError(
            field_name,
            "{value} is not an amount of money: write it in VND, for example 5000000.",
            value=clean_text(raw),
        )
    return int(text)


def _needed_by(raw: str, on: date) -> date:
    needed_by = parse_date(raw, "needed_by")
    if needed_by <= on:
        raise InvalidError("needed_by", "The date the workers are needed by must be in the future.")
    return needed_by


def _commitment(raw: str, quantity: int | None) -> int:
    text = clean_text(raw)
    if not text:
        return 0
    if not text.isdigit():
        raise InvalidError("hiring_commitment", "{value} is not a whole number.", value=text)
    commitment = int(text)
    if quantity is not None and commitment > quantity:
        raise InvalidError(
            "hiring_commitment",
            "The hiring commitment ({commitment}) may not be more than the number of workers "
            "ordered ({quantity}).",
            commitment=commitment,
            quantity=quantity,
        )
    return commitment


def _funding(raw: str) -> str | None:
    value = clean_text(raw)
    if value and value not in {source.value for source in FundingSource}:
        raise InvalidError("funding_source", "Choose a funding source from the list.")
    return value or None


def _note(raw: str) -> str:
    note = (raw or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidError("note", "The note may have at most {max} characters.", max=NOTE_MAX)
    return note


def _check_wage(session: Session, wage: int, place: WorkPlaceInput, on: date) -> None:
    """The committed wage against the regional minimum where the work is, when it starts."""
    try:
        check_vacancy_wage(
            session,
            wage_min=wage,
            wage_max=None,
            location_kind=place.location_kind,
            commune_code=place.commune_code,
            province_code=place.province_code,
            on=on,
        )
    except InvalidError as error:
        raise InvalidError("committed_wage", error.msgid, **error.params) from error


def parse_order(session: Session, form: OrderForm, *, on: date) -> OrderInput:
    """Every field checked, all errors raised together (ValidationErrors)."""
    errors = ErrorCollector()
    institution_id = errors.check(_institution, session, form.institution_id)
    occupation_id = errors.check(
        occupation_id_from, session, form.occupation_id, on=on, field_name="occupation_id"
    )
    level = errors.check(
        level_code_from, session, form.level_code, field_name="level_code", required=True
    )
    quantity = errors.check(validate_quantity, form.quantity, maximum=QUANTITY_MAX)
    needed_by = errors.check(_needed_by, form.needed_by, on)
    unit_cost = errors.check(_amount, form.unit_cost, "unit_cost")
    commitment = errors.check(_commitment, form.hiring_commitment, quantity)
    wage = errors.check(_amount, form.committed_wage, "committed_wage")
    funding = errors.check(_funding, form.funding_source)
    note = errors.check(_note, form.note)
    place = errors.check(
        validate_work_place,
        session,
        form.location_kind,
        form.commune_code,
        form.province_code,
        form.country_code,
        on=on,
    )
    if wage is not None and place is not None:
        errors.check(_check_wage, session, wage, place, needed_by or on)
    errors.raise_if_any()
    values: dict[str, Any] = {
        "institution_id": institution_id,
        "occupation_id": occupation_id,
        "level_code": level,
        "quantity": quantity,
        "needed_by": needed_by,
        "unit_cost": unit_cost,
        "hiring_commitment": commitment or 0,
        "committed_wage": wage,
        "funding_source": funding,
        "note": note or "",
        "place": place,
    }
    return OrderInput(**values)


def request_order(
    session: Session,
    *,
    principal: Principal,
    employer_id_raw: str,
    form: OrderForm,
    form_token: str,
) -> TrainingOrder:
    """The employer's request. A form sent twice (same token) gives the first order."""
    require(principal, Permission.REQUEST_ORDERS)
    errors = ErrorCollector()
    employer_id = errors.check(acting_employer, session, principal, employer_id_raw)
    data = errors.check(parse_order, session, form, on=today())
    errors.raise_if_any()
    assert data is not None and employer_id is not None
    locked_employer(session, employer_id)
    earlier = created_with_token(
        session, entity="training_order", user_id=principal.user.id, token=form_token
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
    session.commit()
    return order


def _locked_order(session: Session, order_id: int) -> TrainingOrder:
    order = locked_row(session, TrainingOrder, order_id)
    if order is None:
        raise NotFoundError(None, "This training order does not exist.")
    return order


def require_order_view(principal: Principal, order: TrainingOrder) -> None:
    """Employer staff see their employer's orders, institution staff those addressed to their
    institution; officials and administrators every order."""
    require(principal, Permission.VIEW_ORDERS)
    if principal.role == Role.EMPLOYER:
        require_employer(principal, order.employer_id)
    elif principal.role == Role.INSTITUTION:
        require_institution(principal, order.institution_id)


def _as_institution(principal: Principal, order: TrainingOrder) -> None:
    require(principal, Permission.DECIDE_ORDERS)
    require_institution(principal, order.institution_id)


def _as_employer(principal: Principal, order: TrainingOrder) -> None:
    require(principal, Permission.REQUEST_ORDERS)
    require_employer(principal, order.employer_id)


def _audit(
    session: Session, principal: Principal, action: str, order: TrainingOrder, **details: Any
) -> None:
    audit.record(
        session,
        user_id=principal.user.id,
        action=action,
        entity="training_order",
        entity_id=order.id,
        status=order.status,
        **details,
    )


def _move(
    session: Session, principal: Principal, order: TrainingOrder, status: Status, reason: str = ""
) -> TrainingOrder:
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
    session.commit()
    return order


def _reason(raw: str, msgid: str) -> str:
    reason = clean_text(raw)
    if not reason:
        raise InvalidError("reason", msgid)
    if len(reason) > REASON_MAX:
        raise InvalidError("reason", "A reason may have at most {max} characters.", max=REASON_MAX)
    return reason


def accept_order(session: Session, *, principal: Principal, order_id: int) -> TrainingOrder:
    order = _locked_order(session, order_id)
    _as_institution(principal, order)
    if order.status != Status.REQUESTED:
        raise ConflictError(None, "This order has already been answered.")
    return _move(session, principal, order, Status.ACCEPTED)


def decline_order(
    session: Session, *, principal: Principal, order_id: int, reason: str
) -> TrainingOrder:
    order = _locked_order(session, order_id)
    _as_institution(principal, order)
    if order.status != Status.REQUESTED:
        raise ConflictError(None, "This order has already been answered.")
    text = _reason(reason, "Give the reason for declining the order.")
    return _move(session, principal, order, Status.DECLINED, text)


def _linkable_course(session: Session, order: TrainingOrder, raw: str) -> Course:
    text = clean_text(raw)
    course = session.get(Course, int(text)) if text.isdigit() else None
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
    session: Session, *, principal: Principal, order_id: int, course_id: str
) -> TrainingOrder:
    """The course that trains the cohort; the order is then in training. One conditional
    write claims the course, so two orders can never share it."""
    order = _locked_order(session, order_id)
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
    session.commit()
    return order


def mark_trained(session: Session, *, principal: Principal, order_id: int) -> TrainingOrder:
    order = _locked_order(session, order_id)
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


def mark_fulfilled(session: Session, *, principal: Principal, order_id: int) -> TrainingOrder:
    order = _locked_order(session, order_id)
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
    session: Session, *, principal: Principal, order_id: int, reason: str
) -> TrainingOrder:
    """Either side stops the order before it is fulfilled, saying why."""
    order = _locked_order(session, order_id)
    if principal.role == Role.INSTITUTION:
        _as_institution(principal, order)
    else:
        _as_employer(principal, order)
    if order.status in FINAL:
        raise ConflictError(None, "This order is already finished.")
    text = _reason(reason, "Give the reason for closing the order.")
    return _move(session, principal, order, Status.CLOSED, text)
