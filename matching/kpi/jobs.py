"""K2 new jobs (target 8,700 a year) and K3 departures to work abroad under contract.

A new job is a spell that starts in the year and is new (a first job, a new job) or is a
departure abroad. Each person counts once a year, by their spell in the channel that comes
first in the province's order (loans, abroad, enterprises outside the province, enterprises in
the province, public bodies, other programmes and self-employment), ties broken by the earliest
start, then the smallest spell id. Cuts use that deciding spell, so the channels (and every
other single-valued cut) add up to the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from matching.kpi.cuts import (
    Attribution,
    count_of,
    count_people,
    counts_by,
    dimension_names,
    pick_per_person,
)
from matching.kpi.records import (
    ABROAD,
    CHANNELS,
    AggregateRecord,
    EmploymentRecord,
    channel_rank,
    spell_id_of,
)
from matching.kpi.results import Count, GroupKey


@dataclass(frozen=True, slots=True)
class NewJobs:
    """K2 for a year: distinct people, per channel (all six, zeros included) and per group."""

    year: int
    total: Count
    channels: Mapping[str, Count]
    by: tuple[str, ...]
    groups: Mapping[GroupKey, Count]


@dataclass(frozen=True, slots=True)
class Departures:
    """K3 for a year: departures abroad (one per person) and per group."""

    year: int
    total: Count
    by: tuple[str, ...]
    groups: Mapping[GroupKey, Count]


def is_new_job(spell: EmploymentRecord) -> bool:
    """A spell the province counts as a new job: new, or a departure abroad."""
    return spell.is_new_job or is_departure(spell)


def is_departure(spell: EmploymentRecord) -> bool:
    """Contract work abroad: the job's kind or its place says so."""
    return spell.kind == ABROAD or spell.location_kind == ABROAD


def new_job_spells(spells: Iterable[EmploymentRecord], year: int) -> dict[int, EmploymentRecord]:
    """Each person's deciding new-job spell in ``year`` (the one that puts them in K2)."""
    started = [s for s in spells if s.start_date.year == year and is_new_job(s)]
    return pick_per_person(started, prefer_channel)


def new_jobs(
    spells: Iterable[EmploymentRecord],
    year: int,
    *,
    by: str | Sequence[str] | None = None,
    attribution: Attribution = "person",
) -> NewJobs:
    """People who started a new job or left to work abroad in ``year``; see the module doc."""
    started = [s for s in spells if s.start_date.year == year and is_new_job(s)]
    chosen = pick_per_person(started, prefer_channel)
    by_channel = counts_by(chosen.values(), "channel", spell_id_of, _start, EmploymentRecord)
    channels = {channel: by_channel.pop(channel, Count(0)) for channel in CHANNELS}
    channels.update({str(key): count for key, count in by_channel.items()})  # unknown ones
    if by is None:
        groups: dict[GroupKey, Count] = {}
    elif attribution == "person":
        groups = counts_by(chosen.values(), by, spell_id_of, _start, EmploymentRecord)
    else:
        _, groups = _count(started, by, attribution)
    return NewJobs(year, deciding_count(chosen), channels, dimension_names(by), groups)


def new_jobs_cuts(
    spells: Iterable[EmploymentRecord], year: int, cuts: Sequence[str | Sequence[str]]
) -> tuple[NewJobs, list[dict[GroupKey, Count]]]:
    """K2 once, cut several ways (each cut is a ``by`` of ``new_jobs``, person attribution):
    the result without groups, and the groups of each cut. Deciding spells are chosen once."""
    result = new_jobs(spells, year)
    chosen = new_job_spells(spells, year)
    groups = [counts_by(chosen.values(), by, spell_id_of, _start, EmploymentRecord) for by in cuts]
    return result, groups


def abroad(
    spells: Iterable[EmploymentRecord],
    year: int,
    *,
    by: str | Sequence[str] | None = ("country_code", "abroad_programme"),
) -> Departures:
    """Departures abroad starting in ``year``, by country and programme unless ``by`` says
    otherwise. A person leaving twice in a year is one departure (the first one)."""
    left = [s for s in spells if s.start_date.year == year and is_departure(s)]
    total, groups = count_people(
        left,
        by,
        prefer=lambda s: (s.start_date, s.spell_id),
        record_id=spell_id_of,
        when=_start,
        record_type=EmploymentRecord,
    )
    return Departures(year, total, dimension_names(by), groups)


def aggregate_counts(aggregates: Iterable[AggregateRecord], year: int) -> dict[int, int]:
    """How many people each aggregate line of ``year`` adds to K2, by id (lines adding none
    left out). A reporter that gives a count and also names people for the same month,
    channel and commune has named some of the people it counted: the aggregate adds only the
    people above the named lines, never a negative number. Named people are counted once a
    year by ``new_jobs``; people in aggregates cannot be told apart, so each aggregate line
    counts as it stands beside them."""
    counted = {}
    for aggregate in aggregates:
        if aggregate.month.year != year:
            continue
        extra = max(0, aggregate.people - aggregate.named)
        if extra:
            counted[aggregate.id] = extra
    return counted


def prefer_channel(spell: EmploymentRecord) -> tuple[int, date, int]:
    """Sort key of the province's channel priority, then the earliest start."""
    return (channel_rank(spell.channel), spell.start_date, spell.spell_id)


def deciding_count(spells: Mapping[int, EmploymentRecord]) -> Count:
    """A Count of deciding spells (one per person)."""
    return count_of(spells, spell_id_of)


def _count(
    started: list[EmploymentRecord], by: str | Sequence[str] | None, attribution: Attribution
) -> tuple[Count, dict[GroupKey, Count]]:
    return count_people(
        started,
        by,
        prefer=prefer_channel,
        record_id=spell_id_of,
        when=_start,
        record_type=EmploymentRecord,
        attribution=attribution,
    )


def _start(spell: EmploymentRecord) -> date:
    return spell.start_date
