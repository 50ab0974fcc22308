"""Vacancies through the API: anyone reads the public ones (taking people, as on the job
board); an employer's token with `vacancies:read` also reads its own others, and with
`vacancies:write` posts, changes and closes its own. The checks and messages are the vacancy
form's (web/services/vacancies.py); another organisation's vacancy is 404."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session

from models.clock import today
from models.enums import ApiScope, Role
from models.errors import ForbiddenError, NotFoundError
from models.queries.vacancies import get_vacancy
from models.queries.vacancy_sync import vacancies_after, visible_vacancy
from models.tables import Vacancy
from models.vacancy_open import shown_status
from web.api.auth import ApiCaller, OptionalCaller, require_scope
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
from web.permissions import require_employer
from web.services import vacancies as service
from web.services.api_idempotency import run_once
from web.services.cursors import page_ask, page_of
from web.services.vacancy_form import NO_OCCUPATION, VacancyForm

router = APIRouter(tags=["vacancies"])

NO_SUCH_VACANCY = "This vacancy does not exist."
Writer = Annotated[ApiCaller, Depends(require_scope(ApiScope.VACANCIES_WRITE))]
IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
# Anyone may read; a token widens what is read.
PUBLIC_READ: dict[str, Any] = {"security": [{}, {"bearerToken": []}]}


class VacancyOut(BaseModel):
    """A vacancy as the API shows it. `status` is `expired` for an open one past its
    deadline; wages in VND a month."""

    id: int
    employer_id: int
    title: str
    occupation_id: int | None
    description: str
    skills: list[str]
    quantity: int
    filled: int
    required_level_code: str | None
    wage_min: int | None
    wage_max: int | None
    age_min: int | None
    age_max: int | None
    location_kind: str
    commune_code: str | None
    province_code: str | None
    country_code: str | None
    start_date: date | None
    deadline: date | None
    status: str
    created_at: datetime
    updated_at: datetime


class VacancyPage(BaseModel):
    """One page of vacancies in update order; `next_cursor` is null on the last page."""

    items: list[VacancyOut]
    next_cursor: str | None


class VacancyFields(BaseModel):
    """The fields of a vacancy a client sends, checked as the vacancy form checks them
    (dates in ISO 8601; `occupation_id` null: none of the catalogue's)."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=10_000)
    occupation_id: int | None = None
    description: str | None = Field(default=None, max_length=100_000)
    skills: list[Annotated[str, Field(max_length=10_000)]] | None = Field(
        default=None, max_length=1000
    )
    quantity: int | None = None
    required_level_code: str | None = Field(default=None, max_length=100)
    wage_min: int | None = None
    wage_max: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    location_kind: str | None = Field(default=None, max_length=100)
    commune_code: str | None = Field(default=None, max_length=100)
    province_code: str | None = Field(default=None, max_length=100)
    country_code: str | None = Field(default=None, max_length=100)
    start_date: date | None = None
    deadline: date | None = None


class VacancyCreateIn(VacancyFields):
    """A new vacancy: a title and a quantity at least."""

    title: str = Field(max_length=10_000)
    quantity: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def form_with(base: VacancyForm, fields: VacancyFields) -> VacancyForm:
    """The vacancy form as if typed: `base` with the fields the client sent."""
    values = {name: getattr(base, name) for name in VacancyForm.__dataclass_fields__}
    for name in fields.model_fields_set:
        value = getattr(fields, name)
        if name == "occupation_id" and value is None:
            values[name] = NO_OCCUPATION
        elif name == "location_kind" and value is None:
            values[name] = "commune"
        else:
            values[name] = _text(value)
    if values["occupation_id"] == "":
        values["occupation_id"] = NO_OCCUPATION
    return VacancyForm(**values)


def vacancy_body(vacancy: Vacancy) -> dict[str, Any]:
    shown = vacancy.model_dump()
    shown["status"] = shown_status(vacancy.status, vacancy.deadline, today())
    return VacancyOut.model_validate(shown).model_dump(mode="json")


def _reader_employer(caller: ApiCaller | None) -> int | None:
    """The employer whose own vacancies (public or not) this caller reads."""
    if caller is not None and caller.role == Role.EMPLOYER and caller.has(ApiScope.VACANCIES_READ):
        return caller.employer_id
    return None


def _employer_writer(caller: ApiCaller) -> ApiCaller:
    if caller.role != Role.EMPLOYER:
        raise ForbiddenError(None, "Only an employer token can change vacancies.")
    return caller


def _unchanged(etag: str, vacancy: Vacancy) -> None:
    if etag_of(vacancy_body(vacancy)) != etag:
        raise PreconditionFailed(
            None, "This record was changed since you read it: read it again, then retry."
        )


@router.get(
    "/vacancies",
    response_model=VacancyPage,
    name="api_vacancies",
    responses=problem_responses(401, 422, 429),
    openapi_extra=PUBLIC_READ,
)
def list_vacancies(
    request: Request,
    session: SessionDep,
    caller: OptionalCaller,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    updated_since: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> VacancyPage:
    """Vacancies in the order they were last changed. Sync: pass `updated_since` (the time
    of your last sync, with its offset), then follow `next_cursor` until it is null."""
    ask = page_ask(cursor, updated_since, limit)
    rows = vacancies_after(
        session,
        on=today(),
        employer_id=_reader_employer(caller),
        after=ask.after,
        updated_since=ask.since,
        limit=ask.read,
    )
    shown, next_cursor = page_of(rows, ask, lambda row: row)
    items = [VacancyOut.model_validate(vacancy_body(each)) for each in shown]
    return VacancyPage(items=items, next_cursor=next_cursor)


@router.get(
    "/vacancies/{vacancy_id}",
    response_model=VacancyOut,
    name="api_vacancy",
    responses=problem_responses(401, 404, 429),
    openapi_extra=PUBLIC_READ,
)
def show_vacancy(session: SessionDep, caller: OptionalCaller, vacancy_id: RecordId) -> Response:
    """One vacancy, with its ETag (send it back as If-Match to change it)."""
    vacancy = visible_vacancy(session, vacancy_id, on=today(), employer_id=_reader_employer(caller))
    if vacancy is None:
        raise NotFoundError(None, NO_SUCH_VACANCY)
    body = vacancy_body(vacancy)
    return JSONResponse(body, headers={"ETag": etag_of(body)})


def _create(
    session: Session, caller: ApiCaller, fields: VacancyCreateIn
) -> tuple[int, dict[str, Any]]:
    saved = service.create_vacancy(
        session,
        principal=caller,
        employer_id_raw="",
        form=form_with(VacancyForm(), fields),
        form_token="",
    )
    assert isinstance(saved, Vacancy)  # the occupation is always chosen: never suggestions
    return 201, vacancy_body(saved)


@router.post(
    "/vacancies",
    response_model=VacancyOut,
    status_code=201,
    name="api_vacancy_create",
    responses=problem_responses(401, 403, 422, 429),
)
def create_vacancy(
    request: Request,
    session: SessionDep,
    caller: Writer,
    fields: VacancyCreateIn,
    key: IdempotencyKey,
) -> Response:
    """Post a vacancy of the token's employer. Send an Idempotency-Key to retry safely."""
    _employer_writer(caller)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, fields),
        write=partial(_create, session, caller, fields),
    )
    location = f"{request.url.path}/{stored.body['id']}" if stored.status_code == 201 else ""
    return stored_json(stored, **({"Location": location} if location else {}))


def _own_vacancy(session: Session, caller: ApiCaller, vacancy_id: int) -> Vacancy:
    vacancy = get_vacancy(session, vacancy_id)
    require_employer(caller, vacancy.employer_id, NO_SUCH_VACANCY)
    return vacancy


@router.patch(
    "/vacancies/{vacancy_id}",
    response_model=VacancyOut,
    name="api_vacancy_update",
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428, 429),
)
def update_vacancy(
    session: SessionDep,
    caller: Writer,
    vacancy_id: RecordId,
    fields: VacancyFields,
    if_match: IfMatch = None,
) -> Response:
    """Change the fields sent (the others stay). If-Match is required."""
    _employer_writer(caller)
    vacancy = _own_vacancy(session, caller, vacancy_id)
    current = etag_of(vacancy_body(vacancy))
    check_if_match(if_match, current, required=True)
    saved = service.update_vacancy(
        session,
        principal=caller,
        vacancy_id=vacancy_id,
        form=form_with(VacancyForm.from_vacancy(vacancy), fields),
        expected=partial(_unchanged, current),
    )
    assert isinstance(saved, Vacancy)
    body = vacancy_body(saved)
    return JSONResponse(body, headers={"ETag": etag_of(body)})


def _close(
    session: Session, caller: ApiCaller, vacancy_id: int, etag: str | None
) -> tuple[int, dict[str, Any]]:
    expected = partial(_unchanged, etag) if etag else None
    saved = service.close_vacancy(
        session, principal=caller, vacancy_id=vacancy_id, expected=expected
    )
    return 200, vacancy_body(saved)


@router.post(
    "/vacancies/{vacancy_id}/close",
    response_model=VacancyOut,
    name="api_vacancy_close",
    responses=problem_responses(401, 403, 404, 412, 422, 429),
)
def close_vacancy(
    request: Request,
    session: SessionDep,
    caller: Writer,
    vacancy_id: RecordId,
    key: IdempotencyKey,
    if_match: IfMatch = None,
) -> Response:
    """Stop taking people (closing a closed vacancy changes nothing). If-Match is honoured."""
    _employer_writer(caller)
    vacancy = _own_vacancy(session, caller, vacancy_id)
    current = etag_of(vacancy_body(vacancy))
    check_if_match(if_match, current, required=False)
    stored = run_once(
        session,
        token_id=caller.token_id,
        key=key,
        fingerprint=fingerprint(request, None),
        write=partial(_close, session, caller, vacancy_id, current if if_match else None),
    )
    return stored_json(stored)
