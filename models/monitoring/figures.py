"""Every figure of a year, computed by ``matching.kpi`` and flattened into rows: one row per
KPI, measure, dimension and group, with the ids of the records behind it.

This module is the one place that decides which KPIs and cuts the dashboard, the drill-down and
the yearly report show; they all read the rows it produces, so their numbers are the KPI
functions' numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from matching import kpi
from matching.kpi import Count, Rate

# Cuts shared by every KPI about people.
PERSON_DIMENSIONS = (
    "commune",
    "zone",
    "sex",
    "ethnicity",
    "ethnic_minority",
    "priority_group",
    "household",
    "age_band",
)
TRAINED_DIMENSIONS = ("month", "level", "occupation", "institution", *PERSON_DIMENSIONS)
NEW_JOB_DIMENSIONS = (
    "month",
    "channel",
    "sector_group",
    "source",
    "location_kind",
    "occupation",
    "level",
    "institution",
    *PERSON_DIMENSIONS,
)
ABROAD_DIMENSIONS = (
    "month",
    "country",
    "programme",
    "occupation",
    "level",
    "institution",
    *PERSON_DIMENSIONS,
)
AFTER_DIMENSIONS = ("month", "level", "occupation", "institution", *PERSON_DIMENSIONS)
ORDER_DIMENSIONS = ("month", "occupation", "institution", "employer", "level", "commune", "status")
VACANCY_DIMENSIONS = ("month", "occupation", "commune", "location_kind", "employer")
WINDOWS = (0, 3, 6, 12)

NONE_KEY = "?"  # the group of records with no value for the dimension
TOTAL = ""  # dimension and key of a KPI's total


@dataclass(frozen=True, slots=True)
class Figure:
    """One number with the ids behind it (see models.tables.KpiFigure)."""

    kpi: str
    measure: str
    dimension: str
    group_key: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    record_kind: str = ""
    note: str = ""
    ids: tuple[int, ...] = ()
    base_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class YearInput:
    """The records one year's figures are computed from."""

    year: int
    as_of: date
    enrolments: list[kpi.EnrolmentRecord]  # started, ended or graduated in the year
    spells: list[kpi.EmploymentRecord]  # started in the year
    graduate_spells: list[kpi.EmploymentRecord]  # every spell of the year's graduates
    follow_ups: list[kpi.FollowUpRecord]  # of the year's graduations
    orders: list[kpi.OrderRecord]  # requested in the year
    order_enrolments: list[kpi.EnrolmentRecord]
    order_spells: list[kpi.EmploymentRecord]
    vacancies: list[kpi.VacancyRecord]  # posted in the year
    labour_force: list[kpi.LabourForceRecord]
    labour_force_source: str | None  # the source used when several were imported


def group_key(key: Any) -> str:
    """A group's key as stored: None is NONE_KEY, booleans are 'true' / 'false'."""
    if key is None:
        return NONE_KEY
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def year_figures(data: YearInput) -> Iterator[Figure]:
    """Every figure of ``data.year``."""
    yield from _trained(data)
    yield from _new_jobs(data)
    yield from _abroad(data)
    for window in WINDOWS:
        yield from _after_training(data, window)
    yield from _labour_force(data)
    yield from _orders(data)
    yield from _vacancies(data)


def _count(kpi_id: str, measure: str, dim: str, key: Any, count: Count, kind: str) -> Figure:
    return Figure(
        kpi_id,
        measure,
        dim,
        group_key(key) if dim else TOTAL,
        count.value,
        record_kind=kind,
        ids=count.record_ids,
    )


def _rate(kpi_id: str, measure: str, dim: str, key: Any, rate: Rate, kind: str) -> Figure:
    return Figure(
        kpi_id,
        measure,
        dim,
        group_key(key) if dim else TOTAL,
        rate.value,
        rate.numerator,
        rate.denominator,
        kind,
        ids=rate.numerator_ids,
        base_ids=rate.denominator_ids,
    )


def _trained(data: YearInput) -> Iterator[Figure]:
    def rows(dim: str, key: Any, counts: kpi.TrainedCounts) -> Iterator[Figure]:
        for measure in ("trained", "started", "finished", "certified"):
            yield _count("trained", measure, dim, key, getattr(counts, measure), "enrolment")

    result, cuts = kpi.trained_cuts(data.enrolments, data.year, TRAINED_DIMENSIONS)
    yield from rows(TOTAL, None, result.total)
    for dim, groups in zip(TRAINED_DIMENSIONS, cuts, strict=True):
        for key, counts in groups.items():
            yield from rows(dim, key, counts)


def _new_jobs(data: YearInput) -> Iterator[Figure]:
    total, cuts = kpi.new_jobs_cuts(data.spells, data.year, NEW_JOB_DIMENSIONS)
    yield _count("new_jobs", "people", TOTAL, None, total.total, "spell")
    for dim, groups in zip(NEW_JOB_DIMENSIONS, cuts, strict=True):
        for key, count in groups.items():
            yield _count("new_jobs", "people", dim, key, count, "spell")
    structure = kpi.new_job_structure(data.spells, data.year)
    for sector, rate in structure.shares.items():
        yield _rate("new_job_structure", sector, TOTAL, None, rate, "spell")
    yield Figure("new_job_structure", "unknown", TOTAL, TOTAL, structure.unknown)


def _abroad(data: YearInput) -> Iterator[Figure]:
    yield _count("abroad", "people", TOTAL, None, kpi.abroad(data.spells, data.year).total, "spell")
    for dim in ABROAD_DIMENSIONS:
        for key, count in kpi.abroad(data.spells, data.year, by=dim).groups.items():
            yield _count("abroad", "people", dim, key, count, "spell")


def _after_training(data: YearInput, window: int) -> Iterator[Figure]:
    kpi_id = f"after_training_{window}"

    def rows(dim: str, key: Any, stats: kpi.AfterTrainingStats) -> Iterator[Figure]:
        yield _rate(kpi_id, "employed", dim, key, stats.employed, "enrolment")
        yield _rate(
            kpi_id, "in_trained_occupation", dim, key, stats.in_trained_occupation, "enrolment"
        )
        yield _rate(kpi_id, "response", dim, key, stats.response, "enrolment")
        for measure in ("not_reached", "studying", "military", "unobserved"):
            ids = getattr(stats, f"{measure}_ids")
            gk = group_key(key) if dim else TOTAL
            yield Figure(kpi_id, measure, dim, gk, len(ids), record_kind="enrolment", ids=ids)

    result, cuts = kpi.employment_after_training_cuts(
        data.enrolments,
        data.follow_ups,
        data.graduate_spells,
        window_months=window,
        cohort=data.year,
        as_of=data.as_of,
        cuts=AFTER_DIMENSIONS,
    )
    yield from rows(TOTAL, None, result.total)
    for dim, groups in zip(AFTER_DIMENSIONS, cuts, strict=True):
        for key, stats in groups.items():
            yield from rows(dim, key, stats)


def _labour_force(data: YearInput) -> Iterator[Figure]:
    source = data.labour_force_source
    note = source or ""
    for kpi_id, function in (
        ("trained_share", kpi.trained_share),
        ("certified_share", kpi.certified_share),
    ):
        result = function(data.labour_force, data.year, source=source, by="commune")
        yield Figure(kpi_id, "share", TOTAL, TOTAL, *_totals(result.share), note=note)
        for key, rate in result.groups.items():
            yield Figure(kpi_id, "share", "commune", group_key(key), *_totals(rate), note=note)
    structure = kpi.labour_structure(data.labour_force, data.year, source=source)
    for sector, rate in structure.shares.items():
        yield Figure("labour_structure", sector, TOTAL, TOTAL, *_totals(rate), note=note)


def _totals(rate: Rate) -> tuple[float | None, int, int]:
    return rate.value, rate.numerator, rate.denominator


def _orders(data: YearInput) -> Iterator[Figure]:
    def compute(by: str | None) -> kpi.Orders:
        return kpi.orders(
            data.orders, data.order_enrolments, data.order_spells, year=data.year, by=by
        )

    result = compute(None)
    yield from _order_rows(TOTAL, None, result.total)
    for order_id, outcome in result.orders.items():
        yield from _order_rows("order", order_id, outcome)
    for dim in ORDER_DIMENSIONS:
        for key, outcome in compute(dim).groups.items():
            yield from _order_rows(dim, key, outcome)


def _order_rows(dim: str, key: Any, outcome: kpi.OrderOutcome) -> Iterator[Figure]:
    gk = group_key(key) if dim else TOTAL
    yield Figure(
        "orders", "ordered", dim, gk, outcome.ordered, record_kind="order", ids=outcome.order_ids
    )
    yield Figure(
        "orders",
        "hiring_commitment",
        dim,
        gk,
        outcome.hiring_commitment,
        record_kind="order",
        ids=outcome.order_ids,
    )
    for measure in ("enrolled", "completed", "graduated", "certified"):
        yield _count("orders", measure, dim, key, getattr(outcome, measure), "enrolment")
    yield _count("orders", "hired", dim, key, outcome.hired, "spell")
    yield _rate("orders", "fill", dim, key, outcome.fill, "")
    yield _rate("orders", "commitment_met", dim, key, outcome.commitment_met, "")
    yield Figure("orders", "cost", dim, gk, outcome.cost)
    yield Figure("orders", "cost_per_placed", dim, gk, outcome.cost_per_placed)


def _vacancies(data: YearInput) -> Iterator[Figure]:
    def rows(dim: str, key: Any, stats: kpi.VacancyStats) -> Iterator[Figure]:
        gk = group_key(key) if dim else TOTAL
        yield Figure(
            "vacancies",
            "posted",
            dim,
            gk,
            len(stats.vacancy_ids),
            record_kind="vacancy",
            ids=stats.vacancy_ids,
        )
        yield Figure(
            "vacancies",
            "places_offered",
            dim,
            gk,
            stats.places_offered,
            record_kind="vacancy",
            ids=stats.vacancy_ids,
        )
        yield Figure(
            "vacancies",
            "places_filled",
            dim,
            gk,
            stats.places_filled,
            record_kind="vacancy",
            ids=stats.vacancy_ids,
        )
        yield _rate("vacancies", "fill", dim, key, stats.fill, "")
        yield Figure(
            "vacancies",
            "median_days_to_fill",
            dim,
            gk,
            stats.median_days_to_fill,
            record_kind="vacancy",
            ids=stats.filled_vacancy_ids,
        )

    yield from rows(TOTAL, None, kpi.vacancies(data.vacancies, data.year).total)
    for dim in VACANCY_DIMENSIONS:
        for key, stats in kpi.vacancies(data.vacancies, data.year, by=dim).groups.items():
            yield from rows(dim, key, stats)
