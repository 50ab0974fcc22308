"""Reporting periods and their state: who must report for which months, when each report is
due, and whether a period is in, due, late or not yet due on a given day.

A schedule cuts the calendar into periods of ``months`` months (1: monthly, 6: half-yearly),
aligned so that one period starts in ``first_month`` (half-years starting in December run
December–May and June–November). A period's report is due on ``due_day`` of the month after
the period ends and is late once ``grace_days`` more have passed. The periods of a year are
those that end in it, so an employer's two half-yearly reports of 2026 are due in June and
December 2026.

Pure: the caller passes the day (``today``) and the reports it read.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from matching.kpi.dates import add_months


class ReportingState(StrEnum):
    """Where one period of one reporter stands on a given day."""

    IN = "in"  # reports that were not withdrawn cover the whole period
    LATE = "late"  # not in, and the due date plus the grace period has passed
    DUE = "due"  # not in, the period is over, the grace period is still running
    NOT_YET_DUE = "not_yet_due"  # the period is not over yet
    NOT_ASKED = "not_asked"  # the period ended before the source had to report at all


@dataclass(frozen=True)
class Schedule:
    """When a source reports: periods of ``months`` months aligned on ``first_month``."""

    months: int  # 1 (monthly) or 6 (half-yearly); any divisor of 12 works
    first_month: int = 1  # 1–12: a period starts in this month
    due_day: int = 5  # day of the month after the period ends
    grace_days: int = 0

    def __post_init__(self) -> None:
        if self.months < 1 or 12 % self.months:
            raise ValueError(f"a period of {self.months} months does not divide the year")
        if not 1 <= self.first_month <= 12:
            raise ValueError(f"no month {self.first_month}")
        if self.due_day < 1 or self.grace_days < 0:
            raise ValueError("the due day is at least 1 and the grace period at least 0 days")


@dataclass(frozen=True)
class ReportingPeriod:
    """One period (first and last day, both included), its due date and the first day on
    which a missing report is late."""

    start: date
    end: date
    due: date
    late_from: date


def due_date(period_end: date, due_day: int) -> date:
    """``due_day`` of the month after the one ``period_end`` falls in (the month's last day
    when it is shorter)."""
    month = add_months(period_end.replace(day=1), 1)
    return month.replace(day=min(due_day, calendar.monthrange(month.year, month.month)[1]))


def period_of(schedule: Schedule, start: date) -> ReportingPeriod:
    """The period that begins on ``start`` (the first day of one of its months)."""
    end = add_months(start, schedule.months) - timedelta(days=1)
    due = due_date(end, schedule.due_day)
    return ReportingPeriod(start, end, due, due + timedelta(days=schedule.grace_days + 1))


def periods_ending_in(schedule: Schedule, year: int) -> list[ReportingPeriod]:
    """The periods that end in ``year``, in order (12 months; 2 half-years)."""
    offset = (schedule.first_month - 1) % schedule.months  # months from January to a start
    start = date(year - 1, 1 + offset, 1)  # a start early enough for any period ending in year
    periods = []
    while start.year <= year:
        period = period_of(schedule, start)
        if period.end.year == year:
            periods.append(period)
        start = add_months(start, schedule.months)
    return periods


def periods_ending_between(schedule: Schedule, first: date, last: date) -> list[ReportingPeriod]:
    """The periods whose last day falls between ``first`` and ``last`` (both included)."""
    return [
        period
        for year in range(first.year, last.year + 1)
        for period in periods_ending_in(schedule, year)
        if first <= period.end <= last
    ]


def covered(start: date, end: date, reports: Iterable[tuple[date, date]]) -> bool:
    """Whether the (start, end) ranges of ``reports`` together cover every day from ``start``
    to ``end`` (two half-month reports cover the month; a quarter's report covers each of
    its months)."""
    return Coverage(reports).covers(start, end)


class Coverage:
    """The days a reporter's reports cover, merged once into disjoint runs of days, so that
    asking about each of a year's periods does not sort and walk the reports again (the
    reporting status asks it for every employer and every period)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, reports: Iterable[tuple[date, date]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for first, last in sorted(reports):
            day, until = first.toordinal(), last.toordinal()
            if ends and day <= ends[-1] + 1:  # overlaps or touches the run before it
                ends[-1] = max(ends[-1], until)
            else:
                starts.append(day)
                ends.append(until)
        self._starts, self._ends = starts, ends

    def covers(self, start: date, end: date) -> bool:
        """Whether every day from ``start`` to ``end`` is covered."""
        run = bisect_right(self._starts, start.toordinal()) - 1
        return run >= 0 and self._ends[run] >= end.toordinal()


def state_of(
    period: ReportingPeriod,
    reports: Iterable[tuple[date, date]] | Coverage,
    today: date,
    reporting_from: date | None = None,
) -> ReportingState:
    """The state of ``period`` on ``today`` given the periods the reporter's reports cover;
    a period that ended before ``reporting_from`` (the register's start) is not asked for,
    unless a report covers it anyway."""
    coverage = reports if isinstance(reports, Coverage) else Coverage(reports)
    if coverage.covers(period.start, period.end):
        return ReportingState.IN
    if reporting_from is not None and period.end < reporting_from:
        return ReportingState.NOT_ASKED
    if today <= period.end:
        return ReportingState.NOT_YET_DUE
    if today >= period.late_from:
        return ReportingState.LATE
    return ReportingState.DUE
