"""`worker` runs the background jobs beside the web server (set EMBEDDED_WORKER=0 for the
server then); `jobs` lists the newest jobs with their progress and errors."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from cli.core import WEB, Cli, command, console
from models.formatting import format_number
from models.jobs.kinds import STATUSES
from web.services.jobs import job_rows, make_worker


@command("worker", help="Run the background jobs (imports, KPI refreshes, suggestions).", panel=WEB)
def worker_command(
    ctx: typer.Context,
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop once no job is due (for scripts).")
    ] = False,
) -> None:
    cli: Cli = ctx.obj
    with cli.engine() as engine:
        worker = make_worker(engine)
        if until_idle:
            ran = worker.run_until_idle()
            cli.say("Jobs run: {count}.", count=format_number(ran, cli.lang))
            return
        cli.say("Worker {name} is running (Ctrl+C stops it).", name=worker.name)
        stop = threading.Event()

        def finish(_signal: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, finish)
        signal.signal(signal.SIGINT, finish)
        worker.run_forever(stop)
        cli.say("Worker stopped.")


@command("jobs", help="List the newest background jobs, their progress and errors.", panel=WEB)
def jobs_command(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option("--status", help="queued | running | done | failed (default: all)")
    ] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 30,
) -> None:
    cli: Cli = ctx.obj
    if status and status not in STATUSES:
        cli.fail("Unknown job status {status}: write one of {statuses}.", status=status,
                 statuses=", ".join(STATUSES))  # fmt: skip
    with cli.engine() as engine, Session(engine) as session:
        rows = job_rows(session, status=status or None, limit=limit)
    if not rows:
        cli.say("No jobs.")
        return
    table = Table("#", cli.t("Kind"), cli.t("For"), cli.t("Status"), cli.t("Attempts"),
                  cli.t("Progress"), cli.t("Error"))  # fmt: skip
    for row in rows:
        progress = f"{row.done}/{row.total}" if row.total else ""
        attempts = f"{row.attempts}/{row.max_attempts}"
        table.add_row(str(row.id), row.kind, row.subject, row.status, attempts, progress, row.error)
    console.print(table)
