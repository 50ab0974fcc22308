"""When a vacancy is open: its status says open and its deadline has not passed. The deadline
is read in every query (no nightly job closes vacancies), so a vacancy is closed everywhere the
day after its deadline: the board, the home page, the lists, suggestions, referrals and hires.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, not_, or_
from sqlmodel import col

from models.enums import VacancyStatus
from models.tables import Vacancy

# Shown for a vacancy whose status says open but whose deadline has passed; never stored.
EXPIRED = "expired"


def open_on(on: date) -> ColumnElement[bool]:
    """SQL: the vacancy is open on `on` (status open, no deadline or one not before `on`)."""
    return and_(
        col(Vacancy.status) == VacancyStatus.OPEN.value,
        or_(col(Vacancy.deadline).is_(None), col(Vacancy.deadline) >= on),
    )


def expired_on(on: date) -> ColumnElement[bool]:
    """SQL: the status says open but the deadline is before `on`."""
    return and_(
        col(Vacancy.status) == VacancyStatus.OPEN.value,
        col(Vacancy.deadline).is_not(None),
        not_(col(Vacancy.deadline) >= on),
    )


def taking_people(on: date) -> ColumnElement[bool]:
    """SQL: open on `on` with a place left."""
    return and_(open_on(on), col(Vacancy.filled) < col(Vacancy.quantity))


def is_open(status: str, deadline: date | None, on: date) -> bool:
    """:func:`open_on` for a vacancy already read."""
    return status == VacancyStatus.OPEN.value and (deadline is None or deadline >= on)


def shown_status(status: str, deadline: date | None, on: date) -> str:
    """The status to show: the stored one, or EXPIRED for an open vacancy past its deadline."""
    if status == VacancyStatus.OPEN.value and not is_open(status, deadline, on):
        return EXPIRED
    return status
