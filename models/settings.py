"""Settings read once by whoever builds the app or a command; never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "dienbien.sqlite3"
DEFAULT_IMPORT_DIR = Path("var") / "imports"
# The embedded default's personal data keys, created on first run (models/encryption/config.py).
DEFAULT_KEY_FILE = Path("var") / "personal-data-keys.json"


@dataclass(frozen=True)
class Settings:
    """Where the database is and how the app behaves. Tests build their own."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    default_language: str = "vi"
    echo_sql: bool = False
    secure_cookies: bool = False  # set SECURE_COOKIES=1 behind HTTPS
    import_dir: Path = DEFAULT_IMPORT_DIR  # uploaded sheets waiting to be confirmed
    # Keys of the personal data encrypted at rest: PERSONAL_DATA_KEYS (the key file's JSON)
    # or PERSONAL_DATA_KEY_FILE; neither on SQLite: DEFAULT_KEY_FILE, generated on first run.
    personal_data_keys: str = field(default="", repr=False)  # never printed with the settings
    personal_data_key_file: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """Read DATABASE_URL, DEFAULT_LANGUAGE, ECHO_SQL, SECURE_COOKIES, PERSONAL_DATA_KEYS and
        PERSONAL_DATA_KEY_FILE from the environment."""
        key_file = os.environ.get("PERSONAL_DATA_KEY_FILE")
        return cls(
            database_url=os.environ.get("DATABASE_URL") or cls.database_url,
            default_language=os.environ.get("DEFAULT_LANGUAGE") or cls.default_language,
            echo_sql=os.environ.get("ECHO_SQL") == "1",
            secure_cookies=os.environ.get("SECURE_COOKIES") == "1",
            personal_data_keys=os.environ.get("PERSONAL_DATA_KEYS", ""),
            personal_data_key_file=Path(key_file) if key_file else None,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
