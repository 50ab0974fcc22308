"""Career guidance for one person, for counsellors (commune officers: their own commune; the
Employment Service Centre: every commune). The form is posted, never sent in the URL: it
holds personal answers. "Suggest" shows the trades and courses; "Record" stores the session
(personal answers only with consent) and shows it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from matching.kpi import Dimension
from models.clock import today
from models.errors import InvalidError
from models.i18n import translate
from models.queries import reference
from models.queries.guidance import recent_sessions, sessions_per_commune
from models.queries.kpi_names import group_names
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import FormFields, form_errors, redirect_to
from web.labels import page_tools
from web.notices import Saved
from web.permissions import Permission, allow, commune_scope
from web.services.guidance.advice import record_session, session_for, suggest
from web.services.guidance.form import (
    EDUCATION,
    GuidanceForm,
    person_answers,
    record_fields,
)
from web.templating import render

router = APIRouter()
Counsellor = Annotated[Principal, Depends(allow(Permission.GIVE_GUIDANCE))]


def _page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    form: GuidanceForm,
    *,
    errors: dict[str, list[str]] | None = None,
    trades: list[Any] | None = None,
) -> Response:
    on = today()
    scope = commune_scope(principal)
    communes = [
        (o.value, o.label)
        for o in reference.commune_options(session, on=on)
        if scope is None or o.value == scope
    ]
    context = {
        "form": form,
        "errors": errors or {},
        "trades": trades,
        "communes": communes,
        "commune_names": dict(communes),
        "education_labels": [(code, translate(msgid, lang)) for code, msgid in EDUCATION.items()],
        "sessions": recent_sessions(session, commune_code=scope),
        "counts": sessions_per_commune(session) if scope is None else None,
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "guidance.html", context, lang=lang, status_code=status)


@router.get("/guidance", response_class=HTMLResponse, name="guidance")
def guidance(
    request: Request, session: SessionDep, principal: Counsellor, lang: LanguageDep
) -> Response:
    form = GuidanceForm.fresh(commune=commune_scope(principal) or "")
    return _page(request, session, principal, lang, form)


@router.post("/guidance", response_class=HTMLResponse, name="guidance_advise")
def guidance_advise(
    request: Request,
    session: SessionDep,
    principal: Counsellor,
    lang: LanguageDep,
    fields: FormFields,
) -> Response:
    form = GuidanceForm(
        **{name: fields.get(name, "") for name in GuidanceForm.__dataclass_fields__}
    )
    scope = commune_scope(principal)
    if scope is not None:
        form.commune = scope  # a commune officer counsels the people of their commune
    on = today()
    communes = {o.value for o in reference.commune_options(session, on=on)}
    try:
        answers = person_answers(form, communes)
        trades = suggest(session, answers, on=on, lang=lang)
        if fields.get("action") != "record":
            return _page(request, session, principal, lang, form, trades=trades)
        record = record_fields(form)
    except InvalidError as error:
        return _page(request, session, principal, lang, form, errors=form_errors(error, lang))
    session_id = record_session(
        session,
        principal=principal,
        answers=answers,
        record=record,
        advised=[trade.key for trade in trades],
    )
    return redirect_to(request, "guidance_detail", saved=Saved.GUIDANCE, session_id=session_id)


@router.get("/guidance/{session_id}", response_class=HTMLResponse, name="guidance_detail")
def guidance_detail(
    request: Request,
    session: SessionDep,
    principal: Counsellor,
    lang: LanguageDep,
    session_id: RecordId,
) -> Response:
    row = session_for(session, principal=principal, session_id=session_id)
    on = today()
    names = {o.value: o.label for o in reference.commune_options(session, on=on)}
    occupations = group_names(session, Dimension.OCCUPATION, row.advised_occupations)
    context = {
        "row": row,
        "commune_name": names.get(row.commune_code, row.commune_code),
        "occupations": [occupations.get(k, k) for k in row.advised_occupations],
        "education": EDUCATION,
        **page_tools(lang),
    }
    return render(request, "guidance_detail.html", context, lang=lang)
