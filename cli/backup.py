"""Backups: a consistent copy while the site is writing, and putting one back after checking it
(models/backup.py does the work; docs/deploy.md gives a nightly schedule)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.core import DATA, Cli, command
from models import backup as backups

DEFAULT_FOLDER = Path("var") / "backups"


@command(
    "backup",
    help="Copy the database (consistent while the site writes) with a manifest beside it.",
    panel=DATA,
)
def backup(
    ctx: typer.Context,
    to: Annotated[
        Path,
        typer.Option("--to", help="A folder (a dated file is made in it) or a file name."),
    ] = DEFAULT_FOLDER,
    keep: Annotated[
        int,
        typer.Option("--keep", min=0, help="Keep this many newest copies in the folder (0: all)."),
    ] = 0,
) -> None:
    cli: Cli = ctx.obj
    with cli.engine() as engine:
        folder = to if to.suffix == "" or to.is_dir() else to.parent
        target = to if folder != to else folder / backups.default_name(engine.dialect.name)
        manifest = backups.backup(engine, target)
    cli.say(
        "Copied {rows} rows in {tables} tables to {path} ({size} bytes).",
        rows=manifest.rows,
        tables=len(manifest.tables),
        path=str(target),
        size=manifest.bytes,
    )
    if keep:
        for old in backups.prune(folder, keep):
            cli.say("Deleted the older copy {path}.", path=str(old))


@command(
    "restore",
    help="Check a copy made by `dbjobs backup`, then replace the database's content with it.",
    panel=DATA,
)
def restore(
    ctx: typer.Context,
    copy: Annotated[Path, typer.Argument(help="The copy (its manifest must lie beside it).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    cli: Cli = ctx.obj
    with cli.engine() as engine:
        manifest = backups.check_copy(copy, engine)
        cli.say(
            "The copy {path} of {created} is sound: {rows} rows in {tables} tables.",
            path=str(copy),
            created=manifest.created_at,
            rows=manifest.rows,
            tables=len(manifest.tables),
        )
        if not yes and not typer.confirm(
            cli.t("Replace everything in {url} with this copy?", url=cli.shown_url)
        ):
            raise typer.Abort()
        backups.restore(copy, engine)
    cli.say("The database {url} now holds the copy {path}.", url=cli.shown_url, path=str(copy))
