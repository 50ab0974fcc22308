"""The migration to encrypted personal data seals what a database already holds, and its
downgrade gives the plain values back; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.db import make_engine
from models.migrate import downgrade, upgrade
from models.queries.people import find_by_citizen_id
from models.tables import Employer, Institution, Person
from tests import factories
from tests.models.test_migrations import empty_database_url  # noqa: F401  (the fixture)

BEFORE = "0005"
PEOPLE = [("011201004567", "+84912345678"), ("011301000002", None), (None, "+84987000111")]
WHEN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _write_plain_rows(engine: Engine) -> None:
    """People, an employer and an institution as a database before the migration holds them."""
    with Session(engine) as session:
        factories.ethnicity(session, "03")
        factories.sector(session, "C")
        session.commit()
    tables = MetaData()
    tables.reflect(engine, only=["person", "employer", "institution", "audit_entry"])
    with engine.begin() as conn:
        conn.execute(
            insert(tables.tables["person"]), [_person(n, *p) for n, p in enumerate(PEOPLE)]
        )
        conn.execute(insert(tables.tables["employer"]), [_employer()])
        conn.execute(insert(tables.tables["institution"]), [_institution()])
        # A row pointing at a person: on SQLite the table is rebuilt with it in place.
        audit = {"at": WHEN, "action": "create", "entity": "person", "person_id": 1, "details": {}}
        conn.execute(insert(tables.tables["audit_entry"]), [audit])


def _person(n: int, citizen_id: str | None, phone: str | None) -> dict[str, Any]:
    return {
        "id": n + 1, "full_name": f"Lò Văn Minh {n}", "family_name": "Lò", "middle_name": "Văn",
        "given_name": f"Minh {n}", "name_key": f"lo van minh {n}", "birth_date": date(2001, 5, 4),
        "sex": "nam", "ethnicity_code": "03", "commune_code": "03253", "village": "",
        "phone": phone, "citizen_id": citizen_id, "has_disability": False,
        "in_difficult_village": False, "consent_to_employers": False, "willing_to_work": [],
        "skills": [], "is_ethnic_minority": True, "in_zone_iii": False, "created_at": WHEN,
        "updated_at": WHEN,
    }  # fmt: skip


def _employer() -> dict[str, Any]:
    return {
        "id": 1, "name": "Hộ kinh doanh Lò Văn Minh", "name_key": "ho kinh doanh lo van minh",
        "sector_code": "C", "address": "", "phone": "+84911222333", "location_kind": "commune",
        "is_labour_export_company": False, "is_active": True, "created_at": WHEN,
    }  # fmt: skip


def _institution() -> dict[str, Any]:
    return {
        "id": 1, "code": "CS001", "name": "Trung tâm số 1", "name_key": "trung tam so 1",
        "kind": "trung_tam_gdnn_gdtx", "managing_agency": "", "address": "",
        "phone": "+842153825555", "is_active": True,
    }  # fmt: skip


def _raw(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def test_the_migration_seals_and_hashes_what_is_stored_and_the_downgrade_opens_it(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url, BEFORE)
    engine = make_engine(empty_database_url)
    try:
        _write_plain_rows(engine)
        upgrade(empty_database_url)

        stored = _raw(engine, "SELECT citizen_id, phone, citizen_id_hash FROM person ORDER BY id")
        for (number, phone), (sealed_id, sealed_phone, digest) in zip(PEOPLE, stored, strict=True):
            assert (sealed_id is None) == (number is None) == (digest is None)
            assert (sealed_phone is None) == (phone is None)
            for plain, sealed in ((number, sealed_id), (phone, sealed_phone)):
                if plain is not None:
                    assert sealed.startswith("k1:") and plain not in sealed
        [(employer_phone,)] = _raw(engine, "SELECT phone FROM employer")
        [(institution_phone,)] = _raw(engine, "SELECT phone FROM institution")
        assert employer_phone.startswith("k1:") and institution_phone.startswith("k1:")

        with Session(engine) as session:
            found = find_by_citizen_id(session, "011201004567")
            assert found is not None and (found.id, found.phone) == (1, "+84912345678")
            assert session.get(Employer, 1).phone == "+84911222333"  # type: ignore[union-attr]
            assert session.get(Institution, 1).phone == "+842153825555"  # type: ignore[union-attr]
            with pytest.raises(IntegrityError):  # the hash carries the uniqueness now
                factories.person(session, citizen_id="011301000002")
            session.rollback()
        with pytest.raises(IntegrityError), engine.begin() as conn:  # other rules kept
            conn.execute(text("UPDATE person SET sex = 'x' WHERE id = 1"))

        downgrade(empty_database_url, BEFORE)
        assert _raw(engine, "SELECT citizen_id, phone FROM person ORDER BY id") == PEOPLE
        assert _raw(engine, "SELECT phone FROM employer") == [("+84911222333",)]
    finally:
        engine.dispose()


def test_an_empty_database_upgrades_without_needing_a_key(
    empty_database_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import models.encryption.keyring as keyring

    monkeypatch.setattr(keyring, "_installed", None)
    monkeypatch.setenv("PERSONAL_DATA_KEYS", "")
    monkeypatch.setenv("PERSONAL_DATA_KEY_FILE", "/nonexistent/keys.json")
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(Person.__table__.c.id)).all() == []  # type: ignore[attr-defined]
    finally:
        engine.dispose()
