"""People's requests about their own data: recording one from the person's page, the list of
open requests with their due dates, closing one with its outcome, and the "my data" export
for a request of access. Officials and administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from models.clock import today
from models.enums import DataRequestChannel, DataRequestKind, DataRequestOutcome
from models.errors import ConflictError, InvalidError
from models.i18n import message_for, translate
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to_query
from web.labels import page_tools
from web.permissions import Permission, allow
from web.services import data_requests as service
from web.services import person_edit
from web.templating import render

router = APIRouter()
Staff = Annotated[Principal, Depends(allow(Permission.HANDLE_DATA_REQUESTS))]
KINDS = {
    DataRequestKind.ACCESS: "A copy of their data",
    DataRequestKind.CORRECTION: "A correction of their data",
    DataRequestKind.DELETION: "Deletion of their data",
}
CHANNELS = {
    DataRequestChannel.IN_PERSON: "In person",
    DataRequestChannel.PHONE: "By phone",
    DataRequestChannel.WRITTEN: "In writing",
}
OUTCOMES = {
    DataRequestOutcome.DONE: "Done as asked",
    DataRequestOutcome.REFUSED: "Refused, with the reason given",
    DataRequestOutcome.WITHDRAWN: "Withdrawn by the person",
}
NOTICES = {
    "recorded": "The request has been recorded.",
    "closed": "The request has been closed.",
}


def _labels(lang: str) -> dict[str, Any]:
    def pairs(table: dict[Any, str]) -> list[tuple[str, str]]:
        return [(key.value, translate(label, lang)) for key, label in table.items()]

    return {"kinds": pairs(KINDS), "channels": pairs(CHANNELS), "outcomes": pairs(OUTCOMES)}


def _list(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    *,
    notice: str | None = None,
    conflict: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "rows": service.open_requests(session, principal=principal),
        "notice": notice,
        "conflict": conflict,
        "days": service.deadline_days(session),
        **_labels(lang),
        **page_tools(lang),
    }
    return render(request, "data_requests.html", context, lang=lang, status_code=status)


@router.get("/data-requests", response_class=HTMLResponse, name="data_requests")
def data_requests(
    request: Request, session: SessionDep, principal: Staff, lang: LanguageDep, done: str = ""
) -> Response:
    notice = translate(NOTICES[done], lang) if done in NOTICES else None
    return _list(request, session, principal, lang, notice=notice)


def _new_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    person_id: int,
    form: service.RequestForm,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    person = person_edit.editable_person(session, principal=principal, person_id=person_id)
    context = {
        "person": person,
        "form": form,
        "errors": errors or {},
        "days": service.deadline_days(session),
        "earlier": service.person_requests(session, person_id),
        **_labels(lang),
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "data_requests_new.html", context, lang=lang, status_code=status)


@router.get(
    "/trainees/{person_id}/data-requests/new",
    response_class=HTMLResponse,
    name="data_request_new",
)
def data_request_new(
    request: Request, session: SessionDep, principal: Staff, lang: LanguageDep, person_id: RecordId
) -> Response:
    form = service.RequestForm(received_on=today().isoformat())
    return _new_page(request, session, principal, lang, person_id, form)


@router.post("/trainees/{person_id}/data-requests/new", name="data_request_create")
def data_request_create(
    request: Request,
    session: SessionDep,
    principal: Staff,
    lang: LanguageDep,
    person_id: RecordId,
    fields: FormDep,
) -> Response:
    form = service.RequestForm(
        **{name: field(fields, name) for name in service.RequestForm.__dataclass_fields__}
    )
    person_edit.editable_person(session, principal=principal, person_id=person_id)
    try:
        service.record_request(session, principal=principal, person_id=person_id, form=form)
    except InvalidError as error:
        errors = form_errors(error, lang)
        return _new_page(request, session, principal, lang, person_id, form, errors)
    return redirect_to_query(request, "data_requests", {"done": "recorded"})


@router.post("/data-requests/{request_id}/close", name="data_request_close")
def data_request_close(
    request: Request,
    session: SessionDep,
    principal: Staff,
    lang: LanguageDep,
    request_id: RecordId,
    fields: FormDep,
) -> Response:
    try:
        service.close_request(
            session,
            principal=principal,
            request_id=request_id,
            outcome=field(fields, "outcome"),
            note=field(fields, "outcome_note"),
        )
    except (InvalidError, ConflictError) as error:
        message = message_for(error, lang)
        return _list(request, session, principal, lang, conflict=message, status=error.status_code)
    return redirect_to_query(request, "data_requests", {"done": "closed"})


@router.get("/trainees/{person_id}/my-data.csv", name="person_data_export")
def person_data_export(session: SessionDep, principal: Staff, person_id: RecordId) -> Response:
    """What the platform holds about the person (a request of access), with a byte-order
    mark so Excel reads the Vietnamese."""
    body = service.my_data_csv(session, principal=principal, person_id=person_id)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="du-lieu-ca-nhan-{person_id}.csv"'},
    )
