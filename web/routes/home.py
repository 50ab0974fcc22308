"""The home page: what the platform holds, for anyone, without signing in; and for a signed-in
user the alerts of what they can act on (web/services/home.py)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from models.clock import today
from models.queries.home import HomeFigures, home_figures
from models.years import check_year
from web.auth import OptionalUser
from web.deps import LanguageDep, SessionDep
from web.paths import path_for
from web.services.home import home_page
from web.templating import render

router = APIRouter()

# (figure, label msgid, hint msgid): the order the cards appear in.
HOME_CARDS = (
    ("institutions", "Training institutions", "Vocational colleges, centres and schools"),
    ("courses", "Courses", "All courses registered"),
    ("trainees", "Trainees", "People with at least one enrolment"),
    ("open_vacancies", "Open vacancies", "Job offers still taking people"),
    ("open_places", "Places open", "Places left in the open vacancies"),
    ("placements", "Jobs started in {year}", "Employment starting this year"),
)


@router.get("/", response_class=HTMLResponse, name="home")
def home(
    request: Request, session: SessionDep, lang: LanguageDep, principal: OptionalUser
) -> HTMLResponse:
    page = home_page(session, principal=principal, lang=lang, path=partial(path_for, request))
    figures = page.figures
    cards = [
        {"figure": name, "label": label, "hint": hint, "value": getattr(figures, name)}
        for name, label, hint in HOME_CARDS
    ]
    context = {"year": figures.year, "cards": cards, "page": page}
    return render(request, "home.html", context, lang=lang)


@router.get("/api/home-figures", name="api_home_figures")
def api_home_figures(
    session: SessionDep, year: Annotated[int | None, Query()] = None
) -> HomeFigures:
    """The home page's figures as JSON, for any year (placements depend on it)."""
    year = today().year if year is None else year
    return home_figures(session, year=check_year(year), on=today())
