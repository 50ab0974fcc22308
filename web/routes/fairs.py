"""Job fairs and online job sessions: the list, a session's form and page, employers' vacancy
registrations, the invitation lists by commune (printable page and CSV), the day's phone page
with its one-tap forms, and the session's report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from models.clock import today
from models.errors import AppError, InvalidError, NotFoundError
from models.i18n import translate
from models.queries.reference import commune_options
from models.validation.phone import display_phone
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.display import display_tools
from web.forms import FormDep, field, form_errors, redirect_to
from web.labels import page_tools
from web.notices import Saved
from web.permissions import Permission, allow
from web.services.fairs import day, invitations, registrations, sessions, views
from web.services.fairs.access import is_staff, staff_fair
from web.services.person_form import PersonForm
from web.services.trainees import ethnicity_choices
from web.templating import render

router = APIRouter()
Staff = Annotated[Principal, Depends(allow(Permission.RUN_JOB_FAIRS))]
Viewer = Annotated[Principal, Depends(allow(Permission.VIEW_JOB_FAIRS))]
Employer = Annotated[Principal, Depends(allow(Permission.MANAGE_VACANCIES))]


def _tools(lang: str) -> dict[str, Any]:
    return {**page_tools(lang), **display_tools(lang)}


@router.get("/job-fairs", response_class=HTMLResponse, name="job_fairs")
def job_fairs(
    request: Request, session: SessionDep, principal: Viewer, lang: LanguageDep
) -> HTMLResponse:
    fairs = sessions.fairs_for(session, principal=principal)
    context = {"fairs": fairs, "staff": is_staff(principal), **_tools(lang)}
    return render(request, "job_fairs.html", context, lang=lang)


def _form_page(
    request: Request,
    session: SessionDep,
    lang: str,
    *,
    form: sessions.FairForm,
    fair_id: int | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    context = {
        "form": form,
        "fair_id": fair_id,
        "communes": commune_options(session, on=today()),
        "errors": errors or {},
        **_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "job_fair_form.html", context, lang=lang, status_code=status)


def _posted(posted: FormData) -> sessions.FairForm:
    return sessions.FairForm(
        title=field(posted, "title"),
        held_on=field(posted, "held_on"),
        online=field(posted, "online") == "1",
        place=field(posted, "place"),
        communes=[each for each in posted.getlist("communes") if isinstance(each, str)],
    )


@router.get("/job-fairs/new", response_class=HTMLResponse, name="job_fair_new")
def job_fair_new(
    request: Request, session: SessionDep, principal: Staff, lang: LanguageDep
) -> HTMLResponse:
    return _form_page(request, session, lang, form=sessions.FairForm())


@router.post("/job-fairs", name="job_fair_create")
def job_fair_create(
    request: Request, session: SessionDep, principal: Staff, lang: LanguageDep, posted: FormDep
) -> Response:
    form = _posted(posted)
    try:
        fair = sessions.create_fair(session, principal=principal, form=form)
    except AppError as error:
        return _form_page(request, session, lang, form=form, errors=form_errors(error, lang))
    return redirect_to(request, "job_fair", saved=Saved.FAIR_SAVED, fair_id=fair.id)


@router.get("/job-fairs/{fair_id}", response_class=HTMLResponse, name="job_fair")
def job_fair(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Viewer, lang: LanguageDep
) -> HTMLResponse:
    page = views.fair_page(session, principal=principal, fair_id=fair_id)
    context = {"page": page, "today": today(), **_tools(lang)}
    return render(request, "job_fair.html", context, lang=lang)


@router.get("/job-fairs/{fair_id}/edit", response_class=HTMLResponse, name="job_fair_edit")
def job_fair_edit(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Staff, lang: LanguageDep
) -> HTMLResponse:
    fair = staff_fair(session, principal, fair_id)
    form = sessions.form_of(session, fair)
    return _form_page(request, session, lang, form=form, fair_id=fair_id)


@router.post("/job-fairs/{fair_id}/edit", name="job_fair_update")
def job_fair_update(
    request: Request,
    fair_id: RecordId,
    session: SessionDep,
    principal: Staff,
    lang: LanguageDep,
    posted: FormDep,
) -> Response:
    form = _posted(posted)
    try:
        sessions.update_fair(session, principal=principal, fair_id=fair_id, form=form)
    except InvalidError as error:
        errors = form_errors(error, lang)
        return _form_page(request, session, lang, form=form, fair_id=fair_id, errors=errors)
    return redirect_to(request, "job_fair", saved=Saved.FAIR_SAVED, fair_id=fair_id)


@router.post("/job-fairs/{fair_id}/cancel", name="job_fair_cancel")
def job_fair_cancel(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Staff
) -> Response:
    sessions.cancel_fair(session, principal=principal, fair_id=fair_id)
    return redirect_to(request, "job_fair", saved=Saved.FAIR_CANCELLED, fair_id=fair_id)


def _record_id(value: str, name: str) -> int:
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12 or int(text) < 1:
        raise InvalidError(name, "Choose from the list.")
    return int(text)


@router.post("/job-fairs/{fair_id}/vacancies", name="job_fair_register")
def job_fair_register(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Employer, posted: FormDep
) -> Response:
    registrations.register_vacancy(
        session, principal=principal, fair_id=fair_id, vacancy=field(posted, "vacancy_id")
    )
    return redirect_to(request, "job_fair", saved=Saved.FAIR_VACANCY, fair_id=fair_id)


@router.post(
    "/job-fairs/{fair_id}/vacancies/{vacancy_id}/withdraw", name="job_fair_vacancy_withdraw"
)
def job_fair_vacancy_withdraw(
    request: Request,
    fair_id: RecordId,
    vacancy_id: RecordId,
    session: SessionDep,
    principal: Employer,
) -> Response:
    registrations.withdraw_vacancy(
        session, principal=principal, fair_id=fair_id, vacancy_id=vacancy_id
    )
    return redirect_to(request, "job_fair", saved=Saved.FAIR_VACANCY_WITHDRAWN, fair_id=fair_id)


@router.post("/job-fairs/{fair_id}/invitations", name="job_fair_invite")
def job_fair_invite(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Staff
) -> Response:
    invitations.make_invitations(session, principal=principal, fair_id=fair_id)
    return redirect_to(request, "job_fair_invitations", saved=Saved.FAIR_INVITED, fair_id=fair_id)


@router.get(
    "/job-fairs/{fair_id}/invitations", response_class=HTMLResponse, name="job_fair_invitations"
)
def job_fair_invitations(
    request: Request,
    fair_id: RecordId,
    session: SessionDep,
    principal: Viewer,
    lang: LanguageDep,
    commune: str = "",
) -> HTMLResponse:
    invited = invitations.invitations(
        session, principal=principal, fair_id=fair_id, commune=commune[:5]
    )
    context = {
        "invited": invited,
        "commune": commune[:5],
        "show_phone": display_phone,
        **_tools(lang),
    }
    response = render(request, "job_fair_invitations.html", context, lang=lang)
    response.headers["Cache-Control"] = "no-store"  # phones: not kept in shared caches
    return response


@router.get("/job-fairs/{fair_id}/invitations.csv", name="job_fair_invitations_csv")
def job_fair_invitations_csv(
    fair_id: RecordId,
    session: SessionDep,
    principal: Viewer,
    lang: LanguageDep,
    commune: str = "",
) -> Response:
    invited = invitations.invitations(
        session, principal=principal, fair_id=fair_id, commune=commune[:5]
    )
    headers = [translate(each, lang) for each in invitations.HEADERS]
    kinds = {kind: translate(msgid, lang) for kind, msgid in invitations.KIND_LABELS.items()}
    content = invitations.invitations_csv(invited, headers, kinds)
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="job-fair-{fair_id}-invitations.csv"',
            "Cache-Control": "no-store",
        },
    )


def _day_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    fair_id: int,
    *,
    errors: dict[str, list[str]] | None = None,
    walk_in: PersonForm | None = None,
    status: int = 400,
) -> HTMLResponse:
    page = views.day_page(session, principal=principal, fair_id=fair_id)
    context = {
        "page": page,
        "errors": errors or {},
        "walk_in": walk_in or PersonForm(),
        "communes": commune_options(session, on=today()),
        "ethnicities": ethnicity_choices(session),
        **_tools(lang),
    }
    code = status if errors else 200
    return render(request, "job_fair_day.html", context, lang=lang, status_code=code)


def _at_the_top(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A one-tap button has no field of its own: its messages are shown above the list."""
    return {"": [message for messages in errors.values() for message in messages]}


def _unless_missing(error: AppError) -> None:
    """A session, person or vacancy out of reach is answered as missing, not on the page."""
    if isinstance(error, NotFoundError):
        raise error


def _tap_refused(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    fair_id: int,
    error: AppError,
) -> Response:
    """The day page again, with why a one-tap step was refused above the list."""
    _unless_missing(error)
    errors = _at_the_top(form_errors(error, lang))
    return _day_page(
        request, session, principal, lang, fair_id, errors=errors, status=error.status_code
    )


@router.get("/job-fairs/{fair_id}/day", response_class=HTMLResponse, name="job_fair_day")
def job_fair_day(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Staff, lang: LanguageDep
) -> HTMLResponse:
    return _day_page(request, session, principal, lang, fair_id)


@router.post("/job-fairs/{fair_id}/day/attend", name="job_fair_attend")
def job_fair_attend(
    request: Request,
    fair_id: RecordId,
    session: SessionDep,
    principal: Staff,
    lang: LanguageDep,
    posted: FormDep,
) -> Response:
    try:
        person_id = _record_id(field(posted, "person_id"), "person_id")
        day.attend(session, principal=principal, fair_id=fair_id, person_id=person_id)
    except AppError as error:
        return _tap_refused(request, session, principal, lang, fair_id, error)
    return redirect_to(request, "job_fair_day", saved=Saved.FAIR_RECORDED, fair_id=fair_id)


@router.post("/job-fairs/{fair_id}/day/steps", name="job_fair_step")
def job_fair_step(
    request: Request,
    fair_id: RecordId,
    session: SessionDep,
    principal: Staff,
    lang: LanguageDep,
    posted: FormDep,
) -> Response:
    try:
        day.record_step(
            session,
            principal=principal,
            fair_id=fair_id,
            person_id=_record_id(field(posted, "person_id"), "person_id"),
            vacancy_id=_record_id(field(posted, "vacancy_id"), "vacancy_id"),
            step=field(posted, "step"),
        )
    except AppError as error:
        return _tap_refused(request, session, principal, lang, fair_id, error)
    return redirect_to(request, "job_fair_day", saved=Saved.FAIR_RECORDED, fair_id=fair_id)


@router.post("/job-fairs/{fair_id}/day/walk-in", name="job_fair_walk_in")
def job_fair_walk_in(
    request: Request,
    fair_id: RecordId,
    session: SessionDep,
    principal: Staff,
    lang: LanguageDep,
    posted: FormDep,
) -> Response:
    form = PersonForm(
        citizen_id=field(posted, "citizen_id"),
        full_name=field(posted, "full_name"),
        birth_date=field(posted, "birth_date"),
        sex=field(posted, "sex"),
        ethnicity_code=field(posted, "ethnicity_code"),
        commune_code=field(posted, "commune_code"),
        phone=field(posted, "phone"),
        consent=field(posted, "consent") == "1",
    )
    try:
        day.add_walk_in(session, principal=principal, fair_id=fair_id, form=form)
    except AppError as error:
        _unless_missing(error)
        errors = form_errors(error, lang)
        return _day_page(
            request,
            session,
            principal,
            lang,
            fair_id,
            errors=errors,
            walk_in=form,
            status=error.status_code,
        )
    return redirect_to(request, "job_fair_day", saved=Saved.FAIR_RECORDED, fair_id=fair_id)


@router.get("/job-fairs/{fair_id}/report", response_class=HTMLResponse, name="job_fair_report")
def job_fair_report(
    request: Request, fair_id: RecordId, session: SessionDep, principal: Staff, lang: LanguageDep
) -> HTMLResponse:
    page = views.report_page(session, principal=principal, fair_id=fair_id)
    return render(request, "job_fair_report.html", {"page": page, **_tools(lang)}, lang=lang)
