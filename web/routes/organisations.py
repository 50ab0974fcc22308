"""Administration of training institutions and employers: the lists, and a form to add or
correct each. Only administrators (MANAGE_ORGANISATIONS)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from models.clock import today
from models.enums import InstitutionKind
from models.errors import ConflictError, InvalidError
from models.i18n import translate
from models.queries.counting import COUNT_LIMIT
from models.queries.reference import commune_options
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to_query
from web.labels import page_tools
from web.paging import pager, whole_or_none
from web.permissions import Permission, allow
from web.services import organisations as service
from web.templating import render

router = APIRouter()
Admin = Annotated[Principal, Depends(allow(Permission.MANAGE_ORGANISATIONS))]
NOTICES = {
    "saved": "The record has been saved.",
}
KIND_LABELS = {
    InstitutionKind.COLLEGE: "College",
    InstitutionKind.INTERMEDIATE: "Intermediate school",
    InstitutionKind.CENTRE: "Vocational and continuing education centre",
    InstitutionKind.ENTERPRISE: "Enterprise that trains",
    InstitutionKind.OTHER: "Other",
}
CHECKBOXES = {"is_active", "is_labour_export_company"}
SEARCH_MAX_CHARS = 100  # longer than any employer's name


def _form(cls: Any, posted: FormData) -> Any:
    values = {
        f.name: (bool(field(posted, f.name)) if f.name in CHECKBOXES else field(posted, f.name))
        for f in dataclass_fields(cls)
    }
    return cls(**values)


def _notice(done: str, lang: str) -> str | None:
    return translate(NOTICES[done], lang) if done in NOTICES else None


@router.get("/admin/institutions", response_class=HTMLResponse, name="institutions")
def institutions(
    request: Request, session: SessionDep, principal: Admin, lang: LanguageDep, done: str = ""
) -> Response:
    context = {
        "rows": service.institutions(session),
        "kinds": KIND_LABELS,
        "notice": _notice(done, lang),
        **page_tools(lang),
    }
    return render(request, "institutions.html", context, lang=lang)


def _institution_page(
    request: Request,
    session: SessionDep,
    lang: str,
    form: service.InstitutionForm,
    institution_id: int | None,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context = {
        "form": form,
        "institution_id": institution_id,
        "errors": errors or {},
        "kinds": [(kind.value, translate(label, lang)) for kind, label in KIND_LABELS.items()],
        "communes": [(o.value, o.label) for o in commune_options(session, on=today())],
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "institutions_form.html", context, lang=lang, status_code=status)


@router.get("/admin/institutions/new", response_class=HTMLResponse, name="institution_new")
def institution_new(
    request: Request, session: SessionDep, principal: Admin, lang: LanguageDep
) -> Response:
    return _institution_page(request, session, lang, service.InstitutionForm(), None)


@router.get(
    "/admin/institutions/{institution_id}", response_class=HTMLResponse, name="institution_edit"
)
def institution_edit(
    request: Request,
    session: SessionDep,
    principal: Admin,
    lang: LanguageDep,
    institution_id: RecordId,
) -> Response:
    row = service.institution(session, institution_id)
    form = service.InstitutionForm.of(row)
    return _institution_page(request, session, lang, form, institution_id)


def _save_institution(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    posted: FormData,
    institution_id: int | None,
) -> Response:
    form = _form(service.InstitutionForm, posted)
    try:
        service.save_institution(
            session, principal=principal, form=form, institution_id=institution_id
        )
    except (InvalidError, ConflictError) as error:
        errors = form_errors(error, lang)
        return _institution_page(request, session, lang, form, institution_id, errors)
    return redirect_to_query(request, "institutions", {"done": "saved"})


@router.post("/admin/institutions/new", name="institution_create")
def institution_create(
    request: Request, session: SessionDep, principal: Admin, lang: LanguageDep, fields: FormDep
) -> Response:
    return _save_institution(request, session, principal, lang, fields, None)


@router.post("/admin/institutions/{institution_id}", name="institution_update")
def institution_update(
    request: Request,
    session: SessionDep,
    principal: Admin,
    lang: LanguageDep,
    institution_id: RecordId,
    fields: FormDep,
) -> Response:
    service.institution(session, institution_id)  # 404 before any check
    return _save_institution(request, session, principal, lang, fields, institution_id)


# --- employers ----------------------------------------------------------------------------


@router.get("/admin/employers", response_class=HTMLResponse, name="employers")
def employers(
    request: Request,
    session: SessionDep,
    principal: Admin,
    lang: LanguageDep,
    q: str = "",
    page: str = "1",
    done: str = "",
) -> Response:
    """50 employers a page by name; `q` finds them by words of the name or by tax code (an
    employer's name is no personal data: the search may travel in the address)."""
    text = q.strip()[:SEARCH_MAX_CHARS]
    result = service.employers(session, text=text, page=whole_or_none(page) or 1)
    links = pager(request, result.page, result.pages or result.page + int(result.has_next))
    context = {
        "result": result,
        "q": text,
        "pager": links | {"pages": result.pages},
        "count_limit": COUNT_LIMIT,
        "notice": _notice(done, lang),
        **page_tools(lang),
    }
    return render(request, "employers.html", context, lang=lang)


def _employer_page(
    request: Request,
    session: SessionDep,
    lang: str,
    form: service.EmployerForm,
    employer_id: int | None,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context = {
        "form": form,
        "employer_id": employer_id,
        "errors": errors or {},
        "sectors": [(s.code, f"{s.code} – {s.name}") for s in service.sectors(session)],
        "communes": [(o.value, o.label) for o in commune_options(session, on=today())],
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "employers_form.html", context, lang=lang, status_code=status)


@router.get("/admin/employers/new", response_class=HTMLResponse, name="employer_new")
def employer_new(
    request: Request, session: SessionDep, principal: Admin, lang: LanguageDep
) -> Response:
    return _employer_page(request, session, lang, service.EmployerForm(), None)


@router.get("/admin/employers/{employer_id}", response_class=HTMLResponse, name="employer_edit")
def employer_edit(
    request: Request,
    session: SessionDep,
    principal: Admin,
    lang: LanguageDep,
    employer_id: RecordId,
) -> Response:
    form = service.EmployerForm.of(service.employer(session, employer_id))
    return _employer_page(request, session, lang, form, employer_id)


def _save_employer(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    posted: FormData,
    employer_id: int | None,
) -> Response:
    form = _form(service.EmployerForm, posted)
    try:
        service.save_employer(session, principal=principal, form=form, employer_id=employer_id)
    except (InvalidError, ConflictError) as error:
        errors = form_errors(error, lang)
        return _employer_page(request, session, lang, form, employer_id, errors)
    return redirect_to_query(request, "employers", {"done": "saved"})


@router.post("/admin/employers/new", name="employer_create")
def employer_create(
    request: Request, session: SessionDep, principal: Admin, lang: LanguageDep, fields: FormDep
) -> Response:
    return _save_employer(request, session, principal, lang, fields, None)


@router.post("/admin/employers/{employer_id}", name="employer_update")
def employer_update(
    request: Request,
    session: SessionDep,
    principal: Admin,
    lang: LanguageDep,
    employer_id: RecordId,
    fields: FormDep,
) -> Response:
    service.employer(session, employer_id)
    return _save_employer(request, session, principal, lang, fields, employer_id)
