"""The administrators' jobs page: the newest background jobs, their progress and errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from models.jobs.kinds import STATUSES
from web.auth import Principal
from web.deps import LanguageDep, SessionDep
from web.labels import page_tools
from web.permissions import Permission, allow
from web.services.jobs import job_rows
from web.templating import render

router = APIRouter()
STATUS_LABELS = {"queued": "Queued", "running": "Running", "done": "Done", "failed": "Failed"}


@router.get("/jobs", response_class=HTMLResponse, name="jobs")
def jobs(
    request: Request,
    session: SessionDep,
    _principal: Annotated[Principal, Depends(allow(Permission.VIEW_JOBS))],
    lang: LanguageDep,
    status: str = "",
) -> Response:
    rows = job_rows(session, status=status or None)
    chosen = status if status in STATUSES else ""
    context = {
        "rows": rows,
        "statuses": STATUSES,
        "status_labels": STATUS_LABELS,
        "chosen": chosen,
        **page_tools(lang),
    }
    return render(request, "jobs.html", context, lang=lang)
