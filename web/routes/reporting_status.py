"""Who has reported to the new-jobs register (officials and administrators), and the
administrator's form for when each source must report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from models.enums import ReportSource
from models.errors import InvalidError
from models.tables import ReportingSchedule
from models.years import year_or_none
from web.auth import Principal
from web.deps import LanguageDep, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to
from web.labels import page_tools
from web.notices import Saved
from web.paging import pager, whole_or_none
from web.permissions import Permission, allow
from web.services import reporting_status as service
from web.templating import render

router = APIRouter()


@router.get("/reporting-status", response_class=HTMLResponse, name="reporting_status")
def reporting_status(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_REPORTING_STATUS))],
    lang: LanguageDep,
    year: str = "",
    late: str = "",
    page: str = "",
) -> Response:
    shown = service.status_page(
        session,
        principal=principal,
        year=year_or_none(year),
        only_late=late == "1",
        page=whole_or_none(page) or 1,
    )
    context = {
        "page": shown,
        "sources": ReportSource,
        "pager": pager(request, shown.status.page, shown.status.pages),
        **page_tools(lang),
    }
    return render(request, "reporting_status.html", context, lang=lang)


def _form_page(
    request: Request,
    lang: str,
    schedule: ReportingSchedule,
    form: service.ScheduleForm,
    errors: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    context = {
        "schedule": schedule,
        "form": form,
        "errors": errors or {},
        "sources": ReportSource,
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "reporting_schedule_form.html", context, lang=lang, status_code=status)


@router.get(
    "/reporting-status/schedules/{source}", response_class=HTMLResponse, name="schedule_edit"
)
def schedule_edit(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_SCHEDULES))],
    lang: LanguageDep,
    source: str,
) -> Response:
    schedule = service.editable_schedule(session, principal=principal, source=source)
    return _form_page(request, lang, schedule, service.ScheduleForm.of(schedule))


@router.post("/reporting-status/schedules/{source}", name="schedule_update")
def schedule_update(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_SCHEDULES))],
    lang: LanguageDep,
    source: str,
    fields: FormDep,
) -> Response:
    names = service.ScheduleForm.__dataclass_fields__
    form = service.ScheduleForm(**{name: field(fields, name) for name in names})
    try:
        service.update_schedule(session, principal=principal, source=source, form=form)
    except InvalidError as error:
        schedule = service.editable_schedule(session, principal=principal, source=source)
        return _form_page(request, lang, schedule, form, form_errors(error, lang))
    return redirect_to(request, "reporting_status", saved=Saved.SCHEDULE)
