"""Errors of the machine API as RFC 9457 problem details (`application/problem+json`), in the
language the client's `Accept-Language` asks for (Vietnamese by default). web/errors.py
renders every error in one place and calls `problem_response` for paths under /api/v1."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from models.errors import AppError
from models.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, translate

API_PREFIX = "/api/v1"
PROBLEM_TYPE = "application/problem+json"
# Titles of the statuses the API answers with (msgids; translated for the client).
TITLES = {
    400: "Invalid request",
    401: "Authentication needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    422: "Invalid data",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
    503: "Busy",
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def is_api_v1(request: Request) -> bool:
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def api_language(request: Request) -> str:
    """The supported language `Accept-Language` prefers most (by its q weights, then order);
    Vietnamese when it names none."""
    best, best_weight = DEFAULT_LANGUAGE, 0.0
    for part in request.headers.get("accept-language", "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().replace("_", "-").split("-")[0]
        weight = _weight(params)
        if lang in SUPPORTED_LANGUAGES and weight > best_weight:
            best, best_weight = lang, weight
    return best


def _weight(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip().lower() != "q":
        return 1.0
    try:
        weight = float(value)
    except ValueError:
        return 0.0
    return weight if 0.0 <= weight <= 1.0 else 0.0


class ProblemError(BaseModel):
    """What is wrong with one field: `pointer` (RFC 6901) into the JSON body, or the query
    `parameter`; `field` names it in both cases."""

    model_config = ConfigDict(extra="forbid")
    field: str | None = None
    pointer: str | None = None
    parameter: str | None = None
    detail: str


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemError] = Field(default_factory=list)


def problem_errors(
    request: Request, field: str | None, message: str, details: Sequence[Mapping[str, Any]] | None
) -> list[ProblemError]:
    """One entry per field at fault: the form's details, or the one field the error names.
    On a request with a body, a field is a member of the body (a pointer); else a query
    parameter. Entries that already say where they point are kept as they are."""
    listed = list(details or ([{"field": field, "message": message}] if field else []))
    body = request.method in BODY_METHODS
    errors = []
    for each in listed:
        name = each.get("field")
        entry = ProblemError(field=name, detail=str(each.get("message") or message))
        if each.get("pointer") or each.get("parameter"):
            entry.pointer, entry.parameter = each.get("pointer"), each.get("parameter")
        elif name and body:
            entry.pointer = "/" + str(name).replace("~", "~0").replace("/", "~1")
        elif name:
            entry.parameter = str(name)
        errors.append(entry)
    return errors


def problem_response(
    request: Request,
    status: int,
    message: str,
    *,
    field: str | None = None,
    details: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    lang = api_language(request)
    problem = Problem(
        title=translate(TITLES.get(status, "Error"), lang),
        status=status,
        detail=message,
        instance=request.url.path,
        errors=problem_errors(request, field, message, details),
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_TYPE,
    )


def json_pointer(*parts: str | int) -> str:
    """The RFC 6901 pointer to a member of the body."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


class ApiError(AppError):
    """An API-only refusal that carries response headers (WWW-Authenticate, ...)."""

    headers: ClassVar[Mapping[str, str]] = {}


class TokenRejected(ApiError):
    """No valid token where one is needed: missing, unknown, expired or revoked."""

    status_code = 401
    headers: ClassVar[Mapping[str, str]] = {
        "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'
    }


class TokenNeeded(ApiError):
    """The endpoint needs a token and none was sent."""

    status_code = 401
    headers: ClassVar[Mapping[str, str]] = {"WWW-Authenticate": 'Bearer realm="api"'}


class PreconditionFailed(ApiError):
    """`If-Match` names a version that is no longer the current one."""

    status_code = 412


class PreconditionRequired(ApiError):
    """A change without `If-Match`: it could overwrite someone else's change unseen."""

    status_code = 428


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: these statuses answer with a problem detail."""
    return {
        status: {
            "description": TITLES.get(status, "Error"),
            "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
