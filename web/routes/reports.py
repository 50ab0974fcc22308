"""The yearly report for labour officials: a page to choose the year and give the document's
heading (agency, number, date, signer), the Excel workbook, the Word document, a CSV file per
table and a ZIP of them all, and a printable page (A4). The exports and the page lay out the
same tables (web/services/reports.py), read from the figures the dashboard shows.

The heading is posted, not put in the address: the signer's name stays out of URLs and logs.
Fetched without it (GET), the workbook, the document and the page carry the default heading
(today's date, no number, no name)."""

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
from models.errors import AppError, InvalidError, NotFoundError
from models.i18n import messages_by_field
from models.ids import whole_or_none
from models.monitoring.read import snapshot_years
from models.monitoring.report_heading import Heading, default_fields
from models.years import parse_year
from web.auth import Principal
from web.deps import EngineDep, LanguageDep, SessionDep
from web.downloads import attachment_headers, streamed
from web.forms import FormFields
from web.permissions import Permission, allow
from web.services import reports as service
from web.templating import render

router = APIRouter()

YEARS_OFFERED = 6  # this year and the five before it, plus any year with figures
OUTPUTS = ("print", "docx", "xlsx")  # what the heading form can produce


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
    export: Callable[..., service.Download | None],
    principal: Principal,
    asked: _Asked,
    **heading: Heading,
) -> Response:
    """The file, or no page when the export has no such table."""
    download = export(
        asked.engine,
        asked.session,
        principal=principal,
        year=asked.year,
        lang=asked.lang,
        **heading,
    )
    if download is None:
        raise NotFoundError(None, "There is no page at this address.")
    if not isinstance(download.content, bytes):
        return streamed(
            download.content, download.filename, download.media_type, personal_data=False
        )
    return Response(
        download.content,
        media_type=download.media_type,
        headers=attachment_headers(download.filename, personal_data=False),
    )


def _years(session: Session) -> list[int]:
    current = today().year
    return sorted(
        {*range(current - YEARS_OFFERED + 1, current + 1), *snapshot_years(session)},
        reverse=True,
    )


def _reports_page(
    request: Request,
    years: list[int],
    year: int,
    lang: str,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "years": years,
        "year": year,
        "tables": service.table_index(),
        "form": form or default_fields(today()),
        "errors": errors or {},
    }
    return render(request, "reports.html", context, lang=lang, status_code=status_code)


@router.get("/reports", response_class=HTMLResponse, name="reports")
def reports(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    year: str = "",
) -> Response:
    years = _years(session)
    asked = whole_or_none(year)
    chosen = asked if asked is not None and asked in years else today().year
    return _reports_page(request, years, chosen, lang)


@router.post("/reports/{year}/issue", name="report_issue")
def report_issue(
    request: Request,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    asked: AskedDep,
    fields: FormFields,
) -> Response:
    """The report with the heading the official typed: the page to print, the Word document
    or the workbook. A wrong field shows the form again with its message (400)."""
    try:
        heading = service.heading_from(fields)
        output = fields.get("output", "")
        if output not in OUTPUTS:
            raise InvalidError(None, "Choose the page to print, Word or Excel.")
    except AppError as error:
        errors = messages_by_field(error, asked.lang)
        form = {name: fields.get(name, "") for name in default_fields(today())}
        return _reports_page(
            request, _years(asked.session), asked.year, asked.lang,
            form=form, errors=errors, status_code=error.status_code,
        )  # fmt: skip
    if output == "print":
        return _print_page(request, principal, asked, heading)
    export = service.export_docx if output == "docx" else service.export_workbook
    return _export(export, principal, asked, heading=heading)


@router.get("/reports/{year}.xlsx", name="report_xlsx")
def report_xlsx(
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))], asked: AskedDep
) -> Response:
    return _export(service.export_workbook, principal, asked)


@router.get("/reports/{year}.docx", name="report_docx")
def report_docx(
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))], asked: AskedDep
) -> Response:
    return _export(service.export_docx, principal, asked)


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
    return _print_page(request, principal, asked)


def _print_page(
    request: Request, principal: Principal, asked: _Asked, heading: Heading | None = None
) -> Response:
    lang = asked.lang
    document = service.print_view(
        asked.engine, asked.session, principal=principal, year=asked.year, lang=lang,
        heading=heading,
    )  # fmt: skip
    context = {
        "document": document,
        "report": document.report,
        "titles": document.titles(lang),
        "shown": lambda cell: service.shown(cell, lang),
        "say": lambda note: service.say(note, lang),
        "moment": lambda value: service.moment(value, lang),
    }
    return render(request, "report_print.html", context, lang=lang)
