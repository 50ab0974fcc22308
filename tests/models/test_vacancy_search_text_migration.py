"""Migration 0014 gives the vacancies already stored their whole-syllable search text."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from models.db import make_engine
from models.migrate import upgrade
from tests import factories
from tests.models.test_migrations import empty_database_url  # noqa: F401  (the fixture)


def test_the_migration_fills_the_search_text_of_stored_vacancies(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url, "0013")
    engine = make_engine(empty_database_url)
    try:
        with Session(engine) as session:
            employer_id = factories.employer(session).id
            session.commit()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO vacancy (employer_id, title, description, skills, quantity,"
                    " location_kind, status, title_key, filled, created_at) VALUES (:e, :t, :d,"
                    " :s, 2, 'commune', 'open', 'tho han!', 0, CURRENT_TIMESTAMP)"
                ),
                {
                    "e": employer_id,
                    "t": "Thợ hàn!",
                    "d": "Hợp đồng có thời hạn.",
                    "s": '["hàn điện", "đọc bản vẽ"]',
                },
            )

        upgrade(empty_database_url)

        with engine.connect() as conn:
            row = conn.execute(text("SELECT title_key, search_text FROM vacancy")).one()
        assert row.title_key == "tho han"
        assert row.search_text == " tho han han dien doc ban ve hop dong co thoi han "
    finally:
        engine.dispose()
