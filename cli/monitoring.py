"""`refresh-kpi`: recompute the officials' KPI figures for some years and store them. The web
app refreshes a year by itself when a page finds it out of date; run this nightly (or after a
large import) so that no page has to wait."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cli.core import DATA, Cli, command, parse_years
from models.clock import today
from models.formatting import format_number
from models.monitoring.store import refresh_year
from models.tables import Enrolment


@command("refresh-kpi", help="Recompute and store the KPI figures of the dashboard.", panel=DATA)
def refresh_kpi_command(
    ctx: typer.Context,
    years: Annotated[
        str,
        typer.Option(
            "--years", help="A year or a range: 2023-2026. Default: every year with data."
        ),
    ] = "",
) -> None:
    cli: Cli = ctx.obj
    chosen = parse_years(cli, years) if years else None
    with cli.engine() as engine:
        refresh_years(cli, engine, chosen or years_with_data(engine))


def refresh_years(cli: Cli, engine: Engine, years: list[int]) -> None:
    for year in years:
        report = refresh_year(engine, year)
        cli.say(
            "KPI figures for {year}: {figures} figures from {records} records in {seconds} s.",
            year=year,
            figures=format_number(report.figures, cli.lang),
            records=format_number(report.records, cli.lang),
            seconds=f"{report.seconds:.1f}",
        )


def years_with_data(engine: Engine) -> list[int]:
    """From the first enrolment's year to this year (none when nothing is enrolled)."""
    with Session(engine) as session:
        first = session.execute(select(func.min(Enrolment.enrolled_on))).scalar()
    if first is None:
        return []
    return list(range(first.year, today().year + 1))
