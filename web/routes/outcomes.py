"""The public "which training leads to a job" page: outcomes of training by occupation and
institution, read from the KPI snapshot, with small groups hidden; and the courses opening
soon near a chosen commune. Plain HTML with a GET form: works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from models.clock import today
from web.deps import LanguageDep, SessionDep
from web.services.outcomes import outcome_context
from web.templating import render

router = APIRouter()


@router.get("/outcomes", response_class=HTMLResponse, name="outcomes")
def outcomes(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    commune: str = "",
    occupation: str = "",
) -> Response:
    context = outcome_context(
        session, lang=lang, on=today(), commune=commune, occupation=occupation[:40]
    )
    return render(request, "outcomes.html", context, lang=lang)
