"""Every role's pages work on a 390 px phone: the page never scrolls sideways (wide tables
scroll in their own box, long drop-down options do not widen the page), and the header stays
small, its menu folded behind one button that opens without JavaScript. Run on a small demo:
the same generator and accounts as `dbjobs demo`, one year at a twentieth of its size."""

from __future__ import annotations

import re

from models.clock import today
from seed.demo import generate_demo
from seed.demo.accounts import DEMO_PASSWORD

PHONE_WIDTH = 390
HEADER_MAX_PX = 120  # the brand and the menu button; it was 250-290 px with the menu open
# Pages a role reaches from its menu, plus the forms and records behind them.
FORMS = {
    "demo.admin": ["/courses/new", "/vacancies/new", "/training-orders/new", "/users/new"],
    "demo.college": ["/courses/new", "/imports"],
    "demo.employer": ["/vacancies/new", "/training-orders/new"],
}
RECORD_LISTS = ("/courses", "/trainees", "/vacancies", "/training-orders")
ROLES = ("demo.admin", "demo.official", "demo.college", "demo.employer", "demo.commune")
ROLES += ("demo.centre",)


def _overflow(page, url: str) -> str | None:
    """None when the page fits the window; else what sticks out."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.evaluate("window.innerWidth")
    if width <= window:
        return None
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
             .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
             .slice(0, 3).map(el => el.tagName + (el.id ? '#' + el.id : ''))"""
    )
    return f"{url}: {width} px wide ({', '.join(culprits)})"


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{username} could not sign in"


def _pages_of(page, base: str) -> list[str]:
    """The role's menu, then the first record of each list it can open."""
    page.goto(base + "/")
    paths = [link.get_attribute("href") or "" for link in page.locator("nav.site-menu a").all()]
    for listing in RECORD_LISTS:
        if listing not in paths:
            continue
        page.goto(base + listing)
        for link in page.locator(f"main a[href^='{listing}/']").all():
            href = link.get_attribute("href") or ""
            if re.fullmatch(re.escape(listing) + r"/\d+", href):
                paths.append(href)
                if listing == "/vacancies":  # the employer's ranked candidates
                    paths.append(href + "/candidates")
                break
    return paths


def _check_header(page, base: str) -> None:
    page.goto(base + "/")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= HEADER_MAX_PX, header
    menu = page.locator(".site-nav")
    assert not menu.is_visible()  # folded
    page.click("label.menu-button")  # a label for a checkbox: no script involved
    assert menu.is_visible()
    assert page.locator("nav.site-menu a").first.is_visible()


def test_every_role_s_pages_fit_a_phone(live_server, page) -> None:
    generate_demo(live_server.engine, years=(today().year,), scale=0.05, today=today())
    base = live_server.url
    assert page.viewport_size == {"width": PHONE_WIDTH, "height": 844}
    problems: list[str] = []

    # A visitor: the home page, the board and a vacancy's public page.
    page.goto(base + "/board")
    vacancy = page.locator("ol.board-list > li h2 a").first.get_attribute("href")
    assert vacancy, "the demo has no open vacancy on the board"
    for path in ("/", "/board", vacancy):
        problems.append(_overflow(page, base + path) or "")
    # The board's facts read as text: the place is no box, the separators no column.
    page.goto(base + "/board")
    place = page.locator("ol.board-list > li .facts .place").first
    assert place.evaluate("el => getComputedStyle(el).borderTopWidth") == "0px"
    assert place.evaluate("el => getComputedStyle(el.parentElement).display") == "block"
    _check_header(page, base)

    for username in ROLES:
        _sign_in(page, base, username)
        _check_header(page, base)
        paths = _pages_of(page, base) + FORMS.get(username, []) + ["/board", vacancy]
        assert len(paths) >= 3, (username, paths)
        for path in paths:
            problems.append(_overflow(page, base + path) or "")

    assert [p for p in problems if p] == []
