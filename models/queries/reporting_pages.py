"""One page of the reporting status: PER_PAGE reporters of the scheduled sources, in the
order models.queries.reporting_status gives them (communes, the centre, then employers, each
by name), with each source's counts over every reporter.

The counts and the list of who is shown (everyone, or only those late) need every
reporter's reports, so they are computed once per year, day and filter and kept a moment
(dropped at once when this process writes a report, a schedule, an employer or an
administrative unit); a page then reads the reports of its own reporters only. Nothing
commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from matching.reporting import ReportingPeriod, ReportingState
from models.enums import ReportSource
from models.kept import Kept
from models.queries.reporting_status import (
    SCHEDULED,
    Reporter,
    ReportingGroup,
    periods_ending_in,
    reported_ranges,
    reporter_rows,
    schedule_of,
    schedules,
    source_group,
)
from models.tables import ReportingSchedule

PER_PAGE = 50
SUMMARY_TABLES = ("new_job_report", "reporting_schedule", "employer", "admin_unit")
SUMMARY_SECONDS = 30.0
_SUMMARIES = Kept(SUMMARY_TABLES, seconds=SUMMARY_SECONDS, size=16)


@dataclass(frozen=True)
class SourceSummary:
    """One source over every reporter: how many must report, the counts per state and
    period, and the reporters shown (all, or those late), in order."""

    source: ReportSource
    periods: tuple[ReportingPeriod, ...]
    reporters: int
    counts: dict[ReportingState, list[int]]
    shown: tuple[Reporter, ...]


@dataclass(frozen=True)
class ReportingPage:
    """The groups of one page: each ``rows`` holds this page's reporters of that source,
    ``counts`` and ``reporters`` stay those of everyone; ``listed`` is how many of each
    source are shown over all pages."""

    year: int
    today: date
    groups: list[ReportingGroup]
    listed: dict[ReportSource, int]
    page: int
    pages: int


def summarise(
    session: Session,
    stored: dict[ReportSource, ReportingSchedule],
    *,
    year: int,
    today: date,
    only_late: bool,
) -> tuple[SourceSummary, ...]:
    """Every scheduled source's counts and shown reporters for the periods ending in
    ``year``, as of ``today``."""
    found = []
    for source in SCHEDULED:
        if source not in stored:
            continue
        periods = periods_ending_in(schedule_of(stored[source]), year)
        group = source_group(session, stored[source], periods, today=today, only_late=only_late)
        shown = tuple(row.reporter for row in group.rows)
        found.append(SourceSummary(source, tuple(periods), group.reporters, group.counts, shown))
    return tuple(found)


def _page_group(
    session: Session,
    schedule: ReportingSchedule,
    summary: SourceSummary,
    mine: tuple[Reporter, ...],
    today: date,
) -> ReportingGroup:
    """The source's group with the states of ``mine`` (this page's reporters) only."""
    periods = list(summary.periods)
    keys = [reporter.key for reporter in mine]
    ranges = (
        reported_ranges(session, summary.source, periods[0].start, periods[-1].end, keys)
        if periods and mine
        else {}
    )
    rows = reporter_rows(mine, ranges, periods, today=today, reporting_from=schedule.reporting_from)
    return ReportingGroup(
        summary.source, schedule, periods, rows, summary.reporters, summary.counts
    )


def reporting_page(
    session: Session, *, year: int, today: date, only_late: bool = False, page: int = 1
) -> ReportingPage:
    """Page ``page`` (from 1; beyond the last, the last) of the reporting status of
    ``year`` as of ``today``; with ``only_late``, only the reporters late for a period."""
    stored = schedules(session)
    summaries = _SUMMARIES.get(
        session,
        ("reporting_status", year, today, only_late),
        lambda: summarise(session, stored, year=year, today=today, only_late=only_late),
    )
    listed = {summary.source: len(summary.shown) for summary in summaries}
    pages = max(1, -(-sum(listed.values()) // PER_PAGE))
    page = max(1, min(page, pages))
    first, seen, groups = (page - 1) * PER_PAGE, 0, []
    for summary in summaries:
        if summary.source not in stored:  # another process took the schedule away
            continue
        start = max(0, first - seen)
        stop = max(0, first + PER_PAGE - seen)
        mine = summary.shown[start:stop]
        groups.append(_page_group(session, stored[summary.source], summary, mine, today))
        seen += len(summary.shown)
    return ReportingPage(year, today, groups, listed, page, pages)
