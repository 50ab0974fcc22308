"""What every stage of the demo generator shares: a snapshot of the reference data, the rows
planned so far (plain dicts with ids assigned here, so later rows can point at earlier ones
without reading anything back), and seeded random streams.

Reproducibility: every random draw comes from a `random.Random` seeded with a string built
from the run's seed and the stage's name (string seeds are hashed with SHA-512, so they do not
depend on PYTHONHASHSEED). Nothing iterates over a set, nothing reads the clock.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from seed.demo.snapshot import DemoReference, Occupation

Row = dict[str, Any]

# Tables the generator writes, parents before children (the order rows are inserted in).
DEMO_TABLES = (
    "institution",
    "employer",
    "training_order",
    "course",
    "person",
    "enrolment",
    "vacancy",
    "referral",
    "employment_spell",
    "follow_up",
    "new_job_report",
    "new_job_line",
    "new_job_aggregate",
)


@dataclass
class Graduate:
    """A finished, passed enrolment: who may be referred, hired and followed up."""

    person_id: int
    enrolment_id: int
    occupation: Occupation
    level: str
    graduated_on: date
    course_id: int


@dataclass
class DemoBuild:
    """The plan being built: rows per table, the ids handed out, and cross-stage indexes."""

    ref: DemoReference
    seed: int
    years: tuple[int, ...]
    scale: float
    today: date
    next_ids: dict[str, int]
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in DEMO_TABLES})
    persons: dict[int, Row] = field(default_factory=dict)
    graduates: list[Graduate] = field(default_factory=list)
    employed: dict[int, Row] = field(default_factory=dict)  # person id -> their new-job spell
    improved: dict[int, Row] = field(default_factory=dict)  # enrolment -> same job, done better
    taken: set[int] = field(default_factory=set)  # persons with a spell or a hire starting soon
    # employer id -> what kind of hirer it is (local, public, outside, export) and its line
    employer_kind: dict[int, str] = field(default_factory=dict)
    employer_line: dict[int, str] = field(default_factory=dict)
    course_graduates: dict[int, list[Graduate]] = field(default_factory=dict)
    ordered_courses: set[int] = field(default_factory=set)  # courses that train for an order
    used_citizen_ids: set[str] = field(default_factory=set)
    used_phones: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)
    unnamed_new_jobs: dict[int, int] = field(default_factory=dict)  # year -> aggregate people

    def rng(self, *parts: object) -> random.Random:
        """An independent random stream for one stage, fixed by the seed and the stage name."""
        return random.Random(":".join(map(str, (self.seed, *parts))))

    def new_id(self, table: str) -> int:
        value = self.next_ids.get(table, 1)
        self.next_ids[table] = value + 1
        return value

    def next_number(self, key: str) -> int:
        """1, 2, 3 … per key: course codes per institution and year, certificate numbers."""
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def add(self, table: str, row: Row) -> Row:
        self.rows[table].append(row)
        return row

    def count(self, base: float, minimum: int = 1) -> int:
        """A count of things at this run's scale, never below `minimum`."""
        return max(minimum, round(base * self.scale))

    def year_fraction(self, year: int) -> float:
        """How much of `year` has passed by `today` (1 for past years, 0 for future ones)."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        if self.today >= end:
            return 1.0
        if self.today < start:
            return 0.0
        return ((self.today - start).days + 1) / ((end - start).days + 1)


class WeightedPicker:
    """Repeated weighted draws from a fixed list, by bisection on cumulative weights."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        if not items:
            raise ValueError("nothing to choose from")
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def random_date(rng: random.Random, start: date, end: date) -> date:
    """A day between start and end inclusive (start when the range is empty)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start


VIETNAM = timezone(timedelta(hours=7), "ICT")


def local_time(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """An aware timestamp at that hour in Vietnam (UTC+7); stored as UTC. Rows get timestamps
    derived from their dates, never from the clock."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=VIETNAM)


def at_work_hours(rng: random.Random, day: date) -> datetime:
    """A timestamp during office hours on `day`."""
    return local_time(day, rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59))


def round_to(value: float, step: int) -> int:
    return round(value / step) * step


# Lunar New Year (Tết Nguyên đán). Hardly anyone starts a new job in the weeks before it;
# hiring picks up once it is over, so new jobs cluster in February to April.
TET = {
    2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
    2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}  # fmt: skip
BEFORE_TET_DAYS, AFTER_TET_DAYS = 21, 6  # the pause: three weeks before, the week of Tết
# Relative weight of each month for the start of a new job outside the pause.
HIRING_MONTHS = (0.8, 1.3, 1.5, 1.3, 1.0, 0.9, 0.85, 0.85, 1.0, 0.9, 0.9, 0.75)


def tet(year: int) -> date:
    return TET.get(year, date(year, 2, 5))  # outside the table: about its average date


def after_tet(rng: random.Random, day: date) -> date:
    """A start that would fall in the pause around Tết moves to the weeks after it."""
    for year in (day.year, day.year + 1):
        new_year = tet(year)
        if (
            new_year - timedelta(days=BEFORE_TET_DAYS)
            <= day
            <= new_year + timedelta(days=AFTER_TET_DAYS)
        ):
            return new_year + timedelta(days=AFTER_TET_DAYS + 1 + rng.randint(0, 45))
    return day


def hiring_day(rng: random.Random, start: date, end: date) -> date:
    """A day between start and end for a new job to start: by the weights of HIRING_MONTHS,
    then out of the pause around Tết (a day it moves past `end` is drawn again)."""
    if end <= start:
        return start
    low, high = _cumulative_weight(start.toordinal() - 1), _cumulative_weight(end.toordinal())
    day = start
    for _ in range(4):
        index = bisect.bisect_left(_CUMULATIVE, low + rng.random() * (high - low))
        day = after_tet(rng, date.fromordinal(max(_FIRST_DAY + index, start.toordinal())))
        if day <= end:
            return day
    return min(day, end)


# Cumulative hiring weight of each day from 1 January 1990 (extended as later days are asked).
_FIRST_DAY = date(1990, 1, 1).toordinal()
_CUMULATIVE: list[float] = []


def _cumulative_weight(ordinal: int) -> float:
    while len(_CUMULATIVE) <= ordinal - _FIRST_DAY:
        day = date.fromordinal(_FIRST_DAY + len(_CUMULATIVE))
        before = _CUMULATIVE[-1] if _CUMULATIVE else 0.0
        _CUMULATIVE.append(before + HIRING_MONTHS[day.month - 1])
    return _CUMULATIVE[ordinal - _FIRST_DAY] if ordinal >= _FIRST_DAY else 0.0
