"""The yearly report for labour officials: a page to choose the year, the Excel workbook, a CSV
file per table and a ZIP of them all, and a printable page (A4). The exports and the page lay
out the same tables (web/services/reports.py), read from the figures the dashboard shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.clock import today
from models.errors import InvalidError, NotFoundError
from models.ids import whole_or_none
from models.monitoring.read import snapshot_years
from models.years import parse_year
from web.auth import Principal
from web.deps import EngineDep, LanguageDep, SessionDep
from web.permissions import Permission, allow
from web.services import reports as service
from web.templating import render

router = APIRouter()

YEARS_OFFERED = 6  # this year and the five before it, plus any year with figures


def _year(text: str) -> int:
    """A year in the path; anything else is a page that does not exist."""
    try:
        return parse_year(text)
    except InvalidError:
        raise NotFoundError(None, "There is no page at this address.") from None


@dataclass(frozen=True)
class _Asked:
    """What every report of one year reads: the year in the path, and where its figures are."""

    engine: Engine
    session: Session
    lang: str
    year: int


def _asked(engine: EngineDep, session: SessionDep, lang: LanguageDep, year: str) -> _Asked:
    return _Asked(engine, session, lang, _year(year))


AskedDep = Annotated[_Asked, Depends(_asked)]


def _export(
    export: Callable[..., service.Download | None], principal: Principal, asked: _Asked
) -> Response:
    """The file, or no page when the export has no such table."""
    download = export(
        asked.engine, asked.session, principal=principal, year=asked.year, lang=asked.lang
    )
    if download is None:
        raise NotFoundError(None, "There is no page at this address.")
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
    asked = whole_or_none(year)
    chosen = asked if asked is not None and asked in years else current
    context = {"years": years, "year": chosen, "tables": service.table_index()}
    return render(request, "reports.html", context, lang=lang)


@router.get("/reports/{year}.xlsx", name="report_xlsx")
def report_xlsx(
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))], asked: AskedDep
) -> Response:
    return _export(service.export_workbook, principal, asked)


@router.get("/reports/{year}.zip", name="report_zip")
def report_zip(
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))], asked: AskedDep
) -> Response:
    return _export(service.export_zip, principal, asked)


@router.get("/reports/{year}/{table_id}.csv", name="report_csv")
def report_csv(
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    asked: AskedDep,
    table_id: str,
) -> Response:
    return _export(partial(service.export_csv, table_id=table_id), principal, asked)


@router.get("/reports/{year}/print", response_class=HTMLResponse, name="report_print")
def report_print(
    request: Request,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    asked: AskedDep,
) -> Response:
    report = service.print_view(asked.engine, asked.session, principal=principal, year=asked.year)
    lang = asked.lang
    context = {
        "report": report,
        "shown": lambda cell: service.shown(cell, lang),
        "moment": lambda value: service.moment(value, lang),
    }
    return render(request, "report_print.html", context, lang=lang)
