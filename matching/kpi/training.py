"""K1: people trained in a year (target 8,000–8,300 a year).

A person counts once in the year if they started training in it, whatever happened next (a
drop-out included): the resolution counts the people put into training in the year, so a
two-year course counts once, in its first year. A person with several enrolments started in
the year counts once, by the enrolment at their HIGHEST level (ties: the earliest start, then
the smallest enrolment id). So "by level" partitions the total: a person who took a short
course and then a sơ cấp course in one year is one sơ cấp trainee, not one of each. The same
rule decides every other cut (institution, occupation…); pass ``attribution="group"`` to count
a person in every group where they trained instead.

Beside the total: how many finished and received a certificate in the year (whenever their
course began), each counted the same way among the enrolments that qualify for it; ``started``
equals the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from matching.kpi.cuts import (
    Attribution,
    When,
    count_of,
    count_people,
    counts_by,
    dimension_names,
    merged_keys,
)
from matching.kpi.records import FINISHED_STATUSES, LEVEL_RANK, EnrolmentRecord, enrolment_id_of
from matching.kpi.results import Count, GroupKey


@dataclass(frozen=True, slots=True)
class TrainedCounts:
    """Distinct people trained (started in the year), started, finished and certified."""

    trained: Count
    started: Count
    finished: Count
    certified: Count


@dataclass(frozen=True, slots=True)
class Trained:
    """K1 for a year: the total and, when ``by`` was given, one TrainedCounts per group."""

    year: int
    total: TrainedCounts
    by: tuple[str, ...]
    groups: Mapping[GroupKey, TrainedCounts]


def trained(
    enrolments: Iterable[EnrolmentRecord],
    year: int,
    *,
    by: str | Sequence[str] | None = None,
    attribution: Attribution = "person",
) -> Trained:
    """People who started vocational training in ``year``; see the module doc."""
    enrolments = enrolments if isinstance(enrolments, list | tuple) else list(enrolments)
    deciding = _deciding_all(enrolments, year)
    whens: tuple[When, ...] = (lambda e: training_date(e, year), _start, _end, _end)
    qualifying = _qualifying(enrolments, year) if by is not None and attribution != "person" else []
    keys = {e.enrolment_id: key for key, e, _ in qualifying}
    parts = []
    for part, when in enumerate(whens):
        chosen = deciding[part]
        total = count_of(chosen, enrolment_id_of)
        if by is None:
            groups: dict[GroupKey, Count] = {}
        elif attribution == "person":
            groups = counts_by(chosen.values(), by, enrolment_id_of, when, EnrolmentRecord)
        else:
            records = [e for _, e, flags in qualifying if flags[part]]
            _, groups = count_people(
                records,
                by,
                prefer=lambda e: keys[e.enrolment_id],  # computed once in _qualifying
                record_id=enrolment_id_of,
                when=when,
                record_type=EnrolmentRecord,
                attribution=attribution,
            )
        parts.append((total, groups))
    empty = Count(0)
    groups_by_key = {
        key: TrainedCounts(*(g.get(key, empty) for _, g in parts))
        for key in merged_keys(g for _, g in parts)
    }
    total_counts = TrainedCounts(*(count for count, _ in parts))
    return Trained(year, total_counts, dimension_names(by), groups_by_key)


def trained_cuts(
    enrolments: Iterable[EnrolmentRecord], year: int, cuts: Sequence[str | Sequence[str]]
) -> tuple[Trained, list[dict[GroupKey, TrainedCounts]]]:
    """K1 once, cut several ways (each cut is a ``by`` of ``trained``, person attribution):
    the total, and the groups of each cut. The deciding enrolments are chosen once."""
    enrolments = enrolments if isinstance(enrolments, list | tuple) else list(enrolments)
    deciding = _deciding_all(enrolments, year)
    whens: tuple[When, ...] = (lambda e: training_date(e, year), _start, _end, _end)
    totals = TrainedCounts(*(count_of(chosen, enrolment_id_of) for chosen in deciding))
    empty = Count(0)
    groups = []
    for by in cuts:
        parts = [
            counts_by(chosen.values(), by, enrolment_id_of, when, EnrolmentRecord)
            for chosen, when in zip(deciding, whens, strict=True)
        ]
        groups.append(
            {key: TrainedCounts(*(g.get(key, empty) for g in parts)) for key in merged_keys(parts)}
        )
    return Trained(year, totals, (), {}), groups


def deciding_enrolments(
    enrolments: Iterable[EnrolmentRecord], year: int
) -> dict[int, EnrolmentRecord]:
    """Each person trained in ``year`` with the enrolment that puts them in K1."""
    return _deciding_all(enrolments, year)[0]


def training_date(enrolment: EnrolmentRecord, year: int) -> date:
    """The day an enrolment counts on in ``year``: its start, else its end."""
    return enrolment.started_on if enrolment.started_on.year == year else _end(enrolment)


Key = tuple[int, date, int]
Flags = tuple[bool, bool, bool, bool]  # trained (= started), started, finished, certified
PARTS = range(4)


def _classify(enrolment: EnrolmentRecord, year: int) -> tuple[Key, Flags] | None:
    """What an enrolment counts for in ``year`` (None: nothing) and its preference key:
    highest level, then the earliest date it counts on in the year, then the smallest id."""
    started = enrolment.started_on.year == year
    end = enrolment.finished_on
    finished = end is not None and end.year == year
    if not (started or finished):
        return None
    day: date = enrolment.started_on if started else end  # type: ignore[assignment]
    certified = finished and enrolment.certificate_kind is not None
    key = (-LEVEL_RANK.get(enrolment.level, -1), day, enrolment.enrolment_id)  # type: ignore[arg-type]
    return key, (started, started, finished, certified and enrolment.graduated_on is not None)


def _deciding_all(
    enrolments: Iterable[EnrolmentRecord], year: int
) -> list[dict[int, EnrolmentRecord]]:
    """Per part, each person's deciding enrolment: one pass, nothing kept per enrolment. The
    body is _classify inlined: it runs once per enrolment, a million of them over ten years."""
    keys: list[dict[int, Key]] = [{} for _ in PARTS]
    chosen: list[dict[int, EnrolmentRecord]] = [{} for _ in PARTS]
    rank = LEVEL_RANK.get
    for enrolment in enrolments:
        started = enrolment.started_on.year == year
        end = (
            (enrolment.graduated_on or enrolment.ended_on)
            if enrolment.status in FINISHED_STATUSES
            else None
        )
        finished = end is not None and end.year == year
        if started:
            day = enrolment.started_on
        elif finished and end is not None:
            day = end
        else:
            continue
        key = (-rank(enrolment.level, -1), day, enrolment.enrolment_id)  # type: ignore[arg-type]
        person = enrolment.person_id
        if started:
            _keep(keys[0], chosen[0], person, key, enrolment)
            _keep(keys[1], chosen[1], person, key, enrolment)
        if finished:
            _keep(keys[2], chosen[2], person, key, enrolment)
            if enrolment.certificate_kind is not None and enrolment.graduated_on is not None:
                _keep(keys[3], chosen[3], person, key, enrolment)
    return chosen


def _keep(
    keys: dict[int, Key],
    chosen: dict[int, EnrolmentRecord],
    person: int,
    key: Key,
    enrolment: EnrolmentRecord,
) -> None:
    kept = keys.get(person)
    if kept is None or key < kept:
        keys[person] = key
        chosen[person] = enrolment


def _qualifying(
    enrolments: Iterable[EnrolmentRecord], year: int
) -> list[tuple[Key, EnrolmentRecord, Flags]]:
    """Every enrolment that counts in ``year`` with its key and flags (for group attribution,
    which needs them all)."""
    found = []
    for enrolment in enrolments:
        classified = _classify(enrolment, year)
        if classified is not None:
            found.append((classified[0], enrolment, classified[1]))
    return found


def _start(enrolment: EnrolmentRecord) -> date:
    return enrolment.started_on


def _end(enrolment: EnrolmentRecord) -> date:
    end = enrolment.finished_on
    assert end is not None  # only finished enrolments reach here
    return end
