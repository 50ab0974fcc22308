"""Citizen IDs and phone numbers are stored encrypted with keys kept outside the database; a
citizen ID is found, and kept unique, through its keyed hash; query parameters never reach an
error or a log; keys rotate without losing a value. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.db import make_engine, unit_of_work
from models.encryption import (
    KeyConfigError,
    Keyring,
    install_keys,
    keys,
    load_keys,
)
from models.encryption.rotation import rotate, stale_values
from models.queries.course_rosters import people_by_citizen_id
from models.queries.people import find_by_citizen_id, search_people
from models.settings import Settings
from models.tables import Employer, Institution, Person
from seed.demo.write import write_tables
from tests import factories
from tests.conftest import TEST_KEYS

MINH_ID = "011201004567"
MINH_PHONE = "+84912345678"
# The second registration of Minh's ID (named here: a traceback shows the lines it passes).
OTHER_NAME, OTHER_PHONE = "Lò Văn Mình", "+84911111111"


@pytest.fixture
def test_keys_back() -> Iterator[None]:
    """A test that installs other keys gets the fixed test keys back afterwards."""
    yield
    install_keys(TEST_KEYS)


def raw_rows(session: Session, sql: str) -> list[Any]:
    """Rows as the database holds them, read with a plain SQL query (no column types)."""
    return list(session.connection().execute(text(sql)).all())


def minh(session: Session, **overrides: Any) -> Person:
    values = {"citizen_id": MINH_ID, "phone": MINH_PHONE, **overrides}
    return factories.person(session, **values)


# --- at rest -----------------------------------------------------------------------------------


def test_the_database_holds_no_plain_citizen_id_or_phone(session: Session) -> None:
    factories.institution(session, phone="+842153825555")
    factories.employer(session, phone="+84987654321")
    person_id = minh(session).id
    session.commit()

    [(stored_id, stored_phone, stored_hash)] = raw_rows(
        session, "SELECT citizen_id, phone, citizen_id_hash FROM person"
    )
    [(employer_phone,)] = raw_rows(session, "SELECT phone FROM employer")
    [(institution_phone,)] = raw_rows(session, "SELECT phone FROM institution")
    for plain, stored in [
        (MINH_ID, stored_id),
        (MINH_PHONE, stored_phone),
        ("+84987654321", employer_phone),
        ("+842153825555", institution_phone),
    ]:
        assert stored.startswith("k1:"), stored
        assert plain not in stored and plain.lstrip("+0") not in stored
    assert stored_hash.startswith("h1:") and MINH_ID not in stored_hash
    # The code reads them as plain text.
    session.expire_all()
    person = session.get(Person, person_id)
    assert person is not None and (person.citizen_id, person.phone) == (MINH_ID, MINH_PHONE)
    employer = session.exec(select(Employer)).one()
    institution = session.exec(select(Institution)).one()
    assert (employer.phone, institution.phone) == ("+84987654321", "+842153825555")


def test_the_same_number_is_sealed_differently_each_time(session: Session) -> None:
    minh(session)
    factories.person(session, citizen_id="011201004568", phone=MINH_PHONE)
    session.commit()
    phones = [row[0] for row in raw_rows(session, "SELECT phone FROM person")]
    assert len(set(phones)) == 2  # nothing to compare or count in the stored text


def test_bulk_inserts_seal_and_hash_too(session: Session) -> None:
    """The trainee import and the demo generator write people with Core inserts (and COPY on
    PostgreSQL): they are sealed and hashed like the ORM's."""
    ethnicity = factories.ethnicity(session, "03")
    row = {
        "id": 77,
        "full_name": "Lò Văn Minh",
        "family_name": "Lò",
        "middle_name": "Văn",
        "given_name": "Minh",
        "name_key": "lo van minh",
        "birth_date": date(2001, 5, 4),
        "sex": "nam",
        "ethnicity_code": ethnicity.code,
        "commune_code": "03253",
        "village": "",
        "phone": MINH_PHONE,
        "citizen_id": MINH_ID,
        "household_status": None,
        "has_disability": False,
        "in_difficult_village": False,
        "consent_to_employers": False,
        "willing_to_work": [],
        "expected_wage": None,
        "available_from": None,
        "skills": [],
        "is_ethnic_minority": True,
        "in_zone_iii": False,
        "consent_at": None,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    with unit_of_work(session):
        session.execute(insert(Person), [{**row, "id": 76, "citizen_id": "011201004568"}])
        build = SimpleNamespace(rows={"person": [row]})
        write_tables(session, build, ["person"], lambda _n: None)  # type: ignore[arg-type]
    stored = raw_rows(session, "SELECT citizen_id, phone, citizen_id_hash FROM person ORDER BY id")
    assert [(r[0][:3], r[1][:3], r[2][:3]) for r in stored] == [("k1:", "k1:", "h1:")] * 2
    assert all(MINH_ID not in "".join(r) for r in stored)
    found = find_by_citizen_id(session, MINH_ID)
    assert found is not None and (found.id, found.phone) == (77, MINH_PHONE)


def test_a_sealed_column_cannot_be_compared_by_mistake() -> None:
    with pytest.raises(TypeError, match="keyed hash"):
        select(Person).where(col(Person.citizen_id) == MINH_ID)
    with pytest.raises(TypeError):
        select(Person).where(col(Person.phone).contains("0912"))
    select(Person).where(col(Person.citizen_id).is_(None))  # a null test stays allowed


def test_a_citizen_id_moved_into_another_column_does_not_open(session: Session) -> None:
    minh(session)
    session.commit()
    [(sealed_id,)] = raw_rows(session, "SELECT citizen_id FROM person")
    with pytest.raises(KeyConfigError):
        keys().open(sealed_id, "person.phone")


# --- lookups and uniqueness --------------------------------------------------------------------


def test_a_full_citizen_id_finds_the_person_and_part_of_one_finds_no_one(session: Session) -> None:
    person_id = minh(session).id
    factories.person(session, full_name="Quàng Thị Ánh", citizen_id="011301000002")
    session.commit()

    found = find_by_citizen_id(session, "011 201 004 567")
    assert found is not None and found.id == person_id
    assert [p.id for p in search_people(session, "011.201.004.567")] == [person_id]
    assert people_by_citizen_id(session, [MINH_ID, "011201009999"]).keys() == {MINH_ID}
    for part in ("0112010045", "004567", "011201", "01120100456"):
        assert find_by_citizen_id(session, part) is None
        assert search_people(session, part) == []


def test_a_second_person_with_the_same_id_is_refused_without_showing_it(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    minh(session)
    session.commit()
    [(sealed_id, stored_hash)] = raw_rows(session, "SELECT citizen_id, citizen_id_hash FROM person")
    with pytest.raises(IntegrityError) as caught:
        minh(session, full_name=OTHER_NAME, phone=OTHER_PHONE)
    session.rollback()
    logging.getLogger("tests.personal_data").error("refused", exc_info=caught.value)

    assert "parameters hidden" in str(caught.value)
    assert "Traceback" in caplog.text  # the log carries the error itself
    for shown in (str(caught.value), repr(caught.value), caplog.text):
        for secret in (MINH_ID, OTHER_PHONE, OTHER_PHONE[1:], OTHER_NAME, sealed_id):
            assert secret not in shown
    # PostgreSQL names the duplicate key in its message: the keyed hash, not the ID.
    assert len(raw_rows(session, "SELECT id FROM person")) == 1
    assert stored_hash.startswith("h1:")


def test_statements_logged_with_echo_carry_no_parameters(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """ECHO_SQL=1 logs every statement: never with its values."""
    echoing = make_engine(engine.url.render_as_string(hide_password=False), echo=True)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    try:
        with Session(echoing) as session:
            minh(session)
            session.commit()
            person = find_by_citizen_id(session, MINH_ID)
            assert person is not None
    finally:
        echoing.dispose()
    assert "INSERT INTO person" in caplog.text
    for secret in (
        MINH_ID,
        MINH_PHONE,
        "Lò Văn Minh",
        TEST_KEYS.blind_index(MINH_ID, "person.citizen_id"),
    ):
        assert secret not in caplog.text


def test_people_without_a_citizen_id_have_no_hash(session: Session) -> None:
    factories.person(session, citizen_id=None, phone=None)
    session.commit()
    assert raw_rows(session, "SELECT citizen_id, phone, citizen_id_hash FROM person") == [
        (None, None, None)
    ]


def test_changing_an_id_through_the_orm_moves_its_hash(session: Session) -> None:
    person = minh(session)
    session.commit()
    person.citizen_id = "011201004568"
    session.add(person)
    session.commit()
    assert find_by_citizen_id(session, MINH_ID) is None
    found = find_by_citizen_id(session, "011201004568")
    assert found is not None and found.id == person.id


# --- rotation ----------------------------------------------------------------------------------


def test_rotation_keeps_every_value_readable_and_changes_the_ciphertext(
    engine: Engine, test_keys_back: None
) -> None:
    numbers = [f"0112010045{n:02d}" for n in range(7)]
    with Session(engine) as session:
        for n, number in enumerate(numbers):
            factories.person(session, citizen_id=number, phone=f"+8491234560{n}")
        factories.person(session, citizen_id=None, phone=None)
        factories.employer(session, phone="+84987654321")
        session.commit()
        before = raw_rows(session, "SELECT id, citizen_id, phone, citizen_id_hash FROM person")

    new_keys = TEST_KEYS.with_new_keys(encryption=True, hashing=True)
    install_keys(new_keys)  # the servers restarted with the new key file
    # An interruption after the first batch of two: the next run continues.
    with pytest.raises(KeyboardInterrupt):
        rotate(engine, new_keys, batch_size=2, progress=_interrupt)
    assert stale_values(engine, new_keys)["person"] == len(numbers) - 2
    report = rotate(engine, new_keys, batch_size=2)
    assert stale_values(engine, new_keys) == {
        "employer": 0,
        "institution": 0,
        "outbox": 0,
        "person": 0,
        "person_change": 0,
    }
    # What the interrupted run did is not done again: two people, and the employer.
    assert report.resealed == {"person.citizen_id": 5, "person.phone": 5}
    assert report.rehashed == {"person.citizen_id_hash": 5, "person.phone_hash": 5}

    with Session(engine) as session:
        after = raw_rows(session, "SELECT id, citizen_id, phone, citizen_id_hash FROM person")
        assert {r.id for r in after} == {r.id for r in before}
        for old, new in zip(sorted(before), sorted(after), strict=True):
            for old_value, new_value in zip(old[1:], new[1:], strict=True):
                if old_value is None:
                    assert new_value is None
                else:
                    assert new_value != old_value and new_value[:3] in ("k2:", "h2:")
        # Old keys retired: every value still opens and every ID is still found.
        install_keys(new_keys.without({1}, {1}))
        session.expire_all()
        for n, number in enumerate(numbers):
            found = find_by_citizen_id(session, number)
            assert found is not None and found.phone == f"+8491234560{n}"
        assert session.exec(select(Employer)).one().phone == "+84987654321"


def _interrupt(table: str, _rows: int) -> None:
    if table == "person":
        raise KeyboardInterrupt


def test_during_a_hash_rotation_ids_are_found_under_either_key(
    session: Session, test_keys_back: None
) -> None:
    person_id = minh(session).id
    session.commit()
    install_keys(TEST_KEYS.with_new_keys(encryption=False, hashing=True))  # not yet re-hashed
    found = find_by_citizen_id(session, MINH_ID)
    assert found is not None and found.id == person_id
    assert people_by_citizen_id(session, [MINH_ID])[MINH_ID].id == person_id


# --- where the keys come from ------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        Settings(database_url="postgresql://dbjobs@db.example/dbjobs"),
        Settings(personal_data_key_file=Path("/nonexistent/personal-data-keys.json")),
        Settings(personal_data_keys="not json"),
    ],
    ids=["postgresql without a key", "a key file that is missing", "keys that are not valid"],
)
def test_missing_or_broken_keys_stop_the_start_with_a_clear_message(settings: Settings) -> None:
    from web.app import create_app

    with pytest.raises(KeyConfigError) as caught:
        create_app(settings)
    message = str(caught.value)
    assert "PERSONAL_DATA_KEY" in message or "personal data key" in message.lower()


def test_the_embedded_default_generates_its_key_file_once_for_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = load_keys(Settings())
    path = tmp_path / "var" / "personal-data-keys.json"
    assert first.path is not None and first.path.resolve() == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = load_keys(Settings())
    assert again.keyring.to_json() == first.keyring.to_json()
    assert first.keyring.to_json() != TEST_KEYS.to_json()


def test_keys_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "keys.json"
    key_file.write_text(TEST_KEYS.to_json())
    monkeypatch.setenv("PERSONAL_DATA_KEYS", "")
    monkeypatch.setenv("PERSONAL_DATA_KEY_FILE", str(key_file))
    from_file = load_keys(Settings.from_env())
    assert from_file.path == key_file
    monkeypatch.setenv("PERSONAL_DATA_KEYS", TEST_KEYS.to_json())
    from_env = load_keys(Settings.from_env())
    assert from_env.path is None
    value = from_env.keyring.seal(MINH_ID, "person.citizen_id")
    assert from_file.keyring.open(value, "person.citizen_id") == MINH_ID
    assert "encryption_keys" not in repr(Settings.from_env())  # never printed


def test_a_value_sealed_under_an_unknown_key_is_refused_clearly() -> None:
    other = Keyring.generate().with_new_keys()
    sealed = other.seal(MINH_ID, "person.citizen_id")
    with pytest.raises(KeyConfigError, match="key 2"):
        TEST_KEYS.open(sealed, "person.citizen_id")
