"""Follow-ups due after training: for every graduation (an enrolment tot_nghiep with its
graduation date) one follow-up falls due 3, 6 and 12 calendar months later.

A follow-up is due once its day has come and nobody has recorded it, unless a job recorded
on the platform already answers it: an employment spell of the person running on the due
day that started on or after graduation, or one linked to this enrolment (the same rule the
KPI uses, matching.kpi.after_training). It is overdue more than OVERDUE_AFTER_DAYS days after
its day, and leaves the list LISTED_FOR_DAYS days after its day: what someone did at 3 months
can no longer be asked years later (it stays unanswered in the KPI), and without that bound
ten years of graduations would be counted on every view (about 4 s on SQLite at 600,000
graduations, against 0.3 s with it).

Everything is filtered and counted in SQL, on the indexed graduation date: a window's due day
is monotonic in the graduation date, so "due by D" is "graduated on or before X". Nothing here
commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, Integer, func, literal, literal_column, or_, tuple_, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from matching.kpi import FOLLOW_UP_WINDOWS
from matching.kpi.dates import add_months
from models.enums import EnrolmentStatus
from models.kept import Kept
from models.queries import counting, keyset
from models.queries.due_dates import last_graduation_due_by, months_later
from models.tables import Course, EmploymentSpell, Enrolment, FollowUp, Institution, Person

OVERDUE_AFTER_DAYS = 30
LISTED_FOR_DAYS = 365  # after its day a follow-up is asked for this long, then dropped
GRADUATED = EnrolmentStatus.GRADUATED.value


class DueState(StrEnum):
    DUE = "due"  # its day has come, within OVERDUE_AFTER_DAYS
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DueFilters:
    """What the list is narrowed to; None means any."""

    institution_id: int | None = None
    course_id: int | None = None
    window: int | None = None  # 3, 6 or 12
    state: DueState | None = None


@dataclass(frozen=True)
class DueFollowUp:
    """One follow-up to make: who, which course, which window, since when."""

    enrolment_id: int
    months_after: int
    graduated_on: date
    due_on: date
    person: Person
    course_id: int
    course_code: str
    course_name: str
    institution_id: int
    institution_name: str
    days_since_due: int  # negative before its day

    @property
    def state(self) -> DueState | None:
        """Due or overdue; None before its day and once no longer asked for."""
        if self.days_since_due < 0 or self.days_since_due > LISTED_FOR_DAYS:
            return None
        return DueState.OVERDUE if self.days_since_due > OVERDUE_AFTER_DAYS else DueState.DUE


# The follow-up page's counts stop here ("more than 1,000"): it is a worklist, read a page
# at a time, and each count probes every graduation of a window; at ten times the province's
# size six counts to 10,000 took seconds. The exact figures are the dashboard's.
DUE_COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class DueCounts:
    """Exact up to DUE_COUNT_LIMIT; one more stands for "more than"."""

    due: int
    overdue: int

    @property
    def due_more(self) -> bool:
        return counting.is_more(self.due, DUE_COUNT_LIMIT)

    @property
    def overdue_more(self) -> bool:
        return counting.is_more(self.overdue, DUE_COUNT_LIMIT)


DueKey = tuple[int, int]  # (enrolment id, months after): one row of the list


@dataclass(frozen=True)
class DueAt:
    """Where a page starts: a page number (read with OFFSET, as deep as the count goes), or
    after / before the row with this key (keyset), `page` then being only its label."""

    page: int = 1
    after: DueKey | None = None
    before: DueKey | None = None


@dataclass(frozen=True)
class DuePage:
    rows: list[DueFollowUp]
    counts: DueCounts  # the whole list's, whatever its state filter
    total: int  # rows in the filtered list (beyond the count limit: pages is 0, unknown)
    page: int
    pages: int
    has_next: bool = False
    next_after: DueKey | None = None  # the next page starts after this row
    previous_before: DueKey | None = None  # the previous page ends before this row


def _windows(filters: DueFilters) -> tuple[int, ...]:
    return (filters.window,) if filters.window in FOLLOW_UP_WINDOWS else FOLLOW_UP_WINDOWS


def _overdue_day(today: date) -> date:
    """Follow-ups due on or before this day are overdue."""
    return today - timedelta(days=OVERDUE_AFTER_DAYS + 1)


def _scoped(query: Select[Any], filters: DueFilters) -> Select[Any]:
    """Enrolments of the filters' institution and course."""
    if filters.institution_id is not None:
        # A probe of the course per enrolment walked, not `course_id IN (the institution's
        # courses)`: with the IN, SQLite read every enrolment of the institution by the
        # course index and sorted them (240 ms for the first page at 100x); with the probe
        # it walks the graduation-date index newest first and stops at the page.
        # Its own alias of `course`: a query that also joins course (the overdue counts by
        # institution) must not correlate the probe's course with its own.
        course = Course.__table__.alias("enrolment_course")  # type: ignore[attr-defined]
        of_institution = (
            sa_select(literal(1))
            .select_from(course)
            .where(
                course.c.id == col(Enrolment.course_id),
                course.c.institution_id == filters.institution_id,
            )
            .exists()
        )
        query = query.where(of_institution)
    if filters.course_id is not None:
        query = query.where(col(Enrolment.course_id) == filters.course_id)
    return query


def _pending(window: int, filters: DueFilters, today: date, columns: list[Any]) -> Select[Any]:
    """Graduations whose follow-up at `window` is due (in the filter's state), not recorded
    and not answered by a job on the platform."""
    graduated_on = col(Enrolment.graduated_on)
    due_on = months_later(graduated_on, window)
    latest = last_graduation_due_by(today, window)
    overdue_from = last_graduation_due_by(_overdue_day(today), window)
    dropped = last_graduation_due_by(today - timedelta(days=LISTED_FOR_DAYS + 1), window)
    query = _scoped(sa_select(*columns).select_from(Enrolment), filters)
    query = query.where(graduated_on > dropped)
    if filters.state == DueState.OVERDUE:
        query = query.where(graduated_on <= overdue_from)
    else:
        query = query.where(graduated_on <= latest)
        if filters.state == DueState.DUE:
            query = query.where(graduated_on > overdue_from)
    recorded = sa_select(col(FollowUp.id)).where(
        col(FollowUp.enrolment_id) == col(Enrolment.id), col(FollowUp.months_after) == window
    )
    spell_end = col(EmploymentSpell.end_date)
    hired = sa_select(col(EmploymentSpell.id)).where(
        col(EmploymentSpell.person_id) == col(Enrolment.person_id),
        col(EmploymentSpell.start_date) <= due_on,
        or_(spell_end.is_(None), spell_end >= due_on),
        or_(
            col(EmploymentSpell.start_date) >= graduated_on,
            col(EmploymentSpell.enrolment_id) == col(Enrolment.id),
        ),
    )
    return query.where(
        col(Enrolment.status) == GRADUATED,
        graduated_on.is_not(None),
        ~recorded.exists(),
        ~hired.exists(),
    )


def due_counts(session: Session, filters: DueFilters, *, today: date) -> DueCounts:
    """How many follow-ups are due and how many overdue (the filters' state is ignored), each
    counted no further than the count limit: a count that stops costs what a page does, where
    an exact one probes every graduation of the last year (the page says "more than")."""
    counted = {state: 0 for state in DueState}
    for state in DueState:
        every_window = DueFilters(filters.institution_id, filters.course_id, filters.window, state)
        for window in _windows(filters):
            if counting.is_more(counted[state], DUE_COUNT_LIMIT):
                break
            pending = _pending(window, every_window, today, [literal_column("1")])
            counted[state] += counting.capped_count(session, pending, DUE_COUNT_LIMIT)
    limit = DUE_COUNT_LIMIT + 1
    return DueCounts(
        due=min(counted[DueState.DUE], limit), overdue=min(counted[DueState.OVERDUE], limit)
    )


# The counts in the page's header probe up to a thousand graduations each: kept a moment per
# filters and day (models/kept.py), so the next pages of the same list do not count again.
# A follow-up, a job or a graduation saved by this process drops them at once.
DUE_COUNT_TABLES = ("enrolment", "follow_up", "employment_spell", "course")
DUE_COUNT_SECONDS = 30.0
_DUE_COUNTS = Kept(DUE_COUNT_TABLES, seconds=DUE_COUNT_SECONDS, size=256)


def kept_due_counts(session: Session, filters: DueFilters, *, today: date) -> DueCounts:
    """:func:`due_counts`, kept a moment (the filters' state does not change them)."""
    key = (filters.institution_id, filters.course_id, filters.window, today)
    return _DUE_COUNTS.get(session, key, lambda: due_counts(session, filters, today=today))


@dataclass(frozen=True)
class OverdueAt:
    """How many follow-ups an institution has overdue (a count, no one named)."""

    institution_id: int
    institution_name: str
    overdue: int


def overdue_by_institution(
    session: Session, *, today: date, institution_id: int | None = None
) -> list[OverdueAt]:
    """Overdue follow-ups per institution (only those with some), most overdue first; one
    statement: each window's overdue graduations counted by institution, then added up. The
    same rows as the follow-up page's "overdue" filter (``_pending``)."""
    overdue = DueFilters(institution_id=institution_id, state=DueState.OVERDUE)
    institution = col(Course.institution_id)
    branches = [
        _pending(
            window, overdue, today, [institution.label("institution_id"), func.count().label("n")]
        )
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .group_by(institution)
        for window in FOLLOW_UP_WINDOWS
    ]
    counted = union_all(*branches).subquery("counted")
    total = func.sum(counted.c.n).label("overdue")
    rows = session.execute(
        sa_select(counted.c.institution_id, col(Institution.name), total)
        .join(Institution, col(Institution.id) == counted.c.institution_id)
        .group_by(counted.c.institution_id, col(Institution.name))
        .order_by(total.desc(), col(Institution.name), counted.c.institution_id)
    ).all()
    return [OverdueAt(int(i), name, int(n)) for i, name, n in rows]


def due_follow_ups(
    session: Session,
    filters: DueFilters,
    *,
    today: date,
    page: int = 1,
    per_page: int = 50,
    at: DueAt | None = None,
) -> DuePage:
    """One page of the follow-ups to make, the newest due first. Each window's branch walks
    the graduation-date index newest first and stops after the rows the page can need, so a
    first page does not sort every graduation. The next and previous links start after or
    before a row (keyset): a deep page reached by links costs what the first one does."""
    at = at or DueAt(page)
    counts = kept_due_counts(session, filters, today=today)
    total = {
        None: counts.due + counts.overdue,
        DueState.DUE: counts.due,
        DueState.OVERDUE: counts.overdue,
    }[filters.state]
    known = not (counting.is_more(total, DUE_COUNT_LIMIT) or counts.due_more or counts.overdue_more)
    pages = max(1, -(-total // per_page)) if known else 0
    # Numbered pages reach as deep as the count does: each costs the rows before it.
    deepest = pages or max(1, DUE_COUNT_LIMIT // per_page)
    keys, number, links = _page_keys(session, filters, today, at, deepest, per_page)
    rows = follow_up_rows(session, keys, today=today)
    return DuePage(rows, counts, total, number, pages, links[0] is not None, *links)


_Links = tuple[DueKey | None, DueKey | None]


def _page_keys(
    session: Session, filters: DueFilters, today: date, at: DueAt, last: int, per_page: int
) -> tuple[list[DueKey], int, _Links]:
    """The keys of one page, its number, and the keys the next and previous links start
    from. A cursor outside the filtered list (another institution's graduate, or junk) is
    ignored: the page number is read instead."""
    if at.before is not None and (start := _position(session, filters, at.before)) is not None:
        found = _keys(session, filters, today, per_page, start=start, forwards=False)
        if (page := keyset.page_before(found, per_page, at.page)) is not None:
            return page
    elif at.after is not None and (start := _position(session, filters, at.after)) is not None:
        found = _keys(session, filters, today, per_page, start=start)
        return keyset.page_after(found, per_page, at.page)
    number = min(max(1, at.page), last)
    found = _keys(session, filters, today, per_page, skip=(number - 1) * per_page)
    return keyset.page_numbered(found, per_page, number, deepest=last)


_Position = tuple[date, date, int]  # (due on, graduated on, enrolment id): the list's order


def _position(session: Session, filters: DueFilters, key: DueKey) -> _Position | None:
    """Where a keyset page starts: the row's place in the list's order; None for a key that
    names no graduation of the filters' institution and course, or an unknown window."""
    enrolment_id, window = key
    if window not in _windows(filters):
        return None
    graduated_on = session.execute(
        _scoped(sa_select(col(Enrolment.graduated_on)), filters).where(
            col(Enrolment.id) == enrolment_id,
            col(Enrolment.status) == GRADUATED,
            col(Enrolment.graduated_on).is_not(None),
        )
    ).scalar()
    if graduated_on is None:
        return None
    return add_months(graduated_on, window), graduated_on, enrolment_id


def _keys(
    session: Session,
    filters: DueFilters,
    today: date,
    per_page: int,
    *,
    start: _Position | None = None,
    forwards: bool = True,
    skip: int = 0,
) -> list[DueKey]:
    """Up to one more key than a page holds, in the list's order (newest due first) from
    `start` on, or backwards from it (`forwards` False: the rows just before it, nearest
    first), past `skip` rows. Each window's branch reads only the rows the page can need."""
    needed = skip + per_page + 1
    branches = []
    for window in _windows(filters):
        graduated_on = col(Enrolment.graduated_on)
        due_on = months_later(graduated_on, window)
        columns = [
            col(Enrolment.id).label("enrolment_id"),
            literal_column(str(window), Integer).label("months_after"),
            due_on.label("due_on"),
            graduated_on.label("graduated_on"),
        ]
        branch = _pending(window, filters, today, columns)
        order: list[Any] = [graduated_on, col(Enrolment.id)]
        if start is not None:
            place = tuple_(due_on, graduated_on, col(Enrolment.id))
            cursor = tuple_(literal(start[0], Date), literal(start[1], Date), literal(start[2]))
            if forwards:
                # due_on grows with graduated_on: the bound lets the index range stop early
                bound = graduated_on <= last_graduation_due_by(start[0], window)
                branch = branch.where(place < cursor, bound)
            else:
                earliest = last_graduation_due_by(start[0] - timedelta(days=1), window)
                branch = branch.where(place > cursor, graduated_on > earliest)
        ordered = branch.order_by(*(c.desc() if forwards else c for c in order))
        branches.append(sa_select(ordered.limit(needed).subquery()))
    pending = union_all(*branches).subquery("pending")
    outer = (pending.c.due_on, pending.c.graduated_on, pending.c.enrolment_id)
    keys = session.execute(
        sa_select(pending.c.enrolment_id, pending.c.months_after)
        .order_by(*(c.desc() if forwards else c for c in outer))
        .offset(skip)
        .limit(per_page + 1)
    ).all()
    return [(int(e), int(m)) for e, m in keys]


def follow_up_rows(
    session: Session, keys: Iterable[tuple[int, int]], *, today: date
) -> list[DueFollowUp]:
    """The graduations named by (enrolment id, months after), in the order given, with
    who they are and where they trained; unknown or non-graduated enrolments are left out."""
    wanted = list(dict.fromkeys(keys))
    ids = {enrolment_id for enrolment_id, _ in wanted}
    if not ids:
        return []
    found = session.exec(
        select(Enrolment, Person, Course, Institution)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(Institution, col(Institution.id) == col(Course.institution_id))
        .where(col(Enrolment.id).in_(ids))
    ).all()
    by_id = {row[0].id: row for row in found}
    rows = []
    for enrolment_id, months in wanted:
        if enrolment_id not in by_id:
            continue
        enrolment, person, course, institution = by_id[enrolment_id]
        if enrolment.status != GRADUATED or enrolment.graduated_on is None:
            continue
        due_on = add_months(enrolment.graduated_on, months)
        rows.append(
            DueFollowUp(
                enrolment_id=enrolment_id,
                months_after=months,
                graduated_on=enrolment.graduated_on,
                due_on=due_on,
                person=person,
                course_id=course.id or 0,
                course_code=course.code,
                course_name=course.name,
                institution_id=institution.id or 0,
                institution_name=institution.name,
                days_since_due=(today - due_on).days,
            )
        )
    return rows


@dataclass(frozen=True)
class Graduation:
    """What recording a follow-up needs to know about an enrolment."""

    enrolment_id: int
    person_id: int
    status: str
    graduated_on: date | None
    institution_id: int


def graduations(session: Session, enrolment_ids: Iterable[int]) -> dict[int, Graduation]:
    ids = set(enrolment_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa_select(
            col(Enrolment.id),
            col(Enrolment.person_id),
            col(Enrolment.status),
            col(Enrolment.graduated_on),
            col(Course.institution_id),
        )
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(col(Enrolment.id).in_(ids))
    ).all()
    return {int(e): Graduation(int(e), int(p), s, g, int(i)) for e, p, s, g, i in rows}


def recorded_follow_ups(
    session: Session, keys: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], FollowUp]:
    """The follow-up rows already stored for these (enrolment id, months after)."""
    wanted = set(keys)
    if not wanted:
        return {}
    stored = session.exec(
        select(FollowUp).where(col(FollowUp.enrolment_id).in_({e for e, _ in wanted}))
    ).all()
    found = {(row.enrolment_id, row.months_after): row for row in stored}
    return {key: row for key, row in found.items() if key in wanted}
