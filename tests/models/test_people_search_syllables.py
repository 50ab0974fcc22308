"""A name search matches whole syllables: "an" is An, never Lan or Toàn."""

from __future__ import annotations

from sqlmodel import Session

from models.queries.people import search_people
from tests import factories


def test_a_name_search_matches_whole_syllables(session: Session) -> None:
    for name in ("Lò Thị Lan", "Cà Văn An", "Quàng Văn Toàn", "Lò Văn Ấn"):
        factories.person(session, full_name=name)
    session.commit()

    assert {p.full_name for p in search_people(session, "an")} == {"Cà Văn An", "Lò Văn Ấn"}
    assert [p.full_name for p in search_people(session, "toan")] == ["Quàng Văn Toàn"]
    assert search_people(session, "oan") == []
    assert search_people(session, "%") == []
