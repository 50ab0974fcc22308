"""Pages as a visitor sees them (nobody signed in), kept for a few seconds: the public job
board is read far more often than vacancies change, and rendering it costs several times a
plain request. A kept page is dropped as soon as this process commits a write to a table it
shows, and after `VISITOR_PAGE_SECONDS` whatever happens (writes of other processes), so a
vacancy that closes leaves the board within that time. Each visitor still gets their own CSRF
token: the page is kept with a placeholder in its place."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from cachetools import TTLCache
from fastapi import Request
from starlette.responses import HTMLResponse

from models import clock
from models.changes import writes_to
from web.auth import csrf_token_for, set_pending_csrf_cookie

VISITOR_PAGE_SECONDS = 3.0
KEPT_PAGES = 256  # different filters and languages; about 16 KB each
LONGEST_KEPT_QUERY = 512  # a longer query string is rendered every time, never kept


@dataclass(frozen=True)
class _Kept:
    body: bytes
    media_type: str | None
    status_code: int


def _seconds() -> float:
    return clock.steady_seconds()  # looked up at each call, so tests can move it


Pages = TTLCache[tuple[object, ...], "_Kept"]


class VisitorPages:
    """Rendered pages keyed by address, language and day, for the tables they show; each
    app keeps its own (tests build many apps, each on its own database)."""

    def __init__(self, tables: frozenset[str], seconds: float = VISITOR_PAGE_SECONDS) -> None:
        self.tables = tables
        self.seconds = seconds
        self._by_app: WeakKeyDictionary[object, Pages] = WeakKeyDictionary()
        self._lock = threading.Lock()  # TTLCache is not thread-safe
        self._placeholder = "csrf-" + secrets.token_urlsafe(24)  # as URL-safe as a token

    def _get(self, app: object, key: tuple[object, ...]) -> _Kept | None:
        with self._lock:
            pages = self._by_app.get(app)
            return pages.get(key) if pages is not None else None

    def _keep(self, app: object, key: tuple[object, ...], kept: _Kept) -> None:
        with self._lock:
            pages = self._by_app.get(app)
            if pages is None:
                pages = TTLCache(maxsize=KEPT_PAGES, ttl=self.seconds, timer=_seconds)
                self._by_app[app] = pages
            pages[key] = kept

    def page(
        self, request: Request, lang: str, render: Callable[[str], HTMLResponse]
    ) -> HTMLResponse:
        """The kept page for this request, else `render(csrf_token)`'s, kept when it is a
        200. The key carries the count of writes seen before rendering, so a page rendered
        while a write commits is never served after it."""
        query = request.url.query
        if len(query) > LONGEST_KEPT_QUERY:
            return render(csrf_token_for(request))
        key = (request.url.path, query, lang, clock.today(), writes_to(self.tables))
        kept = self._get(request.app, key)
        if kept is None:
            fresh = render(self._placeholder)
            kept = _Kept(bytes(fresh.body), fresh.media_type, fresh.status_code)
            if fresh.status_code == 200:
                self._keep(request.app, key, kept)
        return self._respond(request, kept)

    def _respond(self, request: Request, kept: _Kept) -> HTMLResponse:
        token = csrf_token_for(request).encode()
        body = kept.body.replace(self._placeholder.encode(), token)
        response = HTMLResponse(body, status_code=kept.status_code, media_type=kept.media_type)
        set_pending_csrf_cookie(request, response)
        return response
