"""Jinja2 set-up: every label goes through the translation catalogue, numbers are grouped the
reader's way, and autoescape is on for every template whatever its name."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from sqlmodel import Session
from starlette.responses import HTMLResponse

from models.formatting import format_number
from models.i18n import translate
from models.notifications import unread_count
from web.auth import csrf_token_for, set_pending_csrf_cookie
from web.navigation import menu_for
from web.notices import forget_saved, saved_notice
from web.paths import path_for

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


@pass_context
def _gettext(context: Context, msgid: str, **params: Any) -> str:
    return translate(msgid, context["lang"], **params)


@lru_cache(maxsize=8)
def _translator(lang: str) -> Callable[..., str]:
    """`_` bound to one page's language. A plain function, not `pass_context`: Jinja builds a
    derived context for each `pass_context` call made inside a loop, which cost more than the
    lookup itself on the long lists (a ranking of 50 people calls `_` about 1,000 times)."""

    def gettext(msgid: str, **params: Any) -> str:
        return translate(msgid, lang, **params)

    return gettext


@pass_context
def _number(context: Context, value: int) -> str:
    return format_number(value, context["lang"])


@pass_context
def _url_for(context: Context, name: str, /, **path_params: Any) -> str:
    """A site-relative path, not Starlette's absolute URL: behind a TLS proxy an absolute
    http:// link would be wrong, and a path works whatever host the visitor used."""
    request: Request = context["request"]
    return path_for(request, name, **path_params)


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,  # a missing variable is a bug, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates change with a release, not while serving: no stat per page
    )
    env.globals["_"] = _gettext
    env.globals["url_for"] = _url_for  # Jinja2Templates keeps a global already set
    env.filters["number"] = _number
    return Jinja2Templates(env=env)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    lang: str,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page in `lang`; `current_path` lets the language switch come back here."""
    templates: Jinja2Templates = request.app.state.templates
    page_context = {
        "lang": lang,
        "_": _translator(lang),
        "current_path": _local_path(request),
        "csrf_token": csrf_token_for(request),
        "principal": getattr(request.state, "principal", None),
        "menu": menu_for(getattr(request.state, "principal", None), request.app.router),
        "saved_notice": saved_notice(request),
        "unread_notes": _unread_notes(request),
        **(context or {}),
    }
    response: HTMLResponse = templates.TemplateResponse(
        request, name, page_context, status_code=status_code
    )
    set_pending_csrf_cookie(request, response)
    forget_saved(request, response)
    return response


def _unread_notes(request: Request) -> int:
    """The signed-in user's unread notifications, for the menu (one short read)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return 0
    with Session(request.app.state.engine) as session:
        return unread_count(session, principal.user)


def _local_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
