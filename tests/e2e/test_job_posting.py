"""In a real browser, a vacancy's JSON-LD is read as data: it is never run, the strict
Content-Security-Policy reports no violation for it, and a title holding `</script>` stays
inside it."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session

from models.clock import today
from tests import factories

HOSTILE_TITLE = "Thợ may </script><script>document.title='hacked'</script>"


def test_the_job_posting_is_data_that_the_policy_lets_through(live_server, page) -> None:
    with Session(live_server.engine) as session:
        vacancy = factories.vacancy(
            session, title=HOSTILE_TITLE, deadline=today() + timedelta(days=30)
        )
        session.commit()
        vacancy_id = vacancy.id
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective));"
    )
    page.goto(f"{live_server.url}/board/{vacancy_id}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    posting = json.loads(blocks.first.text_content() or "")
    assert posting["title"] == HOSTILE_TITLE
    assert page.evaluate("document.title") == HOSTILE_TITLE  # the injected script never ran
    assert page.evaluate("window.__violations") == []
