"""Enrolments and results through the API, pushed by an institution's own system into its
own courses, in batches of up to 500 items: all or nothing, with an error per item
(`/items/3/citizen_id`). The rules are the Excel import's (web/services/enrolment_batches.py).
Reading enrolments shows people's personal data only with `personal-data:read`, audited;
another institution's course or enrolment is 404."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session

from models.enums import ApiScope
from models.errors import NotFoundError
from models.i18n import message_for
from models.queries.training_sync import enrolment_with_person, enrolments_after
from models.tables import Enrolment, Person
from web.api.auth import ApiCaller, require_scope
from web.api.conventions import etag_of, fingerprint, idempotency_key, stored_json
from web.api.courses import Reader, institution_of
from web.api.problems import api_language, problem_responses
from web.deps import RecordId, SessionDep
from web.permissions import require_institution
from web.services import courses as course_service
from web.services import enrolment_batches as batches
from web.services.api_idempotency import run_once
from web.services.cursors import page_ask, page_of
from web.services.personal_data import audit_view

router = APIRouter(tags=["enrolments"])

NO_SUCH_ENROLMENT = "There is no such enrolment."
Enroller = Annotated[ApiCaller, Depends(require_scope(ApiScope.ENROLMENTS_WRITE))]
ResultWriter = Annotated[ApiCaller, Depends(require_scope(ApiScope.RESULTS_WRITE))]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
Text = Annotated[str, Field(max_length=1000)]


class EnrolmentItem(BaseModel):
    """A person enrolled into the course, as a row of the trainee import: a person already
    registered is found by the full citizen ID and the birth date; anyone else is
    registered. `sex`: nam | nu; `ethnicity` and `commune`: a code or a name;
    `household`: ngheo | can_ngheo; `enrolled_on`: the course's start when absent;
    `support_amount`: learner support paid, VND."""

    model_config = ConfigDict(extra="forbid")
    citizen_id: Text | None = None
    full_name: Text | None = None
    birth_date: date | None = None
    sex: Text | None = None
    ethnicity: Text | None = None
    commune: Text | None = None
    village: Text | None = None
    phone: Text | None = None
    household: Text | None = None
    disability: bool = False
    consent: bool = False
    enrolled_on: date | None = None
    support_amount: int | None = None


class ResultItem(BaseModel):
    """The result of one trainee of the course, as a row of the result import: the trainee
    named by citizen ID, or by full name and birth date. `result`: dat | khong_dat;
    `status` (derived from the result when absent): dang_hoc | bo_hoc | hoan_thanh |
    tot_nghiep; a graduate has a `graduated_on` and may have a certificate."""

    model_config = ConfigDict(extra="forbid")
    citizen_id: Text | None = None
    full_name: Text | None = None
    birth_date: date | None = None
    result: Text | None = None
    status: Text | None = None
    graduated_on: date | None = None
    certificate_kind: Text | None = None
    certificate_number: Text | None = None


class EnrolmentBatch(BaseModel):
    """Up to 500 people to enrol: all of them, or none."""

    model_config = ConfigDict(extra="forbid")
    items: list[EnrolmentItem] = Field(min_length=1, max_length=batches.BATCH_MAX)


class ResultBatch(BaseModel):
    """Up to 500 results to record: all of them, or none."""

    model_config = ConfigDict(extra="forbid")
    items: list[ResultItem] = Field(min_length=1, max_length=batches.BATCH_MAX)


class BatchItemOut(BaseModel):
    """An item written: its index in the batch, its enrolment, and `new` (a person
    registered by it), `existing` (a person registered before) or `updated` (a result)."""

    index: int
    enrolment_id: int
    note: str


class BatchWarning(BaseModel):
    """Something to check in an item that was written all the same."""

    pointer: str
    detail: str


class BatchOut(BaseModel):
    """A batch written in full."""

    course_id: int
    items: list[BatchItemOut]
    summary: dict[str, int]
    warnings: list[BatchWarning]


class PersonOut(BaseModel):
    """The personal data of an enrolled person (with `personal-data:read` only)."""

    full_name: str
    citizen_id: str | None
    birth_date: date
    sex: str
    ethnicity_code: str | None
    commune_code: str
    phone: str | None


class EnrolmentOut(BaseModel):
    """An enrolment; `person` is null unless the token has `personal-data:read`."""

    id: int
    course_id: int
    enrolled_on: date
    status: str
    result: str | None
    graduated_on: date | None
    certificate_kind: str | None
    certificate_number: str | None
    support_amount: int
    created_at: datetime
    updated_at: datetime
    person: PersonOut | None


class EnrolmentPage(BaseModel):
    """One page of a course's enrolments in update order."""

    items: list[EnrolmentOut]
    next_cursor: str | None


def _cells(item: BaseModel) -> dict[str, Any]:
    return item.model_dump()


def _batch_body(request: Request, outcome: batches.BatchOutcome) -> dict[str, Any]:
    lang = api_language(request)
    warnings = [
        BatchWarning(
            pointer=f"/items/{each.row}/{each.column}" if each.column else f"/items/{each.row}",
            detail=message_for(each, lang),
        )
        for each in outcome.warnings
    ]
    body = BatchOut(
        course_id=outcome.course_id,
        items=[
            BatchItemOut(index=e.index, enrolment_id=e.enrolment_id, note=e.note)
            for e in outcome.items
        ],
        summary=outcome.summary,
        warnings=warnings,
    )
    return body.model_dump(mode="json")


def _enrol(
    request: Request, session: Session, caller: ApiCaller, course_id: int, batch: EnrolmentBatch
) -> tuple[int, dict[str, Any]]:
    outcome = batches.enrol_batch(
        session, principal=caller, course_id=course_id, items=[_cells(e) for e in batch.items]
    )
    return 201, _batch_body(request, outcome)


@router.post(
    "/courses/{course_id}/enrolments",
    response_model=BatchOut,
    status_code=201,
    name="api_enrolments_push",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
)
def push_enrolments(
    request: Request,
    session: SessionDep,
    caller: Enroller,
    course_id: RecordId,
    batch: EnrolmentBatch,
    key: IdempotencyKey,
) -> Response:
    """Enrol up to 500 people into a course of the token's institution: all, or none (then
    each item at fault is named by its pointer). Send an Idempotency-Key to retry safely."""
    institution_of(caller)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, batch),
        write=partial(_enrol, request, session, caller, course_id, batch),
    )
    return stored_json(stored)


def _results(
    request: Request, session: Session, caller: ApiCaller, course_id: int, batch: ResultBatch
) -> tuple[int, dict[str, Any]]:
    outcome = batches.record_results(
        session, principal=caller, course_id=course_id, items=[_cells(e) for e in batch.items]
    )
    return 200, _batch_body(request, outcome)


@router.post(
    "/courses/{course_id}/results",
    response_model=BatchOut,
    name="api_results_push",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 429),
)
def push_results(
    request: Request,
    session: SessionDep,
    caller: ResultWriter,
    course_id: RecordId,
    batch: ResultBatch,
    key: IdempotencyKey,
) -> Response:
    """Record the result, graduation and certificate of up to 500 trainees of a course of
    the token's institution: all, or none. Send an Idempotency-Key to retry safely."""
    institution_of(caller)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, batch),
        write=partial(_results, request, session, caller, course_id, batch),
    )
    return stored_json(stored)


def enrolment_body(enrolment: Enrolment, person: Person | None) -> dict[str, Any]:
    shown = enrolment.model_dump()
    shown["person"] = None if person is None else PersonOut.model_validate(person.model_dump())
    return EnrolmentOut.model_validate(shown).model_dump(mode="json")


def _shown(
    session: Session, caller: ApiCaller, people: list[Person], entity: str, **ids: Any
) -> bool:
    """Whether people's personal data goes out; if so, the view is audited."""
    if not caller.has(ApiScope.PERSONAL_DATA_READ):
        return False
    if people:
        person_ids = [person.id for person in people]
        person_id = person_ids[0] if len(person_ids) == 1 else None
        audit_view(session, caller, entity, person_id=person_id, person_ids=person_ids, **ids)
    return True


@router.get(
    "/courses/{course_id}/enrolments",
    response_model=EnrolmentPage,
    name="api_enrolments",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def list_enrolments(
    session: SessionDep,
    caller: Reader,
    course_id: RecordId,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    updated_since: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> EnrolmentPage:
    """The enrolments of a course of the token's institution, in the order they were last
    changed; people's personal data only with `personal-data:read` (audited)."""
    course_service.institution_course(session, principal=caller, course_id=course_id)
    ask = page_ask(cursor, updated_since, limit)
    rows = enrolments_after(
        session, course_id=course_id, after=ask.after, updated_since=ask.since, limit=ask.read
    )
    page, next_cursor = page_of(rows, ask, lambda row: row[0])
    personal = _shown(
        session, caller, [person for _, person in page], "course", entity_id=course_id
    )
    items = [
        EnrolmentOut.model_validate(enrolment_body(enrolment, person if personal else None))
        for enrolment, person in page
    ]
    return EnrolmentPage(items=items, next_cursor=next_cursor)


@router.get(
    "/enrolments/{enrolment_id}",
    response_model=EnrolmentOut,
    name="api_enrolment",
    responses=problem_responses(401, 403, 404, 429),
)
def show_enrolment(session: SessionDep, caller: Reader, enrolment_id: RecordId) -> Response:
    """One enrolment in a course of the token's institution, with its ETag."""
    found = enrolment_with_person(session, enrolment_id)
    if found is None:
        raise NotFoundError(None, NO_SUCH_ENROLMENT)
    enrolment, person, course = found
    require_institution(caller, course.institution_id, NO_SUCH_ENROLMENT)
    personal = _shown(session, caller, [person], "enrolment", entity_id=enrolment.id)
    body = enrolment_body(enrolment, person if personal else None)
    return JSONResponse(body, headers={"ETag": etag_of(body)})
