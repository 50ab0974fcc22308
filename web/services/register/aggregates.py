"""An aggregate line of the register checked: a month, a channel, a commune (a commune
officer's own; for the centre and officials a commune of the province or none, the whole
province), how many people, and what the count is ("self-employed after employment-fund
loans")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from models.errors import InvalidError
from models.excel.new_jobs import parse_channel
from models.ids import whole_or_none
from models.tables.register import NewJobAggregate
from models.validation import ErrorCollector, check_length, clean_text
from models.validation.rules import max_length
from web.services.register.entries import RegisterReference

if TYPE_CHECKING:
    from web.services.register import Reporter

MAX_PEOPLE = 100_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class CheckedAggregate:
    month: date
    channel: str
    commune_code: str | None
    people: int
    note: str


def _month(value: str, today: date) -> date:
    found = _MONTH.match(value.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise InvalidError("month", "Choose the month the jobs started in.")
    month = date(int(found[1]), int(found[2]), 1)
    if month > today:
        raise InvalidError("month", "This month has not started yet.")
    if month.year < today.year - 1:
        raise InvalidError("month", "Only this year's and last year's months can be reported here.")
    return month


def _people(value: str) -> int:
    people = whole_or_none(value.strip(), MAX_PEOPLE)
    if people is None or people < 1:
        raise InvalidError(
            "people", "Write how many people, a whole number from 1 to {max}.", max=MAX_PEOPLE
        )
    return people


def _commune(value: str, ref: RegisterReference) -> str | None:
    if not value.strip():
        return None
    unit = ref.communes.resolve(value.strip())
    if unit is None:
        raise InvalidError("commune", "Unknown commune or ward “{value}”.", value=value.strip())
    return unit.code


def check_aggregate(
    values: dict[str, str], ref: RegisterReference, reporter: Reporter, today: date
) -> CheckedAggregate:
    """Every field checked, every error raised at once (ValidationErrors)."""
    errors = ErrorCollector()
    month = errors.check(_month, values.get("month", ""), today)
    channel = errors.check(parse_channel, values.get("channel", ""))
    people = errors.check(_people, values.get("people", ""))
    if reporter.commune_code:
        commune: str | None = reporter.commune_code
    else:
        commune = errors.check(_commune, values.get("commune", ""), ref)
    note = errors.check(
        check_length,
        clean_text(values.get("note", "")),
        max_length(NewJobAggregate, "note"),
        "note",
    )
    errors.raise_if_any()
    assert month and channel and people
    return CheckedAggregate(month, channel, commune, people, note or "")
