"""What FastAPI does not do by itself: security headers on every response (HSTS on those
served over HTTPS) and a limit on the size of request bodies. Plain ASGI middleware (no
BaseHTTPMiddleware), so streaming works."""

from __future__ import annotations

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
        if declared.isdigit() and int(declared) > self.max_bytes:
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
