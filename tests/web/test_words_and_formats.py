"""Words and formats a reader notices: the course form asks for the course's opening day (not
a job's first day), counts are grouped the reader's way (32.527 in Vietnamese, 32,527 in
English), the supply-and-demand chart lists shortages only, largest first, and a dashboard
year without records says "no data" instead of drawing zeros."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.monitoring.store import refresh_year
from models.queries.supply_demand import Balance
from seed.reference import load_reference_data
from tests.html import find_all, one, parse, text
from tests.web import test_courses as shared
from tests.web.dashboard_world import YEAR, build_world
from tests.web.helpers import make_account, sign_in
from tests.web.test_courses import World, signed_in
from web.services import supply_demand
from web.services import trainees as trainee_service

world = shared.world  # two institutions, a course at A, an account per role


def _label_of(html: str, field: str) -> str:
    return text(one(parse(html), f'label[for="{field}"]'))


def test_the_course_form_asks_for_the_opening_day_of_the_course(
    client: TestClient, world: World
) -> None:
    page = signed_in(client, world, "staff_a").get("/courses/new")
    assert page.status_code == 200
    start = _label_of(page.text, "start_date")
    assert start.startswith("Ngày khai giảng")
    assert "làm việc" not in start  # the words of a job's first day, not a course's
    assert _label_of(page.text, "end_date").startswith("Ngày kết thúc khóa học")

    client.cookies.set("lang", "en")
    english = client.get("/courses/new").text
    assert _label_of(english, "start_date").startswith("Course start date")


@pytest.mark.parametrize(("lang", "expected"), [("vi", "9.527 người"), ("en", "9,527 people")])
def test_the_count_of_trainees_is_grouped_the_readers_way(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    listed = trainee_service.people_queries.list_trainees

    def many(*args: Any, **kwargs: Any):  # thousands of trainees, without 9,527 rows
        return replace(listed(*args, **kwargs), total=9527)

    monkeypatch.setattr(trainee_service.people_queries, "list_trainees", many)
    client.cookies.set("lang", lang)
    page = parse(signed_in(client, world, "official").get("/trainees").text)
    count = one(page, ".result-count")
    assert text(count) == expected
    assert count.attributes.get("data-total") == "9527"  # the raw number for scripts


def _balance(occupation_id: int | None, demand: int, supply: int) -> Balance:
    return Balance(
        occupation_id=occupation_id,
        occupation_name=None if occupation_id is None else f"Nghề {occupation_id}",
        occupation_group=None,
        place=None,
        vacancy_places=demand,
        order_places=0,
        studying=0,
        expected_graduates=supply,
        default_rate_studying=0,
        available_now=0,
    )


def test_the_shortage_chart_lists_shortages_only_largest_first() -> None:
    rows = [
        _balance(None, 500, 0),  # vacancies naming no occupation: the largest gap of all
        _balance(1, 10, 90),  # a surplus
        _balance(2, 30, 20),  # short by 10
        _balance(3, 80, 20),  # short by 60
        _balance(4, 5, 5),  # balanced
    ]
    chart = supply_demand._chart(rows)
    assert [row.occupation_id for row in chart["rows"]] == [3, 2]


def test_a_dashboard_year_without_records_says_no_data(
    client: TestClient, session: Session, engine: Engine
) -> None:
    load_reference_data(session)
    build_world(session)
    refresh_year(engine, YEAR)
    sign_in(client, make_account(session, "official", "words_official"))
    session.rollback()
    empty = YEAR - 3  # before the platform held anything

    page = parse(client.get(f"/dashboard?year={empty}").text)
    notice = one(page, "#no-data")
    assert text(notice).startswith(f"Chưa có số liệu của năm {empty}")
    for section in ("#monthly", "#groups", "#orders-vacancies", "#cut-table"):
        assert find_all(page, section) == [], section  # no empty charts, no table of zeros

    full = parse(client.get(f"/dashboard?year={YEAR}").text)
    assert find_all(full, "#no-data") == []
    assert len(find_all(full, "#monthly svg")) >= 1
