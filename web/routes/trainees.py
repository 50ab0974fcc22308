"""Trainee pages: the register (search by name with or without diacritics, or citizen ID), a
person's record with their consent, and enrolling a person into a course."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from models.clock import today
from models.enums import HouseholdStatus, Sex
from models.errors import ConflictError, InvalidError, NotFoundError
from models.i18n import message_for, translate
from models.ids import whole_or_none
from models.queries import counting
from models.queries.people import PageAt, TraineePage
from models.queries.reference import commune_options
from models.queries.vacancies import open_job_options
from models.tables import Person
from models.validation import display_phone
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to, redirect_to_query
from web.labels import page_tools
from web.notices import Saved
from web.paging import whole_or_none as page_number
from web.paths import path_for
from web.permissions import Permission, acts_for_institution, allow, allowed
from web.services import courses as course_service
from web.services import person_edit
from web.services import trainees as trainee_service
from web.services.applications.apply import apply_for_trainee
from web.services.person_form import PersonForm
from web.services.personal_data import audit_view
from web.templating import render

router = APIRouter()


def _page_at(page: str, after: str, before: str) -> PageAt:
    """Where the page starts, from the address or the search form; junk is ignored."""
    return PageAt(page_number(page) or 1, page_number(after), page_number(before))


def _links(request: Request, result: TraineePage) -> dict[str, str | None]:
    """The previous and next pages' addresses: after the last person shown, before the
    first (ids only: no name travels in an address)."""

    def link(page: int, cursor: dict[str, int]) -> str:
        return path_for(request, "trainees") + "?" + urlencode({"page": page, **cursor})

    following, earlier = result.next_after, result.previous_before
    return {
        "next": None if following is None else link(result.page + 1, {"after": following}),
        "previous": None if earlier is None else link(result.page - 1, {"before": earlier}),
    }


def _trainee_page(
    request: Request, session: SessionDep, principal: Principal, lang: str, q: str, at: PageAt
) -> Response:
    result = trainee_service.trainee_list(session, principal=principal, text=q, at=at)
    context = {
        "result": result,
        "q": q,
        # Searches travel in a POST body, never in the address: names and ID numbers must
        # not end up in URLs or server logs. Browsing without a search pages by link.
        "pager": {
            "page": result.page,
            "pages": result.pages,
            "search": bool(q.strip()),
            "next_after": result.next_after,
            "previous_before": result.previous_before,
            **_links(request, result),
        },
        "count_limit": counting.COUNT_LIMIT,
        **page_tools(lang),
    }
    return render(request, "trainees.html", context, lang=lang)


@router.get("/trainees", response_class=HTMLResponse, name="trainees")
def trainees(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    lang: LanguageDep,
    page: str = "1",
    after: str = "",
    before: str = "",
) -> Response:
    return _trainee_page(request, session, principal, lang, "", _page_at(page, after, before))


@router.post("/trainees", response_class=HTMLResponse, name="trainees_search")
def trainees_search(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    at = _page_at(field(fields, "page"), field(fields, "after"), field(fields, "before"))
    return _trainee_page(request, session, principal, lang, field(fields, "q"), at)


@router.get("/trainees/{person_id}", response_class=HTMLResponse, name="trainee_detail")
def trainee_detail(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_TRAINEES))],
    lang: LanguageDep,
    person_id: RecordId,
    done: str = "",
) -> Response:
    return _detail_page(request, session, principal, lang, person_id, done=done)


def _detail_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    person_id: int,
    *,
    done: str = "",
    apply_error: str = "",
) -> Response:
    shown = trainee_service.open_person(session, principal=principal, person_id=person_id)
    record = shown.record
    institutions = {row.institution.id for row in record.enrolments}
    can_manage = any(
        acts_for_institution(principal, Permission.MANAGE_TRAINEES, institution_id)
        for institution_id in institutions
    )
    phone = display_phone(record.person.phone) if record.person.phone else ""
    context = {
        "record": record,
        "enrolled_elsewhere": shown.enrolled_elsewhere,
        "phone": phone,
        "can_manage": can_manage,
        "can_edit": allowed(principal, Permission.EDIT_PEOPLE),
        "can_handle_requests": allowed(principal, Permission.HANDLE_DATA_REQUESTS),
        "changes": person_edit.history(session, person_id),
        "field_labels": CHANGE_LABELS,
        "notice": translate(NOTICES[done], lang) if done in NOTICES else None,
        "open_jobs": open_job_options(session, on=today()) if can_manage else [],
        "apply_error": apply_error,
        **page_tools(lang),
    }
    status = 400 if apply_error else 200
    return render(request, "trainees_detail.html", context, lang=lang, status_code=status)


NOTICES = {
    "edited": "The record has been corrected; the old values are kept in its history.",
    "unchanged": "Nothing was changed.",
    "request": "The request has been recorded.",
}
CHANGE_LABELS = {
    "full_name": "Full name",
    "birth_date": "Date of birth",
    "sex": "Sex",
    "ethnicity_code": "Ethnic group",
    "commune_code": "Commune of residence",
    "village": "Village (thôn, bản)",
    "phone": "Phone",
    "household_status": "Household",
    "has_disability": "Has a disability",
    "in_difficult_village": "Lives in an especially difficult village",
}


def _person_form(fields: FormData) -> PersonForm:
    def text(name: str) -> str:
        return field(fields, name)

    return PersonForm(
        full_name=text("full_name"),
        birth_date=text("birth_date"),
        sex=text("sex"),
        ethnicity_code=text("ethnicity_code"),
        commune_code=text("commune_code"),
        village=text("village"),
        phone=text("phone"),
        household_status=text("household_status"),
        has_disability=bool(text("has_disability")),
        in_difficult_village=bool(text("in_difficult_village")),
    )


def _render_edit(
    request: Request,
    session: SessionDep,
    lang: str,
    person: Person,
    form: PersonForm,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context = {
        "person": person,
        "form": form,
        "errors": errors or {},
        "ethnicities": trainee_service.ethnicity_choices(session),
        "communes": commune_options(session, on=today()),
        "sexes": [sex.value for sex in Sex],
        "households": [status.value for status in HouseholdStatus],
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "trainees_edit.html", context, lang=lang, status_code=status)


@router.get("/trainees/{person_id}/edit", response_class=HTMLResponse, name="trainee_edit")
def trainee_edit(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_PEOPLE))],
    lang: LanguageDep,
    person_id: RecordId,
) -> Response:
    person = person_edit.editable_person(session, principal=principal, person_id=person_id)
    audit_view(session, principal, "person_edit", person_id=person_id)
    return _render_edit(request, session, lang, person, person_edit.form_of(person))


@router.post("/trainees/{person_id}/edit", name="trainee_update")
def trainee_update(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.EDIT_PEOPLE))],
    lang: LanguageDep,
    person_id: RecordId,
    fields: FormDep,
) -> Response:
    form = _person_form(fields)
    try:
        changed = person_edit.update_person(
            session, principal=principal, person_id=person_id, form=form
        )
    except InvalidError as error:
        person = person_edit.editable_person(session, principal=principal, person_id=person_id)
        return _render_edit(request, session, lang, person, form, form_errors(error, lang))
    done = "edited" if changed else "unchanged"
    return redirect_to_query(request, "trainee_detail", {"done": done}, person_id=person_id)


@router.post("/trainees/{person_id}/apply", name="trainee_apply")
def trainee_apply(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    person_id: RecordId,
    fields: FormDep,
) -> Response:
    """The institution applies to a job for its trainee, who asked it to."""
    vacancy_id = whole_or_none(field(fields, "vacancy_id"))
    try:
        apply_for_trainee(session, principal=principal, person_id=person_id, vacancy_id=vacancy_id)
    except (InvalidError, ConflictError) as error:
        return _detail_page(
            request, session, principal, lang, person_id, apply_error=message_for(error, lang)
        )
    return redirect_to(request, "trainee_detail", saved=Saved.APPLIED_FOR, person_id=person_id)


@router.post("/trainees/{person_id}/consent", name="trainee_consent")
def trainee_consent(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    person_id: RecordId,
    fields: FormDep,
) -> Response:
    consent = field(fields, "consent") == "1"
    trainee_service.set_consent(session, principal=principal, person_id=person_id, consent=consent)
    return redirect_to(request, "trainee_detail", saved=Saved.CONSENT, person_id=person_id)


# --- enrolling a person into a course ------------------------------------------------------


def _enrol_form(fields: FormData) -> trainee_service.EnrolForm:
    def text(name: str) -> str:
        return field(fields, name)

    person = replace(
        _person_form(fields), citizen_id=text("citizen_id"), consent=bool(text("consent"))
    )
    return trainee_service.EnrolForm(
        person=person,
        existing=text("existing") == "1",
        enrolled_on=text("enrolled_on"),
        support_amount=text("support_amount"),
        confirmed_new=bool(text("confirmed_new")),
    )


def _render_enrol(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    course_id: int,
    **context: Any,
) -> Response:
    data = course_service.course_summary(session, principal=principal, course_id=course_id)
    status = context.pop("status_code", 200)
    page = {
        "data": data,
        "form": trainee_service.EnrolForm(enrolled_on=today().isoformat()),
        "errors": {},
        "found": None,  # the lookup's answer: True, False, or None before any lookup
        "find": {"id": "", "birth": ""},
        "registered": False,
        "same_name": False,
        "ethnicities": trainee_service.ethnicity_choices(session),
        "communes": commune_options(session, on=today()),
        "sexes": [sex.value for sex in Sex],
        "households": [status.value for status in HouseholdStatus],
        "conflict": None,
        **page_tools(lang),
        **context,
    }
    return render(request, "courses_enrol.html", page, lang=lang, status_code=status)


@router.get("/courses/{course_id}/enrol", response_class=HTMLResponse, name="course_enrol")
def course_enrol(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    course_id: RecordId,
) -> Response:
    course_service.institution_course(session, principal=principal, course_id=course_id)
    return _render_enrol(request, session, principal, lang, course_id)


@router.post("/courses/{course_id}/enrol/lookup", name="course_enrol_lookup")
def course_enrol_lookup(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    course_id: RecordId,
    fields: FormDep,
) -> Response:
    """Whether a registered person has this full citizen ID and birth date (posted, so that
    no ID number appears in an address); the answer shows only what was typed."""
    find = {name: field(fields, f"find_{name}") for name in ("id", "birth")}
    try:
        found = trainee_service.look_up(
            session,
            principal=principal,
            course_id=course_id,
            citizen_id=find["id"],
            birth_date=find["birth"],
        )
    except InvalidError as error:
        errors = form_errors(error, lang)
        return _render_enrol(
            request, session, principal, lang, course_id, find=find, errors=errors, status_code=400
        )
    # Not found: the new-person form starts with what was typed.
    typed = PersonForm(citizen_id=find["id"], birth_date=find["birth"])
    form = trainee_service.EnrolForm(person=typed, enrolled_on=today().isoformat())
    return _render_enrol(
        request, session, principal, lang, course_id, find=find, found=found, form=form
    )


@router.post("/courses/{course_id}/enrol", name="course_enrol_submit")
def course_enrol_submit(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.MANAGE_TRAINEES))],
    lang: LanguageDep,
    course_id: RecordId,
    fields: FormDep,
) -> Response:
    form = _enrol_form(fields)
    page: dict[str, Any]
    find = {"id": form.person.citizen_id, "birth": form.person.birth_date}
    try:
        result = trainee_service.enrol(session, principal=principal, course_id=course_id, form=form)
    except NotFoundError as error:  # no registered person with this ID and birth date
        page = {"errors": form_errors(error, lang), "find": find, "status_code": 404}
    except InvalidError as error:
        page = {"errors": form_errors(error, lang), "status_code": 400}
        if form.existing:  # the enrolment's own fields were wrong: show the found form again
            page["find"] = find
            page["found"] = not ({"find", "find_birth_date"} & set(page["errors"]))
    except ConflictError as error:  # already enrolled, course full or cancelled
        page = {"conflict": message_for(error, lang), "status_code": 409}
    else:
        if result.enrolment is not None:
            return redirect_to(request, "course_detail", saved=Saved.ENROLLED, course_id=course_id)
        # a registered person matches: enrol them, or confirm someone else
        page = {"registered": result.registered, "same_name": result.same_name}
        if result.registered:
            page |= {"found": True, "find": find}
    return _render_enrol(request, session, principal, lang, course_id, form=form, **page)
