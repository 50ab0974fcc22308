"""Candidates of a vacancy ranked by the matching engine, its referrals, and the steps of a
referral: refer, interview, hire, reject (with a reason), withdraw. Plain `def` routes: every
view ranks all the vacancy's eligible graduates (thousands, about 0.1–0.3 s)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from matching.text import name_sort_key, search_key
from models.clock import today
from models.enums import ReferralStatus
from models.errors import InvalidError, NotFoundError
from models.i18n import translate
from models.ids import whole_or_none
from models.queries.candidates import CandidateFilters, training_levels
from models.tables import TrainingLevel, Vacancy
from models.vacancy_open import shown_status
from web.auth import Principal
from web.deps import LanguageDep, RecordId, SessionDep
from web.forms import form_errors
from web.paths import path_for, safe_local_path
from web.permissions import Permission, allow
from web.services import applicants as applicant_views
from web.services import hire_undo
from web.services import referral_views as views
from web.services import referrals as service
from web.services.candidate_rows import Row, candidate_row, referral_row
from web.templating import render

router = APIRouter()

FILTER_NAMES = ("min_score", "level", "commune", "order_only", "recent")
# After an action the page says what was done; `done` in the URL names the step only.
NOTICES = {
    "referred": "The candidate has been referred.",
    "interview": "The interview has been recorded.",
    "hired": "The candidate has been hired and the job recorded.",
    "rejected": "The candidate has been rejected.",
    "withdrawn": "The referral has been withdrawn.",
    "hire_undone": "The hire has been undone: the place is free again.",
}
STATUS_LABELS = {
    ReferralStatus.PROPOSED: "Proposed",
    ReferralStatus.REFERRED: "Referred",
    ReferralStatus.INTERVIEW: "Interview",
    ReferralStatus.HIRED: "Hired",
    ReferralStatus.REJECTED: "Rejected",
    ReferralStatus.WITHDRAWN: "Withdrawn",
}


def parse_filters(raw: dict[str, str], levels: list[TrainingLevel]) -> CandidateFilters:
    """The filter form as typed; raises InvalidError naming the field to fix."""
    text = raw.get("min_score", "").strip().rstrip("%").strip()
    min_score = None
    if text:
        min_score = whole_or_none(text, maximum=100)
        if min_score is None:
            raise InvalidError("min_score", "The minimum score is a whole number from 0 to 100.")
    ranks = {level.code: level.rank for level in levels}
    level = raw.get("level", "").strip()
    if level and level not in ranks:
        raise InvalidError("level", "Choose a training level from the list.")
    return CandidateFilters(
        min_score=min_score,
        min_level_rank=ranks.get(level),
        commune_code=raw.get("commune", "").strip()[:5] or None,
        order_only=_ticked(raw, "order_only"),
        recent=_ticked(raw, "recent"),
    )


def _ticked(raw: dict[str, str], name: str) -> bool:
    return raw.get(name, "") in ("1", "on", "true")


def _candidates_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    vacancy_id: int,
    raw: dict[str, str],
    *,
    errors_by_person: dict[str, dict[str, list[str]]] | None = None,
    status_code: int = 200,
) -> Response:
    levels = training_levels(session)
    filter_errors: dict[str, list[str]] = {}
    try:
        filters = parse_filters(raw, levels)
    except InvalidError as error:
        filters, filter_errors = CandidateFilters(), form_errors(error, lang)
        status_code = 400
    view = views.view_candidates(
        session,
        principal=principal,
        vacancy_id=vacancy_id,
        filters=filters,
        page=whole_or_none(raw.get("page", "")) or 1,
    )
    vacancy = view.vacancy
    required = next((lv for lv in levels if lv.code == vacancy.required_level_code), None)
    rows = [candidate_row(each, vacancy, principal, required, lang) for each in view.shown]
    context = {
        "vacancy": vacancy,
        "vacancy_status": shown_status(vacancy.status, vacancy.deadline, today()),
        "rows": rows,
        "applicant_rows": _applicant_rows(session, principal, vacancy, required, lang),
        "levels": levels,
        "communes": sorted(view.communes.items(), key=lambda item: _place_key(item[1])),
        "raw": {name: raw.get(name, "") for name in FILTER_NAMES},
        "filter_errors": filter_errors,
        "errors_by_person": errors_by_person or {},
        **_ranking_context(request, raw, view),
        **_common(request, raw, vacancy_id, lang),
    }
    return render(request, "candidates.html", context, lang=lang, status_code=status_code)


def _applicant_rows(
    session: Session,
    principal: Principal,
    vacancy: Vacancy,
    required: TrainingLevel | None,
    lang: str,
) -> list[Row]:
    """The people who applied from the board, scored like the suggestions."""
    applicants = applicant_views.applicants_page(session, principal=principal, vacancy=vacancy)
    return [
        replace(candidate_row(each.shown, vacancy, principal, required, lang), trade=each.trade)
        for each in applicants
    ]


def _ranking_context(
    request: Request, raw: dict[str, str], view: views.CandidatesView
) -> dict[str, Any]:
    """How many are listed over how many pages, and the links between the pages (built from
    the filters, so they hold after a step re-renders the page from a POST)."""
    base = path_for(request, "vacancy_candidates", vacancy_id=view.vacancy.id)
    kept = {name: raw[name] for name in FILTER_NAMES if raw.get(name)}

    def link(number: int) -> str | None:
        if not 1 <= number <= view.pages or number == view.page:
            return None
        return f"{base}?{urlencode({**kept, 'page': number})}"

    pager = {
        "page": view.page,
        "pages": view.pages,
        "previous": link(view.page - 1),
        "next": link(view.page + 1),
    }
    return {"total": view.total, "eligible": view.eligible, "pager": pager}


UNIT_WORDS = ("xa ", "phuong ", "thi tran ", "dac khu ")


def _place_key(name: str) -> str:
    """ "Xã Mường Nhé" sorts under M: the unit word does not count."""
    key = search_key(name)
    for word in UNIT_WORDS:
        key = key.removeprefix(word)
    return key


def _common(request: Request, raw: dict[str, str], vacancy_id: int, lang: str) -> dict[str, Any]:
    route_names = {getattr(route, "name", None) for route in request.app.router.routes}
    done = raw.get("done", "")
    return {
        "notice": translate(NOTICES[done], lang) if done in NOTICES else None,
        "detail_route": "vacancy_detail" if "vacancy_detail" in route_names else None,
        "back": _path_without_done(request),
        "status_labels": STATUS_LABELS,
    }


def _path_without_done(request: Request) -> str:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "done"]
    return request.url.path + (f"?{urlencode(kept)}" if kept else "")


@router.get(
    "/vacancies/{vacancy_id}/candidates", response_class=HTMLResponse, name="vacancy_candidates"
)
def vacancy_candidates(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_CANDIDATES))],
    vacancy_id: RecordId,
) -> Response:
    raw = {key: value for key, value in request.query_params.items()}
    return _candidates_page(request, session, principal, lang, vacancy_id, raw)


def _referrals_page(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    vacancy_id: int,
    raw: dict[str, str],
    *,
    errors_by_person: dict[str, dict[str, list[str]]] | None = None,
    status_code: int = 200,
) -> Response:
    view = views.view_referrals(session, principal=principal, vacancy_id=vacancy_id)
    rows = [referral_row(row, shown, view.vacancy, principal, lang) for row, shown in view.rows]
    rows.sort(key=lambda row: name_sort_key(row.name))
    context = {
        "vacancy": view.vacancy,
        "rows": rows,
        "errors_by_person": errors_by_person or {},
        **_common(request, raw, vacancy_id, lang),
    }
    return render(request, "referrals.html", context, lang=lang, status_code=status_code)


@router.get(
    "/vacancies/{vacancy_id}/referrals", response_class=HTMLResponse, name="vacancy_referrals"
)
def vacancy_referrals(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.VIEW_CANDIDATES))],
    vacancy_id: RecordId,
) -> Response:
    raw = {key: value for key, value in request.query_params.items()}
    return _referrals_page(request, session, principal, lang, vacancy_id, raw)


# --- the steps of a referral (post/redirect/get back to the page they came from) ---------


def _back_to(request: Request, back: str, vacancy_id: int, person_id: int, done: str) -> Response:
    """Back to the page the form was on (only this vacancy's pages), saying what was done."""
    base = path_for(request, "vacancy_candidates", vacancy_id=vacancy_id)
    target = safe_local_path(back) or base
    parts = urlsplit(target)
    own = base.removesuffix("/candidates")
    if parts.path not in (base, f"{own}/referrals"):
        parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "done"] + [("done", done)]
    url = f"{parts.path}?{urlencode(query)}#candidate-{person_id}"
    return RedirectResponse(url, status_code=303)


def _again_with_errors(
    request: Request,
    session: Session,
    principal: Principal,
    lang: str,
    vacancy_id: int,
    step: str,
    person_id: int,
    back: str,
    error: InvalidError,
) -> Response:
    """The page the form was on, again, with the error next to that candidate's field."""
    target = urlsplit(safe_local_path(back) or "")
    raw = dict(parse_qsl(target.query))
    errors = {f"{step}-{person_id}": form_errors(error, lang)}
    page = _referrals_page if target.path.endswith("/referrals") else _candidates_page
    return page(
        request,
        session,
        principal,
        lang,
        vacancy_id,
        raw,
        errors_by_person=errors,
        status_code=400,
    )


# step -> what the page then says was done (NOTICES); reject and withdraw carry a reason.
STEPS = {
    "refer": "referred",
    "interview": "interview",
    "hire": "hired",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "undo_hire": "hire_undone",
}


def _take(
    session: Session, principal: Principal, step: str, vacancy_id: int, person_id: int, reason: str
) -> None:
    who = {"vacancy_id": vacancy_id, "person_id": person_id}
    if step == "refer":
        service.refer(session, principal=principal, **who)
    elif step == "interview":
        service.record_interview(session, principal=principal, **who)
    elif step == "hire":
        service.hire(session, principal=principal, **who)
    elif step == "undo_hire":
        hire_undo.undo_hire(session, principal=principal, **who)
    elif step == "reject":
        service.reject(session, principal=principal, reason=reason, **who)
    else:
        service.withdraw(session, principal=principal, reason=reason, **who)


@router.post("/vacancies/{vacancy_id}/candidates/{person_id}/{step}", name="candidate_step")
def candidate_step(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: Annotated[Principal, Depends(allow(Permission.REFER_CANDIDATES, Permission.HIRE))],
    vacancy_id: RecordId,
    person_id: RecordId,
    step: str,
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Refer, record an interview, hire, reject or withdraw; then back to the page."""
    if step not in STEPS:
        raise NotFoundError(None, "There is no page at this address.")
    try:
        _take(session, principal, step, vacancy_id, person_id, reason)
    except InvalidError as error:
        return _again_with_errors(
            request, session, principal, lang, vacancy_id, step, person_id, back, error
        )
    return _back_to(request, back, vacancy_id, person_id, STEPS[step])
