"""`dbjobs`: set up the database, load data, create accounts and serve the web app.

Messages are in Vietnamese unless `--lang en` or DBJOBS_LANG=en. Every refusal is one sentence
and exit code 1, never a traceback (DBJOBS_DEBUG=1 shows one for an unexpected error).
Each command module declares its commands; they are added to the app here, once.
"""

from __future__ import annotations

from cli import (
    accounts,
    backup,
    data,
    demo,
    exchange,
    jobs,
    keys,
    monitoring,
    server,
    suggestions,
    weights,
)
from cli.core import app, register_commands

register_commands()

__all__ = [
    "accounts",
    "app",
    "backup",
    "data",
    "demo",
    "exchange",
    "jobs",
    "keys",
    "monitoring",
    "server",
    "suggestions",
    "weights",
]
