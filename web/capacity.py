"""How much one server process takes on at once. Plain `def` routes and dependencies run in
anyio's worker threads; every thread that runs one finds a database connection waiting,
because the pool is sized from the same setting (`Settings.request_threads`). Past
`Settings.max_requests_in_flight` requests at once, a new request is answered 503 with
Retry-After at once instead of queueing behind minutes of work; a request that waited too
long for a connection or a lock is answered the same way (web/errors.py)."""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from models.settings import Settings
from web.asgi import HttpMiddleware
from web.errors import busy_response


def set_worker_threads(settings: Settings) -> None:
    """Give the running event loop as many worker threads as the pool has connections (the
    limiter is per event loop: call it from the app's lifespan)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads


class InFlightLimitMiddleware(HttpMiddleware):
    """Counts the HTTP requests this process is working on; one past the limit is turned
    away with 503 before any work is done for it."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        super().__init__(app)
        self.limit = limit
        self.in_flight = 0  # only touched on the event loop: no lock needed

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.in_flight >= self.limit:
            scope.setdefault("router", scope["app"].router)  # url_for in the error page
            await busy_response(Request(scope))(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
