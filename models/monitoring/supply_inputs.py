"""The records of the supply-and-demand page's stored parts (``figures._supply``): the completion
rates by institution and level, and the recent graduates without a job today by occupation and
place. They are the page's own SQL (models/queries/supply_demand_parts.py), run at the refresh:
their inputs (enrolments, graduations, jobs) change only when the snapshot goes stale, and they
read rows that grow with the years held, too slow for every view (docs/performance.md)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from models.monitoring.figures import SupplyInput
from models.queries.supply_demand_parts import Scope, available_part, completion_history


def read_supply(session: Session, as_of: date) -> SupplyInput:
    history = completion_history(as_of)
    rates = session.execute(
        select(history.c.rate_key, history.c.graduated, history.c.known, history.c.rate)
    ).all()
    by_place = _available(session, as_of, by_place=True)
    by_occupation = _available(session, as_of, by_place=False)
    return SupplyInput(
        completion=[(key, int(done), int(known), float(rate)) for key, done, known, rate in rates],
        available_by_occupation=[(occupation, people) for occupation, _, people in by_occupation],
        available_by_place=by_place,
    )


def _available(
    session: Session, as_of: date, *, by_place: bool
) -> list[tuple[int | None, str | None, int]]:
    """(occupation id, place, people) of available_part; by occupation alone a person who
    graduated at two venues of one occupation counts once, so that grain is read on its own."""
    scope = Scope(as_of, as_of, as_of, by_place=by_place, commune=None)
    part = available_part(scope).subquery()
    rows = session.execute(select(part.c.occupation_id, part.c.place, part.c.available_now))
    return [(occupation, place, int(people)) for occupation, place, people in rows]
