"""Open vacancies for other systems, without signing in: the JSON feed the national job
exchange and search engines read (`/api/v1/feeds/vacancies`), the XML sitemap and robots.txt.
Only what the public board shows; no personal data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from models.queries.vacancy_feed import FEED_MAX_PER_PAGE, FEED_PER_PAGE
from web.deps import SessionDep
from web.services.sitemap import SITEMAP_MEDIA_TYPE, robots_txt, sitemap_xml
from web.services.vacancy_feed import VacancyFeed, vacancy_feed

router = APIRouter()


@router.get("/api/v1/feeds/vacancies", name="feed_vacancies", response_model=VacancyFeed)
def vacancies_feed(
    request: Request,
    session: SessionDep,
    cursor: Annotated[str, Query(max_length=200)] = "",
    updated_since: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[int, Query(ge=1, le=FEED_MAX_PER_PAGE)] = FEED_PER_PAGE,
) -> VacancyFeed:
    """Open vacancies, oldest change first, each as a schema.org JobPosting. Follow
    `next_cursor` to the end; next time pass `updated_since` to take only what changed."""

    def page_url(vacancy_id: int) -> str:
        return str(request.url_for("board_vacancy", vacancy_id=vacancy_id))

    return vacancy_feed(
        session, cursor=cursor, updated_since=updated_since, limit=limit, page_url=page_url
    )


@router.get("/sitemap.xml", name="sitemap", response_class=Response)
def sitemap(request: Request, session: SessionDep) -> Response:
    """The public pages for search engines: home, the board and each open vacancy."""
    body = sitemap_xml(session, url_for=lambda name, **params: str(request.url_for(name, **params)))
    return Response(body, media_type=SITEMAP_MEDIA_TYPE)


@router.get("/robots.txt", name="robots", response_class=PlainTextResponse)
def robots(request: Request) -> PlainTextResponse:
    return PlainTextResponse(robots_txt(str(request.url_for("sitemap"))))
