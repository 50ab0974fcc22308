"""`compute-suggestions`: rank graduates for every open vacancy and store the result, so the
candidates pages read it instead of computing on the first view (run it nightly)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from sqlmodel import Session

from cli.core import DATA, Cli, command
from models.formatting import format_number
from models.suggestions import DEFAULT_TOP, compute_suggestions

MAX_TOP = 500


@command(
    "compute-suggestions",
    help="Rank graduates for every open vacancy and store the suggestions.",
    panel=DATA,
)
def compute_suggestions_command(
    ctx: typer.Context,
    top: Annotated[
        int, typer.Option("--top", help="Candidates kept per vacancy (1 to 500).")
    ] = DEFAULT_TOP,
) -> None:
    cli: Cli = ctx.obj
    if not 1 <= top <= MAX_TOP:
        cli.fail("--top must be a whole number from 1 to {limit}.", limit=MAX_TOP)
    started = time.perf_counter()
    with cli.engine() as engine, Session(engine, expire_on_commit=False) as session:

        def report(graduates: int, vacancies: int) -> None:
            cli.say(
                "Ranking {graduates} graduates for {vacancies} open vacancies…",
                graduates=format_number(graduates, cli.lang),
                vacancies=format_number(vacancies, cli.lang),
            )

        stored = compute_suggestions(session, top_k=top, report=report)
    cli.say(
        "Stored {count} suggestions in {seconds} s.",
        count=format_number(stored, cli.lang),
        seconds=f"{time.perf_counter() - started:.1f}",
    )
