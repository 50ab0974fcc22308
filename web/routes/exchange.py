"""Exchange files of the register of graduates (docs/exchange.md): the download, for those who
see trainees, and the upload into the institution's own courses, with an error per row when
the file is refused. The new-jobs register's exchange file is on its own page
(routes/register.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from models.errors import AppError, InvalidError
from models.i18n import message_for, translate
from models.ids import parse_id
from web.auth import Principal
from web.deps import EngineDep, LanguageDep, SessionDep
from web.downloads import streamed
from web.permissions import Permission, allow
from web.services.exchange import ZIP
from web.services.exchange import graduates as service
from web.templating import render

router = APIRouter()
MAX_YEAR = 9999


def _optional_id(value: str, field: str) -> int | None:
    if not value:
        return None
    chosen = parse_id(value)
    if chosen is None:
        raise InvalidError(field, "The value of {field} is not valid.", field=field)
    return chosen


def _year(value: str) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 1900 <= int(value) <= MAX_YEAR:
        raise InvalidError("year", "The value of {field} is not valid.", field="year")
    return int(value)


@router.get("/exchange/graduates", name="exchange_graduates_export")
def exchange_graduates_export(
    session: SessionDep,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    course_id: str = "",
    institution_id: str = "",
    year: str = "",
    personal_data: str = "1",
) -> Response:
    """The graduates as an exchange file, sent while it is written (after the checks and the
    audit entry, so a refusal is an error page)."""
    download = service.export_graduates(
        session,
        engine,
        principal=principal,
        course_id=_optional_id(course_id, "course_id"),
        institution_id=_optional_id(institution_id, "institution_id"),
        year=_year(year),
        personal_data=personal_data != "0",
    )
    return streamed(download.pieces, download.filename, ZIP, personal_data=True)


@router.post("/exchange/graduates", response_class=HTMLResponse, name="exchange_graduates_import")
def exchange_graduates_import(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
    lang: LanguageDep,
    institution: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    context: dict[str, object] = {"failure": None, "problems": [], "outcome": None}
    try:
        if file is None or not file.filename:
            raise InvalidError("file", "Choose the exchange file (.zip) to upload.")
        outcome = service.import_graduates(
            session,
            principal=principal,
            data=file.file.read(),
            filename=file.filename,
            institution_code=institution.strip() or None,
        )
    except AppError as error:
        context["failure"] = message_for(error, lang)
        return render(request, "exchange_graduates.html", context, lang=lang, status_code=400)
    context["outcome"] = outcome
    context["problems"] = [
        (each.row, each.column, translate(each.msgid, lang, **each.params))
        for each in outcome.checks.errors
    ]
    status = 200 if outcome.written else 400
    return render(request, "exchange_graduates.html", context, lang=lang, status_code=status)
