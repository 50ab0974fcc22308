"""Dates as people type them (dd/mm/yyyy), as ISO text, or as the datetime objects a
spreadsheet cell yields; a worker's date of birth; a period whose end may not precede its
start."""

from __future__ import annotations

import re
from datetime import date, datetime

from models.errors import InvalidError
from models.validation.base import ErrorCollector, require_text
from models.years import YEAR_MAX

EARLIEST_YEAR = 1900
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")


def _split(text: str, field: str) -> tuple[int, int, int]:
    """(year, month, day) from dd/mm/yyyy (also with - or .) or yyyy-mm-dd."""
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
        return year, month, day
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        return year, month, day
    raise InvalidError(field, "{value} is not a date: write it as dd/mm/yyyy.", value=text)


def _check_year(year: int, field: str) -> None:
    if not EARLIEST_YEAR <= year <= YEAR_MAX:
        raise InvalidError(
            field,
            "The year {year} is out of range ({earliest}–{latest}).",
            year=year,
            earliest=EARLIEST_YEAR,
            latest=YEAR_MAX,
        )


def parse_date(value: object, field: str = "date") -> date:
    """A date from "dd/mm/yyyy", "d/m/yyyy", "yyyy-mm-dd", or a date/datetime object."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        _check_year(value.year, field)
        return value
    text = require_text(value, field)
    year, month, day = _split(text, field)
    _check_year(year, field)
    try:
        return date(year, month, day)
    except ValueError as error:
        raise InvalidError(field, "The date {value} does not exist.", value=text) from error


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def validate_birth_date(
    value: object,
    *,
    today: date,
    min_age: int = 15,
    max_age: int = 65,
    field: str = "birth_date",
) -> date:
    """A worker's date of birth: a real date, not in the future, and an age between min_age
    (the legal working age, 15) and max_age on `today`."""
    birth_date = parse_date(value, field)
    if birth_date > today:
        raise InvalidError(field, "The date of birth {date} is in the future.", date=birth_date)
    age = age_on(birth_date, today)
    if age < min_age:
        raise InvalidError(
            field,
            "The worker must be at least {min_age} years old (now {age}).",
            min_age=min_age,
            age=age,
        )
    if age > max_age:
        raise InvalidError(
            field,
            "The worker must be at most {max_age} years old (now {age}).",
            max_age=max_age,
            age=age,
        )
    return birth_date


def validate_date_range(
    start: object,
    end: object,
    *,
    field_start: str = "start_date",
    field_end: str = "end_date",
) -> tuple[date | None, date | None]:
    """Both dates parsed (an empty one stays None); the end may not fall before the start.
    A bad start and a bad end are reported together."""
    errors = ErrorCollector()
    first = errors.check(_optional_date, start, field_start)
    last = errors.check(_optional_date, end, field_end)
    errors.raise_if_any()
    if first and last and last < first:
        raise InvalidError(
            field_end,
            "The end date {end} is before the start date {start}.",
            end=last,
            start=first,
        )
    return first, last


def _optional_date(value: object, field: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field)
