"""Where the personal data keys come from, in this order:

1. `PERSONAL_DATA_KEYS`: the key file's JSON itself (from a secret store or a systemd
   credential);
2. `PERSONAL_DATA_KEY_FILE`: a file holding it (it must exist: it is never created there);
3. the embedded default (SQLite and neither variable set): `var/personal-data-keys.json`,
   created with fresh keys on first run, readable by its owner only, so `./dev demo` needs
   nothing else. On PostgreSQL nothing is generated: several processes and hosts share the
   database, and a key made on one of them would not exist on the others; the command or
   server stops with a message naming the two variables.

docs/deploy.md ("Personal data encryption keys") says where to keep the file and to back it
up apart from the database backups.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from models.encryption.keyring import KeyConfigError, Keyring, install_keys, installed_keys
from models.settings import DEFAULT_KEY_FILE, Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeySource:
    """The keys and the file they live in (None when they came from the environment)."""

    keyring: Keyring
    path: Path | None


def load_keys(settings: Settings) -> KeySource:
    """The keys the settings point at; the embedded default creates its file on first run."""
    if settings.personal_data_keys.strip():
        return KeySource(Keyring.from_json(settings.personal_data_keys), None)
    if settings.personal_data_key_file is not None:
        return KeySource(
            read_key_file(settings.personal_data_key_file), settings.personal_data_key_file
        )
    if not settings.is_sqlite:
        raise KeyConfigError(
            None,
            "No personal data key is configured: set PERSONAL_DATA_KEY_FILE (a key file made "
            "with `dbjobs new-keys`) or PERSONAL_DATA_KEYS. See docs/deploy.md, "
            "“Personal data encryption keys”.",
        )
    path = DEFAULT_KEY_FILE
    if not path.exists() and create_key_file(path, Keyring.generate()):
        logger.warning(
            "Generated personal data keys in %s: back this file up apart from the database.",
            path,
        )
    return KeySource(read_key_file(path), path)


def use_keys(settings: Settings) -> Keyring:
    """Load the keys and make them the process's; a value sealed under a key added later
    (`rotate-key --new-key` in another process) makes it read the file again."""
    source = load_keys(settings)
    path = source.path
    install_keys(source.keyring, (lambda: read_key_file(path)) if path is not None else None)
    return source.keyring


def ensure_keys(database_url: str) -> Keyring:
    """The process's keys, loaded from the environment for `database_url` when none are yet
    (a migration run by Alembic directly, outside the app and the commands)."""
    return installed_keys() or use_keys(replace(Settings.from_env(), database_url=database_url))


def read_key_file(path: Path) -> Keyring:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyConfigError(
            None, "The personal data key file {path} does not exist.", path=str(path)
        ) from None
    except OSError as error:
        raise KeyConfigError(
            None,
            "The personal data key file {path} cannot be read: {reason}",
            path=str(path),
            reason=error.strerror or type(error).__name__,
        ) from None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        logger.warning("The personal data key file %s is readable by others: chmod 600 it.", path)
    return Keyring.from_json(text)


def create_key_file(path: Path, keyring: Keyring) -> bool:
    """Write a new key file, readable by its owner only; False (nothing written) when one
    exists already. Two processes starting at once end up with the same file: it appears
    whole or not at all (written aside, then linked into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _written_aside(path, keyring)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


def replace_key_file(path: Path, keyring: Keyring) -> None:
    """Replace the key file in one step (rotation adds or retires keys)."""
    os.replace(_written_aside(path, keyring), path)


def _written_aside(path: Path, keyring: Keyring) -> Path:
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(keyring.to_json() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)
