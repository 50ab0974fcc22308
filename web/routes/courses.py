"""Course pages: the filtered list, registering and editing a course, one course with its
trainees, and the results of a whole course entered in one table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from models.clock import today
from models.errors import ConflictError, InvalidError
from models.i18n import message_for, translate
from models.ids import parse_id
from models.queries.courses import CourseChoices, CourseFilters, OrderChoice
from models.tables import Course, TrainingOccupation
from models.years import year_or_none
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to, redirect_to_query
from web.labels import LABELS, page_tools
from web.notices import Saved
from web.paging import pager, whole_or_none
from web.permissions import Permission, acts_for_institution, allow, allowed
from web.services import course_removal as removal_service
from web.services import course_results as results_service
from web.services import courses as course_service
from web.services.course_form import CourseForm
from web.templating import render

router = APIRouter()
SEARCH_MAX_CHARS = 100  # longer than any code, name and occupation together


# --- the course list -----------------------------------------------------------------------


@router.get("/courses", response_class=HTMLResponse, name="courses")
def courses(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_COURSES))],
    lang: LanguageDep,
    occupation: str = "",
    level: str = "",
    year: str = "",
    status: str = "",
    institution: str = "",
    q: str = "",
    page: str = "1",
    done: str = "",
) -> Response:
    filters = CourseFilters(
        institution_id=whole_or_none(institution),
        occupation_id=whole_or_none(occupation),
        level_code=level.strip() or None,
        year=year_or_none(year),
        status=status.strip() or None,
        text=q.strip()[:SEARCH_MAX_CHARS] or None,
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
        "notice": translate("The course has been deleted.", lang) if done == "deleted" else None,
        **page_tools(lang),
    }
    return render(request, "courses.html", context, lang=lang)


# --- registering and editing ---------------------------------------------------------------


def _course_form(fields: FormData) -> CourseForm:
    names = [name for name in CourseForm.__dataclass_fields__ if name != "mobile"]
    return CourseForm(
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
    form: CourseForm,
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
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_COURSES))],
    lang: LanguageDep,
) -> Response:
    form = CourseForm(start_date=today().isoformat(), end_date="")
    choices = course_service.course_choices(session, principal=principal)
    return _render_form(request, lang, form=form, choices=choices)


@router.post("/courses/new", name="course_create")
def course_create(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_COURSES))],
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    form = _course_form(fields)
    try:
        course = course_service.create_course(session, principal=principal, form=form)
    except InvalidError as error:
        choices = course_service.course_choices(session, principal=principal)
        errors = form_errors(error, lang)
        return _render_form(request, lang, form=form, choices=choices, errors=errors)
    return redirect_to(request, "course_detail", saved=Saved.COURSE_CREATED, course_id=course.id)


@router.get("/courses/{course_id}", response_class=HTMLResponse, name="course_detail")
def course_detail(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_COURSES))],
    lang: LanguageDep,
    course_id: RecordId,
    done: str = "",
) -> Response:
    notice = translate(NOTICES[done], lang) if done in NOTICES else None
    return _render_detail(request, session, principal, lang, course_id, notice=notice)


NOTICES = {
    "removed": "The enrolment has been removed.",
}


def _render_detail(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    course_id: int,
    *,
    notice: str | None = None,
    conflict: str | None = None,
) -> Response:
    data = course_service.open_course(session, principal=principal, course_id=course_id)
    can_enrol = acts_for_institution(
        principal, Permission.MANAGE_TRAINEES, data.view.course.institution_id
    )
    context = {
        "data": data,
        "can_enrol": can_enrol,
        "notice": notice,
        "conflict": conflict,
        **page_tools(lang),
    }
    status = 409 if conflict else 200
    return render(request, "courses_detail.html", context, lang=lang, status_code=status)


@router.post("/courses/{course_id}/enrolments/{enrolment_id}/remove", name="enrolment_remove")
def enrolment_remove(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    course_id: RecordId,
    enrolment_id: RecordId,
) -> Response:
    dependents = removal_service.remove_enrolment(
        session, principal=principal, course_id=course_id, enrolment_id=enrolment_id
    )
    if dependents:
        what = ", ".join(translate(each, lang) for each in dependents)
        conflict = translate(removal_service.ENROLMENT_IN_USE, lang, what=what)
        return _render_detail(request, session, principal, lang, course_id, conflict=conflict)
    return redirect_to_query(request, "course_detail", {"done": "removed"}, course_id=course_id)


@router.post("/courses/{course_id}/delete", name="course_delete")
def course_delete(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_COURSES))],
    lang: LanguageDep,
    course_id: RecordId,
) -> Response:
    try:
        removal_service.delete_course(session, principal=principal, course_id=course_id)
    except ConflictError as error:
        conflict = message_for(error, lang)
        return _render_detail(request, session, principal, lang, course_id, conflict=conflict)
    return redirect_to_query(request, "courses", {"done": "deleted"})


@router.get("/courses/{course_id}/edit", response_class=HTMLResponse, name="course_edit")
def course_edit(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_COURSES))],
    lang: LanguageDep,
    course_id: RecordId,
) -> Response:
    course = course_service.institution_course(session, principal=principal, course_id=course_id)
    choices = course_service.course_choices(session, principal=principal, course=course)
    form = CourseForm.from_course(course)
    return _render_form(request, lang, form=form, choices=choices, course=course)


@router.post("/courses/{course_id}/edit", name="course_update")
def course_update(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_COURSES))],
    lang: LanguageDep,
    course_id: RecordId,
    fields: FormDep,
) -> Response:
    form = _course_form(fields)
    try:
        course_service.update_course(session, principal=principal, course_id=course_id, form=form)
    except InvalidError as error:
        course = course_service.institution_course(
            session, principal=principal, course_id=course_id
        )
        choices = course_service.course_choices(session, principal=principal, course=course)
        errors = form_errors(error, lang)
        return _render_form(request, lang, form=form, choices=choices, course=course, errors=errors)
    return redirect_to(request, "course_detail", saved=Saved.COURSE_UPDATED, course_id=course_id)


# --- results of the whole course -----------------------------------------------------------


def _result_rows(fields: FormData) -> list[results_service.ResultInput]:
    rows = []
    for raw_id in fields.getlist("rows"):
        enrolment_id = parse_id(raw_id) if isinstance(raw_id, str) else None
        if enrolment_id is None:
            continue

        def cell(name: str, enrolment_id: int = enrolment_id) -> str:
            return field(fields, results_service.result_field(enrolment_id, name))

        rows.append(
            results_service.ResultInput(
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
        "cell": results_service.result_field,
        "certificate_default": results_service.default_certificate(data.view.course.level_code),
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "courses_results.html", context, lang=lang, status_code=status)


def _stored_values(data: course_service.CoursePageData) -> Callable[[int, str], str]:
    enrolments = {row.enrolment.id: row.enrolment for row in data.roster}
    default_kind = results_service.default_certificate(data.view.course.level_code)

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
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    course_id: RecordId,
) -> Response:
    data = results_service.results_sheet(session, principal=principal, course_id=course_id)
    return _render_results(request, lang, data, values=_stored_values(data))


@router.post("/courses/{course_id}/results", name="course_results_submit")
def course_results_submit(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    course_id: RecordId,
    fields: FormDep,
) -> Response:
    rows = _result_rows(fields)
    try:
        results_service.record_results(session, principal=principal, course_id=course_id, rows=rows)
    except InvalidError as error:
        data = results_service.results_sheet(session, principal=principal, course_id=course_id)

        def typed(enrolment_id: int, name: str) -> str:
            return field(fields, results_service.result_field(enrolment_id, name))

        errors = form_errors(error, lang)
        return _render_results(request, lang, data, values=typed, errors=errors)
    return redirect_to(request, "course_detail", saved=Saved.RESULTS, course_id=course_id)
