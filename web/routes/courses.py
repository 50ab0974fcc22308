"""Course pages: the filtered list, registering and editing a course, one course with its
trainees, and the results of a whole course entered in one table.

The small page helpers at the top (reading a form, paging, labels of stored codes, dates
shown dd/mm/yyyy) are shared by the trainee and user pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from models.clock import VIETNAM, today
from models.enums import (
    CertificateKind,
    CourseStatus,
    EnrolmentStatus,
    FundingSource,
    HouseholdStatus,
    Role,
    Sex,
)
from models.errors import InvalidError
from models.formatting import format_date
from models.i18n import messages_by_field, translate
from models.queries.courses import CourseChoices, CourseFilters, OrderChoice
from models.tables import Course, TrainingOccupation
from web.auth import CurrentUser
from web.deps import LanguageDep, SessionDep
from web.permissions import Permission, acts_for_institution, allowed
from web.services import courses as course_service
from web.templating import render

router = APIRouter()


# --- helpers shared by the trainee and user pages ------------------------------------------


async def _form_fields(request: Request) -> FormData:
    """The posted form, read once (the CSRF check has usually read it already)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(_form_fields)]


def field(fields: FormData, name: str) -> str:
    value = fields.get(name)
    return value if isinstance(value, str) else ""


def whole_or_none(text: str) -> int | None:
    """A filter or page number from the query string; junk is ignored, not an error."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


# Stored codes -> msgids of their labels: the English label is the msgid, so an English
# reader needs no catalogue entry; models/locale/vi.po holds the Vietnamese.
LABELS: dict[str, dict[str, str]] = {
    "course_status": {
        CourseStatus.PLANNED: "Planned",
        CourseStatus.RUNNING: "Under way",
        CourseStatus.FINISHED: "Finished",
        CourseStatus.CANCELLED: "Cancelled",
    },
    "funding": {  # the same labels as the training-order pages
        FundingSource.POVERTY_PROGRAMME: "National target programme: poverty reduction",
        FundingSource.ETHNIC_PROGRAMME: "National target programme: ethnic minority areas",
        FundingSource.RURAL_PROGRAMME: "National target programme: new rural areas",
        FundingSource.LEARNER_SUPPORT: "Learner support (QĐ 46/2015)",
        FundingSource.PROVINCE_BUDGET: "Province budget",
        FundingSource.EMPLOYER: "The employer",
        FundingSource.LEARNER: "The learners",
    },
    "enrolment_status": {
        EnrolmentStatus.STUDYING: "Studying",
        EnrolmentStatus.DROPPED: "Dropped out",
        EnrolmentStatus.COMPLETED: "Completed",
        EnrolmentStatus.GRADUATED: "Graduated",
    },
    "certificate": {
        CertificateKind.COLLEGE_DIPLOMA: "College diploma",
        CertificateKind.INTERMEDIATE_DIPLOMA: "Intermediate diploma",
        CertificateKind.ELEMENTARY_CERTIFICATE: "Elementary certificate",
        CertificateKind.TRAINING_CERTIFICATE: "Training certificate",
        CertificateKind.COMPLETION_CERTIFICATE: "Certificate of completion",
        CertificateKind.NATIONAL_SKILLS: "National vocational skills certificate",
    },
    "result": {"dat": "Passed", "khong_dat": "Failed"},
    "sex": {Sex.MALE: "Male", Sex.FEMALE: "Female"},
    "household": {
        HouseholdStatus.POOR: "Poor household",
        HouseholdStatus.NEAR_POOR: "Near-poor household",
    },
    "role": {
        Role.ADMIN: "role:admin",
        Role.OFFICIAL: "role:official",
        Role.INSTITUTION: "role:institution",
        Role.EMPLOYER: "role:employer",
    },
}


def page_tools(lang: str) -> dict[str, Any]:
    """What every page of these areas uses: labels of stored codes in the reader's language
    (an unknown code is shown as stored) and dates as dd/mm/yyyy."""

    def label(kind: str, code: str | None) -> str:
        if not code:
            return ""
        msgid = LABELS[kind].get(code)
        return translate(msgid, lang) if msgid else code

    def show_date(value: date | datetime | None) -> str:
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(VIETNAM)  # a moment is shown on Vietnam's calendar
        return format_date(value, lang) if value else ""

    return {"labels": LABELS, "label": label, "show_date": show_date}


def pager(request: Request, page: int, pages: int) -> dict[str, str | int | None]:
    """Links to the previous and next page, keeping the other query parameters."""

    def link(number: int) -> str | None:
        if not 1 <= number <= pages or number == page:
            return None
        query = {k: v for k, v in request.query_params.items() if k != "page" and v}
        return request.url.path + "?" + urlencode({**query, "page": number})

    return {"page": page, "pages": pages, "previous": link(page - 1), "next": link(page + 1)}


def redirect_to(request: Request, route: str, **params: Any) -> RedirectResponse:
    return RedirectResponse(str(request.url_for(route, **params).path), status_code=303)


def form_errors(error: InvalidError, lang: str) -> dict[str, list[str]]:
    return messages_by_field(error, lang)


# --- the course list -----------------------------------------------------------------------


@router.get("/courses", response_class=HTMLResponse, name="courses")
def courses(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    occupation: str = "",
    level: str = "",
    year: str = "",
    status: str = "",
    page: str = "1",
) -> Response:
    filters = CourseFilters(
        occupation_id=whole_or_none(occupation),
        level_code=level.strip() or None,
        year=whole_or_none(year),
        status=status.strip() or None,
    )
    result = course_service.course_list(
        session, principal=principal, filters=filters, page=whole_or_none(page) or 1
    )
    context = {
        "result": result,
        "filters": filters,
        "choices": course_service.filter_choices(session, principal=principal),
        "can_create": allowed(principal, Permission.MANAGE_COURSES),
        "show_institution": principal.user.institution_id is None,
        "pager": pager(request, result.page, result.pages),
        **page_tools(lang),
    }
    return render(request, "courses.html", context, lang=lang)


# --- registering and editing ---------------------------------------------------------------


def _course_form(fields: FormData) -> course_service.CourseForm:
    names = [name for name in course_service.CourseForm.__dataclass_fields__ if name != "mobile"]
    return course_service.CourseForm(
        **{name: field(fields, name) for name in names}, mobile=bool(field(fields, "mobile"))
    )


def _form_options(choices: CourseChoices, lang: str) -> dict[str, list[tuple[Any, str]]]:
    """(value, label) pairs of every select of the course form, labels in the reader's
    language; an occupation shows the levels it may be taught at."""
    level_names = {option.value: option.label for option in choices.levels}

    def occupation_label(occupation: TrainingOccupation) -> str:
        levels = ", ".join(level_names.get(code, code) for code in occupation.levels)
        return f"{occupation.name} ({levels})"

    def order_label(choice: OrderChoice) -> str:
        return translate(
            "Order no. {id}: {employer}, {occupation}, {quantity} people",
            lang,
            id=choice.order.id,
            employer=choice.employer_name,
            occupation=choice.occupation_name,
            quantity=choice.order.quantity,
        )

    return {
        "institutions": [(each.id, each.name) for each in choices.institutions],
        "occupations": [(each.id, occupation_label(each)) for each in choices.occupations],
        "levels": [(each.value, each.label) for each in choices.levels],
        "communes": [(each.value, each.label) for each in choices.communes],
        "orders": [(each.order.id, order_label(each)) for each in choices.orders],
        "funding": [(code, translate(msgid, lang)) for code, msgid in LABELS["funding"].items()],
        "statuses": [
            (code, translate(msgid, lang)) for code, msgid in LABELS["course_status"].items()
        ],
    }


def _render_form(
    request: Request,
    lang: str,
    *,
    form: course_service.CourseForm,
    choices: CourseChoices,
    course: Course | None = None,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context = {
        "form": form,
        "options": _form_options(choices, lang),
        "course": course,
        "errors": errors or {},
    }
    status = 400 if errors else 200
    return render(
        request, "courses_form.html", context | page_tools(lang), lang=lang, status_code=status
    )


@router.get("/courses/new", response_class=HTMLResponse, name="course_new")
def course_new(
    request: Request, session: SessionDep, principal: CurrentUser, lang: LanguageDep
) -> Response:
    course_service.require_course_editor(principal)
    form = course_service.CourseForm(start_date=today().isoformat(), end_date="")
    choices = course_service.course_choices(session, principal=principal)
    return _render_form(request, lang, form=form, choices=choices)


@router.post("/courses/new", name="course_create")
def course_create(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    form = _course_form(fields)
    try:
        course = course_service.create_course(session, principal=principal, form=form)
    except InvalidError as error:
        session.rollback()
        choices = course_service.course_choices(session, principal=principal)
        errors = form_errors(error, lang)
        return _render_form(request, lang, form=form, choices=choices, errors=errors)
    return redirect_to(request, "course_detail", course_id=course.id)


@router.get("/courses/{course_id}", response_class=HTMLResponse, name="course_detail")
def course_detail(
    request: Request, session: SessionDep, principal: CurrentUser, lang: LanguageDep, course_id: int
) -> Response:
    data = course_service.open_course(session, principal=principal, course_id=course_id)
    can_enrol = acts_for_institution(
        principal, Permission.MANAGE_TRAINEES, data.view.course.institution_id
    )
    context = {"data": data, "can_enrol": can_enrol, **page_tools(lang)}
    return render(request, "courses_detail.html", context, lang=lang)


@router.get("/courses/{course_id}/edit", response_class=HTMLResponse, name="course_edit")
def course_edit(
    request: Request, session: SessionDep, principal: CurrentUser, lang: LanguageDep, course_id: int
) -> Response:
    course = course_service.editable_course(session, principal=principal, course_id=course_id)
    choices = course_service.course_choices(session, principal=principal, course=course)
    form = course_service.CourseForm.from_course(course)
    return _render_form(request, lang, form=form, choices=choices, course=course)


@router.post("/courses/{course_id}/edit", name="course_update")
def course_update(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    course_id: int,
    fields: FormDep,
) -> Response:
    form = _course_form(fields)
    try:
        course_service.update_course(session, principal=principal, course_id=course_id, form=form)
    except InvalidError as error:
        session.rollback()
        course = course_service.editable_course(session, principal=principal, course_id=course_id)
        choices = course_service.course_choices(session, principal=principal, course=course)
        errors = form_errors(error, lang)
        return _render_form(request, lang, form=form, choices=choices, course=course, errors=errors)
    return redirect_to(request, "course_detail", course_id=course_id)


# --- results of the whole course -----------------------------------------------------------


def _result_rows(fields: FormData) -> list[course_service.ResultInput]:
    rows = []
    for raw_id in fields.getlist("rows"):
        if not isinstance(raw_id, str) or not raw_id.isdigit():
            continue
        enrolment_id = int(raw_id)

        def cell(name: str, enrolment_id: int = enrolment_id) -> str:
            return field(fields, course_service.result_field(enrolment_id, name))

        rows.append(
            course_service.ResultInput(
                enrolment_id=enrolment_id,
                status=cell("status"),
                result=cell("result"),
                graduated_on=cell("graduated_on"),
                certificate_kind=cell("certificate_kind"),
                certificate_number=cell("certificate_number"),
            )
        )
    return rows


def _render_results(
    request: Request,
    lang: str,
    data: course_service.CoursePageData,
    *,
    values: Callable[[int, str], str],
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context = {
        "data": data,
        "values": values,
        "errors": errors or {},
        "cell": course_service.result_field,
        "certificate_default": course_service.default_certificate(data.view.course.level_code),
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "courses_results.html", context, lang=lang, status_code=status)


def _stored_values(data: course_service.CoursePageData) -> Callable[[int, str], str]:
    enrolments = {row.enrolment.id: row.enrolment for row in data.roster}
    default_kind = course_service.default_certificate(data.view.course.level_code)

    def value(enrolment_id: int, name: str) -> str:
        stored = getattr(enrolments[enrolment_id], name)
        if name == "certificate_kind":
            return stored or default_kind
        if isinstance(stored, date):
            return stored.isoformat()
        return "" if stored is None else str(stored)

    return value


@router.get("/courses/{course_id}/results", response_class=HTMLResponse, name="course_results")
def course_results(
    request: Request, session: SessionDep, principal: CurrentUser, lang: LanguageDep, course_id: int
) -> Response:
    data = course_service.results_sheet(session, principal=principal, course_id=course_id)
    return _render_results(request, lang, data, values=_stored_values(data))


@router.post("/courses/{course_id}/results", name="course_results_submit")
def course_results_submit(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    lang: LanguageDep,
    course_id: int,
    fields: FormDep,
) -> Response:
    rows = _result_rows(fields)
    try:
        course_service.record_results(session, principal=principal, course_id=course_id, rows=rows)
    except InvalidError as error:
        session.rollback()
        data = course_service.results_sheet(session, principal=principal, course_id=course_id)

        def typed(enrolment_id: int, name: str) -> str:
            return field(fields, course_service.result_field(enrolment_id, name))

        errors = form_errors(error, lang)
        return _render_results(request, lang, data, values=typed, errors=errors)
    return redirect_to(request, "course_detail", course_id=course_id)
