"""Applying to a vacancy from its public page, and the applicant's own page. Plain forms
that work without JavaScript: the form, then the code sent to the phone, then done. A
visitor needs no account; their phone, proved by a one-time code, is the key."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.clock import utcnow
from models.errors import InvalidError, NotFoundError
from web.auth import client_address
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormFields, form_errors
from web.paths import path_for
from web.routes.board import advert_context
from web.services.applications import apply as service
from web.services.applications import mine
from web.services.applications.codes import GRANT_LIFETIME
from web.templating import render

router = APIRouter()

GRANT_COOKIE = "my_applications"


def _form_again(
    request: Request,
    session: Session,
    lang: str,
    vacancy_id: int,
    form: service.ApplyForm,
    error: InvalidError,
) -> Response:
    context = advert_context(session, vacancy_id, lang)
    context.update(form=form, errors=form_errors(error, lang))
    return render(request, "board_vacancy.html", context, lang=lang, status_code=400)


@router.post("/board/{vacancy_id}/apply", response_class=HTMLResponse, name="apply")
def apply(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    vacancy_id: RecordId,
    fields: FormFields,
) -> Response:
    """Check the form and send a code to the phone; then ask for the code."""
    form = service.ApplyForm.from_fields(fields)
    try:
        service.ask_code(
            session,
            vacancy_id=vacancy_id,
            form=form,
            address=client_address(request),
            lang=lang,
            now=utcnow(),
        )
    except InvalidError as error:
        return _form_again(request, session, lang, vacancy_id, form, error)
    return _code_page(request, session, lang, vacancy_id, form, {})


def _code_page(
    request: Request,
    session: Session,
    lang: str,
    vacancy_id: int,
    form: service.ApplyForm,
    errors: dict[str, list[str]],
) -> Response:
    context = advert_context(session, vacancy_id, lang)
    context.update(form=form, errors=errors)
    status = 400 if errors else 200
    return render(request, "apply_code.html", context, lang=lang, status_code=status)


@router.post("/board/{vacancy_id}/apply/confirm", response_class=HTMLResponse, name="apply_confirm")
def apply_confirm(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    vacancy_id: RecordId,
    fields: FormFields,
) -> Response:
    form = service.ApplyForm.from_fields(fields)
    try:
        service.confirm(
            session, vacancy_id=vacancy_id, form=form, code=fields.get("code", ""), now=utcnow()
        )
    except InvalidError as error:
        if error.field == "code":
            return _code_page(request, session, lang, vacancy_id, form, form_errors(error, lang))
        return _form_again(request, session, lang, vacancy_id, form, error)
    return RedirectResponse(path_for(request, "applied", vacancy_id=vacancy_id), status_code=303)


@router.get("/board/{vacancy_id}/applied", response_class=HTMLResponse, name="applied")
def applied(request: Request, lang: LanguageDep, vacancy_id: RecordId) -> Response:
    return render(request, "apply_done.html", {"vacancy_id": vacancy_id}, lang=lang)


# --- the applicant's own page --------------------------------------------------------------


@router.get("/my-applications", response_class=HTMLResponse, name="my_applications")
def my_applications(request: Request, session: SessionDep, lang: LanguageDep) -> Response:
    token = request.cookies.get(GRANT_COOKIE, "")
    if token:
        try:
            page = mine.my_page(session, token=token, now=utcnow())
        except NotFoundError:
            pass  # the grant has expired: ask for the phone again
        else:
            return render(request, "my_applications.html", {"page": page}, lang=lang)
    context = {"step": "phone", "phone": "", "errors": {}}
    return render(request, "my_applications_phone.html", context, lang=lang)


@router.post("/my-applications/code", response_class=HTMLResponse, name="my_applications_code")
def my_applications_code(
    request: Request, session: SessionDep, lang: LanguageDep, fields: FormFields
) -> Response:
    phone = fields.get("phone", "")[:40]
    try:
        mine.ask_code(
            session, phone=phone, address=client_address(request), lang=lang, now=utcnow()
        )
    except InvalidError as error:
        context = {"step": "phone", "phone": phone, "errors": form_errors(error, lang)}
        return render(request, "my_applications_phone.html", context, lang=lang, status_code=400)
    context = {"step": "code", "phone": phone, "errors": {}}
    return render(request, "my_applications_phone.html", context, lang=lang)


@router.post("/my-applications/confirm", name="my_applications_confirm")
def my_applications_confirm(
    request: Request, session: SessionDep, lang: LanguageDep, fields: FormFields
) -> Response:
    phone = fields.get("phone", "")[:40]
    try:
        grant = mine.sign_in(session, phone=phone, code=fields.get("code", ""), now=utcnow())
    except InvalidError as error:
        step = "code" if error.field == "code" else "phone"
        context = {"step": step, "phone": phone, "errors": form_errors(error, lang)}
        return render(request, "my_applications_phone.html", context, lang=lang, status_code=400)
    response = RedirectResponse(path_for(request, "my_applications"), status_code=303)
    response.set_cookie(
        GRANT_COOKIE,
        grant.token,
        max_age=int(GRANT_LIFETIME / timedelta(seconds=1)),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/my-applications",
    )
    return response


@router.post("/my-applications/{application_id}/withdraw", name="my_application_withdraw")
def my_application_withdraw(
    request: Request, session: SessionDep, application_id: RecordId
) -> Response:
    token = request.cookies.get(GRANT_COOKIE, "")
    mine.withdraw(session, token=token, application_id=application_id, now=utcnow())
    return RedirectResponse(path_for(request, "my_applications"), status_code=303)


@router.post("/my-applications/withdraw-consent", name="my_consent_withdraw")
def my_consent_withdraw(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(GRANT_COOKIE, "")
    mine.withdraw_consent(session, token=token, now=utcnow())
    return RedirectResponse(path_for(request, "my_applications"), status_code=303)


@router.post("/my-applications/sign-out", name="my_applications_sign_out")
def my_applications_sign_out(request: Request, session: SessionDep) -> Response:
    mine.end(session, token=request.cookies.get(GRANT_COOKIE, ""), now=utcnow())
    response = RedirectResponse(path_for(request, "my_applications"), status_code=303)
    response.delete_cookie(GRANT_COOKIE, path="/my-applications")
    return response
