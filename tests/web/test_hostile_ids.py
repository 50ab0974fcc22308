"""No id or number, however large, gets a 500. An id beyond any the database can store names
no record: 404 in a path, and in a query string or form it is junk, ignored or refused (400)
like any other junk. Every route with an int in its path is walked, so a new one is covered
without adding it here. Runs on SQLite and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from models.errors import NotFoundError
from models.i18n import translate
from models.ids import MAX_ID, parse_id
from models.locking import locked_row
from models.rows import get_or_404
from models.tables import Course
from models.years import year_or_none
from tests.web.helpers import make_account, sign_in
from web.errors import MESSAGES
from web.routes import all_routers

# Beyond SQLite's 64 bits, and just beyond PostgreSQL's 32-bit integer ids.
HUGE_IDS = ("99999999999999999999", str(2**63), str(MAX_ID + 1))
HUGE = HUGE_IDS[0]

# Query-string values: the status the page answers (never 500).
QUERY_URLS = {
    f"/board?occupation={HUGE}": 200,  # an unknown occupation filter is ignored
    f"/board?min_wage={HUGE}": 400,  # a wage no one can be paid is reported
    f"/board?min_wage={MAX_ID + 1}": 400,
    f"/supply-demand?occupation={HUGE}": 200,
    f"/supply-demand.csv?occupation={HUGE}": 200,
    f"/exports/trainees?course_id={HUGE}": 400,  # as for course_id=abc
    f"/exports/results?course_id={HUGE}": 400,
    f"/exports/trainees?institution_id={HUGE}": 400,
    f"/courses?occupation={HUGE}": 200,
    "/courses?year=0": 200,  # ignored, as year=abc is
    "/courses?year=99999": 200,
    f"/courses?year={HUGE}": 200,
    "/targets?year=0": 200,
    f"/courses?page={HUGE}": 200,
    f"/board?page={HUGE}": 200,
    f"/vacancies?page={HUGE}": 200,
    f"/training-orders?page={HUGE}": 200,
    f"/trainees?page={HUGE}": 200,
    f"/dashboard?page={HUGE}": 200,
    f"/follow-ups?course={HUGE}&institution={HUGE}": 200,
}


def _int_path_routes() -> list[tuple[str, str, str]]:
    """(method, path template, name) of every route with an int parameter in its path."""
    found = []
    for router in all_routers():
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            params = route.dependant.path_params
            if not any(param.field_info.annotation is int for param in params):
                continue
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, route.path, route.name))
    return found


def _with_huge_ids(route: APIRoute | None, template: str, value: str) -> str:
    assert route is not None
    path = template
    for param in route.dependant.path_params:
        filler = value if param.field_info.annotation is int else "x"
        path = path.replace("{" + param.name + "}", filler)
    return path


def _admin_client(client: TestClient, session: Session) -> TestClient:
    sign_in(client, make_account(session, "admin", "hostile_admin"))
    return client


def test_the_walk_finds_the_routes_with_ids() -> None:
    names = {name for _, _, name in _int_path_routes()}
    expected = {
        "board_vacancy",
        "vacancy_detail",
        "vacancy_edit",
        "vacancy_candidates",
        "vacancy_referrals",
        "vacancy_close",
        "course_detail",
        "course_results",
        "course_edit",
        "course_enrol",
        "dashboard_drill",
        "dashboard_drill_csv",
        "target_edit",
        "trainee_detail",
        "training_order_detail",
    }
    assert expected <= names, expected - names


def test_no_path_id_is_too_large_for_a_404(client: TestClient, session: Session) -> None:
    admin = _admin_client(client, session)
    routes = {
        route.name: route
        for router in all_routers()
        for route in router.routes
        if isinstance(route, APIRoute)
    }
    wrong = []
    for method, template, name in _int_path_routes():
        for value in HUGE_IDS:
            path = _with_huge_ids(routes.get(name), template, value)
            got = admin.request(method, path, follow_redirects=False)
            if got.status_code != 404:
                wrong.append(f"{method} {path}: {got.status_code}")
    assert not wrong, "\n".join(wrong)


def test_a_huge_path_id_reads_like_a_missing_page(client: TestClient, session: Session) -> None:
    admin = _admin_client(client, session)
    got = admin.get(f"/courses/{HUGE}")
    assert got.status_code == 404
    assert translate(MESSAGES[404], "vi") in got.text
    assert admin.get("/courses/abc").status_code == 404  # a path that is no id at all


def test_query_values_beyond_any_id_are_junk(client: TestClient, session: Session) -> None:
    admin = _admin_client(client, session)
    wrong = []
    for url, expected in QUERY_URLS.items():
        got = admin.get(url, follow_redirects=False)
        if got.status_code != expected:
            wrong.append(f"GET {url}: {got.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_huge_wage_is_refused_in_the_readers_language(
    client: TestClient, session: Session
) -> None:
    got = client.get(f"/board?min_wage={HUGE}")
    assert got.status_code == 400
    assert "Mức lương tối đa là" in got.text


@pytest.mark.parametrize("lock", [False, True])
def test_get_or_404_finds_nothing_beyond_any_id(session: Session, lock: bool) -> None:
    for value in (int(HUGE), -int(HUGE), MAX_ID + 1):
        with pytest.raises(NotFoundError):
            get_or_404(session, Course, value, "There is no such course.", lock=lock)
        assert locked_row(session, Course, value) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (HUGE, None),
        ("0", None),
        ("-3", None),
        ("abc", None),
        ("", None),
        ("١٢", None),
    ],
)
def test_parse_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025", 2025), ("0", None), ("99999", None), (HUGE, None), ("abc", None), ("", None)],
)
def test_year_filter(text: str, expected: int | None) -> None:
    assert year_or_none(text) == expected
