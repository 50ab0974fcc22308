"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from models.errors import InvalidError, ThrottledError
from models.i18n import message_for
from web.auth import (
    SESSION_COOKIE,
    OptionalUser,
    clear_session_cookie,
    set_session_cookie,
)
from web.deps import LanguageDep, SessionDep
from web.forms import redirect_to
from web.paths import safe_local_path
from web.permissions import SignedIn
from web.services import auth as auth_service
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
    """Argon2 takes tens of milliseconds: the check runs in a worker thread."""
    try:
        token, _user = await run_in_threadpool(
            auth_service.sign_in, session, username=username, password=password
        )
    except (InvalidError, ThrottledError) as error:
        context = {"next": next, "error": message_for(error, lang), "username": username}
        return render(request, "login.html", context, lang=lang, status_code=error.status_code)
    response = RedirectResponse(safe_local_path(next) or "/", status_code=303)
    set_session_cookie(request, response, token)
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
    context = {"user": principal.user, "role_label": f"role:{principal.user.role}"}
    return render(request, "account.html", context, lang=lang)
