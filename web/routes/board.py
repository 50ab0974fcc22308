"""The public job board: open vacancies for anyone, without signing in and without personal
data. Plain HTML with GET filters, so it works without JavaScript on a slow phone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from models.clock import today
from models.errors import InvalidError
from models.i18n import message_for
from models.ids import parse_id
from models.queries import reference
from models.queries.board import PLACE_FILTERS, BoardFilters, board_page, board_vacancy
from models.validation import clean_text, validate_wage_range
from web.deps import LanguageDep, RecordId, SessionDep
from web.display import display_helpers
from web.paging import page_links
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


@router.get("/board", response_class=HTMLResponse, name="board")
def board(
    request: Request,
    session: SessionDep,
    lang: LanguageDep,
    q: str = "",
    occupation: str = "",
    place: str = "",
    commune: str = "",
    min_wage: str = "",
    page: int = 1,
) -> Response:
    filters, wage_error = _filters(q, occupation, place, commune, min_wage, page, lang)
    on = today()
    params = {
        "q": q,
        "occupation": occupation,
        "place": place,
        "commune": commune,
        "min_wage": min_wage,
    }
    context = {
        "result": board_page(session, filters, on=on),
        "params": params,
        "wage_error": wage_error,
        "place_names": reference.place_names(session, on=on),
        "occupations": reference.occupation_options(session, on=on),
        "communes": reference.commune_options(session, on=on),
        "page_url": page_links(request, "board", params),
        **display_helpers(lang),
    }
    return render(request, "board.html", context, lang=lang, status_code=400 if wage_error else 200)


@router.get("/board/{vacancy_id}", response_class=HTMLResponse, name="board_vacancy")
def board_detail(
    request: Request, session: SessionDep, lang: LanguageDep, vacancy_id: RecordId
) -> Response:
    on = today()
    advert = board_vacancy(session, vacancy_id, on=on)
    context = {
        "advert": advert,
        "place": reference.place_names(session, on=on).label(
            advert.location_kind, advert.commune_code, advert.province_code, advert.country_code
        ),
        **display_helpers(lang),
    }
    return render(request, "board_vacancy.html", context, lang=lang)
