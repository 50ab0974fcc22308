"""The supply-and-demand page and its CSV, on the hand-computed world of
tests/models/test_supply_demand.py: the page shows the query's numbers, the CSV the page's,
filters and the place-by-place table work, the chart follows the table, the lowest employment
after training comes from the snapshot's rows, early in a new year last year's stored figures
are shown (never computed now) while this year's are computed, and only officials, institutions
and administrators get in."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.i18n import translate
from models.monitoring.store import refresh_year
from models.queries import supply_demand as queries
from seed.reference import load_reference_data
from tests import factories
from tests.html import Scope, attr, body_rows, find_all, links, one, parse, text, texts
from tests.models.test_supply_demand import TODAY, World, build_world
from tests.web.helpers import make_account, sign_in
from tests.web.jobs import jobs, run_jobs
from web.services import supply_demand as route

FIGURES = [name for name, _ in route.FIGURES]
# The hand-computed world is seen from its own day: "the coming twelve months" start there.
pytestmark = pytest.mark.today(TODAY.isoformat())


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    return build_world(session)


def _signed_in(client: TestClient, session: Session, role: str) -> TestClient:
    sign_in(client, make_account(session, role, f"sd_{role}"))
    return client


def _number(text: str) -> int:
    """A number as the Vietnamese page writes it: 1.234, -2, 7* (default rate marked)."""
    return int(text.strip().rstrip("*").replace(".", ""))


def _table(page: Scope) -> list[tuple[str, list[int]]]:
    """(first cell's text, figures) of each body row, then of the total row: the row's header
    cell, or its first cell when it has none."""
    rows = [
        *body_rows(page, "table.supply-demand"),
        one(page, "table.supply-demand tr[data-total]"),
    ]
    return [
        (
            text((find_all(row, "th") or find_all(row, "td"))[0]),
            [_number(text(one(row, f'td[data-figure="{name}"]'))) for name in FIGURES],
        )
        for row in rows
    ]


def _csv(client: TestClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # the BOM Excel needs
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_page_shows_the_hand_computed_figures(
    client: TestClient, session: Session, world: World
) -> None:
    page = parse(_signed_in(client, session, "official").get("/supply-demand?year=2027").text)
    assert _table(page) == [
        ("May công nghiệp", [5, 7, 12, 8, 7, 4, 11, 1]),
        ("Hàn", [2, 0, 2, 5, 4, 0, 4, -2]),
        (translate("Total", "vi"), [7, 7, 14, 13, 11, 4, 15, -1]),
    ]
    # C2's five students are counted at the default rate: the page says so.
    assert text(one(page, "p[data-default-rate]")).startswith("* 5 ")
    assert attr(page, "p[data-period]", "data-period") == "2027-01-01/2027-12-31"


def test_the_csv_holds_the_numbers_of_the_page(
    client: TestClient, session: Session, world: World
) -> None:
    client = _signed_in(client, session, "institution")
    for query in ("?year=2027", "?year=2027&commune=03127", f"?occupation={world.garment}"):
        page = _table(parse(client.get("/supply-demand" + query).text))
        lines = _csv(client, "/supply-demand.csv" + query)
        width = len(lines[0]) - len(FIGURES)
        assert lines[0][width:] == [translate(label, "vi") for _, label in route.FIGURES]
        assert [(line[0], [int(cell) for cell in line[width:]]) for line in lines[1:]] == page


def test_a_commune_and_an_occupation_place_by_place(
    client: TestClient, session: Session, world: World
) -> None:
    client = _signed_in(client, session, "official")
    page = parse(client.get("/supply-demand?year=2027&commune=03127").text)
    assert _table(page)[0] == ("May công nghiệp", [3, 7, 10, 5, 5, 0, 5, 5])
    page = parse(client.get(f"/supply-demand?year=2027&occupation={world.garment}").text)
    assert _table(page) == [
        ("Phường Điện Biên Phủ", [3, 7, 10, 5, 5, 0, 5, 5]),
        (translate("Another province", "vi"), [2, 0, 2, 0, 0, 0, 0, 2]),
        ("Xã Tuần Giáo", [0, 0, 0, 3, 2, 4, 6, -6]),
        (translate("Total", "vi"), [5, 7, 12, 8, 7, 4, 11, 1]),
    ]
    assert find_all(page, "svg") == []  # the chart compares occupations only


def test_by_default_the_coming_twelve_months(
    client: TestClient, session: Session, world: World
) -> None:
    page = parse(_signed_in(client, session, "official").get("/supply-demand").text)
    assert attr(page, "p[data-period]", "data-period") == "2027-01-10/2028-01-09"
    # O1 (needed by 30/06/2027) and every course still count; nothing else changes here.
    assert _table(page)[0] == ("May công nghiệp", [5, 7, 12, 8, 7, 4, 11, 1])


def test_a_bad_year_is_refused(client: TestClient, session: Session, world: World) -> None:
    client = _signed_in(client, session, "official")
    assert client.get("/supply-demand?year=abc").status_code == 400
    assert client.get("/supply-demand.csv?year=1850").status_code == 400


def test_the_chart_draws_demand_and_supply_of_the_table_rows(
    client: TestClient, session: Session, world: World
) -> None:
    page = parse(_signed_in(client, session, "official").get("/supply-demand?year=2027").text)
    bars = find_all(one(page, "svg"), "g")
    occupations = [int(bar.attributes.get("data-occupation") or 0) for bar in bars]
    # Welding has more graduates than places (2 wanted, 4 trained): a surplus, not a shortage.
    assert occupations == [world.garment]
    widths = [
        [float(rect.attributes.get("width") or 0) for rect in find_all(bar, "rect")] for bar in bars
    ]
    assert widths == [[360.0, 330.0]]  # 12 and 11; 12 is the longest


def test_lowest_employment_after_training_from_the_snapshot_rows(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _signed_in(client, session, "official")
    monkeypatch.setattr(route, "after_training_by_occupation", lambda session, year: [])
    empty = parse(client.get("/supply-demand?year=2027").text)
    assert one(empty, "p[data-no-after-training]")
    asked: list[int] = []

    def snapshot(session: Session, year: int) -> list[tuple[str, int, int]]:
        asked.append(year)
        return [("SD_HAN", 12, 16), ("SD_MAY", 3, 20)]

    monkeypatch.setattr(route, "after_training_by_occupation", snapshot)
    page = parse(client.get("/supply-demand?year=2027").text)
    rows = body_rows(page, "table.after-training")
    assert asked == [2026]
    assert [texts(row, "td")[:5] for row in rows] == [
        ["May công nghiệp", "May mặc", "3", "20", "15,0%"],  # the group's name, not its code
        ["Hàn", "Cơ khí", "12", "16", "75,0%"],
    ]


def test_too_few_graduates_are_shown_but_flagged(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(route, "after_training_by_occupation", lambda s, y: [("SD_MAY", 1, 9)])
    page = parse(_signed_in(client, session, "admin").get("/supply-demand").text)
    [row] = body_rows(page, "table.after-training")
    assert "data-too-few" in row.attributes
    assert texts(row, "td")[5] == translate("too few to judge", "vi")


def test_the_rows_come_from_the_kpi_snapshot(session: Session, engine: Engine) -> None:
    """Three cooks graduated in 2025, asked six months later: two work, one does not."""
    cooking = factories.occupation(session, key="SD_NAU", name="Nấu ăn")
    course = factories.course(
        session,
        occupation_id=cooking.id,
        status="finished",
        start_date=date(2024, 9, 1),
        end_date=date(2025, 3, 1),
    )
    for status in ("wage", "self_employed", "unemployed"):
        enrolment = factories.enrolment(
            session, course_id=course.id, status="tot_nghiep", graduated_on=date(2025, 3, 1)
        )
        factories.follow_up(
            session, enrolment_id=enrolment.id, status=status, observed_on=date(2025, 9, 5)
        )
    session.commit()
    refresh_year(engine, 2025, as_of=date(2026, 1, 10))
    assert ("SD_NAU", 2, 3) in route.after_training_by_occupation(session, 2025)
    assert route.after_training_by_occupation(session, 2019) == []  # no snapshot


def test_after_a_refresh_the_slow_parts_are_read_as_stored_and_say_when(
    client: TestClient, session: Session, engine: Engine, world: World
) -> None:
    """Before any refresh the table is computed now (and says nothing of a refresh); after
    one it is read from the snapshot with the same numbers and says when; a new graduate
    without a job is shown once the refresh that her enrolment queued has run."""
    client = _signed_in(client, session, "official")
    before = parse(client.get("/supply-demand?year=2027").text)
    assert find_all(before, "#freshness") == []
    refresh_year(engine, TODAY.year, as_of=TODAY)
    after = parse(client.get("/supply-demand?year=2027").text)
    assert attr(after, "#freshness", "data-updating") == "false"
    assert _table(after) == _table(before)

    course = factories.course(session, occupation_id=world.welding, status="finished")
    factories.enrolment(
        session, course_id=course.id, status="tot_nghiep", graduated_on=date(2026, 12, 20)
    )
    session.commit()
    stale = parse(client.get("/supply-demand?year=2027").text)
    assert attr(stale, "#freshness", "data-updating") == "true"
    assert _table(stale) == _table(before)  # as stored, until the refresh has run
    assert {"year": TODAY.year} in [job.payload for job in jobs(engine)]
    run_jobs(engine)
    fresh = parse(client.get("/supply-demand?year=2027").text)
    assert attr(fresh, "#freshness", "data-updating") == "false"
    welding = next(figures for name, figures in _table(fresh) if name == "Hàn")
    assert welding[FIGURES.index("available_now")] == 1


def _no_live_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    def live(*args: object) -> None:
        raise AssertionError("the slow parts were computed now")

    monkeypatch.setattr(queries, "all_parts", live)


def test_early_in_a_new_year_last_years_figures_are_shown_with_their_day(
    client: TestClient,
    session: Session,
    engine: Engine,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On 10/01/2027 only 2026 was refreshed (on 31/12/2026): the page and its CSV read that
    snapshot's figures without computing them now, say their day, and this year's refresh is
    queued. A welder who graduated on 05/01/2027 without a job is not in them yet."""
    refresh_year(engine, 2026, as_of=date(2026, 12, 31))
    course = factories.course(session, occupation_id=world.welding, status="finished")
    factories.enrolment(
        session, course_id=course.id, status="tot_nghiep", graduated_on=date(2027, 1, 5)
    )
    session.commit()
    _no_live_computation(monkeypatch)
    client = _signed_in(client, session, "official")
    page = parse(client.get("/supply-demand?year=2027").text)
    assert _table(page) == [
        ("May công nghiệp", [5, 7, 12, 8, 7, 4, 11, 1]),
        ("Hàn", [2, 0, 2, 5, 4, 0, 4, -2]),
        (translate("Total", "vi"), [7, 7, 14, 13, 11, 4, 15, -1]),
    ]
    line = one(page, "#freshness")
    assert "data-earlier" in line.attributes and attr(page, "#freshness", "data-updating") == "true"
    assert "31/12/2026" in text(line)
    assert {"year": 2027} in [job.payload for job in jobs(engine)]
    for query in ("?year=2027", "?year=2027&commune=03127", f"?occupation={world.garment}", ""):
        lines = _csv(client, "/supply-demand.csv" + query)
        width = len(lines[0]) - len(FIGURES)
        shown = _table(parse(client.get("/supply-demand" + query).text))
        assert [(line[0], [int(cell) for cell in line[width:]]) for line in lines[1:]] == shown

    monkeypatch.undo()
    run_jobs(engine)  # this year's figures: the welder is available now
    fresh = parse(client.get("/supply-demand?year=2027").text)
    assert "data-earlier" not in one(fresh, "#freshness").attributes
    welding = next(figures for name, figures in _table(fresh) if name == "Hàn")
    assert welding[FIGURES.index("available_now")] == 1


def test_without_any_stored_figures_they_are_computed_now(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[object] = []
    live = queries.all_parts

    def counted(scope: object) -> object:
        computed.append(scope)
        return live(scope)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "all_parts", counted)
    client = _signed_in(client, session, "official")
    page = parse(client.get("/supply-demand?year=2027").text)
    assert find_all(page, "#freshness") == []
    assert _table(page)[0] == ("May công nghiệp", [5, 7, 12, 8, 7, 4, 11, 1])
    lines = _csv(client, "/supply-demand.csv?year=2027")
    assert [int(cell) for cell in lines[1][-len(FIGURES) :]] == [5, 7, 12, 8, 7, 4, 11, 1]
    assert len(computed) == 2  # the page's table and the CSV's


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("official", True), ("institution", True), ("admin", True), ("employer", False)],
)
def test_who_sees_the_page_and_its_menu_entry(
    client: TestClient, session: Session, world: World, role: str, allowed: bool
) -> None:
    client = _signed_in(client, session, role)
    menu = links(one(parse(client.get("/").text), "nav.site-menu"), "a")
    assert ("/supply-demand" in menu) is allowed
    expected = 200 if allowed else 403
    assert client.get("/supply-demand").status_code == expected
    assert client.get("/supply-demand.csv").status_code == expected


def test_a_visitor_is_sent_to_sign_in(client: TestClient, world: World) -> None:
    response = client.get("/supply-demand.csv", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
