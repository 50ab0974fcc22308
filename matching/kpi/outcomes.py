"""Outcomes of training for the public "which training leads to a job" page: for each
occupation, institution and occupation x institution pair, the people who graduated in the
last three years, employment at 6 and 12 months (K7, ``after_training``: the same definition,
response rate and denominator as the dashboard), the share working in the trade, and the
median wage reported. Plus the small-group suppression the public page applies.

Definitions: docs/kpi.md, "Outcomes of training".
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from matching.kpi.after_training import (
    AfterTrainingStats,
    employment_after_training_cuts,
    graduated_between,
)
from matching.kpi.cuts import cut
from matching.kpi.dates import add_months
from matching.kpi.records import EmploymentRecord, EnrolmentRecord, FollowUpRecord
from matching.kpi.results import Count, GroupKey

OUTCOME_WINDOWS: tuple[int, ...] = (6, 12)
"""The windows the public page shows."""
OUTCOME_MONTHS = 36
"""Graduations of the last three years count."""
MIN_GROUP = 10
"""A figure resting on fewer people is never shown."""
PAIR = ("occupation", "institution")
"""The cut of the page's table: occupation x institution."""
_SEP = "|"


def pair_key(occupation_key: str | None, institution_id: int | None) -> str:
    """The stored group key of an (occupation, institution) pair."""
    return f"{occupation_key or ''}{_SEP}{'' if institution_id is None else institution_id}"


def parse_pair_key(key: str) -> tuple[str | None, int | None]:
    """``pair_key`` read back; ValueError for a key it did not make."""
    occupation, sep, institution = key.rpartition(_SEP)
    if not sep:
        raise ValueError(f"not an occupation-institution key: {key!r}")
    return occupation or None, int(institution) if institution else None


def cohort_of(as_of: date) -> tuple[date, date]:
    """The graduations the page counts: the 36 months up to ``as_of``."""
    return add_months(as_of, -OUTCOME_MONTHS), as_of


@dataclass(frozen=True, slots=True)
class OutcomeStats:
    """One group's outcomes. ``graduated`` counts distinct people (ids: enrolments);
    ``after[window]`` is K7 at the window; ``wages`` the wages reported by employed
    graduates (at 12 months, else at 6), one per graduation."""

    graduated: Count
    after: Mapping[int, AfterTrainingStats]
    wages: tuple[int, ...]
    wage_ids: tuple[int, ...]

    @property
    def median_wage(self) -> float | None:
        return statistics.median(self.wages) if self.wages else None


def outcomes(
    enrolments: Iterable[EnrolmentRecord],
    follow_ups: Iterable[FollowUpRecord],
    hires: Iterable[EmploymentRecord],
    *,
    as_of: date,
    cuts: tuple[str | tuple[str, ...], ...] = ("occupation", "institution", PAIR),
) -> tuple[OutcomeStats, list[dict[GroupKey, OutcomeStats]]]:
    """Outcomes of the graduations of the last three years, in total and per cut."""
    enrolments, follow_ups, hires = list(enrolments), list(follow_ups), list(hires)
    cohort = cohort_of(as_of)
    per_window = {
        window: employment_after_training_cuts(
            enrolments, follow_ups, hires, window_months=window, cohort=cohort, as_of=as_of,
            cuts=cuts,
        )
        for window in OUTCOME_WINDOWS
    }  # fmt: skip
    start, end = cohort
    graduates = [e for e in enrolments if graduated_between(e, start, end)]
    wages = _wages(per_window, follow_ups, hires)
    total = _stats(graduates, {w: r.total for w, (r, _) in per_window.items()}, wages)
    groups = []
    for index, by in enumerate(cuts):
        grouped = cut(graduates, by, record_type=EnrolmentRecord)
        groups.append(
            {
                key: _stats(
                    members,
                    {w: _group(cuts_, index, key) for w, (_, cuts_) in per_window.items()},
                    wages,
                )
                for key, members in grouped.items()
            }
        )
    return total, groups


def _group(
    cuts: list[dict[GroupKey, AfterTrainingStats]], index: int, key: GroupKey
) -> AfterTrainingStats | None:
    return cuts[index].get(key)


def _stats(
    graduates: list[EnrolmentRecord],
    after: Mapping[int, AfterTrainingStats | None],
    wages: Mapping[int, int],
) -> OutcomeStats:
    first: dict[int, int] = {}
    for graduate in sorted(graduates, key=lambda e: e.enrolment_id):
        first.setdefault(graduate.person_id, graduate.enrolment_id)
    graduated = Count(len(first), tuple(first), tuple(first.values()))
    ids = sorted(e.enrolment_id for e in graduates if e.enrolment_id in wages)
    return OutcomeStats(
        graduated,
        {window: stats for window, stats in after.items() if stats is not None},
        tuple(wages[i] for i in ids),
        tuple(ids),
    )


def _wages(
    per_window: Mapping[int, tuple[object, list[dict[GroupKey, AfterTrainingStats]]]],
    follow_ups: list[FollowUpRecord],
    hires: list[EmploymentRecord],
) -> dict[int, int]:
    """Enrolment id -> the wage its employed graduate reported (12 months wins over 6)."""
    income = {f.follow_up_id: f.income for f in follow_ups if f.income}
    spell_wage = {s.spell_id: s.wage for s in hires if s.wage}
    wages: dict[int, int] = {}
    for window in sorted(per_window):
        result = per_window[window][0]
        for seen in result.total.observations:  # type: ignore[attr-defined]
            if not seen.employed:
                continue
            wage = income.get(seen.follow_up_id) or spell_wage.get(seen.spell_id)
            if wage:
                wages[seen.enrolment_id] = wage
    return wages


# ---- suppression -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suppression:
    """What a table hides: cells, and row or column totals (``rows``, ``columns``: keys)."""

    cells: frozenset[Any]
    rows: frozenset[Any]
    columns: frozenset[Any]


def suppress(
    cells: Mapping[tuple[Any, Any], int],
    *,
    minimum: int = MIN_GROUP,
    row_totals_shown: bool = True,
    column_totals_shown: bool = True,
) -> Suppression:
    """What to hide in one table of counts of people: ``suppress_together`` of that table."""
    return suppress_together(
        [cells],
        minimum=minimum,
        row_totals_shown=row_totals_shown,
        column_totals_shown=column_totals_shown,
    )


def suppress_together(
    tables: Iterable[Mapping[tuple[Any, Any], int]],
    *,
    minimum: int = MIN_GROUP,
    row_totals_shown: bool = True,
    column_totals_shown: bool = True,
    small_totals: Iterable[tuple[int, Any]] = (),
) -> Suppression:
    """What to hide in tables of counts of people over the same rows and columns (people
    graduated, each rate's base): one pattern, hidden in every table alike, so a cell hidden in
    one cannot be read in another where it has the same count. Each table maps (row, column) to
    a count (a missing cell counts 0); the total of each row and of each column is published
    beside it (the sum of its cells), and the row totals and the column totals each add up to
    the grand total, which counts as published.

    Primary: a cell or a total under ``minimum`` people (and above 0) in any table is hidden,
    and the totals in ``small_totals`` ((0, row) or (1, column): a published total that counts
    people once where the cells would count them twice can be small when the sum is not).
    Secondary, in each table in turn, until nothing changes:

    - a published row or column total with exactly one hidden cell hides the smallest other
      cell of that line (non-zero), or the total itself when there is none;
    - the list of row totals and the list of column totals: exactly one hidden total would be
      the grand total minus the others, so the smallest other total of the list is hidden too
      (when the list has no other, the smallest of the other list, if that list hides none);
    - a hidden total whose line hides no cell would be the sum of its cells: the smallest
      non-zero cell of the line is hidden too."""
    tables = list(tables)
    keys = list(dict.fromkeys(key for table in tables for key in table))
    lines: list[tuple[int, Any, list[tuple[Any, Any]]]] = []
    if row_totals_shown:
        lines += _lines(keys, 0)
    if column_totals_shown:
        lines += _lines(keys, 1)
    hidden = {key for table in tables for key, value in table.items() if 0 < value < minimum}
    hidden_totals: set[tuple[int, Any]] = {
        (axis, key)
        for table in tables
        for axis, key, line in lines
        if hidden_total(_sum(table, line), minimum)
    } | {total for total in small_totals if total in {(axis, key) for axis, key, _ in lines}}
    used = {key for key in keys if any(table.get(key, 0) > 0 for table in tables)}
    changed = True
    while changed:
        changed = False
        for table in tables:
            changed |= _secondary(table, lines, used, hidden, hidden_totals)
    return Suppression(
        frozenset(hidden),
        frozenset(key for axis, key in hidden_totals if axis == 0),
        frozenset(key for axis, key in hidden_totals if axis == 1),
    )


def _secondary(
    table: Mapping[tuple[Any, Any], int],
    lines: list[tuple[int, Any, list[tuple[Any, Any]]]],
    used: set[tuple[Any, Any]],
    hidden: set[tuple[Any, Any]],
    hidden_totals: set[tuple[int, Any]],
) -> bool:
    """One table's secondary suppression from the pattern so far (updated in place), until
    nothing changes; whether anything was added."""

    def order(value: int, key: Any) -> tuple[bool, int, str]:
        return value == 0, value, repr(key)  # this table's non-zero first, smallest first

    def smallest_cell(line: list[tuple[Any, Any]]) -> tuple[Any, Any] | None:
        others = [cell for cell in line if cell not in hidden and cell in used]
        return min(others, key=lambda c: order(table.get(c, 0), c), default=None)

    totals = {(axis, key): _sum(table, line) for axis, key, line in lines}
    listed = {axis: [(axis_, key) for axis_, key, _ in lines if axis_ == axis] for axis in (0, 1)}
    lines_used = {(axis, key): any(c in used for c in line) for axis, key, line in lines}

    def smallest_total(axis: int) -> tuple[int, Any] | None:
        others = [t for t in listed[axis] if t not in hidden_totals and lines_used[t]]
        return min(others, key=lambda t: order(totals[t], t), default=None)

    added = False
    changed = True
    while changed:
        changed = False
        for axis, key, line in lines:
            inside = sum(cell in hidden for cell in line)
            if (axis, key) in hidden_totals:
                if inside == 0 and (cell := smallest_cell(line)) is not None:
                    hidden.add(cell)
                    changed = True
                continue
            if inside == 1:
                cell = smallest_cell(line)
                if cell is not None:
                    hidden.add(cell)
                else:
                    hidden_totals.add((axis, key))
                changed = True
        for axis in (0, 1):
            entries = listed[axis]
            if not entries or sum(t in hidden_totals for t in entries) != 1:
                continue
            total = smallest_total(axis)
            if total is None and not any(t in hidden_totals for t in listed[1 - axis]):
                total = smallest_total(1 - axis)
            if total is not None:
                hidden_totals.add(total)
                changed = True
        added |= changed
    return added


def _sum(cells: Mapping[tuple[Any, Any], int], line: list[tuple[Any, Any]]) -> int:
    return sum(cells.get(cell, 0) for cell in line)


def _lines(keys: list[tuple[Any, Any]], axis: int) -> list[tuple[int, Any, list[tuple[Any, Any]]]]:
    groups: dict[Any, list[tuple[Any, Any]]] = {}
    for cell in keys:
        groups.setdefault(cell[axis], []).append(cell)
    return [(axis, key, line) for key, line in groups.items()]


def hidden_total(value: int, minimum: int = MIN_GROUP) -> bool:
    """A count on its own (a total, a rate's base) is hidden under ``minimum``, above 0."""
    return 0 < value < minimum
