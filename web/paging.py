"""Page numbers and the links between the pages of a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from models import ids
from web.paths import path_for


def whole_or_none(text: str) -> int | None:
    """A filter or page number from the query string; junk is ignored, not an error."""
    return ids.whole_or_none(text)


def pager(request: Request, page: int, pages: int) -> dict[str, str | int | None]:
    """Links to the previous and next page, keeping the other query parameters."""

    def link(number: int) -> str | None:
        if not 1 <= number <= pages or number == page:
            return None
        query = {k: v for k, v in request.query_params.items() if k != "page" and v}
        return request.url.path + "?" + urlencode({**query, "page": number})

    return {"page": page, "pages": pages, "previous": link(page - 1), "next": link(page + 1)}


def page_links(request: Request, name: str, params: dict[str, Any]) -> Callable[[int], str]:
    """page number -> the same list's URL with the same filters on that page."""
    base = path_for(request, name)
    kept = {key: value for key, value in params.items() if value not in ("", None)}

    def link(page: int) -> str:
        return f"{base}?{urlencode({**kept, 'page': page})}"

    return link
