"""A visitor finds a job on the public board by typing without diacritics."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from models.clock import today
from tests import factories


def test_board_finds_a_vacancy_typed_without_diacritics(live_server, page) -> None:
    open_until = today() + timedelta(days=60)
    with Session(live_server.engine) as session:
        factories.vacancy(
            session, title="Công nhân may công nghiệp", quantity=30, deadline=open_until
        )
        factories.vacancy(session, title="Thợ hàn điện", quantity=5, deadline=open_until)
        session.commit()

    page.goto(live_server.url + "/board")
    page.fill("#q", "cong nhan may")
    page.click("form.board-filters button[type=submit]")

    items = page.locator("ol.board-list > li")
    assert items.count() == 1
    assert "Công nhân may công nghiệp" in items.first.inner_text()
    assert page.locator("p.result-count").get_attribute("data-total") == "1"
    # Following the job leads to its public page, with no personal data on it.
    items.first.locator("a").first.click()
    assert "Công nhân may công nghiệp" in page.locator("h1").inner_text()
