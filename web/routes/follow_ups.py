"""The follow-up page: graduates whose follow-up at 3, 6 or 12 months is due or overdue, one
table row each with the inputs to record the outcome, saved all together in one submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from matching.kpi import FOLLOW_UP_WINDOWS
from models.clock import today
from models.enums import FollowUpStatus
from models.errors import InvalidError
from models.follow_up_values import DEFAULT_SOURCE, RECORDABLE_SOURCES, UNKNOWN
from models.i18n import translate
from models.ids import parse_id
from models.queries import follow_ups as due_list
from models.queries.follow_ups import (
    LISTED_FOR_DAYS,
    OVERDUE_AFTER_DAYS,
    DueAt,
    DueFilters,
    DueKey,
    DueState,
)
from web.auth import Principal
from web.deps import LanguageDep, SessionDep
from web.forms import FormDep, field, form_errors
from web.labels import page_tools
from web.paging import whole_or_none
from web.paths import path_for
from web.permissions import Permission, allow
from web.services import follow_ups as service
from web.templating import render

router = APIRouter()
FILTER_NAMES = ("institution", "course", "window", "state")
STATUS_LABELS = {
    FollowUpStatus.WAGE: "Wage job",
    FollowUpStatus.SELF_EMPLOYED: "Self-employed",
    FollowUpStatus.HOUSEHOLD: "Household production",
    FollowUpStatus.ABROAD: "Working abroad",
    FollowUpStatus.IMPROVED_SAME_JOB: "Same job, more productive",
    FollowUpStatus.UNEMPLOYED: "Not working",
    FollowUpStatus.STUDYING: "Studying further",
    FollowUpStatus.MILITARY: "Military service",
    FollowUpStatus.NOT_REACHED: "Could not be reached",
}
SOURCE_LABELS = {
    "phone": "Phone call",
    "visit": "Home visit",
    "employer": "The employer",
    "social_insurance": "Social insurance records",
    "commune_report": "Commune report",
}
OCCUPATION_LABELS = {UNKNOWN: "Not known", "yes": "Yes", "no": "No"}
STATE_LABELS = {DueState.DUE: "Due", DueState.OVERDUE: "Overdue"}


def _filters(raw: dict[str, str]) -> DueFilters:
    """Filters from the query string (or the form's hidden copy); junk means any."""
    window = whole_or_none(raw.get("window", ""))
    state = raw.get("state", "")
    return DueFilters(
        institution_id=whole_or_none(raw.get("institution", "")),
        course_id=whole_or_none(raw.get("course", "")),
        window=window if window in FOLLOW_UP_WINDOWS else None,
        state=DueState(state) if state in set(DueState) else None,
    )


def _filter_query(filters: DueFilters) -> dict[str, Any]:
    values = {
        "institution": filters.institution_id,
        "course": filters.course_id,
        "window": filters.window,
        "state": filters.state.value if filters.state else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def _context(lang: str) -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "source_labels": {code: SOURCE_LABELS[code] for code in RECORDABLE_SOURCES},
        "occupation_labels": OCCUPATION_LABELS,
        "state_labels": STATE_LABELS,
        "windows": FOLLOW_UP_WINDOWS,
        "overdue_after": OVERDUE_AFTER_DAYS,
        "listed_for": LISTED_FOR_DAYS,
        "cell": service.outcome_field,
        **page_tools(lang),
    }


def _page(
    request: Request,
    lang: str,
    data: service.FollowUpPage,
    *,
    values: Callable[[int, int, str], str],
    errors: dict[str, list[str]] | None = None,
    notice: str | None = None,
) -> Response:
    context = {
        "data": data,
        "values": values,
        "errors": errors or {},
        "hidden": _filter_query(data.filters),
        "notice": notice,
        "pager": _pager(request, data),
        "count_limit": due_list.DUE_COUNT_LIMIT,
        **_context(lang),
    }
    status = 400 if errors else 200
    return render(request, "follow_ups.html", context, lang=lang, status_code=status)


def _pager(request: Request, data: service.FollowUpPage) -> dict[str, Any]:
    """Previous and next links, starting after the last row shown or before the first
    (keyset: a deep page costs what the first one does), with the same filters. A list longer
    than the count limit has no known last page (pages 0)."""
    kept = _filter_query(data.filters)

    def link(page: int, cursor: dict[str, str]) -> str:
        return path_for(request, "follow_ups") + "?" + urlencode({**kept, "page": page, **cursor})

    following, earlier = data.next_after, data.previous_before
    return {
        "page": data.page,
        "pages": data.pages,
        "next": None if following is None else link(data.page + 1, {"after": _key(following)}),
        "previous": None if earlier is None else link(data.page - 1, {"before": _key(earlier)}),
    }


def _key(key: DueKey) -> str:
    """A row's key in an address: its enrolment id and window, no name."""
    return f"{key[0]}-{key[1]}"


def _parsed_key(text: str) -> DueKey | None:
    """A key from the address; junk is ignored (the page number is read instead)."""
    enrolment, _, months = text.partition("-")
    enrolment_id, window = whole_or_none(enrolment), whole_or_none(months)
    return None if enrolment_id is None or window is None else (enrolment_id, window)


@router.get("/follow-ups", response_class=HTMLResponse, name="follow_ups")
def follow_ups(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.RECORD_FOLLOW_UPS))],
    lang: LanguageDep,
    page: str = "1",
    after: str = "",
    before: str = "",
    recorded: str = "",
) -> Response:
    filters = _filters(dict(request.query_params))
    at = DueAt(whole_or_none(page) or 1, _parsed_key(after), _parsed_key(before))
    data = service.follow_up_page(session, principal=principal, filters=filters, at=at)
    count = whole_or_none(recorded)
    notice = None if count is None else translate("Follow-ups recorded: {count}", lang, count=count)

    def defaults(enrolment_id: int, months: int, name: str) -> str:
        return {"source": DEFAULT_SOURCE, "observed_on": today().isoformat()}.get(name, "")

    return _page(request, lang, data, values=defaults, notice=notice)


def _typed_rows(fields: FormData) -> list[service.OutcomeInput]:
    rows = []
    for raw_key in fields.getlist("rows"):
        enrolment, _, months = str(raw_key).partition(":")
        enrolment_id = parse_id(enrolment)
        if enrolment_id is None or not months.isdigit() or len(months) > 3:
            continue
        key = (enrolment_id, int(months))

        def cell(name: str, key: tuple[int, int] = key) -> str:
            return field(fields, service.outcome_field(*key, name))

        rows.append(
            service.OutcomeInput(
                *key,
                status=cell("status"),
                in_trained_occupation=cell("in_trained_occupation"),
                income=cell("income"),
                source=cell("source"),
                observed_on=cell("observed_on"),
            )
        )
    return rows


@router.post("/follow-ups", name="follow_ups_record")
def follow_ups_record(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(allow(Permission.RECORD_FOLLOW_UPS))],
    lang: LanguageDep,
    fields: FormDep,
) -> Response:
    filters = _filters({name: field(fields, name) for name in FILTER_NAMES})
    rows = _typed_rows(fields)
    try:
        count = service.record_follow_ups(session, principal=principal, rows=rows)
    except InvalidError as error:
        data = service.refused_page(session, principal=principal, filters=filters, rows=rows)

        def typed(enrolment_id: int, months: int, name: str) -> str:
            return field(fields, service.outcome_field(enrolment_id, months, name))

        return _page(request, lang, data, values=typed, errors=form_errors(error, lang))
    query = _filter_query(filters) | {"recorded": count}
    path = path_for(request, "follow_ups")
    return RedirectResponse(f"{path}?{urlencode(query)}", status_code=303)
