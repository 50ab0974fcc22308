"""Reporting periods of the new-jobs register, shared by its service and the demo generator: a
calendar month, or a half-year starting in the schedule's first month (Decree 145/2020:
December–May, due by 5 June, and June–November, due by 5 December). A period is written
"2026-03" or "2026-H1" in forms and addresses."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from models.enums import ReportFrequency
from models.errors import InvalidError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HALF = re.compile(r"^(\d{4})-H([12])$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, inclusive
    code: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), _last_day(year, month), f"{year:04d}-{month:02d}")


def half_period(year: int, half: int, first_month: int) -> Period:
    """Half ``half`` (1 or 2) of ``year``: the first one ends in the sixth month counted from
    ``first_month``, which may lie in the year before (December)."""
    end_year, end_month = _add_months(
        year, first_month if first_month <= 6 else first_month - 12, 5
    )
    if half == 2:
        end_year, end_month = _add_months(end_year, end_month, 6)
    start_year, start_month = _add_months(end_year, end_month, -5)
    return Period(
        date(start_year, start_month, 1), _last_day(end_year, end_month), f"{year:04d}-H{half}"
    )


def period_containing(day: date, frequency: str, first_month: int) -> Period:
    if frequency != ReportFrequency.HALF_YEARLY:
        return month_period(day.year, day.month)
    for year in (day.year, day.year + 1):
        for half in (1, 2):
            period = half_period(year, half, first_month)
            if period.contains(day):
                return period
    raise AssertionError("every day lies in a half-year")  # pragma: no cover


def parse_period(text: str | None, frequency: str, first_month: int) -> Period:
    """A period as the form sends it; a clear message for anything else."""
    value = (text or "").strip()
    month, half = _MONTH.match(value), _HALF.match(value)
    if frequency == ReportFrequency.HALF_YEARLY and half:
        return half_period(int(half[1]), int(half[2]), first_month)
    if frequency != ReportFrequency.HALF_YEARLY and month and 1 <= int(month[2]) <= 12:
        return month_period(int(month[1]), int(month[2]))
    if not value:
        raise InvalidError("period", "Choose the period of the report.")
    raise InvalidError("period", "“{value}” is not a period of this report.", value=value)


def recent_periods(today: date, frequency: str, first_month: int, count: int) -> list[Period]:
    """The period that contains today and the ones before it, newest first."""
    found = [period_containing(today, frequency, first_month)]
    while len(found) < count:
        before = found[-1].start.toordinal() - 1
        found.append(period_containing(date.fromordinal(before), frequency, first_month))
    return found
