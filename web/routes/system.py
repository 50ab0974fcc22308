"""Language switch and health check."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import text

from models.errors import InvalidError
from models.i18n import SUPPORTED_LANGUAGES
from web.deps import LANGUAGE_COOKIE, SessionDep
from web.paths import path_for, safe_local_path

logger = logging.getLogger(__name__)
router = APIRouter()

ONE_YEAR = 365 * 24 * 3600


@router.post("/lang/{code}", name="set_language")
def set_language(
    request: Request, code: str, next_path: Annotated[str, Form(alias="next")] = "/"
) -> RedirectResponse:
    """Remember the chosen language for a year and go back to the page (post/redirect/get)."""
    if code not in SUPPORTED_LANGUAGES:
        raise InvalidError("code", "Unknown language: {code}.", code=code)
    target = safe_local_path(next_path) or path_for(request, "home")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/healthz", name="healthz")
def healthz(session: SessionDep) -> JSONResponse:
    """For monitors and load balancers: the app answers and the database does too."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:
        logger.exception("Health check: the database did not answer")
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
