"""The reporting status a page at a time: 50 reporters a page (communes, the centre, then
employers, each by name), the same rows, states and order as the whole list over the
pages, the counts of everyone on every page, and the filters kept from page to page.

The world is tests/web/test_reporting_status.py's with 80 more active employers, half of
which reported their first half-year of 2026: 45 communes, the centre and 82 employers.
On 8 June 2026 the employers' first half-year (due 5 June, no grace) is late unless
reported, and every commune and the centre are late for April.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from models.enums import ReportSource
from models.queries.reporting_status import ReportingStatus, reporting_status
from models.tables import NewJobReport
from tests import factories
from tests.html import data_attrs, find_all, form_fields, links, one, parse, text
from tests.web.test_courses import vi
from tests.web.test_reporting_status import (
    COMMUNES,
    REPORTED,
    World,
    _footer,
    _signed_in,
    world,  # noqa: F401  (the fixture)
)

pytestmark = pytest.mark.today("2026-06-08")

TODAY = date(2026, 6, 8)
MORE_EMPLOYERS = 80
PER_PAGE = 50
Row = tuple[str, str, tuple[str, ...]]  # source, reporter key, states


@pytest.fixture
def crowded(world: World) -> World:  # noqa: F811
    session = world.session
    for n in range(MORE_EMPLOYERS):
        employer = factories.employer(session, name=f"Công ty Phân Trang {n:03d}")
        if n % 2 == 0:
            session.add(
                NewJobReport(
                    source=ReportSource.EMPLOYER.value,
                    employer_id=employer.id,
                    period_start=date(2025, 12, 1),
                    period_end=date(2026, 5, 31),
                )
            )
    session.commit()
    return world


def _rows(page) -> list[Row]:
    """Every reporter row of a page, section by section, in page order."""
    found = []
    for section in find_all(page, "section.reporting-group"):
        source = data_attrs(section)["source"]
        for row in find_all(section, "tbody > tr[data-reporter]"):
            states = tuple(data_attrs(c)["state"] for c in find_all(row, "td[data-state]"))
            found.append((source, data_attrs(row)["reporter"], states))
    return found


def _walk(client, url: str) -> list:
    """The pages from ``url`` on, following each page's next link."""
    pages = []
    while url:
        page = parse(client.get(url).text)
        pages.append(page)
        following = links(page, "nav.pager a[rel=next]")
        url = following[0] if following else ""
        assert len(pages) <= 10
    return pages


def _everyone(session: Session, only_late: bool) -> ReportingStatus:
    return reporting_status(session, year=2026, today=TODAY, only_late=only_late)


def _expected(status: ReportingStatus) -> list[Row]:
    return [
        (
            group.source.value,
            "" if row.reporter.key is None else str(row.reporter.key),
            tuple(s.value for s in row.states),
        )
        for group in status.groups
        for row in group.rows
    ]


@pytest.mark.parametrize("query", ["", "?late=1"])
def test_the_pages_together_show_every_reporter_once_in_order(client, crowded, query):
    _signed_in(client, crowded, "official")
    pages = _walk(client, f"/reporting-status{query}")
    expected = _expected(_everyone(crowded.session, only_late=query == "?late=1"))
    shown = [_rows(page) for page in pages]
    assert all(len(rows) <= PER_PAGE for rows in shown)
    assert len(pages) == -(-len(expected) // PER_PAGE) > 1
    assert [row for rows in shown for row in rows] == expected  # no repeats, no gaps
    for number, page in enumerate(pages, start=1):
        position = text(one(page, "nav.pager .pager-position"))
        assert position == vi("Page {page} of {pages}", page=number, pages=len(pages))


def test_only_late_reporters_stay_on_every_page(client, crowded):
    _signed_in(client, crowded, "official")
    pages = _walk(client, "/reporting-status?year=2026&late=1")
    rows = [row for page in pages for row in _rows(page)]
    assert rows and all("late" in states for _, _, states in rows)
    reported = [key for source, key, _ in rows if source == ReportSource.EMPLOYER]
    assert len(reported) == len(set(reported)) == MORE_EMPLOYERS // 2 + 1  # the silent one
    for page in pages[1:]:
        assert form_fields(page, "form#status-filters") == {"year": "2026", "late": "1"}
        assert all("late=1" in link for link in links(page, "nav.pager a"))


def test_every_page_counts_everyone(client, crowded):
    _signed_in(client, crowded, "official")
    everyone = _everyone(crowded.session, only_late=False)
    for query in ("?page=1", "?page=3", "?late=1&page=2"):
        page = parse(client.get(f"/reporting-status{query}").text)
        for group in everyone.groups:
            table = f"table#status-{group.source}"
            section = one(page, f"section#group-{group.source}")
            assert int(data_attrs(section)["reporters"]) == group.reporters
            for state in ("late", "due", "in"):
                starts = [p.start.isoformat() for p in group.periods]
                counted = dict(zip(starts, group.counts[state], strict=True))  # type: ignore[index]
                assert _footer(page, table, state) == counted


def test_a_page_past_the_last_shows_the_last(client, crowded):
    _signed_in(client, crowded, "official")
    last = parse(client.get("/reporting-status?page=3").text)
    beyond = parse(client.get("/reporting-status?page=99").text)
    assert _rows(beyond) == _rows(last) != []
    assert text(one(beyond, "nav.pager .pager-position")) == vi(
        "Page {page} of {pages}", page=3, pages=3
    )
    junk = parse(client.get("/reporting-status?page=junk").text)
    assert _rows(junk) == _rows(parse(client.get("/reporting-status").text))
    communes = one(last, f"table#status-{ReportSource.COMMUNE}")
    assert find_all(communes, "tbody > tr[data-reporter]") == []  # listed on page 1
    assert _footer(last, f"table#status-{ReportSource.COMMUNE}", "late")["2026-04-01"] == COMMUNES


def test_a_report_saved_through_the_register_shows_at_once(client, crowded):
    _signed_in(client, crowded, "official")
    table = f"table#status-{ReportSource.COMMUNE}"
    before = parse(client.get("/reporting-status").text)
    assert _footer(before, table, "in")["2026-05-01"] == 0
    _signed_in(client, crowded, "commune")  # the commune REPORTED's officer
    response = client.post("/new-jobs/nothing", data={"period": "2026-05"}, follow_redirects=False)
    assert response.status_code == 303
    _signed_in(client, crowded, "official")
    after = parse(client.get("/reporting-status").text)
    assert _footer(after, table, "in")["2026-05-01"] == 1
    row = one(after, f'{table} tr[data-reporter="{REPORTED}"] td[data-period="2026-05-01"]')
    assert data_attrs(row)["state"] == "in"
