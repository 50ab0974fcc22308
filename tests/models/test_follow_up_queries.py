"""The follow-ups due after training, read in SQL: due from the day 3, 6 or 12 calendar months
after graduation, overdue more than 30 days later, gone once recorded or once a job on the
platform answers them; filtered, counted and paged newest due first.

Runs on SQLite and PostgreSQL (the `session` fixture). The day is fixed (TODAY) and passed to
the queries, so the boundaries are exact whatever the clock says.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from matching.kpi.dates import add_months
from models.queries import follow_ups as follow_ups_module
from models.queries.due_dates import last_graduation_due_by
from models.queries.follow_ups import (
    LISTED_FOR_DAYS,
    OVERDUE_AFTER_DAYS,
    DueCounts,
    DueFilters,
    DueState,
    due_counts,
    due_follow_ups,
    overdue_by_institution,
)
from models.tables import EmploymentSpell, Enrolment, FollowUp
from tests import factories

TODAY = date(2026, 11, 27)


def graduate(session: Session, graduated_on: date, **overrides: Any) -> Enrolment:
    """A graduation on `graduated_on` (a new person and, unless given, a new course)."""
    values: dict[str, Any] = {"status": "tot_nghiep", "graduated_on": graduated_on}
    values.update(overrides)
    return factories.enrolment(session, **values)


def hire(session: Session, enrolment: Enrolment, start: date, end: date | None = None, **kw: Any):
    spell = EmploymentSpell(
        person_id=enrolment.person_id,
        start_date=start,
        end_date=end,
        kind="wage",
        channel="dn_trong_tinh",
        **kw,
    )
    session.add(spell)
    session.flush()
    return spell


def follow_up(session: Session, enrolment: Enrolment, months: int, status: str = "wage") -> None:
    session.add(
        FollowUp(
            enrolment_id=enrolment.id or 0,
            person_id=enrolment.person_id,
            months_after=months,
            observed_on=TODAY,
            status=status,
            source="phone",
        )
    )
    session.flush()


def listed(session: Session, filters: DueFilters | None = None, **kw: Any) -> list[tuple]:
    """(enrolment id, months after, state) of every row of the list, in its order."""
    page = due_follow_ups(session, filters or DueFilters(), today=kw.pop("today", TODAY), **kw)
    return [(row.enrolment_id, row.months_after, row.state) for row in page.rows]


def test_due_overdue_and_not_yet_due(session: Session) -> None:
    # Only the 3-month follow-up matters here: these graduations are under 6 months old.
    on_day = graduate(session, add_months(TODAY, -3))  # due today
    last_due_day = graduate(session, date(2026, 7, 28))  # due 28/10: 30 days ago
    first_overdue = graduate(session, date(2026, 7, 27))  # due 27/10: 31 days ago
    tomorrow = graduate(session, date(2026, 8, 28))  # due tomorrow
    graduate(session, TODAY)  # nothing due for months
    factories.enrolment(session, status="hoan_thanh")  # completed, did not graduate
    factories.enrolment(session, status="tot_nghiep", graduated_on=None)
    session.commit()

    rows = listed(session)
    assert rows == [
        (on_day.id, 3, DueState.DUE),
        (last_due_day.id, 3, DueState.DUE),
        (first_overdue.id, 3, DueState.OVERDUE),
    ]
    assert tomorrow.id not in {row[0] for row in rows}
    assert due_counts(session, DueFilters(), today=TODAY) == DueCounts(due=2, overdue=1)
    page = due_follow_ups(session, DueFilters(), today=TODAY)
    days = {row.enrolment_id: row.days_since_due for row in page.rows}
    assert days == {on_day.id: 0, last_due_day.id: OVERDUE_AFTER_DAYS, first_overdue.id: 31}
    assert page.counts == DueCounts(due=2, overdue=1) and page.total == 3


def test_every_window_falls_due_by_calendar_months(session: Session) -> None:
    old = graduate(session, date(2025, 10, 1))  # 3, 6 and 12 months all passed
    session.commit()
    page = due_follow_ups(session, DueFilters(), today=TODAY)
    assert [(row.months_after, row.due_on) for row in page.rows] == [
        (12, date(2026, 10, 1)),
        (6, date(2026, 4, 1)),
        (3, date(2026, 1, 1)),
    ]
    assert {row.enrolment_id for row in page.rows} == {old.id}


@pytest.mark.parametrize(
    ("today", "expected"), [(date(2027, 2, 27), []), (date(2027, 2, 28), [DueState.DUE])]
)
def test_a_month_end_graduation_is_due_on_the_last_day_of_a_shorter_month(
    session: Session, today: date, expected: list[DueState]
) -> None:
    # 30/11 + 3 months is 28/02, in SQL on both databases as in add_months.
    graduate(session, date(2026, 11, 30))
    session.commit()
    assert [state for _, _, state in listed(session, today=today)] == expected


def test_the_cutoff_is_the_last_graduation_due_by_a_day() -> None:
    for offset in range(0, 800, 7):
        day = date(2026, 1, 1) + timedelta(days=offset)
        for months in (3, 6, 12):
            cutoff = last_graduation_due_by(day, months)
            assert add_months(cutoff, months) <= day < add_months(cutoff + timedelta(1), months)


def test_a_recorded_follow_up_leaves_the_list_whatever_it_says(session: Session) -> None:
    asked = graduate(session, date(2026, 5, 10))  # 3 months due 10/08; 6 months 10/11
    unreachable = graduate(session, date(2026, 5, 11))
    follow_up(session, asked, 3)
    follow_up(session, unreachable, 6, status="not_reached")
    session.commit()
    assert sorted(listed(session)) == sorted(
        [(asked.id, 6, DueState.DUE), (unreachable.id, 3, DueState.OVERDUE)]
    )


def test_a_hire_on_the_platform_answers_the_follow_up(session: Session) -> None:
    graduated = date(2026, 5, 10)  # due at 3 months on 10/08/2026, at 6 months on 10/11
    hired = graduate(session, graduated)
    hire(session, hired, start=date(2026, 6, 1))  # running on both days
    left_early = graduate(session, graduated)
    hire(session, left_early, start=date(2026, 6, 1), end=date(2026, 8, 9))
    hired_late = graduate(session, graduated)
    hire(session, hired_late, start=date(2026, 9, 1))  # answers 6 months, not 3
    worked_before = graduate(session, graduated)
    hire(session, worked_before, start=date(2025, 1, 1))  # an old job says nothing
    ordered = graduate(session, graduated)
    hire(session, ordered, start=date(2026, 4, 1), enrolment_id=ordered.id)  # hired by order
    session.commit()

    rows = {(enrolment, months) for enrolment, months, _ in listed(session)}
    assert rows == {
        (left_early.id, 3),
        (left_early.id, 6),
        (hired_late.id, 3),
        (worked_before.id, 3),
        (worked_before.id, 6),
    }


def test_filters_by_institution_course_window_and_state(session: Session) -> None:
    centre, college = factories.institution(session), factories.institution(session)
    course_a = factories.course(session, institution_id=centre.id)
    course_b = factories.course(session, institution_id=centre.id)
    course_c = factories.course(session, institution_id=college.id)
    a = graduate(session, date(2026, 5, 10), course_id=course_a.id)  # 3 overdue, 6 due
    b = graduate(session, date(2026, 8, 1), course_id=course_b.id)  # 3 due
    c = graduate(session, date(2026, 8, 1), course_id=course_c.id)
    session.commit()

    assert {row[0] for row in listed(session, DueFilters(institution_id=college.id))} == {c.id}
    assert listed(session, DueFilters(institution_id=centre.id, course_id=course_b.id)) == [
        (b.id, 3, DueState.DUE)
    ]
    assert listed(session, DueFilters(institution_id=centre.id, window=6)) == [
        (a.id, 6, DueState.DUE)
    ]
    assert listed(session, DueFilters(state=DueState.OVERDUE)) == [(a.id, 3, DueState.OVERDUE)]
    due_only = listed(session, DueFilters(institution_id=centre.id, state=DueState.DUE))
    assert due_only == [(a.id, 6, DueState.DUE), (b.id, 3, DueState.DUE)]
    counts = due_counts(session, DueFilters(institution_id=centre.id), today=TODAY)
    assert counts == DueCounts(due=2, overdue=1)
    # The overdue counts by institution (the home page's) join courses themselves: the
    # institution's probe of each enrolment's course must stay its own.
    every = overdue_by_institution(session, today=TODAY)
    assert [(row.institution_id, row.overdue) for row in every] == [(centre.id, 1)]
    own = overdue_by_institution(session, today=TODAY, institution_id=centre.id)
    assert [(row.institution_id, row.overdue) for row in own] == [(centre.id, 1)]
    assert overdue_by_institution(session, today=TODAY, institution_id=college.id) == []


def test_pages_run_newest_due_first_across_windows(session: Session) -> None:
    course = factories.course(session)
    for offset in range(0, 400, 9):
        graduate(session, date(2025, 6, 1) + timedelta(days=offset), course_id=course.id)
    session.commit()

    everything = due_follow_ups(session, DueFilters(), today=TODAY, per_page=1000)
    expected = sorted(
        ((row.due_on, row.enrolment_id, row.months_after) for row in everything.rows),
        reverse=True,
    )
    assert [(r.due_on, r.enrolment_id, r.months_after) for r in everything.rows] == expected
    assert len({row.months_after for row in everything.rows}) == 3

    paged = []
    for number in range(1, 100):
        page = due_follow_ups(session, DueFilters(), today=TODAY, page=number, per_page=7)
        paged += [(r.due_on, r.enrolment_id, r.months_after) for r in page.rows]
        if page.page == page.pages:
            break
    assert paged == expected
    assert page.total == len(expected) == page.counts.due + page.counts.overdue


def test_the_hire_check_uses_the_clamped_due_day_in_sql(session: Session) -> None:
    # Due 28/02/2026 (not 02/03, SQLite's own "+3 months"): a job ending that day answers.
    answered = graduate(session, date(2025, 11, 30))
    hire(session, answered, start=date(2025, 12, 15), end=date(2026, 2, 28))
    open_case = graduate(session, date(2025, 11, 30))
    hire(session, open_case, start=date(2025, 12, 15), end=date(2026, 2, 27))
    session.commit()
    three_months = listed(session, DueFilters(window=3))
    assert [(enrolment, months) for enrolment, months, _ in three_months] == [(open_case.id, 3)]


def test_a_follow_up_leaves_the_list_a_year_after_its_day(session: Session) -> None:
    assert LISTED_FOR_DAYS == 365
    last_day = graduate(session, date(2025, 8, 27))  # 3 months due 27/11/2025: 365 days ago
    graduate(session, date(2025, 8, 26))  # due 26/11/2025: 366 days ago, no longer asked
    session.commit()
    assert listed(session, DueFilters(window=3)) == [(last_day.id, 3, DueState.OVERDUE)]
    counts = due_counts(session, DueFilters(window=3), today=TODAY)
    assert counts == DueCounts(due=0, overdue=1)


def test_beyond_the_count_limit_the_counts_stop_and_the_pages_run_on(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = factories.course(session)
    for offset in range(0, 400, 9):
        graduate(session, date(2025, 6, 1) + timedelta(days=offset), course_id=course.id)
    session.commit()
    everything = due_follow_ups(session, DueFilters(), today=TODAY, per_page=1000)
    monkeypatch.setattr(follow_ups_module, "DUE_COUNT_LIMIT", 5)
    counts = due_counts(session, DueFilters(), today=TODAY)
    assert counts.overdue == 6 and counts.overdue_more  # six stands for "more than five"
    paged, number = [], 1
    while True:
        page = due_follow_ups(session, DueFilters(), today=TODAY, page=number, per_page=7)
        assert page.pages == 0  # the last page is not known
        paged += [(r.enrolment_id, r.months_after) for r in page.rows]
        if not page.has_next:
            break
        number += 1
    # As deep as the count goes: 5 // 7 gives one page, the rest is for the links to reach.
    assert paged == [(r.enrolment_id, r.months_after) for r in everything.rows][:7]
