"""Reporting periods, due dates and states, against dates worked out by hand from the
schedules of the register: communes and the centre monthly, by the 5th of the next month with
5 days' grace; employers half-yearly (December–May due 5 June, June–November due 5 December),
no grace."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.reporting import (
    Coverage,
    ReportingState,
    Schedule,
    covered,
    due_date,
    period_of,
    periods_ending_between,
    periods_ending_in,
    state_of,
)

MONTHLY = Schedule(months=1, first_month=1, due_day=5, grace_days=5)
EMPLOYERS = Schedule(months=6, first_month=12, due_day=5, grace_days=0)
D = date


def test_a_year_has_twelve_months_each_due_on_the_fifth_of_the_next():
    periods = periods_ending_in(MONTHLY, 2026)
    assert [(p.start, p.end) for p in periods[:3]] == [
        (D(2026, 1, 1), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 31)),
    ]
    assert len(periods) == 12
    march = periods[2]
    assert march.due == D(2026, 4, 5)
    assert march.late_from == D(2026, 4, 11)  # 5 April + 5 days' grace, late the day after
    december = periods[11]
    assert (december.start, december.end) == (D(2026, 12, 1), D(2026, 12, 31))
    assert december.due == D(2027, 1, 5)  # across the year boundary
    assert december.late_from == D(2027, 1, 11)


def test_february_of_a_leap_year_ends_on_the_29th():
    february = periods_ending_in(MONTHLY, 2028)[1]
    assert february.end == D(2028, 2, 29)
    assert february.due == D(2028, 3, 5)


def test_employer_half_years_run_december_to_may_and_june_to_november():
    first, second = periods_ending_in(EMPLOYERS, 2026)
    assert (first.start, first.end, first.due) == (D(2025, 12, 1), D(2026, 5, 31), D(2026, 6, 5))
    assert (second.start, second.end, second.due) == (
        D(2026, 6, 1),
        D(2026, 11, 30),
        D(2026, 12, 5),
    )
    assert first.late_from == D(2026, 6, 6)  # no grace: late the day after the due date


def test_half_years_from_january_and_from_july():
    calendar_halves = Schedule(months=6, first_month=1, due_day=10, grace_days=3)
    first, second = periods_ending_in(calendar_halves, 2026)
    assert (first.start, first.end, first.due) == (D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 10))
    assert (second.start, second.end, second.due) == (
        D(2026, 7, 1),
        D(2026, 12, 31),
        D(2027, 1, 10),
    )
    assert second.late_from == D(2027, 1, 14)
    # First month 7 gives the same halves as first month 1.
    assert periods_ending_in(Schedule(months=6, first_month=7), 2026) == periods_ending_in(
        Schedule(months=6, first_month=1), 2026
    )


def test_the_due_day_is_clamped_to_a_short_month():
    assert due_date(D(2026, 1, 31), 31) == D(2026, 2, 28)
    assert due_date(D(2026, 3, 31), 31) == D(2026, 4, 30)
    assert due_date(D(2026, 12, 31), 28) == D(2027, 1, 28)


def test_periods_ending_between_two_days_cross_the_year():
    periods = periods_ending_between(MONTHLY, D(2025, 11, 15), D(2026, 2, 28))
    assert [p.start for p in periods] == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    halves = periods_ending_between(EMPLOYERS, D(2025, 6, 1), D(2026, 11, 29))
    assert [p.end for p in halves] == [D(2025, 11, 30), D(2026, 5, 31)]


MARCH = period_of(MONTHLY, D(2026, 3, 1))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 15), ReportingState.NOT_YET_DUE),
        (D(2026, 3, 31), ReportingState.NOT_YET_DUE),  # the period's last day
        (D(2026, 4, 1), ReportingState.DUE),  # the period is over
        (D(2026, 4, 5), ReportingState.DUE),  # the due date
        (D(2026, 4, 10), ReportingState.DUE),  # the last day of grace
        (D(2026, 4, 11), ReportingState.LATE),  # the first day after it
        (D(2027, 1, 1), ReportingState.LATE),
    ],
)
def test_a_missing_report_is_not_yet_due_then_due_then_late(today, expected):
    assert state_of(MARCH, [], today) == expected


def test_without_grace_the_day_after_the_due_date_is_late():
    first_half = periods_ending_in(EMPLOYERS, 2026)[0]
    assert state_of(first_half, [], D(2026, 6, 5)) == ReportingState.DUE
    assert state_of(first_half, [], D(2026, 6, 6)) == ReportingState.LATE
    assert state_of(first_half, [], D(2026, 5, 31)) == ReportingState.NOT_YET_DUE


@pytest.mark.parametrize("today", [D(2026, 3, 20), D(2026, 4, 3), D(2026, 8, 1)])
def test_a_report_covering_the_period_is_in_whenever_it_is_looked_at(today):
    assert state_of(MARCH, [(D(2026, 3, 1), D(2026, 3, 31))], today) == ReportingState.IN


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        ([(D(2026, 3, 1), D(2026, 3, 31))], True),
        ([(D(2026, 1, 1), D(2026, 3, 31))], True),  # a quarter's report covers March
        ([(D(2026, 3, 16), D(2026, 3, 31)), (D(2026, 3, 1), D(2026, 3, 15))], True),
        ([(D(2026, 3, 1), D(2026, 3, 15)), (D(2026, 3, 17), D(2026, 3, 31))], False),  # 16th
        ([(D(2026, 3, 1), D(2026, 3, 30))], False),  # the last day is missing
        ([(D(2026, 3, 2), D(2026, 3, 31))], False),  # the first day is missing
        ([(D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 4, 1), D(2026, 4, 30))], False),
        ([(D(2026, 2, 1), D(2026, 3, 10)), (D(2026, 3, 11), D(2026, 4, 30))], True),
        ([], False),
    ],
)
def test_reports_cover_a_period_only_together_without_a_gap(reports, expected):
    assert covered(D(2026, 3, 1), D(2026, 3, 31), reports) is expected


def test_a_late_period_with_part_of_it_reported_is_still_late():
    assert state_of(MARCH, [(D(2026, 3, 1), D(2026, 3, 20))], D(2026, 5, 1)) == ReportingState.LATE


@pytest.mark.parametrize(
    "schedule",
    [
        {"months": 5},
        {"months": 1, "first_month": 13},
        {"months": 1, "due_day": 0},
        {"months": 1, "grace_days": -1},
    ],
)
def test_a_schedule_that_cannot_cut_the_year_is_refused(schedule):
    with pytest.raises(ValueError):
        Schedule(**schedule)


_DAYS = st.integers(min_value=0, max_value=120)


@given(
    reports=st.lists(st.tuples(_DAYS, st.integers(min_value=0, max_value=40)), max_size=6),
    start=_DAYS,
    length=st.integers(min_value=0, max_value=40),
)
def test_merged_coverage_says_what_the_days_covered_say(reports, start, length):
    """The reporting status merges a reporter's reports once and asks about every period:
    the answer is whether each day of the period lies in some report."""
    origin = D(2026, 1, 1)
    ranges = [(origin + timedelta(days=a), origin + timedelta(days=a + n)) for a, n in reports]
    days = {
        first + timedelta(days=i) for first, last in ranges for i in range((last - first).days + 1)
    }
    first, last = origin + timedelta(days=start), origin + timedelta(days=start + length)
    expected = all(first + timedelta(days=i) in days for i in range(length + 1))

    assert Coverage(ranges).covers(first, last) is expected
    assert covered(first, last, ranges) is expected
