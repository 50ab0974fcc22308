"""Tokens for machines that call the API (/api/v1, docs/api.md): the list with when each
was last used, issuing one (its secret shown once, on the page that answers the form), and
revoking one. Administrators issue them for any organisation and choose which scopes the
staff of each institution and employer may grant; staff issue them for their own
organisation within those scopes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from models.clock import today, utcnow
from models.enums import ApiScope, OrganisationKind
from models.errors import InvalidError
from models.i18n import translate
from models.queries.api_tokens import Organisation, all_allowances, allowed_scopes, tokens_of
from models.queries.reference import commune_options
from models.queries.training_orders import institution_options
from models.queries.vacancies import employer_options
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormDep, field, form_errors, redirect_to_query
from web.labels import page_tools
from web.permissions import Permission, allow
from web.services import api_tokens as service
from web.templating import render

router = APIRouter()
TokenKeeper = Annotated[Principal, Depends(allow(Permission.MANAGE_API_TOKENS))]
ScopeGranter = Annotated[Principal, Depends(allow(Permission.GRANT_API_SCOPES))]
NOTICES = {
    "revoked": "The token has been revoked.",
    "saved": "The record has been saved.",
}
BLANK_FORM: dict[str, Any] = {
    "organisation": "",
    "name": "",
    "days": str(service.DEFAULT_LIFE_DAYS),
    "scopes": [],
}
KIND_LABELS = {
    OrganisationKind.INSTITUTION: "Training institution",
    OrganisationKind.EMPLOYER: "Employer",
    OrganisationKind.COMMUNE: "Commune",
    OrganisationKind.JOB_CENTRE: "Employment Service Centre",
}


def _scopes_posted(posted: FormData) -> list[str]:
    return [each for each in posted.getlist("scopes") if isinstance(each, str)]


def organisation_choices(
    session: Session, lang: str, *, staff_only: bool = False
) -> list[tuple[str, str]]:
    """(key, label) of every organisation a token can belong to."""
    choices = [
        (Organisation(OrganisationKind.EMPLOYER, employer_id=int(o.value)).key, o.label)
        for o in employer_options(session)
    ]
    choices += [
        (Organisation(OrganisationKind.INSTITUTION, institution_id=int(o.value)).key, o.label)
        for o in institution_options(session)
    ]
    if not staff_only:
        choices += [
            (Organisation(OrganisationKind.COMMUNE, commune_code=o.value).key, o.label)
            for o in commune_options(session, on=today())
        ]
        centre = Organisation(OrganisationKind.JOB_CENTRE).key
        choices.append((centre, translate(KIND_LABELS[OrganisationKind.JOB_CENTRE], lang)))
    return choices


def _tokens_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    *,
    issued: service.IssuedToken | None = None,
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    own = service.own_organisation(principal)
    organisations = organisation_choices(session, lang)  # every employer: read once
    names = dict(organisations)
    grantable = allowed_scopes(session, own) if own is not None else frozenset(ApiScope)
    context = {
        "tokens": tokens_of(session, own),
        "names": names,
        "organisation_key": lambda token: Organisation.of(token).key,
        "is_admin": own is None,
        "organisations": organisations if own is None else [],
        "scopes": [scope.value for scope in ApiScope if scope in grantable],
        "issued": issued,
        "posted": posted or BLANK_FORM,
        "errors": errors or {},
        "notice": notice,
        "now": utcnow(),
        "longest_days": service.LONGEST_LIFE_DAYS,
        **page_tools(lang),
    }
    return render(request, "api_tokens.html", context, lang=lang, status_code=status_code)


@router.get("/api-tokens", response_class=HTMLResponse, name="api_tokens")
def api_tokens(
    request: Request,
    session: SessionDep,
    principal: TokenKeeper,
    lang: LanguageDep,
    done: str = "",
) -> Response:
    notice = translate(NOTICES[done], lang) if done in NOTICES else None
    return _tokens_page(request, session, principal, lang, notice=notice)


@router.post("/api-tokens", response_class=HTMLResponse, name="api_token_create")
def api_token_create(
    request: Request,
    session: SessionDep,
    principal: TokenKeeper,
    lang: LanguageDep,
    posted: FormDep,
) -> Response:
    scopes = _scopes_posted(posted)
    values: dict[str, Any] = {
        "organisation": field(posted, "organisation"),
        "name": field(posted, "name"),
        "days": field(posted, "days"),
        "scopes": scopes,
    }
    try:
        issued = service.issue_token(
            session,
            principal=principal,
            organisation_key=field(posted, "organisation"),
            name=field(posted, "name"),
            scopes=scopes,
            days=field(posted, "days"),
        )
    except InvalidError as error:
        errors = form_errors(error, lang)
        return _tokens_page(
            request, session, principal, lang, posted=values, errors=errors, status_code=400
        )
    # The secret is shown on this answer only: no redirect, and the page is not cached.
    page = _tokens_page(request, session, principal, lang, issued=issued, status_code=201)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/api-tokens/{token_id}/revoke", name="api_token_revoke")
def api_token_revoke(
    request: Request, session: SessionDep, principal: TokenKeeper, token_id: RecordId
) -> Response:
    service.revoke_token(session, principal=principal, token_id=token_id)
    return redirect_to_query(request, "api_tokens", {"done": "revoked"})


def _scopes_page(
    request: Request,
    session: Session,
    lang: str,
    *,
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    choices = organisation_choices(session, lang, staff_only=True)
    names = dict(choices)
    rows = [
        (names.get(Organisation.of(row).key, Organisation.of(row).key), row.scopes)
        for row in all_allowances(session)
    ]
    context = {
        "organisations": choices,
        "allowances": rows,
        "scopes": [scope.value for scope in ApiScope],
        "posted": posted or {"organisation": "", "scopes": []},
        "errors": errors or {},
        "notice": notice,
        **page_tools(lang),
    }
    return render(request, "api_scopes.html", context, lang=lang, status_code=status_code)


@router.get("/admin/api-scopes", response_class=HTMLResponse, name="api_scopes")
def api_scopes(
    request: Request,
    session: SessionDep,
    principal: ScopeGranter,
    lang: LanguageDep,
    done: str = "",
) -> Response:
    notice = translate(NOTICES[done], lang) if done in NOTICES else None
    return _scopes_page(request, session, lang, notice=notice)


@router.post("/admin/api-scopes", response_class=HTMLResponse, name="api_scopes_save")
def api_scopes_save(
    request: Request,
    session: SessionDep,
    principal: ScopeGranter,
    lang: LanguageDep,
    posted: FormDep,
) -> Response:
    scopes = _scopes_posted(posted)
    values: dict[str, Any] = {"organisation": field(posted, "organisation"), "scopes": scopes}
    try:
        service.set_allowance(
            session,
            principal=principal,
            organisation_key=field(posted, "organisation"),
            scopes=scopes,
        )
    except InvalidError as error:
        errors = form_errors(error, lang)
        return _scopes_page(request, session, lang, posted=values, errors=errors, status_code=400)
    return redirect_to_query(request, "api_scopes", {"done": "saved"})
