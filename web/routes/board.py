"""The public job board: open vacancies for anyone, without signing in and without personal
data. Plain HTML with GET filters, so it works without JavaScript on a slow phone."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from models.clock import today
from models.errors import InvalidError
from models.i18n import message_for
from models.ids import parse_id
from models.queries import reference
from models.queries.board import PLACE_FILTERS, BoardFilters, board_page, board_vacancy
from models.validation import clean_text, validate_wage_range
from web.auth import OptionalUser, csrf_token_for
from web.deps import LanguageDep, RecordId, SessionDep
from web.display import display_helpers
from web.page_cache import VisitorPages
from web.paging import page_links
from web.services.job_postings import job_posting, json_ld
from web.templating import render

router = APIRouter()


def _filters(
    q: str, occupation: str, place: str, commune: str, min_wage: str, page: int, lang: str
) -> tuple[BoardFilters, str | None]:
    """Filters from the query string; a wage that is not an amount is reported, not used."""
    error = None
    wage = None
    try:
        wage, _ = validate_wage_range(min_wage, None, field_min="min_wage")
    except InvalidError as invalid:
        error = message_for(invalid, lang)
    occupation = clean_text(occupation)
    filters = BoardFilters(
        text=clean_text(q)[:100],
        occupation_id=parse_id(occupation),
        place=place if place in PLACE_FILTERS else "",
        commune_code=clean_text(commune)[:5],
        min_wage=wage,
        page=page,
    )
    return filters, error


# What the board shows: a write to any of these drops the kept pages at once.
BOARD_TABLES = frozenset(
    {"vacancy", "employer", "training_occupation", "training_level", "admin_unit", "country"}
)
# Visitors' board pages, kept VISITOR_PAGE_SECONDS (web/page_cache.py; docs/deploy.md, "Load").
visitor_boards = VisitorPages(BOARD_TABLES)


@router.get("/board", response_class=HTMLResponse, name="board")
def board(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    principal: OptionalUser,
    q: str = "",
    occupation: str = "",
    place: str = "",
    commune: str = "",
    min_wage: str = "",
    page: int = 1,
) -> Response:
    params = {
        "q": q,
        "occupation": occupation,
        "place": place,
        "commune": commune,
        "min_wage": min_wage,
    }

    def render_board(csrf_token: str) -> HTMLResponse:
        filters, wage_error = _filters(q, occupation, place, commune, min_wage, page, lang)
        on = today()
        context = {
            "result": board_page(session, filters, on=on),
            "params": params,
            "wage_error": wage_error,
            "place_names": reference.place_names(session, on=on),
            "occupations": reference.occupation_options(session, on=on),
            "communes": reference.commune_options(session, on=on),
            "page_url": page_links(request, "board", params),
            "csrf_token": csrf_token,
            **display_helpers(lang),
        }
        status = 400 if wage_error else 200
        return render(request, "board.html", context, lang=lang, status_code=status)

    if principal is not None:  # the menu and the forms are the user's own
        return render_board(csrf_token_for(request))
    return visitor_boards.page(request, lang, render_board)


def advert_context(session: Session, vacancy_id: int, lang: str) -> dict[str, Any]:
    """What a vacancy's public page shows, with the lists of its application form."""
    on = today()
    advert = board_vacancy(session, vacancy_id, on=on)
    places = reference.place_names(session, on=on)
    return {
        "advert": advert,
        "places": places,
        "place": places.label(
            advert.location_kind, advert.commune_code, advert.province_code, advert.country_code
        ),
        "apply_communes": reference.commune_options(session, on=on),
        "apply_occupations": reference.occupation_options(session, on=on),
        "form": None,
        "errors": {},
        "job_posting_json": None,  # the vacancy page adds it; a form sent back has none
        **display_helpers(lang),
    }


@router.get("/board/{vacancy_id}", response_class=HTMLResponse, name="board_vacancy")
def board_detail(
    request: Request, session: SessionDep, lang: LanguageDep, vacancy_id: RecordId
) -> Response:
    context = advert_context(session, vacancy_id, lang)
    url = str(request.url_for("board_vacancy", vacancy_id=vacancy_id))
    posting = job_posting(context["advert"], context["places"], url=url)
    context["job_posting_json"] = json_ld(posting)
    return render(request, "board_vacancy.html", context, lang=lang)
