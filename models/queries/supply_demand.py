"""Supply and demand by occupation for a coming period: open vacancy places and ordered workers
against the graduates expected from running courses and the recent graduates still without a
job, by occupation and by place; and the occupations whose graduates found work least often.
Definitions: docs/kpi.md, "Supply and demand". One SQL statement per table. Reads only."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select, union_all
from sqlmodel import Session, col

from matching.kpi.dates import add_months
from models.queries.supply_demand_parts import (
    COLUMNS,
    DEFAULT_COMPLETION_RATE,
    Scope,
    all_parts,
    live_parts,
)
from models.queries.supply_demand_stored import Key, stored_available, stored_rates
from models.tables import TrainingOccupation

__all__ = [
    "DEFAULT_COMPLETION_RATE",
    "MIN_DENOMINATOR",
    "AfterTrainingRow",
    "Balance",
    "Period",
    "balance_by_occupation",
    "balance_by_place",
    "lowest_employment",
    "total",
]

# Fewer graduates observed than this: the rate is shown but not judged.
MIN_DENOMINATOR = 10


@dataclass(frozen=True)
class Period:
    """The days the table looks at, both included; `year` when a calendar year was chosen."""

    first: date
    last: date
    year: int | None = None

    @classmethod
    def coming_twelve_months(cls, on: date) -> Period:
        return cls(on, add_months(on, 12) - timedelta(days=1))

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), year)


@dataclass(frozen=True)
class Balance:
    """Demand and supply of one occupation (and place, in the table by place)."""

    occupation_id: int | None  # None: vacancies that name no occupation
    occupation_name: str | None
    occupation_group: str | None
    place: str | None  # a commune code, "other_province", "abroad"; None if not recorded
    vacancy_places: int  # places still to fill in open vacancies
    order_places: int  # workers ordered and not yet in training
    studying: int  # people studying in courses that end in the period
    expected_graduates: int  # studying x completion rate, rounded to whole people
    default_rate_studying: int  # of `studying`, those weighted by the default rate
    available_now: int  # graduates of the last 12 months with no job today

    @property
    def demand(self) -> int:
        return self.vacancy_places + self.order_places

    @property
    def supply(self) -> int:
        return self.expected_graduates + self.available_now

    @property
    def gap(self) -> int:
        """Positive: more workers wanted than trained (train more); negative: the reverse."""
        return self.demand - self.supply


def _whole_people(value: float) -> int:
    """Round half up (4.5 expected graduates are 5), ignoring float noise in the sum."""
    return math.floor(round(value, 6) + 0.5)


def _balances(
    session: Session,
    period: Period,
    as_of: date,
    *,
    by_place: bool,
    commune: str | None = None,
    occupation_id: int | None = None,
    stored: int | None = None,
) -> list[Balance]:
    """The table's rows. ``stored``: the year whose snapshot holds the completion rates and
    the graduates available now (supply_demand_stored), both read from that one snapshot and
    as of its day, which may be before ``as_of`` (an earlier year's snapshot, before this
    year's first refresh); the students and the demand are counted on ``as_of``. None
    computes everything on ``as_of``."""
    scope = Scope(period.first, period.last, as_of, by_place=by_place, commune=commune)
    selects = all_parts(scope) if stored is None else live_parts(scope, stored_rates(stored))
    parts = union_all(*selects).subquery("parts")
    keys = [parts.c.occupation_id, parts.c.place]
    statement = (
        select(
            *keys,
            col(TrainingOccupation.name),
            col(TrainingOccupation.group),
            *(func.sum(parts.c[name]).label(name) for name in COLUMNS),
        )
        .select_from(parts)
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == parts.c.occupation_id)
        .group_by(*keys, col(TrainingOccupation.name), col(TrainingOccupation.group))
    )
    if occupation_id is not None:
        statement = statement.where(parts.c.occupation_id == occupation_id)
    rows = [_balance(row) for row in session.execute(statement)]
    if stored is None:
        return rows
    available = stored_available(
        session, stored, by_place=by_place, commune=commune, occupation_id=occupation_id
    )
    return _with_available(session, rows, available)


def _with_available(
    session: Session, rows: list[Balance], available: dict[Key, int]
) -> list[Balance]:
    """The rows with the stored graduates available now, and a row for each occupation (or
    place) that has only those."""
    merged = [
        replace(row, available_now=available.pop((row.occupation_id, row.place), 0)) for row in rows
    ]
    names = _names_by_id(session, {occupation for occupation, _ in available})
    for (occupation, place), people in available.items():
        name, group = names.get(occupation, (None, None))
        merged.append(Balance(occupation, name, group, place, 0, 0, 0, 0, 0, people))
    return merged


def _names_by_id(session: Session, ids: set[int | None]) -> dict[int | None, tuple[Any, Any]]:
    wanted = [occupation for occupation in ids if occupation is not None]
    if not wanted:
        return {}
    found = session.execute(
        select(
            col(TrainingOccupation.id), col(TrainingOccupation.name), col(TrainingOccupation.group)
        ).where(col(TrainingOccupation.id).in_(wanted))
    )
    return {occupation: (name, group) for occupation, name, group in found}


def _balance(row: Any) -> Balance:
    figures = row._mapping
    return Balance(
        occupation_id=figures["occupation_id"],
        occupation_name=figures["name"],
        occupation_group=figures["group"],
        place=figures["place"],
        vacancy_places=int(figures["vacancy_places"] or 0),
        order_places=int(figures["order_places"] or 0),
        studying=int(figures["studying"] or 0),
        expected_graduates=_whole_people(float(figures["expected"] or 0)),
        default_rate_studying=int(figures["default_rate_studying"] or 0),
        available_now=int(figures["available_now"] or 0),
    )


def balance_by_occupation(
    session: Session,
    period: Period,
    *,
    as_of: date,
    commune: str | None = None,
    stored: int | None = None,
) -> list[Balance]:
    """One row per occupation, the largest shortage (demand minus supply) first. `commune`
    keeps one place: a commune code, or "other_province" / "abroad" for demand located there.
    `stored`: the year whose KPI snapshot holds the slow parts (None: computed now)."""
    rows = _balances(session, period, as_of, by_place=False, commune=commune, stored=stored)
    return sorted(rows, key=lambda row: (-row.gap, row.occupation_name or "\uffff"))


def balance_by_place(
    session: Session, period: Period, *, as_of: date, occupation_id: int, stored: int | None = None
) -> list[Balance]:
    """One occupation's demand and supply place by place, the largest shortage first."""
    rows = _balances(
        session, period, as_of, by_place=True, occupation_id=occupation_id, stored=stored
    )
    return sorted(rows, key=lambda row: (-row.gap, row.place or "\uffff"))


def total(rows: Sequence[Balance]) -> Balance:
    """The column sums of a table (recent graduates are counted once per occupation row)."""
    return Balance(
        occupation_id=None,
        occupation_name=None,
        occupation_group=None,
        place=None,
        vacancy_places=sum(row.vacancy_places for row in rows),
        order_places=sum(row.order_places for row in rows),
        studying=sum(row.studying for row in rows),
        expected_graduates=sum(row.expected_graduates for row in rows),
        default_rate_studying=sum(row.default_rate_studying for row in rows),
        available_now=sum(row.available_now for row in rows),
    )


@dataclass(frozen=True)
class AfterTrainingRow:
    """Employment after training of one occupation's graduates, with its name."""

    occupation_key: str | None
    occupation_name: str | None
    occupation_group: str | None
    employed: int
    denominator: int
    too_few: bool  # under MIN_DENOMINATOR graduates observed: shown, not judged

    @property
    def rate(self) -> float | None:
        return self.employed / self.denominator if self.denominator else None


def lowest_employment(
    session: Session,
    rows: Iterable[tuple[str | int | None, int, int]],
    *,
    min_denominator: int = MIN_DENOMINATOR,
) -> list[AfterTrainingRow]:
    """(occupation key, employed, denominator) rows, as the KPI snapshot gives them, merged
    with the occupations' names and sorted by rate, lowest first. Rates resting on fewer than
    `min_denominator` graduates come after all the others (still lowest first), flagged
    `too_few`: one unemployed graduate out of two says little about an occupation. The key is
    the occupation's `key` (as in the KPI records) or its id."""
    figures = [(None if key is None else str(key), int(e), int(d)) for key, e, d in rows]
    names = _occupation_names(session, {key for key, _, _ in figures if key is not None})
    merged = [
        AfterTrainingRow(
            occupation_key=key,
            occupation_name=names.get(key or "", (None, None))[0],
            occupation_group=names.get(key or "", (None, None))[1],
            employed=employed,
            denominator=denominator,
            too_few=denominator < min_denominator,
        )
        for key, employed, denominator in figures
    ]
    return sorted(merged, key=_lowest_first)


def _lowest_first(row: AfterTrainingRow) -> tuple[bool, float, str]:
    rate = row.rate
    return (row.too_few, 2.0 if rate is None else rate, row.occupation_name or "\uffff")


def _occupation_names(session: Session, keys: set[str]) -> dict[str, tuple[str, str]]:
    """key or id (as text) -> (name, group), in one query."""
    if not keys:
        return {}
    ids = [int(key) for key in keys if key.isdigit()]
    found = session.execute(
        select(
            col(TrainingOccupation.id),
            col(TrainingOccupation.key),
            col(TrainingOccupation.name),
            col(TrainingOccupation.group),
        ).where(or_(col(TrainingOccupation.key).in_(keys), col(TrainingOccupation.id).in_(ids)))
    ).all()
    names: dict[str, tuple[str, str]] = {}
    for occupation_id, key, name, group in found:
        names.setdefault(str(occupation_id), (name, group))
        names[key] = (name, group)  # a key wins over an id that happens to look the same
    return {key: value for key, value in names.items() if key in keys}
