"""K8: shares of the priority groups (ethnic minorities, women, poor or near-poor households,
zone III communes, especially difficult villages, people with disabilities) among the people
trained (K1), given new jobs (K2), leaving to work abroad (K3) and employed after training (K7).

Each population is the one its KPI counts, with the same deciding record per person, so the
shares here are shares of the KPI's own totals. The groups overlap (a Thái woman from a poor
household is in three), so shares do not add up to 100%.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from matching.kpi.after_training import employment_after_training
from matching.kpi.cuts import PRIORITY_GROUPS, cut, dimension_names, pick_per_person
from matching.kpi.jobs import is_departure, new_job_spells
from matching.kpi.records import (
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    enrolment_id_of,
    spell_id_of,
)
from matching.kpi.results import GroupKey, Rate, rate
from matching.kpi.training import deciding_enrolments, training_date

POPULATIONS = ("trained", "new_jobs", "departures", "employed_after_training")


@dataclass(frozen=True, slots=True)
class PriorityShares:
    """One population's size and the share of each priority group in it (ids: its records)."""

    population: str
    people: int
    shares: Mapping[str, Rate]
    groups: Mapping[GroupKey, Mapping[str, Rate]]


@dataclass(frozen=True, slots=True)
class PriorityGroups:
    """K8 for a year: the populations that were given inputs."""

    year: int
    by: tuple[str, ...]
    populations: Mapping[str, PriorityShares]


def priority_groups(
    year: int,
    *,
    enrolments: Sequence[EnrolmentRecord] | None = None,
    spells: Sequence[EmploymentRecord] | None = None,
    follow_ups: Iterable[FollowUpRecord] = (),
    window_months: int = 6,
    as_of: date | None = None,
    by: str | Sequence[str] | None = None,
) -> PriorityGroups:
    """Priority-group shares for ``year``. Trained needs ``enrolments``; new jobs and
    departures need ``spells``; employed after training (the year's graduations at
    ``window_months``, as known on ``as_of``) needs enrolments, spells and ``as_of``."""
    found: dict[str, PriorityShares] = {}
    if enrolments is not None:
        chosen = list(deciding_enrolments(enrolments, year).values())
        found["trained"] = priority_shares(
            "trained", chosen, enrolment_id_of, by, lambda e: training_date(e, year)
        )
    if spells is not None:
        deciding = list(new_job_spells(spells, year).values())
        found["new_jobs"] = priority_shares("new_jobs", deciding, spell_id_of, by, _start)
        gone = [s for s in spells if s.start_date.year == year and is_departure(s)]
        first = list(pick_per_person(gone, lambda s: (s.start_date, s.spell_id)).values())
        found["departures"] = priority_shares("departures", first, spell_id_of, by, _start)
    if enrolments is not None and spells is not None and as_of is not None:
        outcome = employment_after_training(
            enrolments,
            follow_ups,
            spells,
            window_months=window_months,
            cohort=year,
            as_of=as_of,
        )
        employed = _by_id(enrolments, outcome.total.employed.numerator_ids, enrolment_id_of)
        found["employed_after_training"] = priority_shares(
            "employed_after_training", employed, enrolment_id_of, by, _graduated
        )
    return PriorityGroups(year, dimension_names(by), found)


def priority_shares(
    population: str,
    records: Sequence[Any],
    record_id: Callable[[Any], int],
    by: str | Sequence[str] | None = None,
    when: Callable[[Any], date] | None = None,
) -> PriorityShares:
    """The share of each priority group among ``records`` (one per person or graduation)."""
    groups: dict[GroupKey, Mapping[str, Rate]] = {}
    if by is not None and records:
        grouped = cut(records, by, when=when)
        groups = {key: _shares(rows, record_id) for key, rows in grouped.items()}
    return PriorityShares(population, len(records), _shares(records, record_id), groups)


def _shares(records: Sequence[Any], record_id: Callable[[Any], int]) -> dict[str, Rate]:
    everyone = [record_id(r) for r in records]
    return {
        name: rate([record_id(r) for r in records if test(r)], everyone)
        for name, test in PRIORITY_GROUPS.items()
    }


def _by_id(records: Iterable[Any], ids: Iterable[int], record_id: Callable[[Any], int]) -> list:
    wanted = set(ids)
    return [r for r in records if record_id(r) in wanted]


def _start(record: EmploymentRecord) -> date:
    return record.start_date


def _graduated(record: EnrolmentRecord) -> date:
    assert record.graduated_on is not None
    return record.graduated_on
