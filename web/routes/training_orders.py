"""Training orders: the employer requests and follows them; the institution they are addressed
to accepts or declines, links the course that trains the cohort, and marks it trained; both see
the progress. Officials and administrators see every order."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import fields
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from models.clock import today
from models.enums import FundingSource, TrainingOrderStatus
from models.errors import InvalidError
from models.queries import reference
from models.queries.training_orders import (
    course_finished,
    institution_options,
    linkable_courses,
    list_orders,
    order_detail,
)
from models.queries.vacancies import employer_options
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.display import display_helpers
from web.forms import FormFields, form_errors, known_value, redirect_to
from web.notices import Saved
from web.paging import page_links
from web.permissions import Permission, allow, allowed, employer_scope, institution_scope
from web.services import training_orders as service
from web.services.order_form import OrderForm
from web.services.vacancy_form import work_choices
from web.templating import render

router = APIRouter()

ORDER_FORM_NAMES = tuple(each.name for each in fields(OrderForm))


@router.get("/training-orders", response_class=HTMLResponse, name="training_orders")
def order_list(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_ORDERS))],
    status: str = "",
    page: int = 1,
) -> Response:
    result = list_orders(
        session,
        employer_id=employer_scope(principal),
        institution_id=institution_scope(principal),
        status=known_value(status, TrainingOrderStatus),
        page=page,
    )
    context = {
        "result": result,
        "status": known_value(status, TrainingOrderStatus) or "",
        "statuses": [s.value for s in TrainingOrderStatus],
        "can_request": allowed(principal, Permission.REQUEST_ORDERS),
        "page_url": page_links(request, "training_orders", {"status": status}),
    }
    return render_page(request, "training_orders.html", context, lang)


def render_page(
    request: Request, name: str, context: dict[str, Any], lang: str, status_code: int = 200
) -> HTMLResponse:
    return render(
        request, name, {**context, **display_helpers(lang)}, lang=lang, status_code=status_code
    )


def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    *,
    form: OrderForm,
    form_token: str,
    employer_id: str = "",
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "form": form,
        "form_token": form_token,
        "employer_id": employer_id,
        "errors": errors or {},
        "employers": employer_options(session) if employer_scope(principal) is None else [],
        "institutions": institution_options(session),
        "funding_sources": [source.value for source in FundingSource],
        **work_choices(session),
    }
    return render_page(request, "training_order_form.html", context, lang, status_code)


@router.get("/training-orders/new", response_class=HTMLResponse, name="training_order_new")
def order_new(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.REQUEST_ORDERS))],
) -> Response:
    return _form_page(
        request,
        session,
        principal,
        lang,
        form=OrderForm(),
        form_token=secrets.token_urlsafe(16),
    )


@router.post("/training-orders/new", response_class=HTMLResponse, name="training_order_create")
def order_create(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.REQUEST_ORDERS))],
    posted: FormFields,
) -> Response:
    form = OrderForm(**{name: posted.get(name, "") for name in ORDER_FORM_NAMES})
    token, employer_id = posted.get("form_token", ""), posted.get("employer_id", "")
    try:
        order = service.request_order(
            session, principal=principal, employer_id_raw=employer_id, form=form, form_token=token
        )
    except InvalidError as error:
        return _form_page(
            request,
            session,
            principal,
            lang,
            form=form,
            form_token=token,
            employer_id=employer_id,
            errors=form_errors(error, lang),
            status_code=400,
        )
    return redirect_to(
        request, "training_order_detail", saved=Saved.ORDER_CREATED, order_id=order.id
    )


def _detail_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    order_id: int,
    *,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The order, its courses and progress, and the steps this user may take now."""
    detail = order_detail(session, order_id)
    order = detail.order
    service.require_order_view(principal, order)
    on = today()
    decides = allowed(principal, Permission.DECIDE_ORDERS)
    requests = allowed(principal, Permission.REQUEST_ORDERS)
    status = order.status
    context = {
        "detail": detail,
        "order": order,
        "progress": detail.progress,
        "errors": errors or {},
        "place": reference.place_names(session, on=on).label(
            order.location_kind, order.commune_code, order.province_code, order.country_code
        ),
        "can_answer": decides and status == TrainingOrderStatus.REQUESTED,
        "can_link": decides and status in ("accepted", "in_training"),
        "courses_to_link": linkable_courses(session, order) if decides else [],
        "can_mark_trained": decides
        and status == TrainingOrderStatus.IN_TRAINING
        and bool(detail.courses)
        and all(course_finished(course, on) for course in detail.courses),
        "can_fulfil": requests
        and status in ("in_training", "trained")
        and detail.progress.commitment_met,
        "can_close": (decides or requests) and status not in service.FINAL,
    }
    return render_page(request, "training_order_detail.html", context, lang, status_code)


@router.get(
    "/training-orders/{order_id}", response_class=HTMLResponse, name="training_order_detail"
)
def order_show(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_ORDERS))],
    order_id: RecordId,
) -> Response:
    return _detail_page(request, session, principal, lang, order_id)


def _step(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    order_id: int,
    form_name: str,
    take: Callable[[], object],
) -> Response:
    """Take a step that reads a form; back to the order, or the order page again with the
    message next to the field of the form that was sent (decline and close both have a
    reason)."""
    try:
        take()
    except InvalidError as error:
        errors = {
            (f"{form_name}_{field}" if field == "reason" else field): messages
            for field, messages in form_errors(error, lang).items()
        }
        return _detail_page(
            request, session, principal, lang, order_id, errors=errors, status_code=400
        )
    return redirect_to(
        request, "training_order_detail", saved=Saved.ORDER_UPDATED, order_id=order_id
    )


@router.post("/training-orders/{order_id}/accept", name="training_order_accept")
def order_accept(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.DECIDE_ORDERS))],
    order_id: RecordId,
) -> Response:
    service.accept_order(session, principal=principal, order_id=order_id)
    return redirect_to(
        request, "training_order_detail", saved=Saved.ORDER_UPDATED, order_id=order_id
    )


@router.post("/training-orders/{order_id}/decline", name="training_order_decline")
def order_decline(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.DECIDE_ORDERS))],
    order_id: RecordId,
    reason: Annotated[str, Form(alias="decline_reason")] = "",
) -> Response:
    take = partial(
        service.decline_order, session, principal=principal, order_id=order_id, reason=reason
    )
    return _step(request, session, principal, lang, order_id, "decline", take)


@router.post("/training-orders/{order_id}/courses", name="training_order_link_course")
def order_link_course(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.DECIDE_ORDERS))],
    order_id: RecordId,
    course_id: Annotated[str, Form()] = "",
) -> Response:
    take = partial(
        service.link_course, session, principal=principal, order_id=order_id, course_id=course_id
    )
    return _step(request, session, principal, lang, order_id, "link", take)


@router.post("/training-orders/{order_id}/trained", name="training_order_mark_trained")
def order_mark_trained(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.DECIDE_ORDERS))],
    order_id: RecordId,
) -> Response:
    service.mark_trained(session, principal=principal, order_id=order_id)
    return redirect_to(
        request, "training_order_detail", saved=Saved.ORDER_UPDATED, order_id=order_id
    )


@router.post("/training-orders/{order_id}/fulfilled", name="training_order_mark_fulfilled")
def order_mark_fulfilled(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.REQUEST_ORDERS))],
    order_id: RecordId,
) -> Response:
    service.mark_fulfilled(session, principal=principal, order_id=order_id)
    return redirect_to(
        request, "training_order_detail", saved=Saved.ORDER_UPDATED, order_id=order_id
    )


@router.post("/training-orders/{order_id}/close", name="training_order_close")
def order_close(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[
        Principal, Depends(allow(Permission.DECIDE_ORDERS, Permission.REQUEST_ORDERS))
    ],
    order_id: RecordId,
    reason: Annotated[str, Form(alias="close_reason")] = "",
) -> Response:
    take = partial(
        service.close_order, session, principal=principal, order_id=order_id, reason=reason
    )
    return _step(request, session, principal, lang, order_id, "close", take)
