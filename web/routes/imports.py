"""Excel import and export pages: the form and history, template downloads, the preview with
an error per row and column, the confirmation, the progress of a big file, and exports.

Checking and writing are queued jobs: a big file's are run by a worker and the user gets the
progress page at once; a small file's are run by the request itself while the user waits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from models.errors import ConflictError, InvalidError
from models.i18n import message_for, translate
from models.ids import parse_id
from web.auth import Principal
from web.deps import EngineDep, LanguageDep, SessionDep
from web.forms import form_errors, redirect_to, redirect_to_query
from web.permissions import Permission, allow
from web.services import imports as service
from web.services.imports import undo as undo_service
from web.services.imports.export import (
    XLSX,
    Download,
    FileDownload,
    export_results,
    export_trainees,
    import_template,
)
from web.services.imports.preview import import_page, preview_view, progress_view
from web.services.imports.store import Status
from web.services.jobs import run_now
from web.templating import render

router = APIRouter()
REFRESH_SECONDS = 2
COURSE_SEARCH_MAX_CHARS = 100


def _page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    errors: dict[str, list[str]] | None = None,
    chosen: Mapping[str, object] | None = None,
    course_text: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    page = import_page(session, principal=principal, course_text=course_text)
    chosen = dict(chosen or {})
    if len(page.courses) == 1 and course_text:  # the search found the course: choose it
        chosen.setdefault("course_id", str(page.courses[0].id))
    context = {"page": page, "errors": errors or {}, "chosen": chosen}
    return render(request, "imports.html", context, lang=lang, status_code=status_code)


@router.get("/imports", response_class=HTMLResponse, name="imports")
def imports(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    lang: LanguageDep,
    course_q: str = "",
) -> HTMLResponse:
    """`course_q` narrows the course drop-downs to the courses it finds (a GET form: no
    JavaScript needed to search a long list)."""
    return _page(request, session, principal, lang, course_text=_course_text(course_q))


def _course_text(typed: str) -> str:
    return typed.strip()[:COURSE_SEARCH_MAX_CHARS]


@router.post("/imports", name="import_upload")
def import_upload(
    request: Request,
    session: SessionDep,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
    lang: LanguageDep,
    kind: Annotated[str, Form()] = "",
    course_id: Annotated[str, Form()] = "",
    course_q: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    chosen = {"kind": kind, "course_id": course_id}
    data = file.file.read() if file is not None else b""
    try:
        if file is None or not file.filename:
            raise InvalidError("file", "Choose the Excel file to upload.")
        state, job_id = service.start_import(
            session,
            principal=principal,
            kind=kind,
            course_id=parse_id(course_id),
            filename=file.filename,
            data=data,
        )
    except InvalidError as error:
        errors = form_errors(error, lang)
        return _page(
            request,
            session,
            principal,
            lang,
            errors=errors,
            chosen=chosen,
            course_text=_course_text(course_q),
            status_code=400,
        )
    if service.is_small(data) and run_now(engine, job_id):
        return redirect_to(request, "import_preview", token=state.token)
    return redirect_to(request, "import_progress", token=state.token)


@router.get("/imports/template/{kind}", name="import_template")
def download_template(
    kind: str,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
) -> Response:
    return _download(import_template(session, principal=principal, kind=kind))


@router.get("/imports/{token}", response_class=HTMLResponse, name="import_preview")
def import_preview(
    request: Request,
    token: str,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
    lang: LanguageDep,
    done: str = "",
) -> Response:
    notice = translate(UNDONE, lang) if done == "undone" else None
    return _preview(request, session, principal, lang, token, notice=notice)


UNDONE = "The import has been undone: what it saved was removed or put back as it was."


def _preview(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    token: str,
    *,
    notice: str | None = None,
    conflict: str | None = None,
) -> Response:
    view = preview_view(session, principal=principal, token=token, lang=lang)
    if view.in_progress:
        return redirect_to(request, "import_progress", token=token)
    context = {"view": view, "Status": Status, "notice": notice, "conflict": conflict}
    status = 409 if conflict else 200
    return render(request, "imports_preview.html", context, lang=lang, status_code=status)


@router.post("/imports/{token}/undo", name="import_undo")
def import_undo(
    request: Request,
    token: str,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
    lang: LanguageDep,
) -> Response:
    try:
        undo_service.undo_import(session, principal=principal, token=token)
    except undo_service.ImportInUse as error:
        what = ", ".join(translate(each, lang) for each in error.dependents)
        conflict = translate(undo_service.IN_USE, lang, what=what)
        return _preview(request, session, principal, lang, token, conflict=conflict)
    except ConflictError as error:
        return _preview(request, session, principal, lang, token, conflict=message_for(error, lang))
    return redirect_to_query(request, "import_preview", {"done": "undone"}, token=token)


@router.post("/imports/{token}/confirm", name="import_confirm")
def import_confirm(
    request: Request,
    token: str,
    session: SessionDep,
    engine: EngineDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
) -> Response:
    state, job_id = service.claim_import(session, principal=principal, token=token)
    if job_id is None:
        return redirect_to(request, "import_preview", token=token)
    if state.rows <= service.INLINE_MAX_ROWS and run_now(engine, job_id):
        return redirect_to(request, "import_preview", token=token)
    return redirect_to(request, "import_progress", token=token)


@router.get("/imports/{token}/progress", response_class=HTMLResponse, name="import_progress")
def import_progress(
    request: Request,
    token: str,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.IMPORT_TRAINEES))],
    lang: LanguageDep,
) -> Response:
    """Reloads itself every two seconds (no JavaScript needed) until the work is done."""
    view = progress_view(session, principal=principal, token=token)
    if not view.in_progress:
        return redirect_to(request, "import_preview", token=token)
    context = {"view": view, "state": view.state, "refresh": REFRESH_SECONDS}
    response = render(request, "imports_progress.html", context, lang=lang)
    response.headers["Refresh"] = str(REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _download(download: Download) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{download.filename}"',
        "Cache-Control": "no-store",  # personal data: not kept in shared caches
    }
    return Response(download.content, media_type=XLSX, headers=headers)


DOWNLOAD_CHUNK = 64 * 1024


def _file_download(download: FileDownload) -> Response:
    """The written file, read in chunks and closed at the end; how long it took to write
    is in Server-Timing."""

    def chunks() -> Iterator[bytes]:
        with download.file:
            while chunk := download.file.read(DOWNLOAD_CHUNK):
                yield chunk

    headers = {
        "Content-Disposition": f'attachment; filename="{download.filename}"',
        "Cache-Control": "no-store",  # personal data: not kept in shared caches
        "Server-Timing": f"write;dur={download.seconds * 1000:.0f}",
    }
    return StreamingResponse(chunks(), media_type=XLSX, headers=headers)


def _optional_id(value: str | None, field: str) -> int | None:
    """An id filter: blank is none; junk, or a number beyond any id, is refused."""
    if value is None or value == "":
        return None
    chosen = parse_id(value)
    if chosen is None:
        raise InvalidError(field, "The value of {field} is not valid.", field=field)
    return chosen


@router.get("/exports/trainees", name="export_trainees")
def export_trainees_file(
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    course_id: str | None = None,
    institution_id: str | None = None,
) -> Response:
    download = export_trainees(
        session,
        principal=principal,
        course_id=_optional_id(course_id, "course_id"),
        institution_id=_optional_id(institution_id, "institution_id"),
    )
    return _file_download(download)


@router.get("/exports/results", name="export_results")
def export_results_file(
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    course_id: str | None = None,
) -> Response:
    download = export_results(
        session, principal=principal, course_id=_optional_id(course_id, "course_id")
    )
    return _download(download)
