"""A vacancy is closed the day after its deadline, everywhere and without a nightly job: the
board and the home page stop counting it, the vacancy list files it under closed and shows
its employer why, and nobody can be referred to it or hired for it."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from models.i18n import translate
from models.tables import EmploymentSpell, Referral, Vacancy
from tests.html import find_all, one, parse, text
from tests.web.helpers import sign_in
from tests.web.test_board import shown
from tests.web.test_candidates import (
    EMPLOYER,
    Page,
    World,
    build_world,
    candidates_url,
    post,
    refer_directly,
)

DEADLINE = date(2026, 12, 14)


@pytest.fixture
def world(session: Session) -> World:
    """The candidates' world (an open sewing vacancy, "Thợ điện" beside it), the sewing
    vacancy's deadline the 14th."""
    built = build_world(session)
    vacancy = session.get(Vacancy, built.vacancy_id)
    assert vacancy is not None
    vacancy.deadline = DEADLINE
    session.commit()
    return built


def open_count(client: TestClient) -> int:
    return int(client.get("/api/home-figures").json()["open_vacancies"])


def listed(client: TestClient, **params: str) -> dict[str, str]:
    """Title -> status shown in the vacancy list."""
    page = parse(client.get("/vacancies", params=params).text)
    rows = {}
    for badge in find_all(page, "tbody tr"):
        status = one(badge, "[data-status]")
        rows[text(one(badge, "a"))] = status.attributes.get("data-status") or ""
    return rows


@pytest.mark.today("2026-12-14")
def test_on_its_deadline_day_the_vacancy_is_still_open(client: TestClient, world: World):
    assert world.title in shown(client)
    assert open_count(client) == 2


@pytest.mark.today("2026-12-15")
def test_after_its_deadline_the_board_and_the_home_page_leave_it_out(
    client: TestClient, world: World
):
    assert world.title not in shown(client)
    assert shown(client) == ["Thợ điện"]
    assert open_count(client) == 1
    assert client.get(f"/board/{world.vacancy_id}").status_code == 404


@pytest.mark.today("2026-12-15")
def test_its_employer_sees_it_closed_because_the_deadline_passed(client: TestClient, world: World):
    sign_in(client, EMPLOYER)
    assert listed(client) == {world.title: "expired"}
    assert listed(client, status="open") == {}
    assert listed(client, status="closed") == {world.title: "expired"}
    page = parse(client.get(f"/vacancies/{world.vacancy_id}").text)
    badge = one(page, "h1 [data-status]")
    assert badge.attributes.get("data-status") == "expired"
    assert text(badge) == translate("Closed (deadline passed)", "vi")


@pytest.mark.today("2026-12-15")
def test_nobody_is_referred_to_it_or_hired_for_it(
    client: TestClient, session: Session, world: World
):
    mai = world.people["mai"]
    refer_directly(session, world.vacancy_id, mai)
    sign_in(client, EMPLOYER)
    html = client.get(candidates_url(world.vacancy_id)).text
    notices = [text(node) for node in find_all(parse(html), "span.status")]
    assert translate("This vacancy no longer takes people.", "vi") in notices
    assert all("hire" not in item.steps for item in Page(html).items)
    refused_referral = post(client, world.vacancy_id, world.people["hoa"], "refer")
    assert refused_referral.status_code == 409

    refused = post(client, world.vacancy_id, mai, "hire", back=candidates_url(world.vacancy_id))

    assert refused.status_code == 409
    assert (
        translate("The deadline of this vacancy has passed: nobody can be hired.", "vi")
        in refused.text
    )
    session.commit()
    assert session.execute(select(func.count()).select_from(EmploymentSpell)).scalar_one() == 0
    vacancy = session.get(Vacancy, world.vacancy_id, populate_existing=True)
    assert vacancy is not None and vacancy.filled == 0
    (referral,) = session.execute(select(Referral)).scalars().all()
    assert referral.status == "referred"
    session.commit()
