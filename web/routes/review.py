"""The review over the years (officials and administrators), and the import of the figures the
province published before the platform, with its template."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.clock import today
from models.errors import InvalidError
from models.i18n import messages_by_field
from web.auth import Principal
from web.deps import LanguageDep, SessionDep
from web.display import display_tools
from web.paging import whole_or_none
from web.paths import path_for
from web.permissions import Permission, allow, allowed
from web.routes.labour_force import row_message
from web.services import published_figures as published
from web.services import review as service
from web.services.imports.export import XLSX
from web.templating import render

router = APIRouter()


def _page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    error: InvalidError | None = None,
    done: dict[str, int | None] | None = None,
) -> HTMLResponse:
    can_import = allowed(principal, Permission.IMPORT_LABOUR_FORCE)
    figures = published.figure_list(session, principal=principal) if can_import else []
    page = service.review_page(session, principal=principal, lang=lang)
    problems = error.problems if isinstance(error, published.RowErrors) else []
    context = {
        "page": page,
        "can_import": can_import,
        "published": figures,
        "indicator_labels": published.indicator_labels(lang),
        "share_indicators": published.SHARE_INDICATORS,
        "errors": messages_by_field(error, lang) if error else {},
        "problems": [(p.row, p.column, row_message(p.error, lang)) for p in problems],
        "done": done or {},
        **display_tools(lang),
    }
    return render(request, "review.html", context, lang=lang, status_code=400 if error else 200)


@router.get("/dashboard/review", response_class=HTMLResponse, name="review")
def review(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_DASHBOARD))],
    lang: LanguageDep,
    rows: str = "",
    replaced: str = "",
) -> Response:
    done = {"rows": whole_or_none(rows), "replaced": whole_or_none(replaced)}
    return _page(request, session, principal, lang, done=done if done["rows"] else None)


@router.post("/dashboard/review/published", name="published_import")
def published_import(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_LABOUR_FORCE))],
    lang: LanguageDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    data = file.file.read() if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    try:
        outcome = published.import_published(
            session, principal=principal, filename=filename, data=data, last_year=today().year
        )
    except InvalidError as error:
        return _page(request, session, principal, lang, error=error)
    query = f"?rows={outcome.rows}&replaced={outcome.replaced}"
    return RedirectResponse(path_for(request, "review") + query, status_code=303)


@router.get("/dashboard/review/published/template", name="published_template")
def published_template(
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_LABOUR_FORCE))],
) -> Response:
    download = published.published_template(principal=principal)
    headers = {"Content-Disposition": f'attachment; filename="{download.filename}"'}
    return Response(download.content, media_type=XLSX, headers=headers)
