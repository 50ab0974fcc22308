"""The yearly report for labour officials: a page to choose the year, the Excel workbook, a CSV
file per table and a ZIP of them all, and a printable page (A4). The exports and the page lay
out the same tables (web/services/reports.py), read from the figures the dashboard shows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.engine import Engine

from models.clock import today
from models.errors import InvalidError, NotFoundError
from models.monitoring.read import snapshot_years
from models.years import parse_year
from web.auth import Principal
from web.deps import LanguageDep, SessionDep, get_engine
from web.permissions import Permission, allow
from web.services import reports as service
from web.templating import render

router = APIRouter()

EngineDep = Annotated[Engine, Depends(get_engine)]
YEARS_OFFERED = 6  # this year and the five before it, plus any year with figures


def _year(text: str) -> int:
    """A year in the path; anything else is a page that does not exist."""
    try:
        return parse_year(text)
    except InvalidError:
        raise NotFoundError(None, "There is no page at this address.") from None


def _download(download: service.Download) -> Response:
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": f'attachment; filename="{download.filename}"'},
    )


@router.get("/reports", response_class=HTMLResponse, name="reports")
def reports(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str = "",
) -> Response:
    current = today().year
    years = sorted(
        {*range(current - YEARS_OFFERED + 1, current + 1), *snapshot_years(session)},
        reverse=True,
    )
    chosen = int(year) if year.isdigit() and int(year) in years else current
    context = {"years": years, "year": chosen, "tables": service.table_index()}
    return render(request, "reports.html", context, lang=lang)


@router.get("/reports/{year}.xlsx", name="report_xlsx")
def report_xlsx(
    engine: EngineDep,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str,
) -> Response:
    download = service.export_workbook(
        engine, session, principal=principal, year=_year(year), lang=lang
    )
    return _download(download)


@router.get("/reports/{year}.zip", name="report_zip")
def report_zip(
    engine: EngineDep,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str,
) -> Response:
    download = service.export_zip(engine, session, principal=principal, year=_year(year), lang=lang)
    return _download(download)


@router.get("/reports/{year}/{table_id}.csv", name="report_csv")
def report_csv(
    engine: EngineDep,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str,
    table_id: str,
) -> Response:
    download = service.export_csv(
        engine, session, principal=principal, year=_year(year), table_id=table_id, lang=lang
    )
    if download is None:
        raise NotFoundError(None, "There is no page at this address.")
    return _download(download)


@router.get("/reports/{year}/print", response_class=HTMLResponse, name="report_print")
def report_print(
    request: Request,
    engine: EngineDep,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str,
) -> Response:
    report = service.print_view(engine, session, principal=principal, year=_year(year))
    context = {
        "report": report,
        "shown": lambda cell: service.shown(cell, lang),
        "moment": lambda value: service.moment(value, lang),
    }
    return render(request, "report_print.html", context, lang=lang)
