"""`dbjobs new-keys` and `dbjobs rotate-key` as an operator uses them, and the refusal of a
command on PostgreSQL without a configured key. Database tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner, Result

import cli.main as cli_main
from models.encryption import Keyring, install_keys
from models.encryption.config import read_key_file
from models.i18n import translate
from models.queries.people import find_by_citizen_id
from tests import factories
from tests.conftest import TEST_KEYS

NUMBERS = [f"01120100450{n}" for n in range(5)]


def run(url: str, *args: str, env: dict[str, str | None]) -> Result:
    env = {"COLUMNS": "200", "DBJOBS_LANG": "vi", "DATABASE_URL": "", **env}
    return CliRunner().invoke(cli_main.app, ["--database-url", url, *args], env=env)


@pytest.fixture
def key_file(tmp_path: Path) -> Iterator[Path]:
    """The test keys in a key file, as production keeps them; the test keys come back after."""
    path = tmp_path / "keys.json"
    path.write_text(TEST_KEYS.to_json())
    yield path
    install_keys(TEST_KEYS)


def test_new_keys_writes_a_file_for_its_owner_only_and_never_overwrites_it(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "personal-data-keys.json"
    made = run("sqlite://", "new-keys", "--output", str(path), env={})
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    first = path.read_text()
    Keyring.from_json(first)  # a valid key file
    again = run("sqlite://", "new-keys", "--output", str(path), env={})
    assert again.exit_code == 1 and path.read_text() == first


def test_rotate_key_re_encrypts_every_value_and_retires_the_old_keys(
    engine: Engine, key_file: Path
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    with Session(engine) as session:
        for n, number in enumerate(NUMBERS):
            factories.person(session, citizen_id=number, phone=f"+8491234567{n}")
        session.commit()
    env: dict[str, str | None] = {"PERSONAL_DATA_KEYS": "", "PERSONAL_DATA_KEY_FILE": str(key_file)}

    added = run(url, "rotate-key", "--new-key", "--new-hash-key", env=env)
    assert added.exit_code == 0, added.output
    keyring = read_key_file(key_file)
    assert (keyring.current_encryption, keyring.current_hash) == (2, 2)
    assert _prefixes(engine) == {"k1:", "h1:"}  # nothing re-encrypted before the restart

    rotated = run(url, "rotate-key", "--batch-size", "2", "--retire", env=env)
    assert rotated.exit_code == 0, rotated.output
    assert (
        translate(
            "Every value is under key {key} and hash key {hash_key}.", "vi", key=2, hash_key=2
        )
        in rotated.output
    )
    assert _prefixes(engine) == {"k2:", "h2:"}
    retired = read_key_file(key_file)
    assert (list(retired.encryption_keys), list(retired.hash_keys)) == ([2], [2])
    assert read_key_file(
        key_file.with_name(key_file.name + ".before-retire")
    ).encryption_keys.keys() == {1, 2}

    install_keys(retired)  # a server restarted with the retired key file reads everything
    with Session(engine) as session:
        for n, number in enumerate(NUMBERS):
            person = find_by_citizen_id(session, number)
            assert person is not None and person.phone == f"+8491234567{n}"


def _prefixes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT citizen_id, phone, citizen_id_hash FROM person")).all()
    return {value[:3] for row in rows for value in row}


def test_rotation_refuses_to_edit_keys_given_in_the_environment(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    refused = run(url, "rotate-key", "--new-key", env={})  # PERSONAL_DATA_KEYS of the tests
    assert refused.exit_code == 1
    assert "PERSONAL_DATA_KEYS" in refused.stderr


def test_a_command_on_postgresql_without_a_key_stops_with_a_clear_message() -> None:
    result = run(
        "postgresql://dbjobs@127.0.0.1:9/none",
        "rotate-key",
        env={"PERSONAL_DATA_KEYS": "", "PERSONAL_DATA_KEY_FILE": None},
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    expected = translate(
        "No personal data key is configured: set PERSONAL_DATA_KEY_FILE (a key file made with "
        "`dbjobs new-keys`) or PERSONAL_DATA_KEYS. See docs/deploy.md, “Personal data "
        "encryption keys”.",
        "vi",
    )
    assert result.stderr.strip().removeprefix("✗").strip() == expected
