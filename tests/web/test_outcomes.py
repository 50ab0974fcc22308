"""The public "which training leads to a job" page, on a hand-built world seen on 7/12/2026:

- Occupation A (Thêu ren thổ cẩm): institution X graduated 25 people (20 then in a wage job at
  6 months, 5 unemployed, each reported wage 6.000.000 ₫), Y 7 people, Z 12 people (no answers).
- Occupation B (Hàn điện): institution X graduated 30 people.

Y's 7 are hidden (fewer than 10); A's total of 44 is shown, so Z's 12 are hidden too (44 - 25
would give Y away), and Z's institution total (its only cell) is hidden as well. The figures
come from the snapshot: nothing shows before a refresh."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.monitoring.store import refresh_year
from seed.reference import load_reference_data
from tests import factories
from tests.html import Scope, attr, attrs, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in

TODAY = date(2026, 12, 7)
pytestmark = pytest.mark.today(TODAY.isoformat())
GRADUATED = date(2025, 6, 30)


def _graduates(session: Session, course_id: int, count: int) -> list[int]:
    ids = []
    for n in range(count):
        person = factories.person(session, full_name=f"Lò Văn Số {n}")
        enrolment = factories.enrolment(
            session,
            person_id=person.id,
            course_id=course_id,
            enrolled_on=date(2025, 1, 2),
            status="tot_nghiep",
            graduated_on=GRADUATED,
        )
        ids.append(enrolment.id)
    return ids


@pytest.fixture
def world(session: Session, engine: Engine) -> dict[str, int]:
    load_reference_data(session)
    may = factories.occupation(session, key="MAY_T", name="Thêu ren thổ cẩm")
    han = factories.occupation(session, key="HAN_T", name="Hàn điện")
    x = factories.institution(session, name="Trường X")
    y = factories.institution(session, name="Trường Y")
    z = factories.institution(session, name="Trường Z")

    def course(occupation_id: int, institution_id: int) -> int:
        return factories.course(
            session,
            occupation_id=occupation_id,
            institution_id=institution_id,
            start_date=date(2025, 1, 2),
            end_date=GRADUATED,
            status="finished",
        ).id

    at_x = _graduates(session, course(may.id, x.id), 25)
    _graduates(session, course(may.id, y.id), 7)
    _graduates(session, course(may.id, z.id), 12)
    _graduates(session, course(han.id, x.id), 30)
    for n, enrolment_id in enumerate(at_x):
        employed = n < 20
        factories.follow_up(
            session,
            enrolment_id=enrolment_id,
            months_after=6,
            observed_on=date(2026, 1, 5),
            status="wage" if employed else "unemployed",
            income=6_000_000 if employed else None,
        )
    soon_here = factories.course(
        session, occupation_id=may.id, institution_id=x.id, name="May khóa mới ở xã",
        start_date=date(2027, 1, 20), end_date=date(2027, 4, 30), venue_commune_code="03253",
    )  # fmt: skip
    soon_elsewhere = factories.course(
        session, occupation_id=han.id, institution_id=y.id, name="Hàn khóa mới",
        start_date=date(2026, 12, 20), end_date=date(2027, 3, 30), venue_commune_code="03127",
    )  # fmt: skip
    far_north = factories.course(
        session, occupation_id=han.id, institution_id=y.id, name="Hàn khóa Mường Lay",
        start_date=date(2026, 12, 8), end_date=date(2027, 3, 30), venue_commune_code="03151",
    )  # fmt: skip
    session.commit()
    return {
        "far": far_north.id,
        "x": x.id,
        "y": y.id,
        "z": z.id,
        "here": soon_here.id,
        "elsewhere": soon_elsewhere.id,
    }


def _refresh(engine: Engine) -> None:
    refresh_year(engine, TODAY.year, as_of=TODAY)


def _trade(client: TestClient, occupation: str = "MAY_T") -> Scope:
    return parse(client.get("/outcomes", params={"occupation": occupation}).text)


def _row(page: Scope, occupation: str, institution: str) -> Scope:
    section = one(page, f'section[data-occupation="{occupation}"]')
    if institution == "total":
        return one(section, 'tr[data-row="total"]')
    for row in find_all(section, 'tr[data-row="institution"]'):
        if text(one(row, "th")) == institution:
            return row
    raise AssertionError(f"no row for {institution}")


def _cell(row: Scope, measure: str) -> Scope:
    return one(row, f'td[data-measure="{measure}"]')


def _hidden(row: Scope, measure: str) -> bool:
    return bool(find_all(_cell(row, measure), "[data-hidden]"))


def test_figures_with_their_base_and_small_groups_hidden(
    client: TestClient, engine: Engine, world: dict[str, int]
) -> None:
    _refresh(engine)
    page = _trade(client)
    x = _row(page, "MAY_T", "Trường X")
    assert attr(_cell(x, "graduated"), ".figure", "data-value") == "25"
    assert text(one(_cell(x, "employed_6"), ".figure")) == "80 %"
    assert attr(_cell(x, "employed_6"), ".base", "data-base") == "25"
    assert text(one(_cell(x, "employed_6"), ".base")) == "trên 25 người"
    assert text(one(_cell(x, "response_6"), ".figure")) == "100 %"
    assert text(one(_cell(x, "median_wage"), ".figure")) == "6.000.000 ₫"
    assert attr(_cell(x, "median_wage"), ".base", "data-base") == "20"
    # Primary: 7 people. Secondary: Z's 12, else 44 - 25 - 12 = 7 would show Y.
    y, z = _row(page, "MAY_T", "Trường Y"), _row(page, "MAY_T", "Trường Z")
    assert _hidden(y, "graduated") and text(_cell(y, "graduated")) == "dưới 10 người"
    assert _hidden(z, "graduated")
    assert "12" not in text(z) and "7" not in text(y)
    total = _row(page, "MAY_T", "total")
    assert attr(_cell(total, "graduated"), ".figure", "data-value") == "44"
    # 25 answers of 44 due: the rate published as shown, rounded (not 0.5681818...).
    assert attr(_cell(total, "response_6"), ".figure", "data-value") == "0.568"
    assert text(one(_cell(total, "response_6"), ".figure")) == "57 %"
    # Z's institution total would be its one hidden cell: hidden; X's (55) is shown.
    by_institution = {
        text(one(row, "th")): row for row in find_all(page, 'tr[data-row="institution-total"]')
    }
    assert _hidden(by_institution["Trường Z"], "graduated")
    assert attr(_cell(by_institution["Trường X"], "graduated"), ".figure", "data-value") == "55"


def test_the_overview_lists_each_trade_and_opens_its_institutions(
    client: TestClient, engine: Engine, session: Session, world: dict[str, int]
) -> None:
    _refresh(engine)
    page = parse(client.get("/outcomes").text)
    rows = {attrs(row)["data-occupation"]: row for row in find_all(page, "tr[data-occupation]")}
    assert set(rows) >= {"MAY_T", "HAN_T"}
    assert attr(_cell(rows["MAY_T"], "graduated"), ".figure", "data-value") == "44"
    assert attr(_cell(rows["HAN_T"], "graduated"), ".figure", "data-value") == "30"
    assert not find_all(page, "section#trade")  # institutions only for the trade chosen
    link = attrs(one(rows["MAY_T"], "a"))["href"]
    chosen = parse(client.get(link).text)
    assert attrs(one(chosen, "section#trade"))["data-occupation"] == "MAY_T"
    assert len(find_all(chosen, 'section#trade tr[data-row="institution"]')) == 3


def test_the_page_says_when_the_figures_were_computed(
    client: TestClient, engine: Engine, world: dict[str, int]
) -> None:
    before = parse(client.get("/outcomes").text)
    assert not find_all(before, "tr[data-occupation]")
    assert find_all(before, "p.empty")
    _refresh(engine)
    page = parse(client.get("/outcomes").text)
    assert "07/12/2026" in text(one(page, "p.freshness"))
    assert attr(page, "p.freshness", "data-computed-at")


def test_the_page_in_english(client: TestClient, engine: Engine, world: dict[str, int]) -> None:
    _refresh(engine)
    client.cookies.set("lang", "en")
    page = _trade(client)
    assert text(one(page, "h1")) == "Which training leads to a job"
    y = _row(page, "MAY_T", "Trường Y")
    assert text(_cell(y, "graduated")) == "fewer than 10"
    x = _row(page, "MAY_T", "Trường X")
    assert text(one(_cell(x, "employed_6"), ".base")) == "of 25 people"
    assert text(one(_cell(x, "median_wage"), ".figure")) == "VND 6,000,000"


def test_courses_of_the_chosen_commune_come_first_without_javascript(
    client: TestClient, world: dict[str, int]
) -> None:
    page = parse(client.get("/outcomes").text)
    form = one(page, "section.courses-soon form")
    assert attrs(form)["method"] == "get"
    listed = [int(attrs(li)["data-course"]) for li in find_all(page, "li[data-course]")]
    assert listed == [world["far"], world["elsewhere"], world["here"]]  # by start date
    # From Tuần Giáo (03253): its own course, then Điện Biên Phủ (about 45 km) before
    # Mường Lay (about 51 km), whatever their start dates.
    page = parse(client.get("/outcomes", params={"commune": "03253"}).text)
    courses = find_all(page, "li[data-course]")
    listed = [int(attrs(li)["data-course"]) for li in courses]
    assert listed == [world["here"], world["elsewhere"], world["far"]]
    assert [attrs(li).get("data-km") for li in courses] == ["0", "45", "51"]
    assert attr(page, "select#commune option[selected]", "value") == "03253"


def test_an_unknown_commune_is_ignored(client: TestClient, world: dict[str, int]) -> None:
    response = client.get("/outcomes", params={"commune": "<script>"})
    assert response.status_code == 200
    assert not find_all(parse(response.text), "select#commune option[selected]")


def test_visitors_find_the_page_from_the_home_page(client: TestClient, session: Session) -> None:
    page = parse(client.get("/").text)
    assert attr(page, "a#outcomes-link", "href").endswith("/outcomes")


def test_signed_in_users_see_it_too(client: TestClient, session: Session) -> None:
    sign_in(client, make_account(session, "employer", "outcomes_employer"))
    assert client.get("/outcomes").status_code == 200
