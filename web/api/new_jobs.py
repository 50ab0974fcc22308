"""New-jobs reports through the API (the register of issue 8): a commune's, the Employment
Service Centre's or an employer's token with `new-jobs:write` sends the person lines of one
period as one report, reads its own reports and withdraws one. A batch is checked and written
by the register's own use case (web/services/register: `import_rows`), so the rules, the
messages, the reporter's scope and the refusal of the same report sent twice are the Excel
sheet's; a batch with any bad row writes nothing and names each bad cell by its pointer."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from models.enums import ApiScope
from models.errors import AppError, ForbiddenError, NotFoundError, RowError, ValidationErrors
from models.excel import SheetRow
from models.queries.api_sync import changed_after
from models.tables import NewJobReport
from web.api.auth import ApiCaller, require_scope
from web.api.conventions import etag_of, fingerprint, idempotency_key, stored_json
from web.api.problems import json_pointer, problem_responses
from web.deps import RecordId, SessionDep
from web.permissions import Permission, allowed
from web.services import register
from web.services.api_idempotency import run_once
from web.services.cursors import page_ask, page_of
from web.services.imports.rows import RowIssue

router = APIRouter(tags=["new-jobs reports"])

Reporter = Annotated[ApiCaller, Depends(require_scope(ApiScope.NEW_JOBS_WRITE))]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
Cell = Annotated[str, Field(max_length=1000)] | int | None


class NewJobLineIn(BaseModel):
    """One person's new job: the columns of the register's sheet (docs/api.md), as text or
    numbers; dates as YYYY-MM-DD or dd/mm/yyyy."""

    model_config = ConfigDict(extra="forbid")
    full_name: Cell = None
    citizen_id: Cell = None
    birth_date: Cell = None
    sex: Cell = None
    ethnicity: Cell = None
    commune: Cell = None
    job: Cell = None
    sector: Cell = None
    employer: Cell = None
    channel: Cell = None
    place: Cell = None
    province: Cell = None
    country: Cell = None
    programme: Cell = None
    sending_company: Cell = None
    start_date: Cell = None
    contract: Cell = None
    wage: Cell = None


class NewJobReportIn(BaseModel):
    """The person lines of one period of the reporter's schedule (`2026-03`, `2026-Q1`,
    `2026-H1`, `2026`), written all together or not at all."""

    model_config = ConfigDict(extra="forbid")
    period: str = Field(max_length=20)
    lines: list[NewJobLineIn] = Field(min_length=1, max_length=register.MAX_ROWS)


class NewJobReportOut(BaseModel):
    """A report as the API shows it (no personal data): who it is from, its period, how
    many lines and people it holds, and whether it was withdrawn."""

    id: int
    source: str
    commune_code: str | None
    employer_id: int | None
    period_start: date
    period_end: date
    person_lines: int
    aggregate_people: int
    submitted_at: datetime
    withdrawn_at: datetime | None
    updated_at: datetime


class NewJobReportPage(BaseModel):
    """One page of reports in update order; `next_cursor` is null on the last page."""

    items: list[NewJobReportOut]
    next_cursor: str | None


def report_body(report: NewJobReport) -> dict[str, Any]:
    return NewJobReportOut.model_validate(report.model_dump()).model_dump(mode="json")


def _reporter(caller: ApiCaller) -> register.Reporter:
    if not allowed(caller, Permission.REPORT_NEW_JOBS):
        raise ForbiddenError(None, "You are not allowed to do this.")
    return register.reporter_of(caller)


def _own(caller: ApiCaller) -> list[ColumnElement[bool]]:
    own = _reporter(caller)
    return [
        col(NewJobReport.source) == own.source,
        col(NewJobReport.commune_code) == own.commune_code
        if own.commune_code
        else col(NewJobReport.commune_code).is_(None),
        col(NewJobReport.employer_id) == own.employer_id
        if own.employer_id
        else col(NewJobReport.employer_id).is_(None),
    ]


def _row_error(issue: RowIssue) -> AppError:
    where = json_pointer("lines", issue.row - 1, *([issue.column] if issue.column else []))
    return RowError(where, issue.column or None, issue.msgid, **issue.params)


def _rows(report: NewJobReportIn) -> list[SheetRow]:
    """Row n of the batch is `lines[n-1]`: the number its messages name."""
    return [
        SheetRow(number, line.model_dump()) for number, line in enumerate(report.lines, start=1)
    ]


def _submit(
    session: Session, caller: ApiCaller, report: NewJobReportIn
) -> tuple[int, dict[str, Any]]:
    content = json.dumps(report.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    outcome = register.import_rows(
        session,
        principal=caller,
        period=report.period,
        on_behalf_of=None,
        filename="api.json",
        digest=hashlib.sha256(content.encode()).hexdigest(),
        read_rows=partial(_rows, report),
    )
    if outcome.report is None:
        raise ValidationErrors([_row_error(each) for each in outcome.checks.errors[:200]])
    return 201, report_body(outcome.report)


@router.post(
    "/new-jobs-reports",
    response_model=NewJobReportOut,
    status_code=201,
    name="api_new_jobs_report_create",
    responses=problem_responses(401, 403, 409, 422, 429),
)
def submit_report(
    request: Request,
    session: SessionDep,
    caller: Reporter,
    report: NewJobReportIn,
    key: IdempotencyKey,
) -> Response:
    """Send the person lines of one period as one report. Every line is checked as a row of
    the register's sheet; one bad row and nothing is written (422, each bad cell's pointer).
    The same lines for the same period again are refused (409). Send an Idempotency-Key
    to retry safely."""
    _reporter(caller)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, report),
        write=partial(_submit, session, caller, report),
    )
    location = f"{request.url.path}/{stored.body['id']}" if stored.status_code == 201 else ""
    return stored_json(stored, **({"Location": location} if location else {}))


@router.get(
    "/new-jobs-reports",
    response_model=NewJobReportPage,
    name="api_new_jobs_reports",
    responses=problem_responses(401, 403, 422, 429),
)
def list_reports(
    session: SessionDep,
    caller: Reporter,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    updated_since: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NewJobReportPage:
    """The token's own reports (sent by form, sheet or API), in the order they last changed;
    follow `next_cursor` until it is null."""
    ask = page_ask(cursor, updated_since, limit)
    rows = changed_after(
        session,
        NewJobReport,
        visible=_own(caller),
        after=ask.after,
        updated_since=ask.since,
        limit=ask.read,
    )
    shown, next_cursor = page_of(rows, ask, lambda row: row)
    items = [NewJobReportOut.model_validate(report_body(each)) for each in shown]
    return NewJobReportPage(items=items, next_cursor=next_cursor)


def _seen(session: Session, caller: ApiCaller, report_id: int) -> NewJobReport:
    _reporter(caller)
    try:
        return register.own_report(session, caller, report_id)
    except NotFoundError:
        raise NotFoundError(None, register.NO_SUCH_REPORT) from None


@router.get(
    "/new-jobs-reports/{report_id}",
    response_model=NewJobReportOut,
    name="api_new_jobs_report",
    responses=problem_responses(401, 403, 404, 429),
)
def show_report(session: SessionDep, caller: Reporter, report_id: RecordId) -> Response:
    """One of the token's own reports."""
    body = report_body(_seen(session, caller, report_id))
    return JSONResponse(body, headers={"ETag": etag_of(body)})


def _withdraw(session: Session, caller: ApiCaller, report_id: int) -> tuple[int, dict[str, Any]]:
    report = register.withdraw_report(session, principal=caller, report_id=report_id)
    return 200, report_body(report)


@router.post(
    "/new-jobs-reports/{report_id}/withdraw",
    response_model=NewJobReportOut,
    name="api_new_jobs_report_withdraw",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def withdraw_report(
    request: Request,
    session: SessionDep,
    caller: Reporter,
    report_id: RecordId,
    key: IdempotencyKey,
) -> Response:
    """Take a report's lines out of the register and the figures (it stays, withdrawn); the
    same lines may then be sent again, corrected. Withdrawing twice changes nothing."""
    _seen(session, caller, report_id)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, None),
        write=partial(_withdraw, session, caller, report_id),
    )
    return stored_json(stored)


class NewJobCountIn(BaseModel):
    """A count without names, as a commune or an agency reports people it cannot list: how
    many started work in one month through one channel (in one commune, for an agency)."""

    model_config = ConfigDict(extra="forbid")
    month: str = Field(max_length=7, description="The month the jobs started in: 2026-03.")
    channel: str = Field(max_length=40, description="The channel's code, as on the sheet.")
    people: int = Field(ge=1, le=1_000_000)
    commune: str = Field(default="", max_length=100, description="Agencies: the commune.")
    note: str = Field(default="", max_length=500)


def _add_count(session: Session, caller: ApiCaller, count: NewJobCountIn) -> tuple[int, Any]:
    values = {**count.model_dump(), "people": str(count.people)}
    aggregate = register.add_aggregate(session, principal=caller, values=values, on_behalf_of=None)
    report = session.get(NewJobReport, aggregate.report_id)
    assert report is not None
    return 201, report_body(report)


@router.post(
    "/new-jobs-counts",
    response_model=NewJobReportOut,
    status_code=201,
    name="api_new_jobs_count_create",
    responses=problem_responses(401, 403, 409, 422, 429),
)
def add_count(
    request: Request,
    session: SessionDep,
    caller: Reporter,
    count: NewJobCountIn,
    key: IdempotencyKey,
) -> Response:
    """Add a count without names to the reporter's report of that month (the register's
    "count" form: the same checks and messages). Employers report by name: 422. Answers the
    month's report with its new total. Send an Idempotency-Key to retry safely."""
    _reporter(caller)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, count),
        write=partial(_add_count, session, caller, count),
    )
    return stored_json(stored)
