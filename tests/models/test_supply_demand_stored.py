"""The supply-and-demand table read from the KPI snapshot equals the table computed now, right
after a refresh: on the demo world (a seeded province at a twentieth of its size) for every
filter the page has, and on the hand-computed world of test_supply_demand.py. Before any
refresh, or with a snapshot computed before these figures were stored, nothing is read from it.
Early in a new year, before its first refresh, last year's snapshot is read: its figures are
those of its own day, with today's students weighted by its rates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from matching.kpi import KpiId
from models.monitoring.store import refresh_year
from models.queries.supply_demand import (
    Balance,
    Period,
    balance_by_occupation,
    balance_by_place,
)
from models.queries.supply_demand_stored import newest_stored_supply, stored_supply
from models.tables import KpiFigure, KpiFigureValue
from seed.demo import DEFAULT_TODAY, generate_demo
from tests import factories
from tests.models.test_supply_demand import PERIOD, TODAY, World, build_world

PERIODS = (
    Period.coming_twelve_months(DEFAULT_TODAY),
    Period.calendar_year(DEFAULT_TODAY.year),
    Period.calendar_year(DEFAULT_TODAY.year + 1),
)


def _tables(session: Session, period: Period, as_of: date, stored: int | None) -> list[Balance]:
    """Every table the page can show for the period: all occupations, each place that has
    supply or demand, and each occupation place by place."""
    rows = balance_by_occupation(session, period, as_of=as_of, stored=stored)
    places = {
        r.place
        for o in rows
        if o.occupation_id
        for r in _by_place(session, period, as_of, o.occupation_id, None)
    }
    tables = list(rows)
    for place in sorted(p for p in places | {"other_province", "abroad"} if p):
        tables += balance_by_occupation(session, period, as_of=as_of, commune=place, stored=stored)
    for occupation in sorted(o.occupation_id for o in rows if o.occupation_id is not None):
        tables += _by_place(session, period, as_of, occupation, stored)
    return tables


def _by_place(
    session: Session, period: Period, as_of: date, occupation: int, stored: int | None
) -> list[Balance]:
    return balance_by_place(session, period, as_of=as_of, occupation_id=occupation, stored=stored)


def test_stored_figures_equal_the_live_ones_on_the_demo_world(engine: Engine) -> None:
    generate_demo(engine, seed=9, years=(2025, 2026), scale=0.05, today=DEFAULT_TODAY)
    with Session(engine) as session:
        assert stored_supply(session, DEFAULT_TODAY.year) is None  # no refresh yet
    refresh_year(engine, DEFAULT_TODAY.year, as_of=DEFAULT_TODAY)
    with Session(engine) as session:
        info = stored_supply(session, DEFAULT_TODAY.year)
        assert info is not None and info.as_of == DEFAULT_TODAY
        for period in PERIODS:
            live = _tables(session, period, DEFAULT_TODAY, None)
            assert sum(row.available_now for row in live) > 0  # the test compares something
            assert sum(row.studying for row in live) > 0 or period.first.year > 2026
            assert _tables(session, period, DEFAULT_TODAY, info.year) == live


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def test_the_hand_computed_world_reads_the_same_from_the_snapshot(
    engine: Engine, session: Session, world: World
) -> None:
    refresh_year(engine, TODAY.year, as_of=TODAY)
    stored = TODAY.year
    live = balance_by_occupation(session, PERIOD, as_of=TODAY)
    assert balance_by_occupation(session, PERIOD, as_of=TODAY, stored=stored) == live
    assert [(row.occupation_id, row.expected_graduates, row.available_now) for row in live] == [
        (world.garment, 7, 4),
        (world.welding, 4, 0),
    ]
    for commune in ("03127", "03253", "other_province"):
        assert balance_by_occupation(
            session, PERIOD, as_of=TODAY, commune=commune, stored=stored
        ) == balance_by_occupation(session, PERIOD, as_of=TODAY, commune=commune)
    place_by_place = balance_by_place(session, PERIOD, as_of=TODAY, occupation_id=world.garment)
    assert (
        balance_by_place(session, PERIOD, as_of=TODAY, occupation_id=world.garment, stored=stored)
        == place_by_place
    )


def test_a_snapshot_without_these_figures_is_not_read(
    engine: Engine, session: Session, world: World
) -> None:
    """A snapshot computed by an older version (or of another year) holds no such figures:
    the page computes them now instead of showing zeros."""
    refresh_year(engine, TODAY.year, as_of=TODAY)
    assert stored_supply(session, TODAY.year - 1) is None
    supply = select(col(KpiFigure.id)).where(col(KpiFigure.kpi) == KpiId.SUPPLY_DEMAND)
    session.execute(delete(KpiFigureValue).where(col(KpiFigureValue.figure_id).in_(supply)))
    session.commit()
    assert stored_supply(session, TODAY.year) is None


def test_early_in_a_new_year_last_years_snapshot_is_read_as_of_its_day(
    engine: Engine, session: Session, world: World
) -> None:
    """Last year's refresh on 31/12/2026; since then a graduate of 05/01/2027 has no job and
    her course (of a new institution) teaches a rate. Read with stored=2026 on TODAY, every
    table equals the one computed as of 31/12/2026: she is not counted, and no rate or
    graduate of this year's is mixed in. Today's students and demand are counted today."""
    last_day = date(TODAY.year - 1, 12, 31)
    refresh_year(engine, last_day.year, as_of=last_day)
    refresh_year(engine, TODAY.year, as_of=date(TODAY.year + 1, 1, 2))  # holds no such figures
    course = factories.course(
        session, occupation_id=world.welding, status="finished", end_date=date(2027, 1, 5)
    )
    factories.enrolment(
        session, course_id=course.id, status="tot_nghiep", graduated_on=date(2027, 1, 5)
    )
    factories.enrolment(session, course_id=course.id, status="bo_hoc")
    session.commit()
    assert stored_supply(session, TODAY.year) is None
    info = newest_stored_supply(session, TODAY.year)
    assert info is not None and (info.year, info.as_of) == (last_day.year, last_day)
    assert newest_stored_supply(session, last_day.year - 1) is None
    for period in (PERIOD, Period.coming_twelve_months(TODAY)):
        read = _tables(session, period, TODAY, info.year)
        assert read == _tables(session, period, last_day, None)
        assert read != _tables(session, period, TODAY, None)  # she is available today
