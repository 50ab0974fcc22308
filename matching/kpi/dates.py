"""Calendar arithmetic the KPIs share: whole months after a date, periods given as a year or a
date range."""

from __future__ import annotations

import calendar
from datetime import date

Period = int | tuple[date, date]  # a calendar year, or first and last day (both included)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter (31/1 + 1 month
    is 28/2 or 29/2)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_bounds(period: Period) -> tuple[date, date]:
    """First and last day of a year or of a (start, end) range; rejects a reversed range."""
    if isinstance(period, int):
        return date(period, 1, 1), date(period, 12, 31)
    start, end = period
    if start > end:
        raise ValueError(f"period starts {start.isoformat()} after it ends {end.isoformat()}")
    return start, end


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]
