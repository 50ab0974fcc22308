"""The officials' dashboard and its drill-down: every number opens the records behind it, a page
at a time or all of them as CSV. Officials and administrators only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import NoMatchFound

from web.auth import Principal
from web.deps import EngineDep, LanguageDep, RecordId, SessionDep
from web.labels import page_tools
from web.paging import pager, whole_or_none
from web.paths import path_for
from web.permissions import Permission, allow
from web.services import dashboard as service
from web.services.dashboard import drill
from web.services.kpi_format import Shown
from web.templating import render

router = APIRouter()


def _drill_prefix(request: Request) -> str:
    """'/dashboard/figures/': a figure's id completes the link (built once per page)."""
    return path_for(request, "dashboard_drill", figure_id=0).removesuffix("0")


def _href(prefix: str) -> Callable[[Shown], str | None]:
    return lambda number: f"{prefix}{number.figure_id}" if number.figure_id else None


def _path_or_none(request: Request, name: str, **params: object) -> str | None:
    """The path of a page, or None while that page does not exist yet."""
    try:
        return path_for(request, name, **params)
    except NoMatchFound:
        return None


@router.get("/dashboard", response_class=HTMLResponse, name="dashboard")
def dashboard(
    request: Request,
    session: SessionDep,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str = "",
    window: str = "",
    cohort: str = "",
    cut: str = "",
) -> Response:
    prefix = _drill_prefix(request)
    page = service.dashboard_page(
        session,
        engine,
        True,
        principal=principal,
        query={"year": year, "window": window, "cohort": cohort, "cut": cut},
        lang=lang,
        href=_href(prefix),
    )
    context = {
        "page": page,
        "drill_prefix": prefix,
        "labour_force_url": _path_or_none(request, "labour_force"),
        "report_url": _path_or_none(request, "report_xlsx", year=page.choice.year),
    }
    return render(request, "dashboard.html", context, lang=lang)


# Declared before the page: "/dashboard/figures/{figure_id}" would also match "12.csv".
@router.get("/dashboard/figures/{figure_id}.csv", name="dashboard_drill_csv")
def dashboard_drill_csv(
    session: SessionDep,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    figure_id: RecordId,
    base: str = "",
) -> Response:
    filename, body = drill.drill_csv(
        session, engine, principal=principal, figure_id=figure_id, base=base == "1", lang=lang
    )
    return StreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/dashboard/figures/{figure_id}", response_class=HTMLResponse, name="dashboard_drill")
def dashboard_drill(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    figure_id: RecordId,
    base: str = "",
    page: str = "1",
) -> Response:
    result = drill.drill_page(
        session,
        principal=principal,
        figure_id=figure_id,
        base=base == "1",
        page=whole_or_none(page) or 1,
        lang=lang,
    )
    context = {
        "result": result,
        "drill": result.drill,
        "pager": pager(request, result.records.page, result.records.pages),
        **page_tools(lang),
    }
    return render(request, "dashboard_drill.html", context, lang=lang)
