"""The new-jobs register: the reporter's page with its forms (a sheet of names, one person, a
count without names, "nothing to report"), the template, one report with its lines, and
withdrawing a report to correct it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from models.enums import NewJobChannel
from models.errors import AppError, InvalidError
from models.excel import template_workbook
from models.excel.new_jobs import NEW_JOB_COLUMNS, NEW_JOB_INTRO, SHEET_TITLE, TEMPLATE_FILE
from models.formatting import format_date
from models.i18n import translate
from models.register_periods import Period
from web.auth import Principal
from web.deps import EngineDep, LanguageDep, RecordId, SessionDep
from web.display import display_tools
from web.downloads import streamed
from web.forms import FormFields, form_errors, redirect_to
from web.labels import page_tools
from web.notices import Saved
from web.paging import pager, whole_or_none
from web.permissions import Permission, allow, allowed
from web.services import register as service
from web.services.exchange import ZIP, ExchangeDownload
from web.services.exchange import new_jobs as exchange
from web.services.imports.export import XLSX
from web.services.imports.rows import RowChecks
from web.services.kpi_labels import VOCABULARIES
from web.services.register.views import RegisterPage, register_page, report_page
from web.templating import render

router = APIRouter()
Reporter = Annotated[Principal, Depends(allow(Permission.REPORT_NEW_JOBS))]
COLUMN_HEADERS = {column.key: column.header for column in NEW_JOB_COLUMNS}


def _page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    errors: dict[str, list[str]] | None = None,
    form: str = "",
    chosen: Mapping[str, str] | None = None,
    checks: RowChecks | None = None,
) -> HTMLResponse:
    problems = [
        (each.row, COLUMN_HEADERS.get(each.column, ""), translate(each.msgid, lang, **each.params))
        for each in (checks.errors if checks else [])
    ]
    page = register_page(session, principal=principal)
    context = {
        "page": page,
        "options": _options(page, lang),
        **page_tools(lang),
        **display_tools(lang),
        **_terms(lang),
        "errors": errors or {},
        "form": form,
        "chosen": chosen or {},
        "problems": problems,
    }
    status = 400 if errors or problems else 200
    return render(request, "new_jobs.html", context, lang=lang, status_code=status)


def _terms(lang: str) -> dict[str, Callable[[str, str | None], str]]:
    """``term(vocabulary, code)``: a stored code named in the reader's language."""

    def term(vocabulary: str, code: str | None) -> str:
        msgid = VOCABULARIES.get(vocabulary, {}).get(code or "")
        return translate(msgid, lang) if msgid else code or ""

    return {"term": term}


def _options(page: RegisterPage, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The choices of the page's selects, labelled in the reader's language."""

    def period_label(period: Period) -> str:
        if period.start.month == period.end.month and period.start.year == period.end.year:
            return translate(
                "Month {month}/{year}", lang, month=period.start.month, year=period.start.year
            )
        return f"{format_date(period.start)} – {format_date(period.end)}"

    return {
        "periods": [(p.code, period_label(p)) for p in page.periods],
        "communes": [(c.value, c.label) for c in page.communes],
        "channels": [(code, translate(msgid, lang)) for code, msgid in page.channels],
        "places": [(code, translate(msgid, lang)) for code, msgid in page.places],
        "contracts": [(code, translate(msgid, lang)) for code, msgid in page.contracts],
    }


@router.get("/new-jobs", response_class=HTMLResponse, name="new_jobs")
def new_jobs(
    request: Request, session: SessionDep, principal: Reporter, lang: LanguageDep
) -> HTMLResponse:
    return _page(request, session, principal, lang)


@router.get("/new-jobs/template", name="new_jobs_template")
def new_jobs_template(principal: Reporter) -> Response:
    content = template_workbook(NEW_JOB_COLUMNS, sheet_title=SHEET_TITLE, intro=NEW_JOB_INTRO)
    headers = {"Content-Disposition": f'attachment; filename="{TEMPLATE_FILE}"'}
    return Response(content, media_type=XLSX, headers=headers)


@router.post("/new-jobs/import", name="new_jobs_import")
def new_jobs_import(
    request: Request,
    session: SessionDep,
    principal: Reporter,
    lang: LanguageDep,
    period: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    chosen = {"period": period, "on_behalf_of": on_behalf_of}
    try:
        if file is None or not file.filename:
            raise InvalidError("file", "Choose the Excel file to upload.")
        outcome = service.import_lines(
            session,
            principal=principal,
            period=period,
            on_behalf_of=on_behalf_of or None,
            filename=file.filename,
            data=file.file.read(),
        )
    except AppError as error:
        errors = form_errors(error, lang)
        return _page(request, session, principal, lang, errors=errors, form="import", chosen=chosen)
    if outcome.report is None:
        return _page(
            request, session, principal, lang, form="import", chosen=chosen, checks=outcome.checks
        )
    return redirect_to(
        request, "new_job_report", saved=Saved.REGISTER_IMPORTED, report_id=outcome.report.id
    )


@router.post("/new-jobs/lines", name="new_job_line_create")
def new_job_line_create(
    request: Request,
    session: SessionDep,
    principal: Reporter,
    lang: LanguageDep,
    fields: FormFields,
) -> Response:
    values = {column.key: fields.get(column.key, "") for column in NEW_JOB_COLUMNS}
    try:
        line = service.add_line(
            session,
            principal=principal,
            values=values,
            on_behalf_of=fields.get("on_behalf_of") or None,
        )
    except AppError as error:
        errors = form_errors(error, lang)
        return _page(request, session, principal, lang, errors=errors, form="line", chosen=fields)
    return redirect_to(
        request, "new_job_report", saved=Saved.REGISTER_LINE, report_id=line.report_id
    )


@router.post("/new-jobs/aggregates", name="new_job_aggregate_create")
def new_job_aggregate_create(
    request: Request,
    session: SessionDep,
    principal: Reporter,
    lang: LanguageDep,
    fields: FormFields,
) -> Response:
    try:
        aggregate = service.add_aggregate(
            session,
            principal=principal,
            values=fields,
            on_behalf_of=fields.get("on_behalf_of") or None,
        )
    except AppError as error:
        errors = form_errors(error, lang)
        return _page(
            request, session, principal, lang, errors=errors, form="aggregate", chosen=fields
        )
    return redirect_to(
        request, "new_job_report", saved=Saved.REGISTER_COUNTS, report_id=aggregate.report_id
    )


@router.post("/new-jobs/nothing", name="new_jobs_nothing")
def new_jobs_nothing(
    request: Request,
    session: SessionDep,
    principal: Reporter,
    lang: LanguageDep,
    fields: FormFields,
) -> Response:
    try:
        report = service.report_nothing(
            session,
            principal=principal,
            period=fields.get("period"),
            on_behalf_of=fields.get("on_behalf_of") or None,
        )
    except AppError as error:
        errors = form_errors(error, lang)
        return _page(
            request, session, principal, lang, errors=errors, form="nothing", chosen=fields
        )
    return redirect_to(request, "new_job_report", saved=Saved.REGISTER_NOTHING, report_id=report.id)


@router.get("/new-jobs/reports/{report_id}", response_class=HTMLResponse, name="new_job_report")
def new_job_report(
    request: Request,
    report_id: RecordId,
    session: SessionDep,
    principal: Reporter,
    lang: LanguageDep,
    page: str = "",
) -> HTMLResponse:
    view = report_page(session, principal=principal, report_id=report_id, page=whole_or_none(page))
    context = {
        "view": view,
        "pager": pager(request, view.page, view.pages),
        "records_abroad": allowed(principal, Permission.RECORD_ABROAD),
        "abroad_channel": NewJobChannel.ABROAD.value,
        **page_tools(lang),
        **display_tools(lang),
        **_terms(lang),
    }
    return render(request, "new_job_report.html", context, lang=lang)


@router.post("/new-jobs/reports/{report_id}/withdraw", name="new_job_report_withdraw")
def new_job_report_withdraw(
    request: Request, report_id: RecordId, session: SessionDep, principal: Reporter
) -> Response:
    service.withdraw_report(session, principal=principal, report_id=report_id)
    return redirect_to(
        request, "new_job_report", saved=Saved.REGISTER_WITHDRAWN, report_id=report_id
    )


def _zip(download: ExchangeDownload) -> Response:
    """The file sent while it is written; ID numbers: not kept in shared caches."""
    return streamed(download.pieces, download.filename, ZIP, personal_data=True)


@router.get("/new-jobs/exchange", name="new_jobs_exchange_export")
def new_jobs_exchange_export(
    session: SessionDep, engine: EngineDep, principal: Reporter, period: str = ""
) -> Response:
    """The period's lines within the user's scope as an exchange file (docs/exchange.md)."""
    return _zip(exchange.export_new_jobs(session, engine, principal=principal, period=period))


@router.post("/new-jobs/exchange", name="new_jobs_exchange_import")
def new_jobs_exchange_import(
    request: Request,
    session: SessionDep,
    principal: Reporter,
    lang: LanguageDep,
    period: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    chosen = {"period": period, "on_behalf_of": on_behalf_of}
    try:
        if file is None or not file.filename:
            raise InvalidError("file", "Choose the exchange file (.zip) to upload.")
        outcome = exchange.import_new_jobs(
            session,
            principal=principal,
            data=file.file.read(),
            filename=file.filename,
            period=period or None,
            on_behalf_of=on_behalf_of or None,
        )
    except AppError as error:
        errors = form_errors(error, lang)
        return _page(
            request, session, principal, lang, errors=errors, form="exchange", chosen=chosen
        )
    if outcome.report is None:
        return _page(
            request, session, principal, lang, form="exchange", chosen=chosen, checks=outcome.checks
        )
    return redirect_to(
        request, "new_job_report", saved=Saved.REGISTER_IMPORTED, report_id=outcome.report.id
    )
