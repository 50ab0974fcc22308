"""The resolution's yearly targets: the list by year with the history of changes (officials and
administrators), an administrator's edit form, and opening a new year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import AppError, ConflictError, InvalidError
from models.i18n import messages_by_field
from models.queries.targets import TargetDetail
from models.years import year_or_none
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.display import display_tools
from web.forms import FormDep, field
from web.notices import Saved, remember_saved
from web.paths import path_for
from web.permissions import Permission, allow
from web.services import targets as service
from web.services.target_create import NewTargetForm, create_target
from web.templating import render

router = APIRouter()


def _list_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    year: int | None,
    errors: dict[str, list[str]] | None = None,
    year_form: dict[str, str] | None = None,
    new_form: NewTargetForm | None = None,
    new_errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    page = service.targets_page(session, principal=principal, year=year)
    context = {
        "page": page,
        "errors": errors or {},
        "year_form": year_form or {"year": str(page.next_year), "reason": ""},
        "new_form": new_form or NewTargetForm(year=str(page.year or page.next_year)),
        "new_errors": new_errors or {},
        **display_tools(lang),
    }
    return render(request, "targets.html", context, lang=lang, status_code=status_code)


@router.get("/targets", response_class=HTMLResponse, name="targets")
def targets(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str = "",
) -> Response:
    return _list_page(request, session, principal, lang, year=year_or_none(year))


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
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_TARGETS))],
    lang: LanguageDep,
    target_id: RecordId,
) -> Response:
    detail = service.editable_target(session, principal=principal, target_id=target_id)
    return _form_page(request, lang, detail, service.TargetForm.of(detail.target))


def _year_link(request: Request, year: int, saved: Saved) -> Response:
    path = path_for(request, "targets")
    response = RedirectResponse(f"{path}?year={year}", status_code=303)
    return remember_saved(request, response, saved)


@router.post("/targets/{target_id}/edit", name="target_update")
def target_update(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_TARGETS))],
    lang: LanguageDep,
    target_id: RecordId,
    fields: FormDep,
) -> Response:
    names = service.TargetForm.__dataclass_fields__
    form = service.TargetForm(**{name: field(fields, name) for name in names})
    try:
        result = service.update_target(session, principal=principal, target_id=target_id, form=form)
    except (InvalidError, ConflictError) as error:
        detail = service.editable_target(session, principal=principal, target_id=target_id)
        if isinstance(error, ConflictError):
            form = form.reloaded(detail.target)  # the next save is made knowing the new values
        errors = messages_by_field(error, lang)
        return _form_page(request, lang, detail, form, errors=errors, status_code=error.status_code)
    return _year_link(request, result.year, Saved.TARGET_SAVED)


@router.post("/targets/year", name="target_year_create")
def target_year_create(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_TARGETS))],
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    year_form = {"year": field(fields, "year"), "reason": field(fields, "reason")}
    try:
        year = service.add_year(
            session, principal=principal, year_raw=year_form["year"], reason_raw=year_form["reason"]
        )
    except (InvalidError, ConflictError) as error:
        return _year_error(request, session, principal, lang, error, year_form)
    return _year_link(request, year, Saved.TARGET_YEAR)


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


@router.post("/targets/new", name="target_create")
def target_create(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_TARGETS))],
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    names = NewTargetForm.__dataclass_fields__
    form = NewTargetForm(**{name: field(fields, name) for name in names})
    try:
        year = create_target(session, principal=principal, form=form)
    except (InvalidError, ConflictError) as error:
        return _list_page(
            request,
            session,
            principal,
            lang,
            year=year_or_none(form.year),
            new_form=form,
            new_errors=messages_by_field(error, lang),
            status_code=error.status_code,
        )
    return _year_link(request, year, Saved.TARGET_SAVED)
