"""Running the web application."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
import uvicorn

from cli.core import WEB, Cli, command
from models.settings import Settings
from web.app import create_app


@command("serve", help="Run the web application with uvicorn.", panel=WEB)
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
) -> None:
    run_server(ctx.obj, host, port)


def run_server(cli: Cli, host: str, port: int) -> None:
    settings = replace(Settings.from_env(), database_url=cli.database_url)
    # The app itself believes X-Forwarded-* from TRUSTED_PROXIES only (web/app.py); uvicorn's
    # own handling would trust 127.0.0.1 whatever the settings say.
    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=False)
