"""Screenshots of the main pages at 1,280 and 390 px, from the demo data, with the same headless
Chromium as the browser tests. Start the demo first (`./dev demo`), then:

    .venv/bin/python docs/screens/make.py [--url http://127.0.0.1:8000]

Each shot is the first screen or two of its page (PNG), written next to this file as
NAME-WIDTH.png; the README's "Screens" section links them."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).parent
PASSWORD = "DienBien-2026"  # the demo accounts' password (seed/demo/accounts.py)
WIDTHS = {1280: 800, 390: 1100}  # width -> height kept: one screen, about two on a phone
# name, who looks (None: a visitor), path ("{vacancy}": the first job on the board).
SHOTS = [
    ("home", "demo.official", "/"),
    ("board", None, "/board"),
    ("vacancy", None, "{vacancy}"),
    ("candidates", "demo.employer", "{candidates}"),
    ("courses", "demo.college", "/courses"),
    ("trainees", "demo.college", "/trainees"),
    ("dashboard", "demo.official", "/dashboard"),
    ("follow-ups", "demo.college", "/follow-ups"),
    ("imports", "demo.college", "/imports"),
]


def _sign_in(page: Page, base: str, username: str | None) -> None:
    page.context.clear_cookies()
    if username is None:
        return
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _first_href(page: Page, url: str, selector: str) -> str:
    page.goto(url)
    href = page.locator(selector).first.get_attribute("href")
    if not href:
        raise SystemExit(f"nothing matches {selector} on {url}")
    return href


def _paths(page: Page, base: str) -> dict[str, str]:
    _sign_in(page, base, None)
    vacancy = _first_href(page, base + "/board", "ol.board-list > li h2 a")
    _sign_in(page, base, "demo.employer")
    page.goto(base + "/vacancies")
    own = [link.get_attribute("href") or "" for link in page.locator("main a").all()]
    vacancies = [href for href in own if re.fullmatch(r"/vacancies/\d+", href)]
    if not vacancies:
        raise SystemExit("the demo employer has no vacancy")
    return {"vacancy": vacancy, "candidates": vacancies[0] + "/candidates"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    base = parser.parse_args().url.rstrip("/")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed (Debian package 'chromium').")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width, height in WIDTHS.items():
            context = browser.new_context(
                locale="vi-VN", viewport={"width": width, "height": min(height, 900)}
            )
            page = context.new_page()
            found = _paths(page, base)
            for name, username, path in SHOTS:
                _sign_in(page, base, username)
                page.goto(base + path.format(**found))
                page.wait_for_load_state("networkidle")
                full = page.evaluate("document.documentElement.scrollHeight")
                clip = {"x": 0, "y": 0, "width": width, "height": min(height, full)}
                target = HERE / f"{name}-{width}.png"
                page.screenshot(path=str(target), clip=clip, full_page=True)
                print(
                    f"{target.relative_to(HERE.parent.parent)}  {target.stat().st_size // 1024} KiB"
                )
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
