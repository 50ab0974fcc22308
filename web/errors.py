"""Every failure is answered in one place: an HTML page in the reader's language for pages,
an RFC 9457 problem detail for the machine API under /api/v1 (web/api/problems.py), and
`{"error": {"field", "message"}}` for the older JSON routes under /api. Unexpected
exceptions are logged with their traceback and the user sees a plain apology, never the
traceback."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from models.db import is_busy_error
from models.errors import (
    AppError,
    InvalidError,
    NotSignedInError,
    PasswordChangeRequiredError,
    ThrottledError,
    ValidationErrors,
)
from models.i18n import message_for, translate
from web.api.problems import BODY_METHODS, ApiError, api_language, is_api_v1, problem_response
from web.asgi import HttpMiddleware
from web.deps import current_language
from web.paths import path_for
from web.security import NUL_MESSAGE, NulInRequest, RequestTooLarge
from web.templating import render

logger = logging.getLogger(__name__)

TITLES = {
    400: "Invalid request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    429: "Too many attempts",
    500: "Server error",
    503: "Busy",
}
MESSAGES = {
    400: "The request is not valid.",
    403: "You are not allowed to do this.",
    404: "There is no page at this address.",
    405: "This address does not accept this kind of request.",
    413: "The request is too large: at most {megabytes} MB is accepted.",
    500: "Something went wrong on our side. It has been recorded; please try again later.",
    503: "The site is busy right now. Please try again in a few seconds.",
}
# Past capacity (every worker busy, a lock held too long): how long a client should wait.
RETRY_AFTER_SECONDS = 5
GENERIC_TITLE = "Error"
GENERIC_MESSAGE = "The request could not be handled."


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    field: str | None = None,
    details: list[dict[str, str | None]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The one renderer of errors; messages are already in the reader's language. `details`
    lists each field's message when several fields were wrong at once."""
    if is_api_v1(request):
        return problem_response(
            request, status, message, field=field, details=details, headers=headers
        )
    if is_api(request):
        error: dict[str, object] = {"field": field, "message": message}
        if details:
            error["details"] = details
        return JSONResponse({"error": error}, status_code=status, headers=headers)
    lang = current_language(request)
    context = {
        "status": status,
        "title": TITLES.get(status, GENERIC_TITLE),
        "message": message,
        "details": details or [],
    }
    response = render(request, "error.html", context, lang=lang, status_code=status)
    response.headers.update(headers or {})
    return response


def app_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, NotSignedInError) and not is_api(request):
        target = quote(_local_target(request), safe="")
        return RedirectResponse(f"{path_for(request, 'login')}?next={target}", status_code=303)
    if isinstance(exc, PasswordChangeRequiredError) and not is_api(request):
        return RedirectResponse(path_for(request, "account_password"), status_code=303)
    lang = reader_language(request)
    details = None
    if isinstance(exc, ValidationErrors):
        details = [_detail(each, lang) for each in exc.errors]
    message = message_for(exc, lang)
    status = exc.status_code
    if is_api_v1(request) and isinstance(exc, InvalidError):
        status = 422  # the API's one status for input it cannot accept
    headers = dict(retry_after(exc) or {})
    if isinstance(exc, ApiError):
        headers.update(exc.headers)
    return error_response(
        request, status, message, field=exc.field, details=details, headers=headers or None
    )


def _detail(error: AppError, lang: str) -> dict[str, str | None]:
    """One field's message; where in a JSON body when the error says (a batch's row)."""
    detail = {"field": error.field, "message": message_for(error, lang)}
    pointer = getattr(error, "pointer", None)
    if pointer:
        detail["pointer"] = pointer
    return detail


def reader_language(request: Request) -> str:
    """The API's client names its language in Accept-Language; a browser's reader chose one
    with the language switch."""
    return api_language(request) if is_api_v1(request) else current_language(request)


def retry_after(exc: AppError) -> dict[str, str] | None:
    """`Retry-After` for a refusal that says how long to wait."""
    seconds = exc.params.get("seconds") if isinstance(exc, ThrottledError) else None
    return {"Retry-After": str(seconds)} if isinstance(seconds, int) else None


def _local_target(request: Request) -> str:
    """Where to come back after signing in: this page, for a GET; home otherwise."""
    if request.method != "GET":
        return "/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    params = {}
    if isinstance(exc, RequestTooLarge):
        params["megabytes"] = exc.max_bytes // (1024 * 1024)
    msgid = MESSAGES.get(exc.status_code, GENERIC_MESSAGE)
    status = exc.status_code
    if isinstance(exc, NulInRequest):
        msgid = NUL_MESSAGE
    elif status == 400 and is_api_v1(request) and request.method in BODY_METHODS:
        msgid = INVALID_JSON  # a body FastAPI could not even parse
    if status == 400 and is_api_v1(request):
        status = 422  # the API answers every invalid input with 422, as its document says
    message = translate(msgid, reader_language(request), **params)
    return error_response(request, status, message, headers=exc.headers)


def validation_error_handler(request: Request, exc: Exception) -> Response:
    """Bad query or body parameters: name the first offending field, in the reader's words.
    A path that does not parse (`/courses/abc`, an id beyond any stored one) names no page:
    404, as an id without a row gets."""
    assert isinstance(exc, RequestValidationError)
    lang = reader_language(request)
    if is_api_v1(request):
        return api_validation_response(request, exc, lang)
    if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return error_response(request, 404, translate(MESSAGES[404], lang))
    first = exc.errors()[0] if exc.errors() else {}
    field = str(first.get("loc", ("",))[-1]) or None
    message = translate("The value of {field} is not valid.", lang, field=field or "?")
    status = 422 if is_api(request) else 400
    return error_response(request, status, message, field=field)


def api_validation_response(request: Request, exc: RequestValidationError, lang: str) -> Response:
    """Every field at fault, with where it is: a pointer into the body, or the query
    parameter; a path that does not parse names no record (404)."""
    errors = exc.errors()
    if any(error.get("loc", ("",))[0] == "path" for error in errors):
        return error_response(request, 404, translate("There is no such record.", lang))
    details = [_api_validation_detail(error, lang) for error in errors[:50]]
    message = translate("The request has errors.", lang)
    return error_response(request, 422, message, details=details)


def _api_validation_detail(error: Mapping[str, object], lang: str) -> dict[str, str | None]:
    raw_loc = error.get("loc", ())
    loc = [str(part) for part in raw_loc] if isinstance(raw_loc, (list, tuple)) else []
    where, path = (loc[0], loc[1:]) if loc else ("body", [])
    name = path[0] if path else None
    if error.get("type") == "json_invalid":
        return {"field": None, "pointer": "", "message": translate(INVALID_JSON, lang)}
    if error.get("type") == "missing":
        message = translate("This field is required.", lang)
    else:
        message = translate("The value of {field} is not valid.", lang, field=".".join(path))
    if where == "body":
        pointer = "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)
        return {"field": name, "pointer": pointer, "message": message}
    return {"field": name, "parameter": name or where, "message": message}


INVALID_JSON = "The request body is not valid JSON."

# Said in both languages because it is shown when even the catalogue or the page failed.
LAST_RESORT_MESSAGE = (
    "Đã có lỗi ở máy chủ, vui lòng thử lại sau. / Something went wrong, please try again later."
)


def server_error_response(request: Request) -> Response:
    try:
        message = translate(MESSAGES[500], reader_language(request))
        return error_response(request, 500, message)
    except Exception:  # the error page itself failed: say it in plain text
        logger.exception("Rendering the error page failed")
        return PlainTextResponse(LAST_RESORT_MESSAGE, status_code=500)


def busy_response(request: Request) -> Response:
    """503 with Retry-After: the request was not served because the server is past its
    capacity, not because of a fault; nothing was changed and it can be sent again."""
    message = translate(MESSAGES[503], reader_language(request))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return error_response(request, 503, message, headers=headers)


class UnexpectedErrorMiddleware(HttpMiddleware):
    """Catches what no handler did: an HTTPException raised by a middleware (a body too
    large), the database being too busy (503, see `busy_response`) and any unexpected
    exception. Sits inside the security headers middleware so these pages carry the headers
    too."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            # url_for in the error page needs the router even if the request never got there.
            scope.setdefault("router", scope["app"].router)
            request = Request(scope)
            if isinstance(exc, HTTPException):
                response = http_error_handler(request, exc)
            elif is_busy_error(exc):
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]  # no parameters
                logger.warning("Busy: 503 on %s %s (%s)", scope["method"], scope["path"], reason)
                response = busy_response(request)
            else:
                logger.exception("Unhandled error on %s %s", scope["method"], scope["path"])
                response = server_error_response(request)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
