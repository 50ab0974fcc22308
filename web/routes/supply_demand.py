"""Supply and demand by occupation: what employers want in the coming year against the graduates
the running courses will give, by occupation and by place, and the occupations whose graduates
found work least often, so institutions and officials can decide what to train. The page and
its CSV read the same rows (models/queries/supply_demand.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from web.auth import Principal
from web.deps import EngineDep, LanguageDep, SessionDep
from web.downloads import CSV_MEDIA_TYPE, streamed
from web.paths import path_for
from web.permissions import Permission, allow
from web.services import supply_demand as service
from web.templating import render

router = APIRouter()


@router.get("/supply-demand", response_class=HTMLResponse, name="supply_demand")
def supply_demand(
    request: Request,
    engine: EngineDep,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_SUPPLY_DEMAND))],
    asked: Annotated[service.Asked, Depends()],
) -> Response:
    choice, context = service.page(engine, session, True, principal, asked, lang=lang)
    csv_path = path_for(request, "supply_demand_csv")
    context["csv_url"] = csv_path + service.query_string(choice)
    return render(request, "supply_demand.html", context, lang=lang)


@router.get("/supply-demand.csv", name="supply_demand_csv")
def supply_demand_csv(
    engine: EngineDep,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_SUPPLY_DEMAND))],
    asked: Annotated[service.Asked, Depends()],
) -> Response:
    """The page's table as CSV, with a byte-order mark so Excel reads the Vietnamese."""
    body, filename = service.csv_export(engine, session, principal, asked, lang=lang)
    return streamed(body, filename, CSV_MEDIA_TYPE, personal_data=False)
