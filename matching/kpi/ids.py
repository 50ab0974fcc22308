"""The KPI vocabulary, defined once: the ids of the stored KPIs, their measures and dimensions,
and the follow-up windows of employment after training.

Every package names a KPI, a measure or a dimension through these enums; their values are the
strings stored in the snapshot (``kpi_figure.kpi``, ``.measure``, ``.dimension``), and a StrEnum
member equals its string, so SQL filters and stored rows need no conversion. An unknown id is an
error: ``KpiId("nonsense")`` raises ValueError.
"""

from __future__ import annotations

from enum import StrEnum

WINDOWS: tuple[int, ...] = (0, 3, 6, 12)
"""Months after graduation at which employment after training is measured."""

FOLLOW_UP_WINDOWS: tuple[int, ...] = tuple(window for window in WINDOWS if window)
"""The windows that need a follow-up visit (at 0 months the record of the job says it)."""


class KpiId(StrEnum):
    """A stored KPI. Employment after training is one KPI per window."""

    TRAINED = "trained"
    NEW_JOBS = "new_jobs"
    NEW_JOB_STRUCTURE = "new_job_structure"
    ABROAD = "abroad"
    AFTER_TRAINING_0 = "after_training_0"
    AFTER_TRAINING_3 = "after_training_3"
    AFTER_TRAINING_6 = "after_training_6"
    AFTER_TRAINING_12 = "after_training_12"
    TRAINED_SHARE = "trained_share"
    CERTIFIED_SHARE = "certified_share"
    LABOUR_STRUCTURE = "labour_structure"
    ORDERS = "orders"
    VACANCIES = "vacancies"
    OUTCOMES = "outcomes"  # the public page: outcomes of training by occupation, institution
    SUPPLY_DEMAND = "supply_demand"  # the supply-and-demand page's slow parts, stored

    @classmethod
    def after_training(cls, window: int) -> KpiId:
        """Employment after training at ``window`` months; ValueError for another window."""
        for kpi_id, months in KPI_WINDOW.items():
            if months == window:
                return kpi_id
        raise ValueError(f"window must be one of {WINDOWS}, not {window!r}")

    @property
    def window(self) -> int | None:
        """The window of an after-training KPI, None for the others."""
        return KPI_WINDOW.get(self)

    @property
    def family(self) -> KpiFamily:
        """The KPI as a reader picks it (every after-training window is one family)."""
        return KpiFamily.AFTER_TRAINING if self in KPI_WINDOW else KpiFamily(self.value)


KPI_WINDOW: dict[KpiId, int] = {
    KpiId.AFTER_TRAINING_0: 0,
    KpiId.AFTER_TRAINING_3: 3,
    KpiId.AFTER_TRAINING_6: 6,
    KpiId.AFTER_TRAINING_12: 12,
}
"""The window of each after-training KPI."""


class KpiFamily(StrEnum):
    """A KPI as pages and labels name it: the stored KPIs, with every after-training window
    one family (the reader picks the window apart)."""

    TRAINED = "trained"
    NEW_JOBS = "new_jobs"
    NEW_JOB_STRUCTURE = "new_job_structure"
    ABROAD = "abroad"
    AFTER_TRAINING = "after_training"
    TRAINED_SHARE = "trained_share"
    CERTIFIED_SHARE = "certified_share"
    LABOUR_STRUCTURE = "labour_structure"
    ORDERS = "orders"
    VACANCIES = "vacancies"
    OUTCOMES = "outcomes"
    SUPPLY_DEMAND = "supply_demand"

    def at(self, window: int) -> KpiId:
        """The stored KPI of this family (at ``window`` for employment after training)."""
        if self is KpiFamily.AFTER_TRAINING:
            return KpiId.after_training(window)
        return KpiId(self.value)


class Measure(StrEnum):
    """A stored measure of a KPI. The structure KPIs' measures are the sector groups."""

    # trained
    TRAINED = "trained"
    STARTED = "started"
    FINISHED = "finished"
    CERTIFIED = "certified"
    # new jobs, departures abroad
    PEOPLE = "people"
    AGGREGATED = "aggregated"  # new jobs reported as counts without names
    # employment after training
    EMPLOYED = "employed"
    IN_TRAINED_OCCUPATION = "in_trained_occupation"
    RESPONSE = "response"
    NOT_REACHED = "not_reached"
    STUDYING = "studying"
    MILITARY = "military"
    UNOBSERVED = "unobserved"
    # imported shares
    SHARE = "share"
    # labour and new-job structure: the sector groups
    AGRICULTURE = "nlts"
    INDUSTRY = "cnxd"
    SERVICES = "dv"
    UNKNOWN = "unknown"
    # training orders
    ORDERED = "ordered"
    HIRING_COMMITMENT = "hiring_commitment"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    GRADUATED = "graduated"
    HIRED = "hired"
    FILL = "fill"
    COMMITMENT_MET = "commitment_met"
    COST = "cost"
    COST_PER_PLACED = "cost_per_placed"
    # vacancies
    POSTED = "posted"
    PLACES_OFFERED = "places_offered"
    PLACES_FILLED = "places_filled"
    MEDIAN_DAYS_TO_FILL = "median_days_to_fill"
    # outcomes of training (the public page); GRADUATED counts people, the rates are K7's
    EMPLOYED_6 = "employed_6"
    EMPLOYED_12 = "employed_12"
    RESPONSE_6 = "response_6"
    RESPONSE_12 = "response_12"
    IN_TRADE_6 = "in_trade_6"
    IN_TRADE_12 = "in_trade_12"
    MEDIAN_WAGE = "median_wage"
    OPEN_PLACES = "open_places"  # vacancy places open now
    PROMISED_PLACES = "promised_places"  # places training orders promise to hire
    # supply and demand (the page's stored parts)
    COMPLETION = "completion"  # graduates / known outcomes of recently finished courses
    AVAILABLE_NOW = "available_now"  # recent graduates with no job today


SECTORS: tuple[Measure, ...] = (Measure.AGRICULTURE, Measure.INDUSTRY, Measure.SERVICES)
TRAINED_MEASURES: tuple[Measure, ...] = (
    Measure.TRAINED,
    Measure.STARTED,
    Measure.FINISHED,
    Measure.CERTIFIED,
)
AFTER_COUNTS: tuple[Measure, ...] = (
    Measure.NOT_REACHED,
    Measure.STUDYING,
    Measure.MILITARY,
    Measure.UNOBSERVED,
)
"""The after-training measures that count graduations left out of the rate's denominator."""


class Dimension(StrEnum):
    """A stored cut of a KPI (``TOTAL`` is the KPI's total). The values are dimension names
    of ``matching.kpi.cuts``."""

    TOTAL = ""
    MONTH = "month"
    COMMUNE = "commune"
    ZONE = "zone"
    SEX = "sex"
    ETHNICITY = "ethnicity"
    ETHNIC_MINORITY = "ethnic_minority"
    PRIORITY_GROUP = "priority_group"
    HOUSEHOLD = "household"
    AGE_BAND = "age_band"
    LEVEL = "level"
    OCCUPATION = "occupation"
    INSTITUTION = "institution"
    CHANNEL = "channel"
    SECTOR_GROUP = "sector_group"
    SOURCE = "source"
    LOCATION_KIND = "location_kind"
    COUNTRY = "country"
    PROGRAMME = "programme"
    EMPLOYER = "employer"
    STATUS = "status"
    ORDER = "order"
    OCCUPATION_INSTITUTION = "occupation_institution"  # outcomes.pair_key
    INSTITUTION_LEVEL = "institution_level"  # "<institution id>|<level code>"
    OCCUPATION_PLACE = "occupation_place"  # "<occupation id>|<commune code>"
