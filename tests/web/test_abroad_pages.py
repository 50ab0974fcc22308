"""The departures list of work abroad in pages of 50: next and previous links start after
the last departure shown or before the first (keyset), so paging forward and back across a
page boundary shows each departure once, in the list's order, even where many left on the
same day; the filters travel in the links, and nothing about a person does; only the people
of the page shown are audited; a commune's officer pages through its own departures only."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.tables import AuditEntry, NewJobLine, NewJobReport
from tests import factories
from tests.html import find_all, one, parse
from tests.web.helpers import sign_in
from tests.web.test_abroad import world
from tests.web.test_courses import fresh
from tests.web.test_register import signed_in_as

__all__ = ["world"]  # the fixture, imported for these tests

pytestmark = pytest.mark.today("2027-03-10")
COMMUNE = "03158"
ABROAD = "xuat_khau_lao_dong"
# Three departure days for 120 people: ties on the sort column across every page boundary.
DAYS = (date(2026, 3, 20), date(2026, 2, 1), date(2026, 3, 1))
LINK_KEYS = {"country", "status", "commune", "page", "after", "before"}


def _departures(session: Session, count: int = 120) -> list[int]:
    """`count` people of the commune leave (to Japan and Korea in turn), reported by the
    commune; their line ids in the list's order (latest day first, then latest line)."""
    report = NewJobReport(
        source="commune_report",
        commune_code=COMMUNE,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 3, 31),
    )
    session.add(report)
    session.flush()
    for n in range(count):
        name = f"Lò Văn Số {n:03d}"
        person = factories.person(session, full_name=name, commune_code=COMMUNE)
        day = DAYS[n % len(DAYS)]
        spell = factories.employment_spell(
            session,
            person_id=person.id,
            start_date=day,
            kind="wage",
            channel=ABROAD,
            location_kind="abroad",
            commune_code=None,
            country_code="JP" if n % 2 else "KR",
            source="commune_report",
        )
        session.add(
            NewJobLine(
                report_id=report.id or 0,
                person_id=person.id or 0,
                employment_spell_id=spell.id,
                source="commune_report",
                channel=ABROAD,
                start_date=day,
                full_name=name,
            )
        )
    session.commit()
    lines = session.exec(select(NewJobLine.id, NewJobLine.start_date)).all()
    return [
        line_id for line_id, _ in sorted(lines, key=lambda each: (each[1], each[0]), reverse=True)
    ]


def _page(client: TestClient, url: str) -> tuple[list[int], dict[str, str | None], object]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    html = parse(response.text)
    rows = [
        int(node.attributes["data-line"] or 0) for node in find_all(html, "#departures tbody tr")
    ]
    pager = {
        rel: (nodes[0].attributes.get("href") if nodes else None)
        for rel in ("next", "prev")
        for nodes in [find_all(html, f'nav.pager a[rel="{rel}"]')]
    }
    return rows, pager, html


def test_paging_forward_and_back_shows_each_departure_once_in_order(client, world, session):
    order = _departures(session)
    sign_in(client, world["commune"])
    first, links, html = _page(client, "/abroad")
    assert first == order[:50] and links["prev"] is None
    assert one(html, "#abroad-count").attributes["data-total"] == "120"
    second, links, _ = _page(client, links["next"] or "")
    assert second == order[50:100]
    third, last_links, _ = _page(client, links["next"] or "")
    assert third == order[100:] and last_links["next"] is None
    back, links, _ = _page(client, last_links["prev"] or "")
    assert back == second
    start, links, _ = _page(client, links["prev"] or "")
    assert start == first and links["prev"] is None


def test_the_filters_travel_in_the_links_and_nothing_about_a_person_does(client, world, session):
    order = _departures(session)
    sign_in(client, world["commune"])
    rows, links, html = _page(client, f"/abroad?country=JP&commune={COMMUNE}")
    assert len(rows) == 50 and one(html, "#abroad-count").attributes["data-total"] == "60"
    query = parse_qs(urlsplit(links["next"] or "").query)
    assert query["country"] == ["JP"] and query["commune"] == [COMMUNE]
    assert set(query) <= LINK_KEYS and query["after"] == [str(rows[-1])]
    rest, links, _ = _page(client, links["next"] or "")
    assert len(rest) == 10 and not set(rest) & set(rows) and set(rest) <= set(order)
    assert parse_qs(urlsplit(links["prev"] or "").query)["country"] == ["JP"]
    for href in filter(None, links.values()):
        assert "Lò" not in href and "L%C3%B2" not in href and "So" not in href


def test_only_the_people_of_the_page_are_audited(client, world, session):
    _departures(session)
    sign_in(client, world["commune"])
    _page(client, "/abroad")
    query = select(AuditEntry).where(col(AuditEntry.entity) == "abroad_departures")
    (entry,) = fresh(session).exec(query).all()
    session.rollback()
    assert len(entry.details["person_ids"]) == 50


def test_another_communes_officer_pages_through_its_own_departures_only(world, session, app):
    order = _departures(session)
    with signed_in_as(app, world, "other_commune") as other:
        # A cursor naming a departure it may not see is ignored: its own list's first page.
        rows, links, html = _page(other, f"/abroad?after={order[10]}&page=2")
        assert rows == [] and links == {"next": None, "prev": None}
        assert find_all(html, "#no-departures")
    with signed_in_as(app, world, "centre") as centre:
        rows, _, _ = _page(centre, f"/abroad?after={order[10]}&page=2")
        assert rows == order[11:61]


def test_junk_in_the_paging_parameters_reads_the_first_page(client, world, session):
    order = _departures(session)
    sign_in(client, world["commune"])
    for query in ("?page=x&after=y", "?before=-3", "?after=99999999999999999999", "?page=999"):
        rows, _, _ = _page(client, "/abroad" + query)
        assert rows in (order[:50], order[100:]), query
