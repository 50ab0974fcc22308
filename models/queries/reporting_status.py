"""Who has reported to the new-jobs register: for each commune of the province, the
Employment Service Centre and each active employer, the state of each period its schedule
asks a report for (in, due, late, not yet due). The period arithmetic is
matching.reporting's; this module reads the schedules, the reporters and the reports that
were not withdrawn. Nothing commits.

A reporter's period is in when its own reports (the schedule's source: a commune's reports
carry its code, an employer's its id) together cover the whole period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from matching.kpi.dates import add_months
from matching.reporting import (
    Coverage,
    ReportingPeriod,
    ReportingState,
    Schedule,
    periods_ending_between,
    periods_ending_in,
    state_of,
)
from models.enums import ReportFrequency, ReportSource
from models.queries.reference import commune_options
from models.tables import Employer, NewJobReport, ReportingSchedule

PERIOD_MONTHS = {ReportFrequency.MONTHLY: 1, ReportFrequency.HALF_YEARLY: 6}
# The sources that report on a schedule, in the order the page shows them (officials report
# when they know of jobs, on no schedule).
SCHEDULED = (ReportSource.COMMUNE, ReportSource.JOB_CENTRE, ReportSource.EMPLOYER)
LATE_WINDOW_MONTHS = 12  # late_reporters looks at the periods that ended this long ago or less

Key = str | int | None  # a commune's code, an employer's id, None for the centre
Ranges = dict[Key, list[tuple[date, date]]]


@dataclass(frozen=True)
class Reporter:
    """Who must report: a commune (its code), the centre (no key) or an employer (its id).
    ``name`` is the commune's or employer's name; "" for the centre, which pages label."""

    source: ReportSource
    key: Key
    name: str


@dataclass(frozen=True)
class ReporterRow:
    reporter: Reporter
    states: list[ReportingState]  # one per period of its group

    @property
    def late(self) -> int:
        return self.states.count(ReportingState.LATE)


@dataclass(frozen=True)
class ReportingGroup:
    """One source's reporters over the periods of the year: ``rows`` are those shown (all,
    or only those late), ``counts`` count every reporter, per state and period."""

    source: ReportSource
    schedule: ReportingSchedule
    periods: list[ReportingPeriod]
    rows: list[ReporterRow]
    reporters: int  # how many must report, shown or not
    counts: dict[ReportingState, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportingStatus:
    year: int
    today: date
    groups: list[ReportingGroup]


@dataclass(frozen=True)
class LateReporter:
    reporter: Reporter
    periods: list[ReportingPeriod]  # the late ones, oldest first


def schedules(session: Session) -> dict[ReportSource, ReportingSchedule]:
    """The schedule of each source that has one."""
    rows = session.exec(select(ReportingSchedule)).all()
    return {ReportSource(row.source): row for row in rows if row.source in set(ReportSource)}


def schedule_of(row: ReportingSchedule) -> Schedule:
    """The stored schedule as matching.reporting takes it."""
    return Schedule(
        months=PERIOD_MONTHS[ReportFrequency(row.frequency)],
        first_month=row.first_month,
        due_day=row.due_day,
        grace_days=row.grace_days,
    )


def reporters(session: Session, source: ReportSource, *, on: date) -> list[Reporter]:
    """Who must report for ``source``: the province's communes and wards in force ``on``
    (by name), the one centre, or the active employers (by name)."""
    if source == ReportSource.COMMUNE:
        return [Reporter(source, o.value, o.label) for o in commune_options(session, on=on)]
    if source == ReportSource.EMPLOYER:
        rows = session.exec(
            select(Employer.id, Employer.name)
            .where(col(Employer.is_active))
            .order_by(col(Employer.name_key), col(Employer.id))
        ).all()
        return [Reporter(source, employer_id, name) for employer_id, name in rows]
    return [Reporter(source, None, "")]


def reported_ranges(
    session: Session,
    source: ReportSource,
    first: date,
    last: date,
    keys: Sequence[Key] | None = None,
) -> Ranges:
    """(start, end) of each report of ``source`` that was not withdrawn and touches the days
    ``first``–``last``, by reporter (only those of ``keys``' reporters when given)."""
    query = select(
        col(NewJobReport.commune_code),
        col(NewJobReport.employer_id),
        col(NewJobReport.period_start),
        col(NewJobReport.period_end),
    ).where(
        col(NewJobReport.source) == source.value,
        col(NewJobReport.withdrawn_at).is_(None),
        col(NewJobReport.period_end) >= first,
        col(NewJobReport.period_start) <= last,
    )
    if keys is not None and source == ReportSource.COMMUNE:
        query = query.where(col(NewJobReport.commune_code).in_([k for k in keys if k is not None]))
    elif keys is not None and source == ReportSource.EMPLOYER:
        query = query.where(col(NewJobReport.employer_id).in_([k for k in keys if k is not None]))
    ranges: Ranges = defaultdict(list)
    for commune_code, employer_id, start, end in session.exec(query).all():
        ranges[_key(source, commune_code, employer_id)].append((start, end))
    return ranges


def _key(source: ReportSource, commune_code: str | None, employer_id: int | None) -> Key:
    if source == ReportSource.COMMUNE:
        return commune_code
    if source == ReportSource.EMPLOYER:
        return employer_id
    return None


def reporter_rows(
    everyone: Sequence[Reporter],
    ranges: Ranges,
    periods: Sequence[ReportingPeriod],
    *,
    today: date,
    reporting_from: date | None,
) -> list[ReporterRow]:
    """The state of each period for each of ``everyone``, from their reports' ``ranges``.
    Reporters whose reports are the same share their states (most report the same periods,
    many nothing at all), so the arithmetic runs once per distinct set of reports."""
    seen: dict[tuple[tuple[date, date], ...], list[ReportingState]] = {}
    rows = []
    for reporter in everyone:
        found = ranges.get(reporter.key)
        reports = tuple(sorted(found)) if found else ()
        states = seen.get(reports)
        if states is None:
            coverage = Coverage(reports)
            states = [state_of(p, coverage, today, reporting_from) for p in periods]
            seen[reports] = states
        rows.append(ReporterRow(reporter, states))  # shared: nobody changes a row's states
    return rows


def state_counts(rows: Sequence[ReporterRow], periods: int) -> dict[ReportingState, list[int]]:
    """How many of ``rows`` are in each state, per period (rows sharing their states are
    counted together)."""
    tally = Counter(id(row.states) for row in rows)
    distinct = {id(row.states): row.states for row in rows}
    return {
        state: [
            sum(n for key, n in tally.items() if distinct[key][i] == state) for i in range(periods)
        ]
        for state in ReportingState
    }


def source_group(
    session: Session,
    row: ReportingSchedule,
    periods: list[ReportingPeriod],
    *,
    today: date,
    only_late: bool,
) -> ReportingGroup:
    source = ReportSource(row.source)
    everyone = reporters(session, source, on=today)
    ranges = reported_ranges(session, source, periods[0].start, periods[-1].end) if periods else {}
    rows = reporter_rows(everyone, ranges, periods, today=today, reporting_from=row.reporting_from)
    counts = state_counts(rows, len(periods))
    shown = [r for r in rows if r.late] if only_late else rows
    return ReportingGroup(source, row, periods, shown, len(rows), counts)


def reporting_status(
    session: Session, *, year: int, today: date, only_late: bool = False
) -> ReportingStatus:
    """Every scheduled source's reporters and the state of each period ending in ``year``,
    as of ``today``; with ``only_late``, only the reporters late for at least one of them."""
    stored = schedules(session)
    groups = [
        source_group(
            session,
            stored[source],
            periods_ending_in(schedule_of(stored[source]), year),
            today=today,
            only_late=only_late,
        )
        for source in SCHEDULED
        if source in stored
    ]
    return ReportingStatus(year, today, groups)


def late_reporters(session: Session, today: date) -> list[LateReporter]:
    """The communes, the centre and the employers late now: those with a late period among
    the periods that ended in the last LATE_WINDOW_MONTHS months (oldest first), by source
    then name."""
    first = add_months(today, -LATE_WINDOW_MONTHS)
    stored = schedules(session)
    found: list[LateReporter] = []
    for source in SCHEDULED:
        if source not in stored:
            continue
        periods = periods_ending_between(schedule_of(stored[source]), first, today)
        group = source_group(session, stored[source], periods, today=today, only_late=True)
        for row in group.rows:
            late = [p for p, s in zip(periods, row.states, strict=True) if s == ReportingState.LATE]
            found.append(LateReporter(row.reporter, late))
    return found
