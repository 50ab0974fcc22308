"""Labour-force figures: the imported sets, the upload form with its template, and the import
(officials and administrators)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import AppError, InvalidError
from models.formatting import format_number
from models.i18n import messages_by_field, translate
from web.auth import Principal
from web.deps import LanguageDep, SessionDep
from web.display import display_tools
from web.paging import whole_or_none
from web.paths import path_for
from web.permissions import Permission, allow
from web.services import labour_force as service
from web.services.imports.export import XLSX
from web.templating import render

router = APIRouter()
# Parameters of row messages that are not counts (shown as written, not grouped: 2025).
PLAIN_PARAMS = frozenset({"year", "first", "last", "row", "count", "max"})


def row_message(error: AppError, lang: str) -> str:
    """A row's problem in the reader's language, its figures grouped the reader's way."""
    params = {
        name: format_number(value, lang)
        if isinstance(value, int) and name not in PLAIN_PARAMS
        else value
        for name, value in error.params.items()
    }
    return translate(error.msgid, lang, **params)


def _share_tools(lang: str) -> dict[str, Any]:
    def percent(share: float | None) -> str:
        if share is None:
            return "–"
        text = f"{share * 100:.1f}"
        return (text.replace(".", ",") if lang == "vi" else text) + " %"

    return {"percent": percent}


def _page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    source: str = "",
    error: InvalidError | None = None,
    done: dict[str, int | None] | None = None,
) -> HTMLResponse:
    sets = service.figure_list(session, principal=principal)
    problems = error.problems if isinstance(error, service.RowErrors) else []
    context = {
        "sets": sets,
        "source": source,
        "errors": messages_by_field(error, lang) if error else {},
        "problems": [(p.row, p.column, row_message(p.error, lang)) for p in problems],
        "done": done or {},
        **_share_tools(lang),
        **display_tools(lang),
    }
    status = 400 if error else 200
    return render(request, "labour_force.html", context, lang=lang, status_code=status)


@router.get("/labour-force", response_class=HTMLResponse, name="labour_force")
def labour_force(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_LABOUR_FORCE))],
    lang: LanguageDep,
    rows: str = "",
    replaced: str = "",
) -> Response:
    done = {"rows": whole_or_none(rows), "replaced": whole_or_none(replaced)}
    return _page(request, session, principal, lang, done=done if done["rows"] else None)


@router.post("/labour-force", name="labour_force_import")
def labour_force_import(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_LABOUR_FORCE))],
    lang: LanguageDep,
    source: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    data = file.file.read() if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    try:
        outcome = service.import_figures(
            session, principal=principal, filename=filename, data=data, source_raw=source
        )
    except InvalidError as error:
        return _page(request, session, principal, lang, source=source, error=error)
    path = path_for(request, "labour_force")
    query = f"?rows={outcome.rows}&replaced={outcome.replaced}"
    return RedirectResponse(path + query, status_code=303)


@router.get("/labour-force/template", name="labour_force_template")
def labour_force_template(
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_LABOUR_FORCE))],
) -> Response:
    download = service.labour_force_template(session, principal=principal)
    headers = {"Content-Disposition": f'attachment; filename="{download.filename}"'}
    return Response(download.content, media_type=XLSX, headers=headers)
