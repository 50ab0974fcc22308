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
    secure_cookies: bool = False  # set SECURE_COOKIES=1 behind HTTPS
    # Imports live in the database now (models/tables/jobs.py); nothing is written here.
    import_dir: Path = DEFAULT_IMPORT_DIR
    # Run the background jobs in a thread of the web process. Turn off (EMBEDDED_WORKER=0)
    # when `dbjobs worker` runs them beside the server.
    embedded_worker: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        """Read DATABASE_URL, DEFAULT_LANGUAGE, ECHO_SQL, SECURE_COOKIES and EMBEDDED_WORKER
        from the environment."""
        return cls(
            database_url=os.environ.get("DATABASE_URL") or cls.database_url,
            default_language=os.environ.get("DEFAULT_LANGUAGE") or cls.default_language,
            echo_sql=os.environ.get("ECHO_SQL") == "1",
            secure_cookies=os.environ.get("SECURE_COOKIES") == "1",
            embedded_worker=os.environ.get("EMBEDDED_WORKER", "1") != "0",
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
