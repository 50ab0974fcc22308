"""Open vacancies for search engines, without signing in: the XML sitemap and robots.txt (the
JSON feed of the same vacancies is web.api.feeds). Only what the public board shows."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from web.deps import SessionDep
from web.services.sitemap import SITEMAP_MEDIA_TYPE, robots_txt, sitemap_xml

router = APIRouter()


@router.get("/sitemap.xml", name="sitemap", response_class=Response)
def sitemap(request: Request, session: SessionDep) -> Response:
    """The public pages for search engines: home, the board and each open vacancy."""
    body = sitemap_xml(session, url_for=lambda name, **params: str(request.url_for(name, **params)))
    return Response(body, media_type=SITEMAP_MEDIA_TYPE)


@router.get("/robots.txt", name="robots", response_class=PlainTextResponse)
def robots(request: Request) -> PlainTextResponse:
    return PlainTextResponse(robots_txt(str(request.url_for("sitemap"))))
