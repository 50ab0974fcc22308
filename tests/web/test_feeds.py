"""What is open reaches the national job exchange and search engines without signing in: the
JSON feed of open vacancies (each as its page's JobPosting, paged by cursor, filtered by change
time), the XML sitemap of the public pages and the robots.txt that points to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.clock import today
from models.enums import VacancyStatus
from models.i18n import translate
from models.settings import Settings
from seed.reference import load_reference_data
from tests import factories
from tests.web.test_job_postings import REQUIRED
from web.app import create_app
from web.services.cursors import BAD_CURSOR

pytestmark = pytest.mark.today("2026-11-20")

FEED = "/api/v1/feeds/vacancies"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _posted(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


@pytest.fixture
def vacancies(session: Session) -> dict[str, int]:
    """Five open vacancies posted on 1, 2, 2 (the same moment), 3 and 4 November, and three
    the public no longer sees."""
    load_reference_data(session)
    employer = factories.employer(session, name="Công ty May Mường Thanh", phone="0912345678")
    ids = {}
    moments = {
        "first": _posted(1),
        "twin_a": _posted(2),
        "twin_b": _posted(2),
        "third": _posted(3),
        "fourth": _posted(4),
    }
    for name, moment in moments.items():
        row = factories.vacancy(
            session, employer_id=employer.id, title=name, created_at=moment, updated_at=moment
        )
        ids[name] = row.id
    hidden = (
        {"status": VacancyStatus.CLOSED.value},
        {"quantity": 1, "filled": 1},
        {"deadline": today() - timedelta(days=1)},
    )
    for number, values in enumerate(hidden):
        factories.vacancy(
            session, employer_id=employer.id, title=f"hidden {number}", created_at=_posted(5)
        ).sqlmodel_update(values)
    session.commit()
    return ids


def _all_pages(client: TestClient, query: str = "") -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    cursor = ""
    pages = 0
    while True:
        response = client.get(f"{FEED}?limit=2{query}" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        if body["next_cursor"] is None:
            return items, pages
        cursor = body["next_cursor"]


def test_the_feed_pages_through_every_open_vacancy_once_oldest_change_first(
    bare_client: TestClient, vacancies: dict[str, int]
) -> None:
    items, pages = _all_pages(bare_client)
    order = ["first", "twin_a", "twin_b", "third", "fourth"]
    assert [item["id"] for item in items] == [vacancies[name] for name in order]
    assert pages == 3  # 2 + 2 + 1
    first = items[0]
    assert first["url"] == f"http://testserver/board/{vacancies['first']}"
    assert datetime.fromisoformat(first["updated"]) == _posted(1)
    posting = first["job_posting"]
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "first"
    assert all(valid(posting.get(name)) for name, valid in REQUIRED.items())
    assert "0912345678" not in str(items)


def test_the_feed_gives_the_same_posting_as_the_page(
    bare_client: TestClient, vacancies: dict[str, int]
) -> None:
    from tests.web.test_job_postings import the_posting

    items, _ = _all_pages(bare_client)
    assert items[3]["job_posting"] == the_posting(bare_client, vacancies["third"])


def test_updated_since_leaves_out_what_changed_before(
    bare_client: TestClient, vacancies: dict[str, int]
) -> None:
    since = "2026-11-02T15:00:00+07:00"  # 08:00 UTC: the twins' moment
    items, _ = _all_pages(bare_client, f"&updated_since={since.replace('+', '%2B')}")
    assert [item["id"] for item in items] == [
        vacancies[name] for name in ("twin_a", "twin_b", "third", "fourth")
    ]
    items, _ = _all_pages(bare_client, "&updated_since=2026-11-04")  # Vietnam's midnight
    assert [item["id"] for item in items] == [vacancies["fourth"]]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("cursor=not-a-cursor", "cursor", translate(BAD_CURSOR, "vi")),
        ("cursor=MjAyNnwx", "cursor", translate(BAD_CURSOR, "vi")),
        ("updated_since=yesterday", "updated_since", "Hãy ghi updated_since là ngày giờ"),
    ],
)
def test_a_bad_cursor_or_moment_is_refused_with_a_message(
    bare_client: TestClient, vacancies: dict[str, int], query: str, field: str, message: str
) -> None:
    response = bare_client.get(f"{FEED}?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["parameter"] == field
    assert error["detail"].startswith(message)


def test_a_page_size_out_of_range_is_refused(bare_client: TestClient, vacancies) -> None:
    for limit in ("0", "501", "many"):
        response = bare_client.get(f"{FEED}?limit={limit}")
        assert response.status_code == 422
        assert [e["parameter"] for e in response.json()["errors"]] == ["limit"]


def _sitemap(client: TestClient) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    urlset = ElementTree.fromstring(response.content)
    assert urlset.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in urlset.findall(f"{SITEMAP}url"):
        lastmod = url.find(f"{SITEMAP}lastmod")
        entries[url.findtext(f"{SITEMAP}loc") or ""] = None if lastmod is None else lastmod.text
    return entries


def test_the_sitemap_lists_the_public_pages_and_each_open_vacancy(
    bare_client: TestClient, vacancies: dict[str, int]
) -> None:
    entries = _sitemap(bare_client)
    pages = {f"http://testserver/board/{each}" for each in vacancies.values()}
    assert set(entries) == {"http://testserver/", "http://testserver/board"} | pages
    assert entries[f"http://testserver/board/{vacancies['first']}"] == "2026-11-01T15:00:00+07:00"
    assert entries["http://testserver/board"] == "2026-11-04T15:00:00+07:00"  # the newest


def test_robots_txt_points_to_the_sitemap(bare_client: TestClient) -> None:
    response = bare_client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_behind_the_trusted_proxy_the_addresses_are_https(
    engine: Engine, vacancies: dict[str, int]
) -> None:
    """The scheme comes from X-Forwarded-Proto only when the peer is a trusted proxy."""
    settings = Settings(database_url=str(engine.url), trusted_proxies=("10.0.0.2",))
    app = create_app(settings, engine=engine)
    forwarded = {"x-forwarded-proto": "https", "host": "vieclam.dienbien.gov.vn"}
    for peer, scheme in (("10.0.0.2", "https"), ("203.0.113.9", "http")):
        with TestClient(app, client=(peer, 40000), headers=forwarded) as client:
            entries = _sitemap(client)
            assert f"{scheme}://vieclam.dienbien.gov.vn/board" in entries
            item = client.get(f"{FEED}?limit=1").json()["items"][0]
            assert item["url"].startswith(f"{scheme}://vieclam.dienbien.gov.vn/board/")
            robots = client.get("/robots.txt").text
            assert f"Sitemap: {scheme}://vieclam.dienbien.gov.vn/sitemap.xml" in robots
