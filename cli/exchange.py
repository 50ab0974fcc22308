"""`exchange`: exchange files for systems without an API (docs/exchange.md). Each command acts
as a named account (`--as`), with that account's permissions and relation (an institution's
own courses, a reporter's own scope), and is in the audit log under it, as on the pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from cli.core import Cli, app, reported_errors
from models.clock import utcnow
from models.exchange import read
from models.formatting import format_number
from models.tables import AuthSession, UserAccount
from web.auth import Principal
from web.services.exchange import graduates, new_jobs

exchange_app = typer.Typer(
    help="Exchange files (zip: manifest.json + data.csv) of graduates and new-jobs lines.",
    no_args_is_help=True,
)
app.add_typer(exchange_app, name="exchange", rich_help_panel="Database and data")
KINDS = ("graduates", "new-jobs")
AsUser = Annotated[str, typer.Option("--as", help="The account the command acts as.")]


def _principal(cli: Cli, session: Session, username: str) -> Principal:
    user = session.exec(select(UserAccount).where(col(UserAccount.username) == username)).first()
    if user is None or not user.is_active:
        cli.fail("There is no active account {username}.", username=username)
    now = utcnow()
    # Not stored: the command's own sign-in, never a cookie.
    auth = AuthSession(
        token_hash="", user_id=user.id or 0, csrf_token="", expires_at=now + timedelta(hours=1)
    )
    return Principal(user=user, auth=auth)


@exchange_app.command("export", help="Write an exchange file: graduates or new-jobs.")
def export_command(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="graduates | new-jobs")],
    username: AsUser,
    out: Annotated[Path, typer.Option("--out", help="The zip file to write.")],
    institution_code: Annotated[
        str | None, typer.Option("--institution-code", help="graduates: officials choose one.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="graduates: graduated that year.")
    ] = None,
    without_personal_data: Annotated[
        bool, typer.Option("--without-personal-data", help="graduates: no ID numbers, phones.")
    ] = False,
    period: Annotated[
        str | None, typer.Option("--period", help="new-jobs: 2026-03 or 2026-H1.")
    ] = None,
) -> None:
    cli: Cli = ctx.find_root().obj
    with reported_errors(cli):
        if what not in KINDS:
            cli.fail("Write graduates or new-jobs, not {what}.", what=what)
        with cli.engine() as engine, Session(engine, expire_on_commit=False) as session:
            principal = _principal(cli, session, username)
            if what == "graduates":
                institution = graduates.find_institution(session, institution_code)
                download = graduates.export_graduates(
                    session,
                    engine,
                    principal=principal,
                    institution_id=institution,
                    year=year,
                    personal_data=not without_personal_data,
                )
            else:
                download = new_jobs.export_new_jobs(
                    session, engine, principal=principal, period=period
                )
            _save(download.pieces, out)
        cli.say(
            "Wrote {count} rows to {path}.",
            count=format_number(download.rows, cli.lang),
            path=out,
        )


def _save(pieces: Iterable[bytes], out: Path) -> None:
    """The file written piece by piece, as the web sends it; under its name only when whole."""
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as target:
            for piece in pieces:
                target.write(piece)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


@exchange_app.command("import", help="Load an exchange file: all rows, or none.")
def import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The exchange file (.zip).")],
    username: AsUser,
    institution_code: Annotated[
        str | None, typer.Option("--institution-code", help="graduates, administrators.")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="new-jobs: default, the file's period.")
    ] = None,
    on_behalf_of: Annotated[
        str | None, typer.Option("--on-behalf-of", help="new-jobs, officials: a commune code.")
    ] = None,
) -> None:
    cli: Cli = ctx.find_root().obj
    with reported_errors(cli):
        if not path.is_file():
            cli.fail("There is no file {path}.", path=path)
        data = path.read_bytes()
        kind = read(data).layout.kind
        with cli.engine() as engine, Session(engine, expire_on_commit=False) as session:
            principal = _principal(cli, session, username)
            if kind == "graduates":
                outcome = graduates.import_graduates(
                    session,
                    principal=principal,
                    data=data,
                    filename=path.name,
                    institution_code=institution_code,
                )
                errors, written = outcome.checks.errors, outcome.summary.get("enrolments", 0)
            else:
                result = new_jobs.import_new_jobs(
                    session,
                    principal=principal,
                    data=data,
                    filename=path.name,
                    period=period,
                    on_behalf_of=on_behalf_of,
                )
                errors = result.checks.errors
                written = result.report.person_lines if result.report else 0
        if errors:
            for each in errors:
                message = cli.t(each.msgid, **each.params)
                typer.echo(f"{each.row}\t{each.column}\t{message}", err=True)
            cli.fail("Nothing was written: {count} problems in the file.", count=len(errors))
        cli.say(
            "Imported {count} rows from {path}.", count=format_number(written, cli.lang), path=path
        )
