"""Courses through the API: an institution's own system reads its courses (any of the
training scopes) and, with `courses:write`, registers and changes them. The checks and
messages are the course form's (web/services/courses.py, course_form.py); another
institution's course is 404."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session

from models.enums import ApiScope, Role
from models.errors import ForbiddenError
from models.queries.training_sync import courses_after
from models.tables import Course
from web.api.auth import ApiCaller, current_caller, require_scope
from web.api.conventions import (
    IfMatch,
    check_if_match,
    etag_of,
    fingerprint,
    idempotency_key,
    stored_json,
)
from web.api.problems import PreconditionFailed, problem_responses
from web.deps import RecordId, SessionDep
from web.services import courses as service
from web.services.api_idempotency import run_once
from web.services.course_form import CourseForm
from web.services.cursors import page_ask, page_of

router = APIRouter(tags=["courses"])

TRAINING_SCOPES = (ApiScope.COURSES_WRITE, ApiScope.ENROLMENTS_WRITE, ApiScope.RESULTS_WRITE)
ONLY_INSTITUTIONS = "Only a training institution token can do this."
Writer = Annotated[ApiCaller, Depends(require_scope(ApiScope.COURSES_WRITE))]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


def institution_of(caller: ApiCaller) -> int:
    """The institution an institution token acts for (any other token: 403)."""
    if caller.role != Role.INSTITUTION or caller.institution_id is None:
        raise ForbiddenError(None, ONLY_INSTITUTIONS)
    return caller.institution_id


async def training_reader(caller: Annotated[ApiCaller, Depends(current_caller)]) -> ApiCaller:
    """An institution token with any of the training scopes: it reads its own courses."""
    if not any(caller.has(scope) for scope in TRAINING_SCOPES):
        raise ForbiddenError(
            None,
            "This API token lacks the scope {scope}.",
            scope=" | ".join(scope.value for scope in TRAINING_SCOPES),
        )
    institution_of(caller)
    return caller


Reader = Annotated[ApiCaller, Depends(training_reader)]


class CourseOut(BaseModel):
    """A course as the API shows it."""

    id: int
    institution_id: int
    code: str
    name: str
    occupation_id: int
    level_code: str
    hours: int | None
    start_date: date
    end_date: date
    capacity: int
    venue_commune_code: str | None
    mobile: bool
    funding_source: str
    training_order_id: int | None
    status: str
    created_at: datetime
    updated_at: datetime


class CoursePage(BaseModel):
    """One page of courses in update order; `next_cursor` is null on the last page."""

    items: list[CourseOut]
    next_cursor: str | None


class CourseFields(BaseModel):
    """The fields of a course a client sends, checked as the course form checks them."""

    model_config = ConfigDict(extra="forbid")
    code: str | None = Field(default=None, max_length=1000)
    name: str | None = Field(default=None, max_length=10_000)
    occupation_id: int | None = None
    level_code: str | None = Field(default=None, max_length=100)
    hours: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    capacity: int | None = None
    venue_commune_code: str | None = Field(default=None, max_length=100)
    mobile: bool | None = None
    funding_source: str | None = Field(default=None, max_length=100)
    training_order_id: int | None = None
    status: str | None = Field(default=None, max_length=100)


class CourseCreateIn(CourseFields):
    """A new course: everything the form requires."""

    code: str = Field(max_length=1000)
    name: str = Field(max_length=10_000)
    occupation_id: int
    level_code: str = Field(max_length=100)
    start_date: date
    end_date: date
    capacity: int
    funding_source: str = Field(max_length=100)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_with(base: CourseForm, fields: CourseFields) -> CourseForm:
    """The course form as if typed: `base` with the fields the client sent."""
    values = {name: getattr(base, name) for name in CourseForm.__dataclass_fields__}
    for name in fields.model_fields_set:
        value = getattr(fields, name)
        if name == "mobile":
            values[name] = bool(value)
        elif name == "status" and value is None:
            continue
        else:
            values[name] = _text(value)
    return CourseForm(**values)


def course_body(course: Course) -> dict[str, Any]:
    return CourseOut.model_validate(course.model_dump()).model_dump(mode="json")


def _unchanged(etag: str, course: Course) -> None:
    if etag_of(course_body(course)) != etag:
        raise PreconditionFailed(
            None, "This record was changed since you read it: read it again, then retry."
        )


@router.get(
    "/courses",
    response_model=CoursePage,
    name="api_courses",
    responses=problem_responses(401, 403, 422, 429),
)
def list_courses(
    session: SessionDep,
    caller: Reader,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    updated_since: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CoursePage:
    """The token's institution's courses in the order they were last changed. Sync: pass
    `updated_since`, then follow `next_cursor` until it is null."""
    ask = page_ask(cursor, updated_since, limit)
    rows = courses_after(
        session,
        institution_id=institution_of(caller),
        after=ask.after,
        updated_since=ask.since,
        limit=ask.read,
    )
    shown, next_cursor = page_of(rows, ask, lambda row: row)
    items = [CourseOut.model_validate(course_body(each)) for each in shown]
    return CoursePage(items=items, next_cursor=next_cursor)


@router.get(
    "/courses/{course_id}",
    response_model=CourseOut,
    name="api_course",
    responses=problem_responses(401, 403, 404, 429),
)
def show_course(session: SessionDep, caller: Reader, course_id: RecordId) -> Response:
    """One course of the token's institution, with its ETag."""
    course = service.institution_course(session, principal=caller, course_id=course_id)
    body = course_body(course)
    return JSONResponse(body, headers={"ETag": etag_of(body)})


def _create(
    session: Session, caller: ApiCaller, fields: CourseCreateIn
) -> tuple[int, dict[str, Any]]:
    course = service.create_course(session, principal=caller, form=form_with(CourseForm(), fields))
    return 201, course_body(course)


@router.post(
    "/courses",
    response_model=CourseOut,
    status_code=201,
    name="api_course_create",
    responses=problem_responses(401, 403, 409, 422, 429),
)
def create_course(
    request: Request,
    session: SessionDep,
    caller: Writer,
    fields: CourseCreateIn,
    key: IdempotencyKey,
) -> Response:
    """Register a course of the token's institution. Send an Idempotency-Key to retry
    safely."""
    institution_of(caller)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, fields),
        write=partial(_create, session, caller, fields),
    )
    location = f"{request.url.path}/{stored.body['id']}" if stored.status_code == 201 else ""
    return stored_json(stored, **({"Location": location} if location else {}))


@router.patch(
    "/courses/{course_id}",
    response_model=CourseOut,
    name="api_course_update",
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 429),
)
def update_course(
    session: SessionDep,
    caller: Writer,
    course_id: RecordId,
    fields: CourseFields,
    if_match: IfMatch = None,
) -> Response:
    """Change the fields sent (the others stay). If-Match is required."""
    institution_of(caller)
    course = service.institution_course(session, principal=caller, course_id=course_id)
    current = etag_of(course_body(course))
    check_if_match(if_match, current, required=True)
    saved = service.update_course(
        session,
        principal=caller,
        course_id=course_id,
        form=form_with(CourseForm.from_course(course), fields),
        expected=partial(_unchanged, current),
    )
    body = course_body(saved)
    return JSONResponse(body, headers={"ETag": etag_of(body)})
