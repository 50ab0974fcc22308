"""Reference lists are kept a moment per database (models/reference_cache.py), yet stay
correct: a unit added in this process shows at once, one added behind the ORM's back shows
once the kept list expires, and each database keeps its own."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from models import clock
from models.queries.reference import commune_options, place_names
from models.reference_cache import REFERENCE_SECONDS
from models.tables import AdminUnit
from models.wages import HOME_PROVINCE_CODE

ON = date(2026, 3, 1)


def _commune(code: str, name: str) -> AdminUnit:
    return AdminUnit(
        code=code,
        name=name,
        name_key=name.lower(),
        level="xa",
        province_code=HOME_PROVINCE_CODE,
        valid_from=date(2025, 7, 1),
    )


def _names(session: Session) -> list[str]:
    return [option.label for option in commune_options(session, on=ON)]


def test_a_commune_added_in_this_process_shows_at_once(session: Session) -> None:
    session.add(_commune("90001", "Xã Mường Phăng"))
    session.commit()
    assert _names(session) == ["Xã Mường Phăng"]
    session.add(_commune("90002", "Xã Ảng Nưa"))
    session.commit()
    assert _names(session) == ["Xã Ảng Nưa", "Xã Mường Phăng"]  # Vietnamese order
    assert place_names(session, on=ON).communes["90002"] == "Xã Ảng Nưa"


def test_a_change_behind_the_orms_back_shows_once_the_list_expires(
    session: Session, monkeypatch
) -> None:
    moment = [1000.0]
    monkeypatch.setattr(clock, "steady_seconds", lambda: moment[0])
    session.add(_commune("90001", "Xã Mường Phăng"))
    session.commit()
    assert _names(session) == ["Xã Mường Phăng"]
    with session.get_bind().begin() as conn:  # as another process would write it
        conn.execute(text("UPDATE admin_unit SET name = 'Xã Mường Phăng Mới'"))
    session.rollback()  # the next request reads in a transaction of its own
    assert _names(session) == ["Xã Mường Phăng"]  # still the kept list
    moment[0] += REFERENCE_SECONDS + 0.1
    assert _names(session) == ["Xã Mường Phăng Mới"]


def test_handed_out_lists_are_copies(session: Session) -> None:
    session.add(_commune("90001", "Xã Mường Phăng"))
    session.commit()
    commune_options(session, on=ON).clear()  # a caller that changes its list
    assert _names(session) == ["Xã Mường Phăng"]
