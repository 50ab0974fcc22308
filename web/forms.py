"""Reading posted forms and answering them: the fields as text, a form's errors by field, an
enum filter from the query string, and the redirect after a successful post."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from models.errors import AppError, InvalidError
from models.i18n import messages_by_field
from web.notices import Saved, remember_saved
from web.paths import path_for
from web.security import NUL, NUL_MESSAGE

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_nul_in_form(request: Request) -> None:
    """A posted form with a NUL character in a field's name or value, or in a file's name,
    is refused (400) before any route reads it; applied to every route by the app. The
    path, the query string and JSON bodies are checked earlier (web/security.py)."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return
    for name, value in (await request.form()).multi_items():
        text = value if isinstance(value, str) else (value.filename or "")
        if NUL in name or NUL in text:
            raise InvalidError(None, NUL_MESSAGE)


async def _form_data(request: Request) -> FormData:
    """The posted form, read once (the CSRF check has usually read it already)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(_form_data)]


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as text fields (read here so the routes themselves stay plain `def`:
    CPU work such as the occupation suggestions must not block the event loop)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


def field(fields: FormData, name: str) -> str:
    value = fields.get(name)
    return value if isinstance(value, str) else ""


def form_errors(error: AppError, lang: str) -> dict[str, list[str]]:
    return messages_by_field(error, lang)


def known_value(value: str, choices: type[Enum]) -> str | None:
    """A filter from the query string if it is one of the enum's values; junk is ignored."""
    return value if value in {choice.value for choice in choices} else None


def redirect_to(
    request: Request, route: str, *, saved: Saved | None = None, **params: Any
) -> RedirectResponse:
    """Post/redirect/get: see the named page (saying what was saved, when `saved` is given)."""
    response = RedirectResponse(path_for(request, route, **params), status_code=303)
    if saved is not None:
        remember_saved(request, response, saved)
    return response


def redirect_to_query(
    request: Request, route: str, query: dict[str, str], **params: Any
) -> RedirectResponse:
    """Post/redirect/get to the named page with a query string (`done=` for its notice)."""
    return RedirectResponse(f"{path_for(request, route, **params)}?{urlencode(query)}", 303)
