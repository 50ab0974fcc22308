"""Who has reported to the new-jobs register (officials and administrators), and the
administrator's edit of when each source must report: the due day, the grace period and the
rule the schedule follows. The frequency and the months of the half-years are not edited
here (they decide which periods exist; changing them is a change of the reference data)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.enums import ReportSource
from models.errors import InvalidError, NotFoundError
from models.queries.reporting_pages import ReportingPage, reporting_page
from models.tables import ReportingSchedule
from models.validation import ErrorCollector, check_length, max_length, require_text
from models.years import PICKER_FIRST_YEAR
from web.auth import Principal
from web.permissions import Permission, allowed

DUE_DAY_RANGE = (1, 28)  # every month has the day
GRACE_DAYS_RANGE = (0, 60)
_DIGITS = re.compile(r"[0-9]{1,3}")
EDITED_FIELDS = ("due_day", "grace_days", "basis")


@dataclass(frozen=True)
class StatusPage:
    status: ReportingPage
    years: list[int]
    only_late: bool
    can_edit: bool  # may change the schedules


@dataclass
class ScheduleForm:
    """The schedule edit form as typed."""

    due_day: str = ""
    grace_days: str = ""
    basis: str = ""

    @classmethod
    def of(cls, schedule: ReportingSchedule) -> ScheduleForm:
        return cls(str(schedule.due_day), str(schedule.grace_days), schedule.basis)


def status_page(
    session: Session, *, principal: Principal, year: int | None, only_late: bool, page: int = 1
) -> StatusPage:
    """One page of the year's periods of every scheduled source (this year by default), as
    of today."""
    now = today()
    chosen = year if year is not None else now.year
    status = reporting_page(session, year=chosen, today=now, only_late=only_late, page=page)
    years = sorted(set(range(PICKER_FIRST_YEAR, now.year + 1)) | {chosen}, reverse=True)
    return StatusPage(status, years, only_late, allowed(principal, Permission.EDIT_SCHEDULES))


def editable_schedule(session: Session, *, principal: Principal, source: str) -> ReportingSchedule:
    """The schedule of ``source``, or 404 for a source without one."""
    schedule = session.get(ReportingSchedule, source) if source in set(ReportSource) else None
    if schedule is None:
        raise NotFoundError(None, "There is no such reporting schedule.")
    return schedule


def _whole(raw: str, field: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high``, or None for anything else."""
    text = require_text(raw, field)
    if not _DIGITS.fullmatch(text) or not low <= int(text) <= high:
        return None
    return int(text)


def _due_day(raw: str) -> int:
    low, high = DUE_DAY_RANGE
    day = _whole(raw, "due_day", low, high)
    if day is None:
        raise InvalidError(
            "due_day", "The due day is a day of the month from {low} to {high}.", low=low, high=high
        )
    return day


def _grace_days(raw: str) -> int:
    low, high = GRACE_DAYS_RANGE
    days = _whole(raw, "grace_days", low, high)
    if days is None:
        raise InvalidError(
            "grace_days",
            "The grace period is a whole number of days from {low} to {high}.",
            low=low,
            high=high,
        )
    return days


def _basis(raw: str) -> str:
    text = require_text(raw, "basis")
    return check_length(text, max_length(ReportingSchedule, "basis"), "basis")


def update_schedule(
    session: Session, *, principal: Principal, source: str, form: ScheduleForm
) -> None:
    """Save the due day, the grace period and the basis of a schedule (an unchanged form
    writes nothing). Raises ValidationErrors naming every bad field."""
    errors = ErrorCollector()
    due_day = errors.check(_due_day, form.due_day)
    grace_days = errors.check(_grace_days, form.grace_days)
    basis = errors.check(_basis, form.basis)
    with unit_of_work(session):
        schedule = editable_schedule(session, principal=principal, source=source)
        errors.raise_if_any()
        new = {"due_day": due_day, "grace_days": grace_days, "basis": basis}
        changed = [name for name in EDITED_FIELDS if getattr(schedule, name) != new[name]]
        if not changed:
            return
        for name in changed:
            setattr(schedule, name, new[name])
        schedule.updated_at = utcnow()
        session.add(schedule)
        audit.record(
            session,
            user_id=principal.user.id,
            action="update",
            entity="reporting_schedule",
            entity_id=source,
            fields=changed,
        )
