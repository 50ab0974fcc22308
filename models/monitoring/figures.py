"""Every figure of a year, computed by ``matching.kpi`` and flattened into rows: one row per
KPI, measure, dimension and group, with the ids of the records behind it.

This module is the one place that decides which KPIs and cuts the dashboard, the drill-down and
the yearly report show; they all read the rows it produces, so their numbers are the KPI
functions' numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from matching import kpi
from matching.kpi import (
    AFTER_COUNTS,
    TRAINED_MEASURES,
    WINDOWS,
    Count,
    Dimension,
    KpiId,
    Measure,
    Rate,
)
from matching.kpi import outcomes as outcome_kpi

D = Dimension
M = Measure

# Cuts shared by every KPI about people.
PERSON_DIMENSIONS = (
    D.COMMUNE,
    D.ZONE,
    D.SEX,
    D.ETHNICITY,
    D.ETHNIC_MINORITY,
    D.PRIORITY_GROUP,
    D.HOUSEHOLD,
    D.AGE_BAND,
)
TRAINED_DIMENSIONS = (D.MONTH, D.LEVEL, D.OCCUPATION, D.INSTITUTION, *PERSON_DIMENSIONS)
NEW_JOB_DIMENSIONS = (
    D.MONTH,
    D.CHANNEL,
    D.SECTOR_GROUP,
    D.SOURCE,
    D.LOCATION_KIND,
    D.OCCUPATION,
    D.LEVEL,
    D.INSTITUTION,
    *PERSON_DIMENSIONS,
)
ABROAD_DIMENSIONS = (
    D.MONTH,
    D.COUNTRY,
    D.PROGRAMME,
    D.OCCUPATION,
    D.LEVEL,
    D.INSTITUTION,
    *PERSON_DIMENSIONS,
)
AFTER_DIMENSIONS = (D.MONTH, D.LEVEL, D.OCCUPATION, D.INSTITUTION, *PERSON_DIMENSIONS)
ORDER_DIMENSIONS = (
    D.MONTH,
    D.OCCUPATION,
    D.INSTITUTION,
    D.EMPLOYER,
    D.LEVEL,
    D.COMMUNE,
    D.STATUS,
)
VACANCY_DIMENSIONS = (D.MONTH, D.OCCUPATION, D.COMMUNE, D.LOCATION_KIND, D.EMPLOYER)

NONE_KEY = "?"  # the group of records with no value for the dimension
TOTAL = Dimension.TOTAL  # dimension and key of a KPI's total


@dataclass(frozen=True, slots=True)
class Figure:
    """One number with the ids behind it (see models.tables.KpiFigure)."""

    kpi: KpiId
    measure: Measure
    dimension: Dimension
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
    aggregates: list[kpi.AggregateRecord] = field(default_factory=list)  # counts without names
    # Outcomes of training (the public page): read for the current year only.
    outcomes: OutcomeInput | None = None
    # The supply-and-demand page's stored parts: read for the current year only.
    supply: SupplyInput | None = None


@dataclass(frozen=True, slots=True)
class OutcomeInput:
    """The records of the outcomes page: graduations of the last three years, their follow-ups
    and spells, and the demand open now by occupation key."""

    enrolments: list[kpi.EnrolmentRecord]
    follow_ups: list[kpi.FollowUpRecord]
    spells: list[kpi.EmploymentRecord]
    open_places: dict[str, int]
    promised_places: dict[str, int]


@dataclass(frozen=True, slots=True)
class SupplyInput:
    """The supply-and-demand page's slow parts as of the refresh's day (supply_inputs):
    completion rates (rate key, graduated, known outcomes, rate) and graduates available now
    by occupation id, and by occupation id and course venue."""

    completion: list[tuple[str, int, int, float]]
    available_by_occupation: list[tuple[int | None, int]]
    available_by_place: list[tuple[int | None, str | None, int]]


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
    if data.outcomes is not None:
        yield from _outcomes(data.outcomes, data.as_of)
    if data.supply is not None:
        yield from _supply(data.supply)


def _count(
    kpi_id: KpiId, measure: Measure, dim: Dimension, key: Any, count: Count, kind: str
) -> Figure:
    return Figure(
        kpi_id,
        measure,
        dim,
        group_key(key) if dim else TOTAL,
        count.value,
        record_kind=kind,
        ids=count.record_ids,
    )


def _rate(
    kpi_id: KpiId, measure: Measure, dim: Dimension, key: Any, rate: Rate, kind: str
) -> Figure:
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
    def rows(dim: Dimension, key: Any, counts: kpi.TrainedCounts) -> Iterator[Figure]:
        for measure in TRAINED_MEASURES:
            yield _count(KpiId.TRAINED, measure, dim, key, getattr(counts, measure), "enrolment")

    result, cuts = kpi.trained_cuts(data.enrolments, data.year, TRAINED_DIMENSIONS)
    yield from rows(TOTAL, None, result.total)
    for dim, groups in zip(TRAINED_DIMENSIONS, cuts, strict=True):
        for key, counts in groups.items():
            yield from rows(dim, key, counts)


# The cuts an aggregate line can be placed in; in every other cut its people are "not recorded".
AGGREGATE_KEYS = {
    D.MONTH: lambda a: f"{a.month.year:04d}-{a.month.month:02d}",
    D.CHANNEL: lambda a: a.channel,
    D.SOURCE: lambda a: a.source,
    D.COMMUNE: lambda a: a.commune_code,
}


def _new_jobs(data: YearInput) -> Iterator[Figure]:
    """K2: people named in spells, once each; plus the people of aggregate lines, added to
    the total and to the groups they can be placed in, and shown on their own as the
    measure ``aggregated`` (their ids are aggregate lines, not spells)."""
    total, cuts = kpi.new_jobs_cuts(data.spells, data.year, NEW_JOB_DIMENSIONS)
    counted = kpi.aggregate_counts(data.aggregates, data.year)
    added = [a for a in data.aggregates if a.id in counted]
    yield _plus(
        _count(KpiId.NEW_JOBS, M.PEOPLE, TOTAL, None, total.total, "spell"), sum(counted.values())
    )
    for dim, groups in zip(NEW_JOB_DIMENSIONS, cuts, strict=True):
        extra = _aggregate_groups(dim, added, counted)
        for key, count in groups.items():
            figure = _count(KpiId.NEW_JOBS, M.PEOPLE, dim, key, count, "spell")
            yield _plus(figure, extra.pop(figure.group_key, 0))
        for key, people in extra.items():
            yield Figure(KpiId.NEW_JOBS, M.PEOPLE, dim, key, people, record_kind="spell")
    yield from _aggregated(added, counted)
    structure = kpi.new_job_structure(data.spells, data.year)
    for sector, rate in structure.shares.items():
        yield _rate(KpiId.NEW_JOB_STRUCTURE, Measure(sector), TOTAL, None, rate, "spell")
    yield Figure(KpiId.NEW_JOB_STRUCTURE, M.UNKNOWN, TOTAL, TOTAL, structure.unknown)


def _plus(figure: Figure, people: int) -> Figure:
    return replace(figure, value=(figure.value or 0) + people) if people else figure


def _aggregate_groups(
    dim: Dimension, added: list[kpi.AggregateRecord], counted: dict[int, int]
) -> dict[str, int]:
    key_of = AGGREGATE_KEYS.get(dim, lambda _a: None)
    groups: dict[str, int] = {}
    for aggregate in added:
        key = group_key(key_of(aggregate))
        groups[key] = groups.get(key, 0) + counted[aggregate.id]
    return groups


def _aggregated(added: list[kpi.AggregateRecord], counted: dict[int, int]) -> Iterator[Figure]:
    """The people of aggregate lines alone, in total and by the cuts they can be placed in."""
    ids = tuple(a.id for a in added)
    yield Figure(
        KpiId.NEW_JOBS,
        M.AGGREGATED,
        TOTAL,
        TOTAL,
        sum(counted.values()),
        record_kind="aggregate",
        ids=ids,
    )
    for dim in AGGREGATE_KEYS:
        for key, people in _aggregate_groups(dim, added, counted).items():
            members = tuple(a.id for a in added if group_key(AGGREGATE_KEYS[dim](a)) == key)
            yield Figure(
                KpiId.NEW_JOBS, M.AGGREGATED, dim, key, people, record_kind="aggregate", ids=members
            )


def _abroad(data: YearInput) -> Iterator[Figure]:
    yield _count(
        KpiId.ABROAD, M.PEOPLE, TOTAL, None, kpi.abroad(data.spells, data.year).total, "spell"
    )
    for dim in ABROAD_DIMENSIONS:
        for key, count in kpi.abroad(data.spells, data.year, by=dim).groups.items():
            yield _count(KpiId.ABROAD, M.PEOPLE, dim, key, count, "spell")


def _after_training(data: YearInput, window: int) -> Iterator[Figure]:
    kpi_id = KpiId.after_training(window)

    def rows(dim: Dimension, key: Any, stats: kpi.AfterTrainingStats) -> Iterator[Figure]:
        yield _rate(kpi_id, M.EMPLOYED, dim, key, stats.employed, "enrolment")
        yield _rate(
            kpi_id, M.IN_TRAINED_OCCUPATION, dim, key, stats.in_trained_occupation, "enrolment"
        )
        yield _rate(kpi_id, M.RESPONSE, dim, key, stats.response, "enrolment")
        for measure in AFTER_COUNTS:
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
        (KpiId.TRAINED_SHARE, kpi.trained_share),
        (KpiId.CERTIFIED_SHARE, kpi.certified_share),
    ):
        result = function(data.labour_force, data.year, source=source, by=D.COMMUNE)
        yield Figure(kpi_id, M.SHARE, TOTAL, TOTAL, *_totals(result.share), note=note)
        for key, rate in result.groups.items():
            yield Figure(kpi_id, M.SHARE, D.COMMUNE, group_key(key), *_totals(rate), note=note)
    structure = kpi.labour_structure(data.labour_force, data.year, source=source)
    for sector, rate in structure.shares.items():
        yield Figure(
            KpiId.LABOUR_STRUCTURE, Measure(sector), TOTAL, TOTAL, *_totals(rate), note=note
        )


def _totals(rate: Rate) -> tuple[float | None, int, int]:
    return rate.value, rate.numerator, rate.denominator


def _orders(data: YearInput) -> Iterator[Figure]:
    def compute(by: Dimension | None) -> kpi.Orders:
        return kpi.orders(
            data.orders, data.order_enrolments, data.order_spells, year=data.year, by=by
        )

    result = compute(None)
    yield from _order_rows(TOTAL, None, result.total)
    for order_id, outcome in result.orders.items():
        yield from _order_rows(D.ORDER, order_id, outcome)
    for dim in ORDER_DIMENSIONS:
        for key, outcome in compute(dim).groups.items():
            yield from _order_rows(dim, key, outcome)


def _order_rows(dim: Dimension, key: Any, outcome: kpi.OrderOutcome) -> Iterator[Figure]:
    gk = group_key(key) if dim else TOTAL
    yield Figure(
        KpiId.ORDERS,
        M.ORDERED,
        dim,
        gk,
        outcome.ordered,
        record_kind="order",
        ids=outcome.order_ids,
    )
    yield Figure(
        KpiId.ORDERS,
        M.HIRING_COMMITMENT,
        dim,
        gk,
        outcome.hiring_commitment,
        record_kind="order",
        ids=outcome.order_ids,
    )
    for measure in (M.ENROLLED, M.COMPLETED, M.GRADUATED, M.CERTIFIED):
        yield _count(KpiId.ORDERS, measure, dim, key, getattr(outcome, measure), "enrolment")
    yield _count(KpiId.ORDERS, M.HIRED, dim, key, outcome.hired, "spell")
    yield _rate(KpiId.ORDERS, M.FILL, dim, key, outcome.fill, "")
    yield _rate(KpiId.ORDERS, M.COMMITMENT_MET, dim, key, outcome.commitment_met, "")
    yield Figure(KpiId.ORDERS, M.COST, dim, gk, outcome.cost)
    yield Figure(KpiId.ORDERS, M.COST_PER_PLACED, dim, gk, outcome.cost_per_placed)


def _vacancies(data: YearInput) -> Iterator[Figure]:
    def rows(dim: Dimension, key: Any, stats: kpi.VacancyStats) -> Iterator[Figure]:
        gk = group_key(key) if dim else TOTAL
        yield Figure(
            KpiId.VACANCIES,
            M.POSTED,
            dim,
            gk,
            len(stats.vacancy_ids),
            record_kind="vacancy",
            ids=stats.vacancy_ids,
        )
        yield Figure(
            KpiId.VACANCIES,
            M.PLACES_OFFERED,
            dim,
            gk,
            stats.places_offered,
            record_kind="vacancy",
            ids=stats.vacancy_ids,
        )
        yield Figure(
            KpiId.VACANCIES,
            M.PLACES_FILLED,
            dim,
            gk,
            stats.places_filled,
            record_kind="vacancy",
            ids=stats.vacancy_ids,
        )
        yield _rate(KpiId.VACANCIES, M.FILL, dim, key, stats.fill, "")
        yield Figure(
            KpiId.VACANCIES,
            M.MEDIAN_DAYS_TO_FILL,
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


OUTCOME_CUTS = (D.OCCUPATION, D.INSTITUTION, D.OCCUPATION_INSTITUTION)
_OUTCOME_RATES = {
    6: (M.EMPLOYED_6, M.RESPONSE_6, M.IN_TRADE_6),
    12: (M.EMPLOYED_12, M.RESPONSE_12, M.IN_TRADE_12),
}


def _outcomes(data: OutcomeInput, as_of: date) -> Iterator[Figure]:
    """The public outcomes page's figures (matching/kpi/outcomes.py); unsuppressed: the page
    hides small groups when it reads them."""
    total, cuts = outcome_kpi.outcomes(
        data.enrolments,
        data.follow_ups,
        data.spells,
        as_of=as_of,
        cuts=(D.OCCUPATION.value, D.INSTITUTION.value, outcome_kpi.PAIR),
    )
    yield from _outcome_rows(TOTAL, TOTAL, total)
    for dim, groups in zip(OUTCOME_CUTS, cuts, strict=True):
        for key, stats in groups.items():
            gk = _outcome_key(dim, key)
            yield from _outcome_rows(dim, gk, stats)
    for measure, places in (
        (M.OPEN_PLACES, data.open_places),
        (M.PROMISED_PLACES, data.promised_places),
    ):
        yield Figure(KpiId.OUTCOMES, measure, TOTAL, TOTAL, sum(places.values()))
        for occupation, value in places.items():
            yield Figure(KpiId.OUTCOMES, measure, D.OCCUPATION, occupation, value)


def _outcome_key(dim: Dimension, key: Any) -> str:
    if dim is D.OCCUPATION_INSTITUTION:
        occupation, institution = key
        return outcome_kpi.pair_key(occupation, institution)
    return group_key(key)


def _outcome_rows(dim: Dimension, gk: str, stats: outcome_kpi.OutcomeStats) -> Iterator[Figure]:
    people = stats.graduated
    yield Figure(
        KpiId.OUTCOMES, M.GRADUATED, dim, gk, people.value, record_kind="enrolment",
        ids=people.record_ids,
    )  # fmt: skip
    for window, after in stats.after.items():
        for measure, result in zip(
            _OUTCOME_RATES[window],
            (after.employed, after.response, after.in_trained_occupation),
            strict=True,
        ):
            figure = _rate(KpiId.OUTCOMES, measure, dim, None, result, "enrolment")
            yield replace(figure, group_key=gk)
    yield Figure(
        KpiId.OUTCOMES, M.MEDIAN_WAGE, dim, gk, stats.median_wage, len(stats.wages),
        record_kind="enrolment", ids=stats.wage_ids,
    )  # fmt: skip


def place_key(occupation: Any, place: Any) -> str:
    """The group key of ``Dimension.OCCUPATION_PLACE``: "<occupation id>|<commune code>"."""
    return f"{group_key(occupation)}|{group_key(place)}"


def _supply(data: SupplyInput) -> Iterator[Figure]:
    """The supply-and-demand page's stored parts (models/queries/supply_demand_stored.py reads
    them). The total of the graduates available now is always stored: it says that the
    snapshot holds these figures, even when they are all zero."""
    kpi_id, available = KpiId.SUPPLY_DEMAND, M.AVAILABLE_NOW
    for key, graduated, known, rate in data.completion:
        yield Figure(kpi_id, M.COMPLETION, D.INSTITUTION_LEVEL, key, rate, graduated, known)
    people = sum(count for _, count in data.available_by_occupation)
    yield Figure(kpi_id, available, TOTAL, TOTAL, people)
    for occupation, count in data.available_by_occupation:
        yield Figure(kpi_id, available, D.OCCUPATION, group_key(occupation), count)
    for occupation, place, count in data.available_by_place:
        yield Figure(kpi_id, available, D.OCCUPATION_PLACE, place_key(occupation, place), count)
