"""Plain input records of the KPI arithmetic, one type per kind of row.

Each record is flat: the row's own fields plus the dimensions a KPI is cut by (the person's
sex, ethnic group, household, commune and zone; the course's institution, occupation and
level), so that the layer that reads the database fills a record type with ONE query (the row
joined to its person, course and reference data) and builds records with ``Record(**row)``.
The classes are keyword-only for that reason. Ids are the database ids, so a page can open the
rows behind a number.

The vocabularies below repeat the values of ``models.enums`` (``matching`` may not import
``models``); a test checks that the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

# Training levels from lowest to highest (Luật Giáo dục nghề nghiệp). Levels are reference
# data that a law may extend: an unknown level ranks below all of these rather than failing.
LEVELS: tuple[str, ...] = ("duoi_3_thang", "so_cap", "trung_cap", "cao_dang")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
SHORT_COURSE_LEVEL = "duoi_3_thang"

# The province's six new-job channels, in the priority order that decides the channel of a
# person with new jobs in several channels in one year.
CHANNELS: tuple[str, ...] = (
    "vay_von",
    "xuat_khau_lao_dong",
    "dn_ngoai_tinh",
    "dn_trong_tinh",
    "co_quan_hcsn",
    "chuong_trinh_khac_tu_tao",
)
CHANNEL_RANK: dict[str, int] = {channel: rank for rank, channel in enumerate(CHANNELS)}

ENROLMENT_DROPPED = "bo_hoc"
ENROLMENT_COMPLETED = "hoan_thanh"
ENROLMENT_GRADUATED = "tot_nghiep"
FINISHED_STATUSES = frozenset({ENROLMENT_COMPLETED, ENROLMENT_GRADUATED})

ABROAD = "abroad"  # an employment kind and a location kind
SECTOR_GROUPS: tuple[str, ...] = ("nlts", "cnxd", "dv")
POOR_HOUSEHOLDS = frozenset({"ngheo", "can_ngheo"})
WOMAN = "nu"


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonDimensions:
    """What a KPI can be cut by about a person, as recorded on the person's row. No defaults:
    a conversion that forgets a column fails loudly instead of biasing the priority shares."""

    sex: str | None  # nam | nu
    ethnicity_code: str | None  # two-digit official code, 01 = Kinh
    is_ethnic_minority: bool
    household_status: str | None  # ngheo | can_ngheo | None
    has_disability: bool
    in_zone_iii: bool
    in_difficult_village: bool
    commune_code: str | None  # the commune the person lives in
    zone: str | None  # I | II | III, of that commune
    birth_year: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EnrolmentRecord(PersonDimensions):
    """A person in a course, with the course's institution, occupation, level and order."""

    person_id: int
    enrolment_id: int
    course_id: int
    institution_id: int | None = None
    occupation_key: str | None = None
    level: str | None = None
    started_on: date  # the day training started (the enrolment date)
    ended_on: date | None = None  # the course's end date
    status: str  # dang_hoc | bo_hoc | hoan_thanh | tot_nghiep
    graduated_on: date | None = None
    certificate_kind: str | None = None
    training_order_id: int | None = None

    @property
    def finished_on(self) -> date | None:
        """When training finished: graduation, else the course end for a completed course."""
        if self.status not in FINISHED_STATUSES:
            return None
        return self.graduated_on or self.ended_on


@dataclass(frozen=True, slots=True, kw_only=True)
class EmploymentRecord(PersonDimensions):
    """An employment spell with its channel, place and sector. ``level`` and
    ``institution_id`` come from the enrolment the job followed (None for untrained people);
    ``occupation_key`` is the job's occupation; ``commune_code`` is where the worker lives and
    ``work_commune_code`` where the job is."""

    person_id: int
    spell_id: int
    start_date: date
    end_date: date | None = None
    kind: str  # wage | self_employed | household | abroad | improved_same_job
    channel: str
    is_new_job: bool = True
    location_kind: str = "commune"  # commune | other_province | abroad
    work_commune_code: str | None = None
    country_code: str | None = None
    abroad_programme: str | None = None
    employer_id: int | None = None
    vacancy_id: int | None = None
    referral_id: int | None = None
    enrolment_id: int | None = None
    in_trained_occupation: bool | None = None
    sector_group: str | None = None  # nlts | cnxd | dv
    wage: int | None = None
    source: str = "platform"  # platform | employer | commune_report | agency_report
    occupation_key: str | None = None
    level: str | None = None
    institution_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AggregateRecord:
    """A count of new jobs reported without names (the register's aggregate line), with how
    many named lines the same reporter gave for the same month, channel and commune
    (``named``): only the part above those counts (see ``jobs.aggregate_counts``)."""

    id: int
    source: str
    commune_code: str | None = None  # where the people live; None: the whole province
    channel: str
    month: date  # the first day of the month the jobs started in
    people: int
    named: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpRecord(PersonDimensions):
    """What a graduate was doing ``months_after`` graduation, with the enrolment's dims."""

    follow_up_id: int
    enrolment_id: int
    person_id: int
    months_after: int
    observed_on: date
    status: str  # wage | ... | unemployed | studying | military | not_reached
    in_trained_occupation: bool | None = None
    source: str = "phone"
    employment_spell_id: int | None = None
    course_id: int | None = None
    institution_id: int | None = None
    occupation_key: str | None = None
    level: str | None = None
    graduated_on: date | None = None
    training_order_id: int | None = None
    income: int | None = None  # the monthly wage or income reported, VND


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRecord:
    """A training order: how many workers an employer ordered and commits to hire."""

    id: int
    employer_id: int
    institution_id: int | None = None
    occupation_key: str | None = None
    level: str | None = None
    quantity: int  # workers ordered
    hiring_commitment: int = 0
    unit_cost: int | None = None  # VND per learner
    status: str = "requested"
    requested_on: date
    needed_by: date | None = None
    location_kind: str = "commune"
    commune_code: str | None = None  # where the ordered workers will work


@dataclass(frozen=True, slots=True, kw_only=True)
class VacancyRecord:
    """Places an employer offered, how many are filled, and when the last one was."""

    id: int
    employer_id: int
    occupation_key: str | None = None
    location_kind: str = "commune"
    commune_code: str | None = None  # where the job is
    quantity: int
    filled: int = 0
    created_on: date
    filled_on: date | None = None  # when the last place was filled
    status: str = "open"  # draft | open | filled | closed


@dataclass(frozen=True, slots=True, kw_only=True)
class LabourForceRecord:
    """Labour-force figures an official imported with their source; commune_code None is the
    whole province."""

    id: int
    year: int
    commune_code: str | None = None
    labour_force: int
    trained: int  # employed workers who were trained (K4's numerator)
    trained_certified: int  # of them, 3 months or more with a diploma or certificate (K5)
    employed: int  # K4's, K5's and K6's denominator
    employed_nlts: int
    employed_cnxd: int
    employed_dv: int
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetRecord:
    """A target: a figure (people) or a percentage, as a range when the plan gives one.
    KPI shares are fractions (0.65); a target in ``percent`` (65) is read as its fraction.
    ``path_to`` is set on a target drawn on the path to a later milestone
    (``milestones.path_target``): the milestone's year."""

    indicator: str
    year: int
    value_min: float
    value_max: float | None = None
    unit: str = "people"  # people | percent
    path_to: int | None = None


def level_rank(level: str | None) -> int:
    """Rank of a training level: 0 for duoi_3_thang … 3 for cao_dang, -1 unknown or none."""
    return LEVEL_RANK.get(level, -1)  # type: ignore[arg-type]


def channel_rank(channel: str) -> int:
    """Priority of a new-job channel: 0 is counted first; an unknown channel comes last."""
    return CHANNEL_RANK.get(channel, len(CHANNELS))


# Ids of records, as C-level getters: they run once per record counted.
person_id_of: Callable[[Any], int] = attrgetter("person_id")
enrolment_id_of: Callable[[Any], int] = attrgetter("enrolment_id")
spell_id_of: Callable[[Any], int] = attrgetter("spell_id")
