"""What FastAPI does not do by itself: security headers on every response (HSTS on those
served over HTTPS), a limit on the size of request bodies, and no NUL characters in a request.
Plain ASGI middleware (no BaseHTTPMiddleware), so streaming works."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.asgi import HttpMiddleware

# Self only; no inline script or style, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# Sent only on responses served over HTTPS (browsers ignore it over HTTP): a year, and no
# includeSubDomains, since other sites of the province may live under the same domain.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"

DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024  # room for a spreadsheet import


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds the headers to every HTTP response, error pages included. Over HTTPS (this
    server's own, or a trusted proxy's: the scheme is already rewritten) also HSTS."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestTooLarge(HTTPException):
    """Raised before the app runs when Content-Length says too much, or while the body is
    read when a chunked body grows past the limit; rendered like any HTTP error."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(status_code=413, detail="Request too large")
        self.max_bytes = max_bytes


class BodySizeLimitMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = Headers(scope=scope).get("content-length", "")
        length = declared.strip().lstrip("0")
        if (
            length.isascii()
            and length.isdigit()
            and (len(length) > 18 or int(length) > self.max_bytes)
        ):
            raise RequestTooLarge(self.max_bytes)
        received = 0

        async def receive_with_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_with_limit, send)


NUL = "\x00"
NUL_MESSAGE = "The request contains a NUL character (code 0), which no address or field may hold."


class NulInRequest(HTTPException):
    """A NUL character in the path, the query string or a JSON body: rendered like any HTTP
    error, with NUL_MESSAGE. Posted forms are checked where they are parsed (web/forms.py)."""

    def __init__(self) -> None:
        super().__init__(status_code=400, detail="NUL character in the request")


class NulRefusingMiddleware(HttpMiddleware):
    """Refuses a NUL character before any route runs: no field means one, and PostgreSQL
    cannot store or even compare text that holds one (SQLite would keep it silently)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if NUL in scope["path"] or b"\x00" in unquote_to_bytes(scope["query_string"]):
            raise NulInRequest
        content_type = Headers(scope=scope).get("content-type", "")
        if content_type.startswith("application/json"):
            receive = await _checked_json(receive)
        await self.app(scope, receive, send)


async def _checked_json(receive: Receive) -> Receive:
    """Read the JSON body (its size is limited outside), refuse it if any text in it holds a
    NUL, and hand the same body on."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    if b"\x00" in body or (b"\\u0000" in body and _holds_nul(_parsed(body))):
        raise NulInRequest
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _parsed(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None  # not JSON: the route says so


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(each) for key, each in value.items())
    if isinstance(value, list):
        return any(_holds_nul(each) for each in value)
    return False
