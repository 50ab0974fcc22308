"""Running the web application."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Annotated

import typer
import uvicorn

from cli.core import WEB, Cli, command
from models.settings import Settings
from web.app import create_app

APP_FACTORY = "web.app:app_from_environment"
WORKER_START_SECONDS = 60


@command("serve", help="Run the web application with uvicorn.", panel=WEB)
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (PostgreSQL only; SQLite has one writer).",
        ),
    ] = 1,
) -> None:
    run_server(ctx.obj, host, port, workers=workers)


def run_server(cli: Cli, host: str, port: int, *, workers: int = 1) -> None:
    settings = replace(Settings.from_env(), database_url=cli.database_url)
    # The app itself believes X-Forwarded-* from TRUSTED_PROXIES only (web/app.py); uvicorn's
    # own handling would trust 127.0.0.1 whatever the settings say.
    if workers == 1:
        app = create_app(settings, settle_heap=True)
        uvicorn.run(app, host=host, port=port, proxy_headers=False)
        return
    if settings.is_sqlite:
        cli.fail(
            "Several server processes need PostgreSQL: SQLite lets one process write at a "
            "time. Run `dbjobs serve` without --workers, or set DATABASE_URL to a PostgreSQL "
            "database."
        )
    # Each process imports the app factory and builds its own app, engine and pool. A new
    # process imports the whole command line (scikit-learn, OR-Tools) before it can answer
    # uvicorn's health check: give it a minute, not uvicorn's 5 s, or a busy host restarts
    # workers forever.
    os.environ["DATABASE_URL"] = settings.database_url
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        proxy_headers=False,
    )
