"""Training orders through the API: an employer's token (`orders:write`) requests its own
orders and follows them; the institution an order is addressed to reads it and moves its
status as the order page allows; the Employment Service Centre reads every order. The checks,
steps and messages are the pages' own (web/services/training_orders.py); another
organisation's order is 404."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from models.enums import ApiScope
from models.enums import TrainingOrderStatus as Status
from models.errors import ForbiddenError, InvalidError
from models.queries.api_sync import changed_after
from models.queries.training_orders import get_order
from models.tables import TrainingOrder
from web.api.auth import ApiCaller, require_any_scope, require_scope
from web.api.conventions import (
    IfMatch,
    check_if_match,
    etag_of,
    fingerprint,
    idempotency_key,
    stored_json,
)
from web.api.problems import PreconditionFailed, problem_responses
from web.deps import RecordId, SessionDep
from web.permissions import Permission, allowed, employer_scope, institution_scope
from web.services import training_orders as service
from web.services.api_idempotency import run_once
from web.services.cursors import page_ask, page_of
from web.services.order_form import OrderForm

router = APIRouter(tags=["training orders"])

Reader = Annotated[
    ApiCaller, Depends(require_any_scope(ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE))
]
Writer = Annotated[ApiCaller, Depends(require_scope(ApiScope.ORDERS_WRITE))]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
CHANGED = "This record was changed since you read it: read it again, then retry."


class TrainingOrderOut(BaseModel):
    """A training order as the API shows it; money in VND, `status` one of requested,
    accepted, declined, in_training, trained, fulfilled, closed."""

    id: int
    employer_id: int
    institution_id: int | None
    occupation_id: int
    level_code: str
    quantity: int
    needed_by: date
    unit_cost: int | None
    hiring_commitment: int
    committed_wage: int | None
    funding_source: str | None
    note: str
    location_kind: str
    commune_code: str | None
    province_code: str | None
    country_code: str | None
    status: str
    status_reason: str
    requested_at: datetime
    decided_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime


class TrainingOrderPage(BaseModel):
    """One page of training orders in update order; `next_cursor` is null on the last page."""

    items: list[TrainingOrderOut]
    next_cursor: str | None


class TrainingOrderIn(BaseModel):
    """A new order, checked as the order form checks it (`needed_by` in ISO 8601, money in
    VND; `institution_id`, `occupation_id` and `level_code` from the catalogue)."""

    model_config = ConfigDict(extra="forbid")
    institution_id: int
    occupation_id: int
    level_code: str = Field(max_length=100)
    quantity: int
    needed_by: date
    unit_cost: int | None = None
    hiring_commitment: int | None = None
    committed_wage: int | None = None
    funding_source: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=100_000)
    location_kind: str | None = Field(default=None, max_length=100)
    commune_code: str | None = Field(default=None, max_length=100)
    province_code: str | None = Field(default=None, max_length=100)
    country_code: str | None = Field(default=None, max_length=100)


class TrainingOrderStep(BaseModel):
    """A step of the order, as its page offers it: the institution accepts, declines (with
    a reason), links a course (`in_training` with `course_id`) and marks it trained; the
    employer marks it fulfilled; either side closes it (with a reason)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["accepted", "declined", "in_training", "trained", "fulfilled", "closed"]
    reason: str | None = Field(default=None, max_length=10_000)
    course_id: int | None = None


def order_body(order: TrainingOrder) -> dict[str, Any]:
    return TrainingOrderOut.model_validate(order.model_dump()).model_dump(mode="json")


def _reader(caller: ApiCaller) -> ApiCaller:
    if not allowed(caller, Permission.VIEW_ORDERS):
        raise ForbiddenError(None, "You are not allowed to do this.")
    return caller


def _visible(caller: ApiCaller) -> list[ColumnElement[bool]]:
    employer, institution = employer_scope(caller), institution_scope(caller)
    if employer is not None:
        return [col(TrainingOrder.employer_id) == employer]
    if institution is not None:
        return [col(TrainingOrder.institution_id) == institution]
    return []


def _seen_order(session: Session, caller: ApiCaller, order_id: int) -> TrainingOrder:
    order = get_order(session, order_id)
    service.require_order_view(caller, order)
    return order


@router.get(
    "/training-orders",
    response_model=TrainingOrderPage,
    name="api_training_orders",
    responses=problem_responses(401, 403, 422, 429),
)
def list_orders(
    session: SessionDep,
    caller: Reader,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    updated_since: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TrainingOrderPage:
    """The orders this token's organisation may see (an employer's own, those addressed to
    an institution, every one for the Employment Service Centre), in the order they last
    changed. Sync: pass `updated_since`, then follow `next_cursor` until it is null."""
    _reader(caller)
    ask = page_ask(cursor, updated_since, limit)
    rows = changed_after(
        session,
        TrainingOrder,
        visible=_visible(caller),
        after=ask.after,
        updated_since=ask.since,
        limit=ask.read,
    )
    shown, next_cursor = page_of(rows, ask, lambda row: row)
    items = [TrainingOrderOut.model_validate(order_body(each)) for each in shown]
    return TrainingOrderPage(items=items, next_cursor=next_cursor)


@router.get(
    "/training-orders/{order_id}",
    response_model=TrainingOrderOut,
    name="api_training_order",
    responses=problem_responses(401, 403, 404, 429),
)
def show_order(session: SessionDep, caller: Reader, order_id: RecordId) -> Response:
    """One order and its status, with its ETag (send it as If-Match with a step)."""
    _reader(caller)
    body = order_body(_seen_order(session, caller, order_id))
    return JSONResponse(body, headers={"ETag": etag_of(body)})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def order_form(fields: TrainingOrderIn) -> OrderForm:
    """The order form as if typed with the fields the client sent."""
    values = {name: _text(getattr(fields, name)) for name in fields.model_fields_set}
    if not values.get("location_kind"):
        values["location_kind"] = "commune"
    return OrderForm(**values)


def _create(
    session: Session, caller: ApiCaller, fields: TrainingOrderIn
) -> tuple[int, dict[str, Any]]:
    order = service.request_order(
        session, principal=caller, employer_id_raw="", form=order_form(fields), form_token=""
    )
    return 201, order_body(order)


@router.post(
    "/training-orders",
    response_model=TrainingOrderOut,
    status_code=201,
    name="api_training_order_create",
    responses=problem_responses(401, 403, 422, 429),
)
def create_order(
    request: Request,
    session: SessionDep,
    caller: Writer,
    fields: TrainingOrderIn,
    key: IdempotencyKey,
) -> Response:
    """Request a training order of the token's employer from an institution. Send an
    Idempotency-Key to retry safely."""
    if employer_scope(caller) is None or not allowed(caller, Permission.REQUEST_ORDERS):
        raise ForbiddenError(None, "Only an employer token can request training orders.")
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, fields),
        write=partial(_create, session, caller, fields),
    )
    location = f"{request.url.path}/{stored.body['id']}" if stored.status_code == 201 else ""
    return stored_json(stored, **({"Location": location} if location else {}))


def _unchanged(etag: str, order: TrainingOrder) -> None:
    if etag_of(order_body(order)) != etag:
        raise PreconditionFailed(None, CHANGED)


def _step_of(
    session: Session, caller: ApiCaller, order_id: int, step: TrainingOrderStep, etag: str
) -> Callable[[], TrainingOrder]:
    """The service call that takes the step; the locked order must still be `etag`."""
    common: dict[str, Any] = {
        "principal": caller,
        "order_id": order_id,
        "expected": partial(_unchanged, etag),
    }
    reason = step.reason or ""
    steps: dict[str, Callable[[], TrainingOrder]] = {
        Status.ACCEPTED: partial(service.accept_order, session, **common),
        Status.DECLINED: partial(service.decline_order, session, reason=reason, **common),
        Status.IN_TRAINING: partial(
            service.link_course, session, course_id=_text(step.course_id), **common
        ),
        Status.TRAINED: partial(service.mark_trained, session, **common),
        Status.FULFILLED: partial(service.mark_fulfilled, session, **common),
        Status.CLOSED: partial(service.close_order, session, reason=reason, **common),
    }
    if step.course_id is not None and step.status != Status.IN_TRAINING:
        raise InvalidError("course_id", "A course is linked only with the status in_training.")
    return steps[step.status]


@router.patch(
    "/training-orders/{order_id}",
    response_model=TrainingOrderOut,
    name="api_training_order_step",
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 429),
)
def move_order(
    session: SessionDep,
    caller: Writer,
    order_id: RecordId,
    step: TrainingOrderStep,
    if_match: IfMatch = None,
) -> Response:
    """Move the order to `status` by the step its page offers this organisation now
    (another step is 409, with the page's message). If-Match is required."""
    _reader(caller)
    current = etag_of(order_body(_seen_order(session, caller, order_id)))
    check_if_match(if_match, current, required=True)
    order = _step_of(session, caller, order_id, step, current)()
    body = order_body(order)
    return JSONResponse(body, headers={"ETag": etag_of(body)})
