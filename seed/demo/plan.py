"""The whole demo as rows in memory, before anything is written, and its summary.

`plan_demo` needs only a snapshot of the reference data, so tests (and a dry run) can check the
yearly totals at full scale without a database write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from matching.kpi.records import channel_rank
from models.enums import NewJobChannel
from seed.demo.context import DEMO_TABLES, DemoBuild, Row
from seed.demo.employers import EmployerMaker
from seed.demo.followups import plan_follow_ups
from seed.demo.jobs import JobMaker, year_quotas
from seed.demo.orders import finish_orders, order_vacancies, plan_orders
from seed.demo.people import PeopleMaker
from seed.demo.population import Population
from seed.demo.referrals import place_vacancies
from seed.demo.snapshot import DemoReference
from seed.demo.training import CoursePlanner, level_quotas, plan_institutions
from seed.demo.vacancies import plan_vacancies

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    full_name: str


@dataclass(frozen=True)
class YearSummary:
    """What one demo year holds, in the terms of the province's targets."""

    year: int
    trained_people: int  # distinct persons who started a course this year
    enrolments: int
    enrolments_by_level: dict[str, int]
    graduates: int  # enrolments that graduated this year
    new_jobs: int  # distinct persons with a new-job spell this year, and the counts without names
    new_jobs_by_channel: dict[str, int]  # each person once, by the channel priority of K2
    new_jobs_without_names: int  # the communes' aggregate lines, above their named lines
    departures_abroad: int
    platform_hires: int
    vacancies: int
    training_orders: int


@dataclass
class DemoSummary:
    seed: int
    scale: float
    years: tuple[int, ...]
    today: date
    tables: dict[str, int]  # rows written per table
    per_year: dict[int, YearSummary]
    distinct_persons: int  # trainees and the other workers with a new job
    distinct_trainees: int
    accounts: list[DemoAccount] = field(default_factory=list)
    replaced: bool = False  # whether earlier demo rows were deleted first


def plan_demo(
    ref: DemoReference,
    *,
    seed: int,
    years: Sequence[int],
    scale: float,
    today: date,
    next_ids: dict[str, int] | None = None,
    progress: Progress | None = None,
) -> DemoBuild:
    """Every demo row, with ids from `next_ids` (1 for a fresh database) upward."""
    build = DemoBuild(ref, seed, tuple(sorted(set(years))), scale, today, dict(next_ids or {}))
    report = progress or (lambda stage, done, total: None)
    steps = len(build.years) + 4
    population = Population(ref)
    institutions = plan_institutions(build)
    EmployerMaker(build).plan()
    planner = CoursePlanner(build, institutions, population)
    people = PeopleMaker(build, population)
    orders = []
    for done, year in enumerate(build.years, start=1):
        year_orders = plan_orders(build, year, planner)
        quotas = level_quotas(build, year)
        ordered = [order.course for order in year_orders if order.course is not None]
        for course in ordered:
            quotas[course.level] = quotas.get(course.level, 0) - course.size
        people.enrol_year(year, ordered + planner.year_courses(year, quotas))
        orders.extend(year_orders)
        report("plan", done, steps)
    jobs = JobMaker(build, people)
    hires = place_vacancies(build, jobs, plan_vacancies(build) + order_vacancies(build, orders))
    finish_orders(build, orders)
    report("plan", steps - 2, steps)
    for year in build.years:
        left = {
            ch: max(0, n - hires[(year, ch.value)]) for ch, n in year_quotas(build, year).items()
        }
        jobs.reported_year(year, left)
    jobs.register.write()
    report("plan", steps - 1, steps)
    plan_follow_ups(build)
    report("plan", steps, steps)
    return build


def _k2_rank(spell: Row) -> tuple[int, date, int]:
    """The spell K2 counts a person by: the channel first in priority, then the earliest."""
    return (channel_rank(spell["channel"]), spell["start_date"], spell["id"])


def summarize(build: DemoBuild, accounts: list[DemoAccount] | None = None) -> DemoSummary:
    rows = build.rows
    course_year = {c["id"]: c["start_date"].year for c in rows["course"]}
    course_level = {c["id"]: c["level_code"] for c in rows["course"]}
    per_year = {}
    for year in build.years:
        enrolments = [e for e in rows["enrolment"] if course_year[e["course_id"]] == year]
        spells = [
            s for s in rows["employment_spell"] if s["start_date"].year == year and s["is_new_job"]
        ]
        counted: dict[int, Row] = {}
        for spell in sorted(spells, key=_k2_rank):
            counted.setdefault(spell["person_id"], spell)
        unnamed = build.unnamed_new_jobs.get(year, 0)
        channels = Counter(s["channel"] for s in counted.values())
        channels[NewJobChannel.LOAN.value] += unnamed
        per_year[year] = YearSummary(
            year=year,
            trained_people=len({e["person_id"] for e in enrolments}),
            enrolments=len(enrolments),
            enrolments_by_level=dict(Counter(course_level[e["course_id"]] for e in enrolments)),
            graduates=sum(
                1 for e in rows["enrolment"] if e["graduated_on"] and e["graduated_on"].year == year
            ),
            new_jobs=len(counted) + unnamed,
            new_jobs_by_channel={ch.value: channels.get(ch.value, 0) for ch in NewJobChannel},
            new_jobs_without_names=unnamed,
            departures_abroad=channels.get(NewJobChannel.ABROAD.value, 0),
            platform_hires=sum(1 for s in spells if s["source"] == "platform"),
            vacancies=sum(1 for v in rows["vacancy"] if v["created_at"].year == year),
            training_orders=sum(
                1 for o in rows["training_order"] if o["requested_at"].year == year
            ),
        )
    tables = {name: len(rows[name]) for name in DEMO_TABLES}
    if accounts is not None:
        tables["user_account"] = len(accounts)
    return DemoSummary(
        seed=build.seed,
        scale=build.scale,
        years=build.years,
        today=build.today,
        tables=tables,
        per_year=per_year,
        distinct_persons=len(rows["person"]),
        distinct_trainees=len({e["person_id"] for e in rows["enrolment"]}),
        accounts=list(accounts or []),
    )
