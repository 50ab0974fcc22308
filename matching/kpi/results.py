"""Small result types shared by the KPIs: a count of distinct people and a rate, each keeping
the ids of the records behind it so that a page can open them (drill-down)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

GroupKey = Hashable  # one value for a single dimension, a tuple of values for several


@dataclass(frozen=True, slots=True)
class Count:
    """Distinct people counted once each, with the record that made each one count.

    ``person_ids[i]`` was counted because of record ``record_ids[i]`` (an enrolment, a spell…).
    """

    value: int
    person_ids: tuple[int, ...] = ()
    record_ids: tuple[int, ...] = ()


EMPTY_COUNT = Count(0)


@dataclass(frozen=True, slots=True)
class Rate:
    """``numerator / denominator`` with the ids of the records in each; ``value`` is None when
    the denominator is empty (a rate of nothing is not 0%)."""

    numerator: int
    denominator: int
    value: float | None
    numerator_ids: tuple[int, ...] = ()
    denominator_ids: tuple[int, ...] = ()


def rate(numerator_ids: Iterable[int], denominator_ids: Iterable[int]) -> Rate:
    """A rate from the ids in the numerator and in the denominator."""
    top, bottom = tuple(numerator_ids), tuple(denominator_ids)
    return Rate(len(top), len(bottom), ratio(len(top), len(bottom)), top, bottom)


def rate_of_totals(numerator: int, denominator: int) -> Rate:
    """A rate from figures that have no records behind them (imported totals)."""
    return Rate(numerator, denominator, ratio(numerator, denominator))


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None
