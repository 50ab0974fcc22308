"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from models.errors import InvalidError, ThrottledError
from models.i18n import message_for, messages_by_field
from models.passwords import MIN_PASSWORD_LENGTH
from web.auth import (
    SESSION_COOKIE,
    OptionalUser,
    clear_session_cookie,
    request_source,
    set_device_cookie,
    set_session_cookie,
)
from web.deps import LanguageDep, SessionDep
from web.errors import retry_after
from web.forms import FormDep, field, redirect_to
from web.paths import path_for, safe_local_path
from web.permissions import SignedIn
from web.services import auth as auth_service
from web.services import passwords as password_service
from web.templating import render

router = APIRouter()


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(
    request: Request, lang: LanguageDep, principal: OptionalUser, next: str = "/"
) -> Response:
    if principal is not None:
        return RedirectResponse(safe_local_path(next) or "/", status_code=303)
    return render(request, "login.html", {"next": next, "error": None, "username": ""}, lang=lang)


@router.post("/login", name="login_submit")
async def login_submit(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Argon2 takes tens of milliseconds: the check runs in a worker thread. A refusal for
    too many failures answers 429 with Retry-After and checks no password."""
    source = request_source(request)
    try:
        signed_in = await run_in_threadpool(
            auth_service.sign_in, session, username=username, password=password, source=source
        )
    except (InvalidError, ThrottledError) as error:
        context = {"next": next, "error": message_for(error, lang), "username": username}
        page = render(request, "login.html", context, lang=lang, status_code=error.status_code)
        page.headers.update(retry_after(error) or {})
        return page
    target = safe_local_path(next) or "/"
    if signed_in.user.must_change_password:
        target = path_for(request, "account_password")
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, signed_in.token)
    set_device_cookie(request, response, signed_in.device_token)
    return response


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth_service.sign_out(session, token=token)
    response = redirect_to(request, "home")
    clear_session_cookie(response)
    return response


@router.get("/account", response_class=HTMLResponse, name="account")
def account(request: Request, principal: SignedIn, lang: LanguageDep) -> Response:
    """Who is signed in, with which role."""
    context = {
        "user": principal.user,
        "role_label": f"role:{principal.user.role}",
        "password_changed": request.query_params.get("changed") == "password",
    }
    return render(request, "account.html", context, lang=lang)


def _password_form(
    request: Request, lang: str, errors: dict[str, list[str]] | None = None, status: int = 200
) -> Response:
    context = {"errors": errors or {}, "min_password_length": MIN_PASSWORD_LENGTH}
    return render(request, "account_password.html", context, lang=lang, status_code=status)


@router.get("/account/password", response_class=HTMLResponse, name="account_password")
def account_password(request: Request, principal: SignedIn, lang: LanguageDep) -> Response:
    """The form to change one's own password (where a reset password leads, too)."""
    return _password_form(request, lang)


@router.post("/account/password", name="account_password_submit")
def account_password_submit(
    request: Request, session: SessionDep, principal: SignedIn, lang: LanguageDep, fields: FormDep
) -> Response:
    """A plain `def`: checking and hashing passwords (argon2) runs in a worker thread. The
    user's other sessions end; this one stays."""
    form = password_service.PasswordChange(
        **{
            name: field(fields, name)
            for name in password_service.PasswordChange.__dataclass_fields__
        }
    )
    try:
        password_service.change_own_password(
            session, principal=principal, source=request_source(request), form=form
        )
    except (InvalidError, ThrottledError) as error:
        response = _password_form(request, lang, messages_by_field(error, lang), error.status_code)
        response.headers.update(retry_after(error) or {})
        return response
    return RedirectResponse(path_for(request, "account") + "?changed=password", status_code=303)
