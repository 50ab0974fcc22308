"""Work abroad under contract: the departures a commune, the Employment Service Centre or an
official follows (list with filters, figures for officials, CSV file), the form of one
departure (orientation, loan or support, return, languages and skills learned), and the
returnees employers may find. The departure's id is its register line's; filters name a
country, a commune or a status, never a person."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from models.clock import today
from models.enums import AbroadSupportKind
from models.errors import InvalidError
from models.i18n import translate
from models.queries.abroad import DepartureAt
from models.queries.reference import commune_options, country_options
from web.auth import Principal
from web.deps import EngineDep, LanguageDep, RecordId, SessionDep
from web.downloads import CSV_MEDIA_TYPE, streamed
from web.forms import FormFields, form_errors, redirect_to
from web.labels import page_tools
from web.notices import Saved
from web.paging import whole_or_none as page_number
from web.paths import path_for
from web.permissions import Permission, allow
from web.services import abroad as service
from web.services.abroad import lists
from web.templating import render

router = APIRouter()
Recorder = Annotated[Principal, Depends(allow(Permission.RECORD_ABROAD))]
Finder = Annotated[Principal, Depends(allow(Permission.VIEW_CANDIDATES))]
SUPPORT_LABELS = {
    AbroadSupportKind.POLICY_BANK_LOAN: "Loan from the Social Policy Bank",
    AbroadSupportKind.POOR_SUPPORT: "Support for poor and near-poor households",
    AbroadSupportKind.OTHER: "Other support",
}
STATUS_LABELS = {lists.ABROAD: "Still abroad", lists.RETURNED: "Returned home"}
CSV_FILE_NAME = "di-lam-viec-nuoc-ngoai.csv"


def _choices(table: dict[Any, str], lang: str) -> list[tuple[str, str]]:
    return [(str(key), translate(msgid, lang)) for key, msgid in table.items()]


def _filters(country: str, status: str, commune: str) -> lists.ListFilters:
    return lists.ListFilters(country=country, status=status, commune=commune)


def _pager(request: Request, page: lists.DeparturesPage, kept: dict[str, str]) -> dict[str, Any]:
    """Previous and next links with the same filters, starting after the last departure
    shown or before the first (line ids only: no name travels in an address)."""

    def link(number: int, cursor: dict[str, int]) -> str:
        query = urlencode({**kept, "page": number, **cursor})
        return path_for(request, "abroad_departures") + "?" + query

    following, earlier = page.next_after, page.previous_before
    return {
        "page": page.page,
        "pages": page.pages,
        "next": None if following is None else link(page.page + 1, {"after": following}),
        "previous": None if earlier is None else link(page.page - 1, {"before": earlier}),
    }


@router.get("/abroad", response_class=HTMLResponse, name="abroad_departures")
def abroad_departures(
    request: Request,
    session: SessionDep,
    principal: Recorder,
    lang: LanguageDep,
    country: str = "",
    status: str = "",
    commune: str = "",
    page: str = "1",
    after: str = "",
    before: str = "",
) -> Response:
    filters = _filters(country, status, commune)
    at = DepartureAt(page_number(page) or 1, page_number(after), page_number(before))
    found = lists.departures_page(session, principal=principal, filters=filters, at=at)
    kept = {k: v for k, v in vars(filters).items() if v}
    query = urlencode(kept)
    context = {
        "page": found,
        "pager": _pager(request, found, kept),
        "filters": filters,
        "countries": [(o.value, o.label) for o in country_options(session)],
        "commune_choices": [(o.value, o.label) for o in commune_options(session, on=today())],
        "statuses": _choices(STATUS_LABELS, lang),
        "support_labels": {str(k): translate(v, lang) for k, v in SUPPORT_LABELS.items()},
        "csv_url": path_for(request, "abroad_departures_csv") + (f"?{query}" if query else ""),
        **page_tools(lang),
    }
    return render(request, "abroad_departures.html", context, lang=lang)


@router.get("/abroad/departures.csv", name="abroad_departures_csv")
def abroad_departures_csv(
    session: SessionDep,
    engine: EngineDep,
    principal: Recorder,
    lang: LanguageDep,
    country: str = "",
    status: str = "",
    commune: str = "",
) -> Response:
    """The filtered departures as CSV, every cell neutralised against formulas, sent while
    it is read."""
    labels = {msgid: translate(msgid, lang) for msgid in (*lists.CSV_HEADERS, "Yes", "No")}
    labels |= {str(k): translate(v, lang) for k, v in SUPPORT_LABELS.items()}
    body = lists.departures_csv(
        session,
        engine,
        principal=principal,
        filters=_filters(country, status, commune),
        labels=labels,
    )
    return streamed(body, CSV_FILE_NAME, CSV_MEDIA_TYPE, personal_data=True)


def _form_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    lang: str,
    row: Any,
    form: service.DepartureForm,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    countries = {o.value: o.label for o in country_options(session)}
    context = {
        "row": row,
        "form": form,
        "errors": errors or {},
        "country": countries.get(row.country_code or "", row.country_code or ""),
        "supports": _choices(SUPPORT_LABELS, lang),
        "answers": [(service.YES, translate("Yes", lang)), (service.NO, translate("No", lang))],
        **page_tools(lang),
    }
    status = 400 if errors else 200
    return render(request, "abroad_departure.html", context, lang=lang, status_code=status)


@router.get("/abroad/departures/{line_id}", response_class=HTMLResponse, name="abroad_departure")
def abroad_departure(
    request: Request, session: SessionDep, principal: Recorder, lang: LanguageDep, line_id: RecordId
) -> Response:
    row = service.departure(session, principal=principal, line_id=line_id)
    return _form_page(request, session, principal, lang, row, service.DepartureForm.of(row))


@router.post("/abroad/departures/{line_id}", name="abroad_departure_save")
def abroad_departure_save(
    request: Request,
    session: SessionDep,
    principal: Recorder,
    lang: LanguageDep,
    line_id: RecordId,
    fields: FormFields,
) -> Response:
    form = service.DepartureForm.from_fields(fields)
    try:
        service.save_departure(session, principal=principal, line_id=line_id, form=form)
    except InvalidError as error:
        row = service.departure(session, principal=principal, line_id=line_id)
        return _form_page(request, session, principal, lang, row, form, form_errors(error, lang))
    return redirect_to(request, "abroad_departure", saved=Saved.ABROAD_SAVED, line_id=line_id)


@router.get("/abroad/returnees", response_class=HTMLResponse, name="abroad_returnees")
def abroad_returnees(
    request: Request,
    session: SessionDep,
    principal: Finder,
    lang: LanguageDep,
    country: str = "",
    words: str = "",
) -> Response:
    found = lists.returnees(session, principal=principal, country=country, words=words)
    context = {
        "returnees": found,
        "country": country,
        "words": words[:100],
        "countries": [(o.value, o.label) for o in country_options(session)],
        **page_tools(lang),
    }
    return render(request, "abroad_returnees.html", context, lang=lang)
