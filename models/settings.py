"""Settings read once by whoever builds the app or a command; never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "dienbien.sqlite3"
DEFAULT_IMPORT_DIR = Path("var") / "imports"


@dataclass(frozen=True)
class Settings:
    """Where the database is and how the app behaves. Tests build their own."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    default_language: str = "vi"
    echo_sql: bool = False
    secure_cookies: bool = False  # SECURE_COOKIES=1: cookies always Secure, whatever the scheme
    # TRUSTED_PROXIES: addresses or networks (comma-separated) of the reverse proxies whose
    # X-Forwarded-Proto and X-Forwarded-For are believed; nobody's by default.
    trusted_proxies: tuple[str, ...] = ()
    import_dir: Path = DEFAULT_IMPORT_DIR  # uploaded sheets waiting to be confirmed

    @classmethod
    def from_env(cls) -> Settings:
        """Read DATABASE_URL, DEFAULT_LANGUAGE, ECHO_SQL, SECURE_COOKIES and TRUSTED_PROXIES
        from the environment."""
        return cls(
            database_url=os.environ.get("DATABASE_URL") or cls.database_url,
            default_language=os.environ.get("DEFAULT_LANGUAGE") or cls.default_language,
            echo_sql=os.environ.get("ECHO_SQL") == "1",
            secure_cookies=os.environ.get("SECURE_COOKIES") == "1",
            trusted_proxies=_address_list(os.environ.get("TRUSTED_PROXIES", "")),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _address_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())
