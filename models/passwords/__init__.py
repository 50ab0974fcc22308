"""The rule every new password meets: at least MIN_PASSWORD_LENGTH characters and not on a
bundled list of commonly used passwords (compared without regard to case). It applies when a
password is set (a new account, a change, the CLI), never at sign-in, so an older, shorter
password still signs in until its owner changes it.

The list ships in this folder (no network at run time); NOTICE beside it names its source and
its MIT licence."""

from __future__ import annotations

import gzip
import unicodedata
from functools import lru_cache
from pathlib import Path

from models.errors import InvalidError

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).parent / "common-passwords.txt.gz"


def _comparable(password: str) -> str:
    return unicodedata.normalize("NFC", password).casefold()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list, case-folded (read once per process, about 49,000 entries)."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as listed:
        return frozenset(_comparable(line.rstrip("\n")) for line in listed if line.strip())


def is_common(password: str) -> bool:
    return _comparable(password) in common_passwords()


def check_new_password(password: str, field: str = "password") -> None:
    """Raise InvalidError (naming `field`) when the password may not be set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidError(
            field, "Password must have at least {n} characters.", n=MIN_PASSWORD_LENGTH
        )
    if is_common(password):
        raise InvalidError(
            field, "This password is on a list of commonly used passwords. Choose another one."
        )
