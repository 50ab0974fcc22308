"""Follow-up outcomes through the API: an institution's token with `follow-ups:write` records
the 6- and 12-month outcomes of its own graduates, many at once, by the follow-up page's own
use case (web/services/follow_ups.py): the same checks and messages, all or nothing. Another
institution's graduate is refused like an enrolment that does not exist, and nothing says
which it was."""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from models.enums import ApiScope
from models.errors import AppError, ForbiddenError, RowError, ValidationErrors
from web.api.auth import ApiCaller, require_scope
from web.api.conventions import fingerprint, idempotency_key, stored_json
from web.api.problems import json_pointer, problem_responses
from web.deps import SessionDep
from web.permissions import Permission, allowed
from web.services import follow_ups as service
from web.services.api_idempotency import run_once

router = APIRouter(tags=["follow-ups"])

Recorder = Annotated[ApiCaller, Depends(require_scope(ApiScope.FOLLOW_UPS_WRITE))]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
_CELL = re.compile(r"^fu-(\d+)-(\d+)-(\w+)$")


class FollowUpIn(BaseModel):
    """One graduate's outcome at 6 or 12 months after graduating (`status`,
    `in_trained_occupation` yes | no | unknown, monthly `income` in VND, `source`,
    `observed_on`), checked as the follow-up page checks it."""

    model_config = ConfigDict(extra="forbid")
    enrolment_id: int
    months_after: int
    status: str = Field(max_length=100)
    in_trained_occupation: str | None = Field(default=None, max_length=100)
    income: int | None = None
    source: str | None = Field(default=None, max_length=100)
    observed_on: date | None = None


class FollowUpBatchIn(BaseModel):
    """Outcomes recorded all together or not at all."""

    model_config = ConfigDict(extra="forbid")
    outcomes: list[FollowUpIn] = Field(min_length=1, max_length=500)


class FollowUpBatchOut(BaseModel):
    """How many outcomes were stored now (one identical to a stored outcome is already done
    and not counted)."""

    recorded: int


def _input(outcome: FollowUpIn) -> service.OutcomeInput:
    observed = outcome.observed_on.strftime("%d/%m/%Y") if outcome.observed_on else ""
    return service.OutcomeInput(
        enrolment_id=outcome.enrolment_id,
        months_after=outcome.months_after,
        status=outcome.status,
        in_trained_occupation=outcome.in_trained_occupation or "",
        income="" if outcome.income is None else str(outcome.income),
        source=outcome.source or "",
        observed_on=observed,
    )


def _pointed(batch: FollowUpBatchIn, errors: list[AppError]) -> list[AppError]:
    """Each cell's error at the row of the batch it came from."""
    index = {(o.enrolment_id, o.months_after): n for n, o in enumerate(batch.outcomes)}
    pointed: list[AppError] = []
    for error in errors:
        found = _CELL.match(error.field or "")
        if found is None:
            pointed.append(error)
            continue
        enrolment_id, months, name = int(found[1]), int(found[2]), found[3]
        row = index.get((enrolment_id, months), 0)
        where = json_pointer("outcomes", row, name)
        pointed.append(RowError(where, name, error.msgid, **error.params))
    return pointed


def _record(
    session: Session, caller: ApiCaller, batch: FollowUpBatchIn
) -> tuple[int, dict[str, Any]]:
    try:
        recorded = service.record_follow_ups(
            session, principal=caller, rows=[_input(each) for each in batch.outcomes]
        )
    except ValidationErrors as refused:
        raise ValidationErrors(_pointed(batch, refused.errors)) from None
    return 200, FollowUpBatchOut(recorded=recorded).model_dump()


@router.post(
    "/follow-ups",
    response_model=FollowUpBatchOut,
    name="api_follow_ups_record",
    responses=problem_responses(401, 403, 409, 422, 429),
)
def record_follow_ups(
    request: Request,
    session: SessionDep,
    caller: Recorder,
    batch: FollowUpBatchIn,
    key: IdempotencyKey,
) -> Response:
    """Record outcomes of the token's institution's graduates. One bad row and nothing is
    written (422, each bad cell's pointer). Send an Idempotency-Key to retry safely."""
    if not allowed(caller, Permission.RECORD_FOLLOW_UPS):
        raise ForbiddenError(None, "You are not allowed to do this.")
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, batch),
        write=partial(_record, session, caller, batch),
    )
    return stored_json(stored)
