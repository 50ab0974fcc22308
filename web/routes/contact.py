"""The outbox (administrators) and the signed-in user's notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from web.auth import Principal
from web.deps import LanguageDep, SessionDep
from web.permissions import allow
from web.services import contact
from web.templating import render

router = APIRouter()


@router.get("/outbox", response_class=HTMLResponse, name="outbox")
def outbox_page(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    # Any signed-in user reaches the service, which answers 404 to all but administrators.
    principal: Annotated[Principal, Depends(allow())],
) -> Response:
    rows = contact.read_outbox(session, principal=principal)
    return render(request, "outbox.html", {"rows": rows}, lang=lang)


@router.get("/notifications", response_class=HTMLResponse, name="notifications")
def notifications_page(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow())],
) -> Response:
    rows = contact.read_notifications(session, principal=principal)
    return render(request, "notifications.html", {"rows": rows}, lang=lang)
