"""Settings read once by whoever builds the app or a command; never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from models.db import DatabaseLimits

T = TypeVar("T", int, float)

DEFAULT_SQLITE_PATH = Path("var") / "dienbien.sqlite3"
DEFAULT_IMPORT_DIR = Path("var") / "imports"
DEFAULT_REQUEST_THREADS = 10
DEFAULT_DB_WAIT_SECONDS = 5.0
# The embedded default's personal data keys, created on first run (models/encryption/config.py).
DEFAULT_KEY_FILE = Path("var") / "personal-data-keys.json"


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
    # How many requests one server process works on at once: the worker threads that run the
    # routes, and as many database connections (docs/deploy.md, "Sizing").
    request_threads: int = DEFAULT_REQUEST_THREADS
    # How long a request waits for a connection or a lock before it is answered 503.
    db_wait_seconds: float = DEFAULT_DB_WAIT_SECONDS
    # Imports live in the database now (models/tables/jobs.py); nothing is written here.
    import_dir: Path = DEFAULT_IMPORT_DIR
    # Run the background jobs in a thread of the web process. Turn off (EMBEDDED_WORKER=0)
    # when `dbjobs worker` runs them beside the server.
    embedded_worker: bool = True
    # Keys of the personal data encrypted at rest: PERSONAL_DATA_KEYS (the key file's JSON)
    # or PERSONAL_DATA_KEY_FILE; neither on SQLite: DEFAULT_KEY_FILE, generated on first run.
    personal_data_keys: str = field(default="", repr=False)  # never printed with the settings
    personal_data_key_file: Path | None = None
    # API_REQUESTS_PER_MINUTE: how many requests one API token may make in a minute; past
    # it the API answers 429 with Retry-After (counted in the database, across processes).
    api_requests_per_minute: int = 120

    @classmethod
    def from_env(cls) -> Settings:
        """Read DATABASE_URL, DEFAULT_LANGUAGE, ECHO_SQL, SECURE_COOKIES, TRUSTED_PROXIES,
        REQUEST_THREADS, DB_WAIT_SECONDS, EMBEDDED_WORKER, PERSONAL_DATA_KEYS,
        PERSONAL_DATA_KEY_FILE and API_REQUESTS_PER_MINUTE from the environment."""
        key_file = os.environ.get("PERSONAL_DATA_KEY_FILE")
        return cls(
            database_url=os.environ.get("DATABASE_URL") or cls.database_url,
            default_language=os.environ.get("DEFAULT_LANGUAGE") or cls.default_language,
            echo_sql=os.environ.get("ECHO_SQL") == "1",
            secure_cookies=os.environ.get("SECURE_COOKIES") == "1",
            request_threads=_positive(os.environ.get("REQUEST_THREADS"), cls.request_threads),
            db_wait_seconds=_positive(os.environ.get("DB_WAIT_SECONDS"), cls.db_wait_seconds),
            embedded_worker=os.environ.get("EMBEDDED_WORKER", "1") != "0",
            trusted_proxies=_address_list(os.environ.get("TRUSTED_PROXIES", "")),
            personal_data_keys=os.environ.get("PERSONAL_DATA_KEYS", ""),
            personal_data_key_file=Path(key_file) if key_file else None,
            api_requests_per_minute=_positive(
                os.environ.get("API_REQUESTS_PER_MINUTE"), cls.api_requests_per_minute
            ),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def db_limits(self) -> DatabaseLimits:
        """The connection pool sized to the request threads: every thread that runs a route
        finds a connection without waiting; a few more serve the background work that follows
        a response and the KPI staleness mark that PostgreSQL writes after a commit."""
        return DatabaseLimits(
            pool_size=self.request_threads,
            max_overflow=max(2, self.request_threads // 4),
            wait_seconds=self.db_wait_seconds,
        )

    @property
    def max_requests_in_flight(self) -> int:
        """Past this many requests at once in a process, a new one is answered 503 at once
        rather than queued behind minutes of work."""
        return self.request_threads * IN_FLIGHT_PER_THREAD


IN_FLIGHT_PER_THREAD = 32


def _positive(raw: str | None, default: T) -> T:
    """A positive number from the environment, else the default (a typo never means 0)."""
    try:
        value = type(default)(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def _address_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())
