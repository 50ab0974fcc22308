"""K10 (part): vacancies posted in a year, places offered and filled, fill rate and the median
number of days from posting to the last place filled.

A vacancy counts in the year it was posted (``created_on``); drafts are not posted. The fill
rate is places filled ÷ places offered, as known today (a vacancy posted in December and filled
in January counts in the year it was posted). Days to fill are measured on the vacancies whose
places are all filled (``filled_on`` set).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from matching.kpi.cuts import cut, dimension_names
from matching.kpi.records import VacancyRecord
from matching.kpi.results import GroupKey, Rate, rate_of_totals

DRAFT = "draft"


@dataclass(frozen=True, slots=True)
class VacancyStats:
    """Places offered and filled over a set of vacancies."""

    vacancy_ids: tuple[int, ...]
    places_offered: int
    places_filled: int
    fill: Rate  # places filled ÷ places offered
    filled_vacancy_ids: tuple[int, ...]  # every place filled: these give the days to fill
    median_days_to_fill: float | None


@dataclass(frozen=True, slots=True)
class Vacancies:
    """Vacancies posted in a year, in total and per group."""

    year: int
    total: VacancyStats
    by: tuple[str, ...]
    groups: Mapping[GroupKey, VacancyStats]


def vacancies(
    posted: Iterable[VacancyRecord], year: int, *, by: str | Sequence[str] | None = None
) -> Vacancies:
    """Vacancies posted in ``year``, cut by their fields (occupation, commune, location_kind,
    employer, month of posting…)."""
    kept = [v for v in posted if v.created_on.year == year and v.status != DRAFT]
    groups: dict[GroupKey, VacancyStats] = {}
    if by is not None:
        grouped = cut(kept, by, when=lambda v: v.created_on, record_type=VacancyRecord)
        groups = {key: vacancy_stats(rows) for key, rows in grouped.items()}
    return Vacancies(year, vacancy_stats(kept), dimension_names(by), groups)


def vacancy_stats(rows: Sequence[VacancyRecord]) -> VacancyStats:
    """Places and fill figures over ``rows``."""
    offered = sum(v.quantity for v in rows)
    filled = sum(v.filled for v in rows)
    done = [v for v in rows if v.filled_on is not None]
    days = [max(0, (v.filled_on - v.created_on).days) for v in done if v.filled_on is not None]
    return VacancyStats(
        vacancy_ids=tuple(v.id for v in rows),
        places_offered=offered,
        places_filled=filled,
        fill=rate_of_totals(filled, offered),
        filled_vacancy_ids=tuple(v.id for v in done),
        median_days_to_fill=statistics.median(days) if days else None,
    )
