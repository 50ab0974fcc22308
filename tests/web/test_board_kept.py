"""The visitors' board is kept a few seconds (web/page_cache.py), yet stays correct: each
visitor gets their own CSRF token, a vacancy closed in this process leaves the board at once,
and one closed by another process leaves it once the kept page expires."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from models import clock
from models.enums import VacancyStatus
from tests import factories
from tests.html import attr, find_all, parse
from web.auth import ANONYMOUS_CSRF_COOKIE
from web.page_cache import VISITOR_PAGE_SECONDS


def _shown(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return [
        node.attributes["data-vacancy"] or ""
        for node in find_all(parse(response.text), "li.board-item")
    ]


def test_each_visitor_gets_their_own_token_in_a_kept_page(app, session) -> None:
    factories.vacancy(session)
    session.commit()
    tokens = []
    for _ in range(2):
        with TestClient(app) as visitor:
            page = visitor.get("/board")
            token = attr(parse(page.text), "nav.lang-switch input[name=csrf_token]", "value")
            assert token == visitor.cookies[ANONYMOUS_CSRF_COOKIE]
            tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_vacancy_closed_here_leaves_the_kept_board_at_once(client, session) -> None:
    vacancy = factories.vacancy(session)
    session.commit()
    assert _shown(client.get("/board")) == [str(vacancy.id)]
    vacancy.status = VacancyStatus.CLOSED.value
    session.add(vacancy)
    session.commit()
    assert _shown(client.get("/board")) == []


def test_a_vacancy_closed_by_another_process_leaves_once_the_page_expires(
    client, session, engine, monkeypatch
) -> None:
    vacancy = factories.vacancy(session)
    session.commit()
    moment = [1000.0]
    monkeypatch.setattr(clock, "steady_seconds", lambda: moment[0])
    assert _shown(client.get("/board")) == [str(vacancy.id)]
    other = create_engine(engine.url.render_as_string(hide_password=False))
    try:  # a connection of its own, unseen by this process's sessions
        with other.begin() as conn:
            conn.execute(
                text("UPDATE vacancy SET status = 'closed' WHERE id = :id"), {"id": vacancy.id}
            )
    finally:
        other.dispose()
    assert _shown(client.get("/board")) == [str(vacancy.id)]  # still the kept page
    moment[0] += VISITOR_PAGE_SECONDS + 0.1
    assert _shown(client.get("/board")) == []


def test_signed_in_users_get_a_fresh_board(client, session) -> None:
    from tests.web.helpers import make_account, sign_in

    vacancy = factories.vacancy(session)
    session.commit()
    make_account(session, "official", "can.bo")
    assert _shown(client.get("/board")) == [str(vacancy.id)]
    sign_in(client, "can.bo")
    engine = session.get_bind()
    with engine.begin() as conn:  # a write the process's sessions do not see
        conn.exec_driver_sql(f"UPDATE vacancy SET status = 'closed' WHERE id = {vacancy.id}")
    assert _shown(client.get("/board")) == []
