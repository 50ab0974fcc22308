"""Schema, reference data and demo data."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cli.core import DATA, Cli, command, console
from models import migrate
from models.tables import reference
from seed.reference import load_reference_data

REFERENCE_TABLES: tuple[Any, ...] = (
    reference.AdminUnit,
    reference.AdminUnitLineage,
    reference.CommuneZone,
    reference.Country,
    reference.EconomicSector,
    reference.Ethnicity,
    reference.MinimumWage,
    reference.Target,
    reference.TrainingLevel,
    reference.TrainingOccupation,
    reference.WageRegionAssignment,
)


@command("upgrade", help="Bring the database schema up to date (Alembic migrations).", panel=DATA)
def upgrade(ctx: typer.Context) -> None:
    run_upgrade(ctx.obj)


def run_upgrade(cli: Cli) -> None:
    migrate.upgrade(cli.database_url)
    cli.say("The database schema of {url} is up to date.", url=cli.shown_url)


@command(
    "load-reference", help="Load the reference lists (idempotent) and show counts.", panel=DATA
)
def load_reference(ctx: typer.Context) -> None:
    cli: Cli = ctx.obj
    with cli.engine() as engine:
        changed, totals = run_load_reference(engine)
    table = Table(cli.t("Reference table"))
    table.add_column(cli.t("Rows added or updated"), justify="right")
    table.add_column(cli.t("Rows in the table"), justify="right")
    for name in sorted(totals):
        table.add_row(name, str(changed.get(name, 0)), str(totals[name]))
    console.print(table)


def run_load_reference(engine: Engine) -> tuple[dict[str, int], dict[str, int]]:
    """Load, then count what each table holds, whatever the loader reports."""
    with Session(engine) as session:
        changed = load_reference_data(session)
        totals = reference_totals(session)
    return changed, totals


def reference_totals(session: Session) -> dict[str, int]:
    return {
        str(table.__tablename__): session.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
        for table in REFERENCE_TABLES
    }
