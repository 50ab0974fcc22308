"""The administrator's account pages: the list, a new account, disabling and enabling, and
resetting a password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from models.errors import InvalidError
from models.queries.users import EMPLOYER_CHOICES
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to
from web.labels import page_tools
from web.notices import Saved
from web.permissions import Permission, allow
from web.services import passwords as password_service
from web.services import users as user_service
from web.templating import render

router = APIRouter()
EMPLOYER_SEARCH_MAX_CHARS = 100  # longer than any employer's name


@router.get("/users", response_class=HTMLResponse, name="users")
def users(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_USERS))],
    lang: LanguageDep,
) -> Response:
    rows = user_service.user_list(session, principal=principal)
    context = {"rows": rows, "me": principal.user.id, **page_tools(lang)}
    return render(request, "users.html", context, lang=lang)


def _render_form(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    form: user_service.UserForm,
    errors: dict[str, list[str]] | None = None,
    employer_q: str = "",
    choose_found: bool = False,
) -> Response:
    text = employer_q.strip()[:EMPLOYER_SEARCH_MAX_CHARS]
    choices = user_service.user_choices(
        session, principal=principal, employer_text=text, employer_id=form.employer_id
    )
    if choose_found and text and len(choices.employers) == 1:
        form.employer_id = str(choices.employers[0].id)  # the search found the employer
    context = {
        "form": form,
        "choices": choices,
        "errors": errors or {},
        "employer_limit": EMPLOYER_CHOICES,
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "users_form.html", context, lang=lang, status_code=status)


@router.get("/users/new", response_class=HTMLResponse, name="user_new")
def user_new(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_USERS))],
    lang: LanguageDep,
    employer_q: str = "",
) -> Response:
    """`employer_q` narrows the employer drop-down to the employers it finds by words of the
    name or tax code (a GET form beside it: no JavaScript needed to search thousands)."""
    form = user_service.UserForm()
    return _render_form(
        request, session, principal, lang, form, employer_q=employer_q, choose_found=True
    )


@router.post("/users/new", name="user_create")
def user_create(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_USERS))],
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    """A plain `def`: hashing the password (argon2id) runs in a worker thread."""
    form = user_service.UserForm(
        **{name: field(fields, name) for name in user_service.UserForm.__dataclass_fields__}
    )
    try:
        user_service.create_account(session, principal=principal, form=form)
    except InvalidError as error:
        form.password = form.password_repeat = ""  # never sent back to the browser
        errors = form_errors(error, lang)
        typed = field(fields, "employer_q")
        return _render_form(request, session, principal, lang, form, errors, employer_q=typed)
    return redirect_to(request, "users", saved=Saved.USER_CREATED)


@router.post("/users/{user_id}/active", name="user_set_active")
def user_set_active(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_USERS))],
    user_id: RecordId,
    fields: FormDep,
) -> Response:
    active = field(fields, "active") == "1"
    user_service.set_active(session, principal=principal, user_id=user_id, active=active)
    return redirect_to(request, "users", saved=Saved.USER_UPDATED)


@router.post("/users/{user_id}/password", name="user_reset_password")
def user_reset_password(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_USERS))],
    lang: LanguageDep,
    user_id: RecordId,
) -> Response:
    """Shows the temporary password once, in this response (never in a URL, never stored),
    so no redirect: a reload asks to post again rather than showing it twice."""
    password = password_service.reset_password(session, principal=principal, user_id=user_id)
    user = user_service.account(session, principal=principal, user_id=user_id)
    context = {"user": user, "temporary_password": password}
    response = render(request, "users_password_reset.html", context, lang=lang)
    response.headers["Cache-Control"] = "no-store"
    return response
