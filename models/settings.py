"""Settings read once by whoever builds the app or a command; never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "dienbien.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Where the database is and how the app behaves. Tests build their own."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    secret_key: str = "dev-only-change-me"
    default_language: str = "vi"
    echo_sql: bool = False
    secure_cookies: bool = False  # set SECURE_COOKIES=1 behind HTTPS
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        """Read DATABASE_URL, SECRET_KEY and DEFAULT_LANGUAGE from the environment."""
        return cls(
            database_url=os.environ.get("DATABASE_URL") or cls.database_url,
            secret_key=os.environ.get("SECRET_KEY") or cls.secret_key,
            default_language=os.environ.get("DEFAULT_LANGUAGE") or cls.default_language,
            echo_sql=os.environ.get("ECHO_SQL") == "1",
            secure_cookies=os.environ.get("SECURE_COOKIES") == "1",
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
