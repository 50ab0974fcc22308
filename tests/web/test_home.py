"""The web skeleton as a visitor meets it: the home page's figures match the database, the
language switch works and is remembered, errors are pages in Vietnamese (JSON under /api) and
every response carries the security headers."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session

from models import clock
from models.clock import today
from models.errors import InvalidError, ValidationErrors
from models.i18n import catalogue, translate
from models.queries.home import HOME_FIGURE_SECONDS
from models.settings import Settings
from models.tables import EmploymentSpell, Vacancy
from tests import factories
from tests.html import attr, attrs, data_attrs, find_all, one, parse, text, texts
from tests.web.conftest import VISITOR_TOKEN
from web import errors as web_errors
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER
from web.routes.home import HOME_CARDS
from web.security import SECURITY_HEADERS

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"


@dataclass
class Page:
    """What a visitor sees: the page language, headings, the action of each form, and each
    figure card's label and value (cards are marked with data-figure)."""

    lang: str
    h1: list[str]
    forms: list[str]
    figures: dict[str, str]
    labels: dict[str, str]


def read_page(html: str) -> Page:
    page = parse(html)
    cards = {data_attrs(card)["figure"]: card for card in find_all(page, "[data-figure]")}
    return Page(
        lang=attr(page, "html", "lang"),
        h1=texts(page, "h1"),
        forms=[attrs(form).get("action", "") for form in find_all(page, "form")],
        figures={name: text(one(card, ".figure-value")) for name, card in cards.items()},
        labels={name: text(one(card, "dt")) for name, card in cards.items()},
    )


def as_int(shown: str) -> int:
    """'8.500' (Vietnamese grouping) or '8,500' (English) -> 8500; anything else fails."""
    assert re.fullmatch(r"\d{1,3}([.,]\d{3})*", shown), shown
    return int(shown.replace(".", "").replace(",", ""))


def _spell(session: Session, person_id: int, start: date) -> None:
    session.add(
        EmploymentSpell(person_id=person_id, start_date=start, kind="wage", channel="dn_trong_tinh")
    )


def test_home_shows_what_the_database_holds(client, session):
    year = today().year
    centre = factories.institution(session)
    factories.institution(session)
    courses = [factories.course(session, institution_id=centre.id) for _ in range(3)]
    twice, once, never = (factories.person(session) for _ in range(3))
    factories.enrolment(session, person_id=twice.id, course_id=courses[0].id)
    factories.enrolment(session, person_id=twice.id, course_id=courses[1].id)
    factories.enrolment(session, person_id=once.id, course_id=courses[1].id)
    employer = factories.employer(session)
    factories.vacancy(session, employer_id=employer.id, quantity=8_500, filled=0)
    factories.vacancy(session, employer_id=employer.id, quantity=5, filled=2)
    factories.vacancy(session, employer_id=employer.id, quantity=4, status="closed")
    _spell(session, twice.id, date(year, 1, 1))
    _spell(session, once.id, date(year, 12, 31))
    _spell(session, never.id, date(year - 1, 12, 31))  # last year: not counted
    session.commit()

    response = client.get("/")

    assert response.status_code == 200
    page = read_page(response.text)
    assert page.lang == "vi"
    assert {name: as_int(shown) for name, shown in page.figures.items()} == {
        "institutions": 2,
        "courses": 3,
        "trainees": 2,
        "open_vacancies": 2,
        "open_places": 8_503,
        "placements": 2,
    }
    assert page.figures["open_places"] == "8.503"  # grouped the Vietnamese way
    assert str(year) in page.labels["placements"]


def test_the_figures_follow_a_save_at_once_and_other_writers_within_a_minute(
    client, session, monkeypatch
):
    moment = [1000.0]
    monkeypatch.setattr(clock, "steady_seconds", lambda: moment[0])
    employer = factories.employer(session)
    factories.vacancy(session, employer_id=employer.id, quantity=3, filled=0)
    session.commit()

    def open_places() -> int:
        return as_int(read_page(client.get("/").text).figures["open_places"])

    assert open_places() == 3
    # Saved by this process (the ORM commits): shown at once.
    factories.vacancy(session, employer_id=employer.id, quantity=4, filled=0)
    session.commit()
    assert open_places() == 7
    # Written by another process (behind this one's back): kept until the minute is out.
    with session.get_bind().begin() as conn:
        conn.execute(update(Vacancy).values(filled=1))
    assert open_places() == 7
    moment[0] += HOME_FIGURE_SECONDS + 0.1
    assert open_places() == 5


def test_an_empty_database_shows_zeros(client):
    response = client.get("/")

    assert response.status_code == 200
    figures = read_page(response.text).figures
    assert set(figures) == {name for name, _, _ in HOME_CARDS}
    assert set(figures.values()) == {"0"}


def test_english_switch_changes_the_labels_and_is_remembered(client):
    vietnamese = read_page(client.get("/").text)

    switched = client.post("/lang/en", data={"next": "/"}, follow_redirects=False)

    assert switched.status_code == 303
    assert switched.headers["location"] == "/"
    cookie = switched.headers["set-cookie"]
    assert cookie.startswith("lang=en;")
    assert int(re.search(r"Max-Age=(\d+)", cookie, re.I).group(1)) >= 365 * 24 * 3600
    english = read_page(client.get("/").text)  # the client sends the cookie back
    assert english.lang == "en"
    assert english.labels["institutions"] == "Training institutions"
    assert vietnamese.labels["institutions"] == translate("Training institutions", "vi")
    assert all(english.labels[name] != vietnamese.labels[name] for name in english.labels)
    assert read_page(client.get("/").text).lang == "en"  # still English on the next visit

    client.post("/lang/vi", data={"next": "/"})
    assert read_page(client.get("/").text).labels == vietnamese.labels


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_language_switch_never_redirects_off_the_site(client, target):
    response = client.post("/lang/en", data={"next": target}, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_language_switch_comes_back_to_the_page_it_was_used_on(client):
    response = client.post("/lang/en", data={"next": "/?year=2025"}, follow_redirects=False)
    assert response.headers["location"] == "/?year=2025"


def test_every_page_offers_the_switch_to_the_other_language(client):
    assert read_page(client.get("/").text).forms == ["/lang/en"]
    client.cookies.set("lang", "en")
    assert read_page(client.get("/").text).forms == ["/lang/vi"]


def test_an_unknown_language_is_refused_in_vietnamese(client):
    response = client.post("/lang/fr", data={"next": "/"}, follow_redirects=False)

    assert response.status_code == 400
    assert "set-cookie" not in response.headers
    page = read_page(response.text)
    assert page.lang == "vi"
    assert page.h1 == [translate("Invalid request", "vi")]


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/static/app.css", "/healthz"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)

    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/").text
    assert "<script" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_an_unknown_url_is_a_404_page_in_vietnamese_without_traceback(client):
    response = client.get("/khong-co-trang-nay")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = read_page(response.text)
    assert page.lang == "vi"
    assert page.h1 == [translate("Page not found", "vi")]
    assert page.h1 != ["Page not found"]  # really translated
    assert "Traceback" not in response.text


def test_a_wrong_method_is_a_405_page_that_says_what_is_allowed(client):
    response = client.delete("/")

    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert read_page(response.text).h1 == [translate("Method not allowed", "vi")]


def test_an_unexpected_error_is_logged_and_the_visitor_sees_an_apology(app, caplog):
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail 42")

    with TestClient(app) as client, caplog.at_level(logging.ERROR, logger=web_errors.__name__):
        response = client.get("/boom")

    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    assert read_page(response.text).h1 == [translate("Server error", "vi")]
    assert response.headers["x-frame-options"] == "DENY"
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and "secret detail 42" in str(logged[0].exc_info[1])


def test_an_app_error_on_an_api_route_is_json(client):
    response = client.get("/api/home-figures", params={"year": 1800})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "field": "year",
            "message": translate(
                "The year must be between {first} and {last}.", "vi", first=2000, last=2100
            ),
        }
    }


def test_api_errors_follow_the_chosen_language(client):
    client.cookies.set("lang", "en")
    response = client.get("/api/home-figures", params={"year": "soon"})
    assert response.status_code == 422
    assert response.json() == {
        "error": {"field": "year", "message": "The value of year is not valid."}
    }
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "There is no page at this address."


def test_api_home_figures_counts_placements_of_the_year_asked(client, session):
    person = factories.person(session)
    _spell(session, person.id, date(2025, 6, 1))
    session.commit()

    assert client.get("/api/home-figures", params={"year": 2025}).json()["placements"] == 1
    assert client.get("/api/home-figures", params={"year": 2024}).json()["placements"] == 0


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_a_body_over_the_limit_is_refused_with_413(engine):
    app = create_app(Settings(), engine=engine, max_body_bytes=1024)
    with TestClient(app) as client:
        client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        client.headers[CSRF_HEADER] = VISITOR_TOKEN
        declared = client.post("/lang/en", content=b"x" * 2048)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
            yield from (b"next=/&" * 100 for _ in range(5))

        streamed = client.post(
            "/lang/en",
            content=chunks(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        small = client.post("/lang/en", data={"next": "/"}, follow_redirects=False)

    for response in (declared, streamed):
        assert response.status_code == 413
        assert read_page(response.text).h1 == [translate("Request too large", "vi")]
        assert response.headers["x-content-type-options"] == "nosniff"
    assert small.status_code == 303


def _template_msgids() -> set[str]:
    found: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        found |= set(re.findall(r"""_\(\s*["']([^"']+)["']""", template.read_text("utf-8")))
    return found


def _python_msgids() -> set[str]:
    """Literal message ids of `translate(msgid, ...)` and `XxxError(field, msgid, ...)`."""
    found: set[str] = set()
    for path in (TEMPLATES.parent).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            position = 0 if name == "translate" else 1 if name.endswith("Error") else None
            if position is not None and len(node.args) > position:
                argument = node.args[position]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.add(argument.value)
    return found


def _web_msgids() -> set[str]:
    cards = {text for _, label, hint in HOME_CARDS for text in (label, hint)}
    return (
        _template_msgids()
        | _python_msgids()
        | cards
        | set(web_errors.TITLES.values())
        | set(web_errors.MESSAGES.values())
        | {web_errors.GENERIC_TITLE, web_errors.GENERIC_MESSAGE}
    )


def test_the_message_scans_find_the_labels():
    # Guards the test below: a scan that finds nothing would let everything through.
    assert "Back to the home page" in _template_msgids()
    assert "The year must be between {first} and {last}." in _python_msgids()
    assert "The value of {field} is not valid." in _python_msgids()
    assert len(_web_msgids()) >= 30


@pytest.mark.parametrize("msgid", sorted(_web_msgids()))
def test_every_web_label_has_a_vietnamese_translation(msgid):
    assert catalogue("vi").get(msgid, msgid) != msgid


def test_several_field_errors_on_the_api_are_listed_one_by_one(app):
    @app.post("/api/test-form")
    def form() -> None:
        raise ValidationErrors(
            [
                InvalidError("phone", "Only Vietnamese phone numbers are accepted."),
                InvalidError("full_name", "A name must have at least 2 letters."),
            ]
        )

    with TestClient(app) as client:
        client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        response = client.post("/api/test-form", headers={CSRF_HEADER: VISITOR_TOKEN})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == translate("The form has errors.", "vi")
    assert [(d["field"], d["message"]) for d in error["details"]] == [
        ("phone", translate("Only Vietnamese phone numbers are accepted.", "vi")),
        ("full_name", translate("A name must have at least 2 letters.", "vi")),
    ]
