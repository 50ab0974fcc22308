"""Demo data: `generate-demo`, and `demo`, which takes a new user from nothing to a running
site with data and accounts in one command."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from cli.core import DATA, START, Cli, command, console, parse_years
from cli.data import run_load_reference, run_upgrade
from cli.monitoring import refresh_years
from cli.server import run_server
from models.db import refresh_planner_statistics
from models.formatting import format_number
from models.suggestions import compute_suggestions
from models.tables import Institution, Person, UserAccount
from seed.demo import DemoAccount, DemoSummary, generate_demo
from seed.demo.accounts import DEMO_PASSWORD, USERNAMES
from seed.demo.write import find_marker

STAGE_LABELS = {
    "reference": "Loading reference data",
    "plan": "Planning the demo",
    "write": "Writing rows",
}

SeedOption = Annotated[int, typer.Option("--seed", help="Same seed, same data.")]
YearsOption = Annotated[str, typer.Option("--years", help="A year or a range: 2023-2026.")]
ScaleOption = Annotated[float, typer.Option("--scale", help="1.0 = about 8,500 trainees a year.")]


@command("generate-demo", help="Fill the database with realistic demo data.", panel=DATA)
def generate_demo_command(
    ctx: typer.Context,
    seed: SeedOption = 2026,
    years: YearsOption = "2023-2026",
    scale: ScaleOption = 1.0,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete an earlier demo first.")
    ] = False,
) -> None:
    cli: Cli = ctx.obj
    chosen = parse_years(cli, years)
    with cli.engine() as engine:
        summary = run_generate_demo(cli, engine, seed, chosen, scale, replace=replace)
    print_summary(cli, summary)
    print_accounts(cli, summary.accounts)


@command("demo", help="Set up everything with demo data, then serve the site.", panel=START)
def demo(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    seed: SeedOption = 2026,
    years: YearsOption = "2023-2026",
    scale: ScaleOption = 1.0,
) -> None:
    """Upgrade, load reference data, generate demo data unless the database already holds
    data, print the address and the demo accounts, and serve."""
    cli: Cli = ctx.obj
    chosen = parse_years(cli, years)
    run_upgrade(cli)
    with cli.engine() as engine:
        run_load_reference(engine)
        cli.say("Reference data is loaded.")
        accounts = prepare_demo_data(cli, engine, seed, chosen, scale)
    print_accounts(cli, accounts)
    cli.say(
        "Open http://{host}:{port}/ in a browser (Ctrl+C stops the server).", host=host, port=port
    )
    run_server(cli, host, port)


def prepare_demo_data(
    cli: Cli, engine: Engine, seed: int, years: list[int], scale: float
) -> list[DemoAccount]:
    """Generate on an empty database; on a second start keep what is there and list the
    demo accounts that still exist (with the documented demo password)."""
    with Session(engine) as session:
        has_demo = find_marker(session) is not None
        has_data = any(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Institution, Person)
        )
        existing = existing_demo_accounts(session)
    if has_demo or has_data:
        cli.say("The database already holds data: no demo data generated.")
        return existing
    summary = run_generate_demo(cli, engine, seed, years, scale, replace=False)
    print_summary(cli, summary)
    with Session(engine) as session:
        # Ranked candidates ready for every open vacancy, so the first page view is quick.
        count = compute_suggestions(session)
    cli.say("Ranked candidates stored: {count}.", count=count)
    refresh_years(cli, engine, years)
    return summary.accounts


def existing_demo_accounts(session: Session) -> list[DemoAccount]:
    query = select(UserAccount).where(col(UserAccount.username).in_(USERNAMES))
    users = {user.username: user for user in session.execute(query).scalars()}
    return [
        DemoAccount(name, DEMO_PASSWORD, users[name].role, users[name].full_name)
        for name in USERNAMES
        if name in users
    ]


def run_generate_demo(
    cli: Cli, engine: Engine, seed: int, years: list[int], scale: float, *, replace: bool
) -> DemoSummary:
    with progress_bar(cli) as report:
        summary = generate_demo(
            engine, seed=seed, years=years, scale=scale, progress=report, replace=replace
        )
    refresh_planner_statistics(engine)
    return summary


@contextmanager
def progress_bar(cli: Cli) -> Iterator[Callable[[str, int, int], None]]:
    """A bar per stage, driven by the generator's progress(stage, done, total) calls."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = cli.t(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report


# What the summary table shows for each year, in the province's terms.
SUMMARY_ROWS = (
    ("trained_people", "People trained"),
    ("enrolments", "Enrolments"),
    ("graduates", "Graduates"),
    ("new_jobs", "People with a new job"),
    ("departures_abroad", "Of whom abroad"),
    ("platform_hires", "Hired through the platform"),
    ("vacancies", "Vacancies posted"),
    ("training_orders", "Training orders"),
)


def print_summary(cli: Cli, summary: DemoSummary) -> None:
    """One column per year, so it fits a narrow terminal whatever the language."""
    if summary.replaced:
        cli.say("The earlier demo data was deleted first.")
    years = sorted(summary.per_year)
    title = cli.t("Demo data, seed {seed}, scale {scale}", seed=summary.seed, scale=summary.scale)
    table = Table("", *(str(year) for year in years), title=title)
    for field, label in SUMMARY_ROWS:
        values = (getattr(summary.per_year[year], field) for year in years)
        table.add_row(cli.t(label), *(format_number(value, cli.lang) for value in values))
    console.print(table)
    tables = ", ".join(
        f"{name} {format_number(count, cli.lang)}" for name, count in summary.tables.items()
    )
    cli.say("Rows written: {tables}.", tables=tables)


def print_accounts(cli: Cli, accounts: list[DemoAccount]) -> None:
    if not accounts:
        cli.say("No demo account exists; create one with `dbjobs create-user`.")
        return
    table = Table(cli.t("Username"), cli.t("Password"), cli.t("Role"), cli.t("Full name"))
    for account in accounts:
        table.add_row(account.username, account.password, account.role, account.full_name)
    table.title = cli.t("Demo accounts")
    console.print(table)
