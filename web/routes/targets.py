"""The resolution's yearly targets: the list by year with the history of changes (officials and
administrators), an administrator's edit form, and opening a new year."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.clock import VIETNAM
from models.enums import TargetIndicator
from models.errors import AppError, ConflictError, InvalidError
from models.formatting import format_date, format_number
from models.i18n import messages_by_field, translate
from models.queries.targets import TargetDetail
from web.auth import CurrentUser, Principal
from web.deps import LanguageDep, SessionDep
from web.forms import FormDep, field
from web.labels import page_tools
from web.paging import whole_or_none
from web.services import targets as service
from web.templating import render

router = APIRouter()

# Indicator codes -> msgids of their labels (Vietnamese in models/locale/vi.po).
INDICATOR_LABELS = {
    TargetIndicator.TRAINED: "Trained people (all levels)",
    TargetIndicator.NEW_JOBS: "New jobs created",
    TargetIndicator.TRAINED_SHARE: "Trained share of the labour force",
    TargetIndicator.CERTIFIED_SHARE: "Share trained 3 months or more with a certificate",
    TargetIndicator.STRUCTURE_AGRICULTURE: "Labour structure: agriculture, forestry and fishery",
    TargetIndicator.STRUCTURE_INDUSTRY: "Labour structure: industry and construction",
    TargetIndicator.STRUCTURE_SERVICES: "Labour structure: services",
    TargetIndicator.ABROAD: "Workers leaving to work abroad under contract",
}
UNIT_LABELS = {service.PEOPLE: "people"}


def display_tools(lang: str) -> dict[str, Any]:
    """Labels of indicators and units, and values shown the reader's way (8.300; 62,5)."""

    def indicator(code: str) -> str:
        msgid = INDICATOR_LABELS.get(code)  # type: ignore[call-overload]
        return translate(msgid, lang) if msgid else code

    def value(amount: float | None, unit: str = "") -> str:
        if amount is None:
            return ""
        if float(amount).is_integer():
            text = format_number(int(amount), lang)
        else:
            text = format(amount, "g").replace(".", "," if lang == "vi" else ".")
        return f"{text} %" if unit == service.PERCENT else text

    def unit_label(unit: str) -> str:
        return translate(UNIT_LABELS.get(unit, unit), lang)

    def show_moment(moment: datetime) -> str:
        """dd/mm/yyyy hh:mm on Vietnam's clock (a naive time read back is UTC)."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        local = aware.astimezone(VIETNAM)
        return f"{format_date(local.date(), lang)} {local:%H:%M}"

    return {
        "indicator": indicator,
        "value": value,
        "unit_label": unit_label,
        "show_moment": show_moment,
        **page_tools(lang),
    }


def _list_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    year: int | None,
    errors: dict[str, list[str]] | None = None,
    year_form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    page = service.targets_page(session, principal=principal, year=year)
    context = {
        "page": page,
        "errors": errors or {},
        "year_form": year_form or {"year": str(page.next_year), "reason": ""},
        **display_tools(lang),
    }
    return render(request, "targets.html", context, lang=lang, status_code=status_code)


@router.get("/targets", response_class=HTMLResponse, name="targets")
def targets(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    year: str = "",
) -> Response:
    return _list_page(request, session, principal, lang, year=whole_or_none(year))


def _form_page(
    request: Request,
    lang: str,
    detail: TargetDetail,
    form: service.TargetForm,
    *,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"detail": detail, "form": form, "errors": errors or {}, **display_tools(lang)}
    return render(request, "target_form.html", context, lang=lang, status_code=status_code)


@router.get("/targets/{target_id}/edit", response_class=HTMLResponse, name="target_edit")
def target_edit(
    request: Request, session: SessionDep, principal: CurrentUser, lang: LanguageDep, target_id: int
) -> Response:
    detail = service.editable_target(session, principal=principal, target_id=target_id)
    return _form_page(request, lang, detail, service.TargetForm.of(detail.target))


def _year_link(request: Request, year: int) -> RedirectResponse:
    path = request.url_for("targets").path
    return RedirectResponse(f"{path}?year={year}", status_code=303)


@router.post("/targets/{target_id}/edit", name="target_update")
def target_update(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    target_id: int,
    fields: FormDep,
) -> Response:
    names = service.TargetForm.__dataclass_fields__
    form = service.TargetForm(**{name: field(fields, name) for name in names})
    try:
        result = service.update_target(session, principal=principal, target_id=target_id, form=form)
    except (InvalidError, ConflictError) as error:
        session.rollback()
        detail = service.editable_target(session, principal=principal, target_id=target_id)
        if isinstance(error, ConflictError):
            form = form.reloaded(detail.target)  # the next save is made knowing the new values
        errors = messages_by_field(error, lang)
        return _form_page(request, lang, detail, form, errors=errors, status_code=error.status_code)
    return _year_link(request, result.year)


@router.post("/targets/year", name="target_year_create")
def target_year_create(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    year_form = {"year": field(fields, "year"), "reason": field(fields, "reason")}
    try:
        year = service.add_year(
            session, principal=principal, year_raw=year_form["year"], reason_raw=year_form["reason"]
        )
    except (InvalidError, ConflictError) as error:
        session.rollback()
        return _year_error(request, session, principal, lang, error, year_form)
    return _year_link(request, year)


def _year_error(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    error: AppError,
    year_form: dict[str, str],
) -> HTMLResponse:
    errors = messages_by_field(error, lang)
    return _list_page(
        request,
        session,
        principal,
        lang,
        year=None,
        errors=errors,
        year_form=year_form,
        status_code=error.status_code,
    )
