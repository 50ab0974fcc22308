"""An employer's vacancies: list, post (with the occupation confirmed from the matching
engine's suggestions when the title was typed freely), show, edit and close. Officials and
administrators see every employer's; employer staff only their own."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import fields
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.routing import NoMatchFound

from models.clock import today
from models.enums import VacancyStatus
from models.errors import InvalidError
from models.queries import reference
from models.queries.vacancies import employer_options, list_vacancies, vacancy_detail
from models.tables import Vacancy
from models.vacancy_open import shown_status
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.display import display_helpers
from web.forms import FormFields, form_errors, known_value, redirect_to
from web.notices import Saved
from web.paging import page_links
from web.paths import path_for
from web.permissions import Permission, allow, allowed, employer_scope, require_employer
from web.services import vacancies as service
from web.services.vacancy_form import NO_OCCUPATION, VacancyForm, work_choices
from web.templating import render

router = APIRouter()

CANDIDATES_ROUTE = "vacancy_candidates"  # built elsewhere; linked only once it exists


FORM_NAMES = tuple(each.name for each in fields(VacancyForm))


def vacancy_form_from(posted: dict[str, str]) -> VacancyForm:
    """The form as typed. On the confirmation step the full occupation list is a second
    input (`occupation_other`): a choice there wins over the suggestion radios."""
    values = {name: posted.get(name, "") for name in FORM_NAMES}
    if posted.get("occupation_other", "").strip():
        values["occupation_id"] = posted["occupation_other"]
    return VacancyForm(**values)


@router.get("/vacancies", response_class=HTMLResponse, name="vacancies")
def vacancy_list(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_VACANCIES))],
    status: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    result = list_vacancies(
        session,
        employer_id=employer_scope(principal),
        on=today(),
        status=known_value(status, VacancyStatus),
        text=q,
        page=page,
    )
    context = {
        "result": result,
        "status": known_value(status, VacancyStatus) or "",
        "q": q,
        "statuses": [s.value for s in VacancyStatus],
        "can_manage": allowed(principal, Permission.MANAGE_VACANCIES),
        "page_url": page_links(request, "vacancies", {"status": status, "q": q}),
        **display_helpers(lang),
    }
    return render(request, "vacancies.html", context, lang=lang)


def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    *,
    form: VacancyForm,
    form_token: str = "",
    vacancy: Vacancy | None = None,
    errors: dict[str, list[str]] | None = None,
    choice: service.OccupationChoice | None = None,
    employer_id: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "form": form,
        "form_token": form_token,
        "vacancy": vacancy,
        "errors": errors or {},
        "choice": choice,
        "no_occupation": NO_OCCUPATION,
        "employer_id": employer_id,
        "employers": (
            employer_options(session)
            if vacancy is None and employer_scope(principal) is None
            else []
        ),
        **work_choices(session),
    }
    return render(request, "vacancy_form.html", context, lang=lang, status_code=status_code)


def _saved_or_form(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    form: VacancyForm,
    save: Callable[[], Vacancy | service.OccupationChoice],
    *,
    vacancy_id: int | None = None,
    **page: Any,
) -> Response:
    """Save the vacancy and show it; or the form again, with its errors (400) or with the
    occupations suggested for the title to choose from (200). `vacancy_id` when editing."""
    try:
        result = save()
    except InvalidError as error:
        errors, choice, status_code = form_errors(error, lang), None, 400
    else:
        if isinstance(result, Vacancy):
            saved = Saved.VACANCY_CREATED if vacancy_id is None else Saved.VACANCY_UPDATED
            return redirect_to(request, "vacancy_detail", saved=saved, vacancy_id=result.id)
        errors, choice, status_code = {}, result, 200
    vacancy = None
    if vacancy_id is not None:
        vacancy = service.editable_vacancy(session, principal=principal, vacancy_id=vacancy_id)
    return _form_page(
        request,
        session,
        principal,
        lang,
        form=form,
        vacancy=vacancy,
        errors=errors,
        choice=choice,
        status_code=status_code,
        **page,
    )


@router.get("/vacancies/new", response_class=HTMLResponse, name="vacancy_new")
def vacancy_new(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_VACANCIES))],
) -> Response:
    token = secrets.token_urlsafe(16)
    return _form_page(request, session, principal, lang, form=VacancyForm(), form_token=token)


@router.post("/vacancies/new", response_class=HTMLResponse, name="vacancy_create")
def vacancy_create(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_VACANCIES))],
    posted: FormFields,
) -> Response:
    form = vacancy_form_from(posted)
    token, employer_id = posted.get("form_token", ""), posted.get("employer_id", "")
    save = partial(
        service.create_vacancy,
        session,
        principal=principal,
        employer_id_raw=employer_id,
        form=form,
        form_token=token,
    )
    return _saved_or_form(
        request, session, principal, lang, form, save, form_token=token, employer_id=employer_id
    )


@router.get("/vacancies/{vacancy_id}", response_class=HTMLResponse, name="vacancy_detail")
def vacancy_show(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_VACANCIES))],
    vacancy_id: RecordId,
) -> Response:
    detail = vacancy_detail(session, vacancy_id)
    require_employer(principal, detail.vacancy.employer_id, "This vacancy does not exist.")
    vacancy = detail.vacancy
    context = {
        "detail": detail,
        "vacancy": vacancy,
        "status": shown_status(vacancy.status, vacancy.deadline, today()),
        "place": reference.place_names(session, on=today()).label(
            vacancy.location_kind,
            vacancy.commune_code,
            vacancy.province_code,
            vacancy.country_code,
        ),
        "can_manage": allowed(principal, Permission.MANAGE_VACANCIES),
        "candidates_url": _candidates_url(request, vacancy_id),
        **display_helpers(lang),
    }
    return render(request, "vacancy_detail.html", context, lang=lang)


def _candidates_url(request: Request, vacancy_id: int) -> str | None:
    """The candidates page of this vacancy, once that page exists (asked of the router by
    name: included routers do not list their routes at the top level)."""
    try:
        return path_for(request, CANDIDATES_ROUTE, vacancy_id=vacancy_id)
    except NoMatchFound:
        return None


@router.get("/vacancies/{vacancy_id}/edit", response_class=HTMLResponse, name="vacancy_edit")
def vacancy_edit(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_VACANCIES))],
    vacancy_id: RecordId,
) -> Response:
    vacancy = service.editable_vacancy(session, principal=principal, vacancy_id=vacancy_id)
    form = VacancyForm.from_vacancy(vacancy)
    return _form_page(request, session, principal, lang, form=form, vacancy=vacancy)


@router.post("/vacancies/{vacancy_id}/edit", response_class=HTMLResponse, name="vacancy_update")
def vacancy_update(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_VACANCIES))],
    posted: FormFields,
    vacancy_id: RecordId,
) -> Response:
    form = vacancy_form_from(posted)
    save = partial(
        service.update_vacancy, session, principal=principal, vacancy_id=vacancy_id, form=form
    )
    return _saved_or_form(request, session, principal, lang, form, save, vacancy_id=vacancy_id)


@router.post("/vacancies/{vacancy_id}/close", name="vacancy_close")
def vacancy_close(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_VACANCIES))],
    vacancy_id: RecordId,
) -> Response:
    service.close_vacancy(session, principal=principal, vacancy_id=vacancy_id)
    return redirect_to(request, "vacancy_detail", saved=Saved.VACANCY_CLOSED, vacancy_id=vacancy_id)
