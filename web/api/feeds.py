"""The public feed of open vacancies, `GET /api/v1/feeds/vacancies`: what the national job
exchange and search engines read, without a token (docs/feeds.md). Only what the public board
shows; no personal data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from models.queries.vacancy_feed import FEED_MAX_PER_PAGE, FEED_PER_PAGE
from web.api.problems import problem_responses
from web.deps import SessionDep
from web.services.vacancy_feed import VacancyFeed, vacancy_feed

router = APIRouter()
PUBLIC: dict[str, Any] = {"security": [{}]}  # no token asked


@router.get(
    "/feeds/vacancies",
    name="feed_vacancies",
    response_model=VacancyFeed,
    responses=problem_responses(422),
    openapi_extra=PUBLIC,
)
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
