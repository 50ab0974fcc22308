"""Training institutions and their courses for the demo: about twenty providers (the college,
the regional GDNN-GDTX centres, trung cấp schools, associations' centres and enterprises that
train) and, each year, enough classes for the year's trainees at each level.

Occupation weights per level (`seed/data/demo_occupations.csv`) make agriculture dominate the
short courses, as in the province's reports; long programmes lean to electricity, mechanics,
IT, accounting, veterinary and hospitality.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from matching.text import search_key
from models.enums import CourseStatus, FundingSource
from seed.demo.context import (
    DemoBuild,
    Row,
    WeightedPicker,
    local_time,
    random_date,
    round_to,
)
from seed.demo.names import DATA, landline
from seed.demo.population import Population
from seed.demo.snapshot import Occupation

SHORT_LEVELS = ("duoi_3_thang", "so_cap")
LEVEL_NAMES = {
    "duoi_3_thang": "dưới 3 tháng",
    "so_cap": "sơ cấp",
    "trung_cap": "trung cấp",
    "cao_dang": "cao đẳng",
}
HOURS = {
    "duoi_3_thang": (100, 300),
    "so_cap": (300, 600),
    "trung_cap": (1400, 1900),
    "cao_dang": (2200, 2800),
}
SO_CAP_MIN_WEEKS = 14  # minus 3 days: 95 days, three months from any start
LONG_PROGRAMME_YEARS = {"trung_cap": 2, "cao_dang": 3}  # September intake, June graduation
# Groups taught in the village (lưu động) more often than at the centre.
VILLAGE_GROUPS = ("trong_trot", "chan_nuoi", "lam_nghiep", "thu_cong", "co_khi")
SHORT_FUNDING = {
    FundingSource.ETHNIC_PROGRAMME: 35,
    FundingSource.POVERTY_PROGRAMME: 25,
    FundingSource.RURAL_PROGRAMME: 10,
    FundingSource.LEARNER_SUPPORT: 15,
    FundingSource.PROVINCE_BUDGET: 10,
    FundingSource.LEARNER: 5,
}
LONG_FUNDING = {
    FundingSource.LEARNER: 60,
    FundingSource.PROVINCE_BUDGET: 30,
    FundingSource.LEARNER_SUPPORT: 10,
}


@dataclass(frozen=True)
class OccupationProfile:
    short_weight: float
    long_weight: float
    female_share: float
    sector: str
    job_title: str


@cache
def occupation_profiles() -> dict[str, OccupationProfile]:
    with open(DATA / "demo_occupations.csv", encoding="utf-8") as handle:
        return {
            row["key"]: OccupationProfile(
                float(row["short_weight"]),
                float(row["long_weight"]),
                float(row["female_share"]),
                row["sector"],
                row["job_title"],
            )
            for row in csv.DictReader(handle)
        }


def profile_of(occupation: Occupation) -> OccupationProfile:
    default = OccupationProfile(1.0, 1.0, 0.5, "S", occupation.name)
    return occupation_profiles().get(occupation.key, default)


@dataclass
class InstitutionInfo:
    id: int
    code: str
    name: str
    commune_code: str
    levels: tuple[str, ...]
    groups: tuple[str, ...]  # ("*",) for every group
    weight: float
    areas: tuple[str, ...] = ()  # the areas a district-level centre serves; () = the province

    def teaches(self, occupation: Occupation, level: str) -> bool:
        return level in self.levels and ("*" in self.groups or occupation.group in self.groups)


@dataclass
class CoursePlan:
    """A course row and what enrolling it needs: how many, from where, for whom."""

    row: Row
    occupation: Occupation
    level: str
    institution: InstitutionInfo
    size: int
    willing_extra: tuple[str, ...] = ()  # scopes an ordering employer's trainees accept
    enrolment_ids: list[int] = field(default_factory=list)


def plan_institutions(build: DemoBuild) -> list[InstitutionInfo]:
    communes = {c.code for c in build.ref.communes}
    fallback = build.ref.communes[0].code
    rng = build.rng("institutions")
    infos = []
    with open(DATA / "demo_institutions.csv", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            levels = tuple(lv for lv in line["levels"].split("|") if lv in build.ref.level_codes)
            commune = line["commune_code"] if line["commune_code"] in communes else fallback
            info = InstitutionInfo(
                build.new_id("institution"),
                line["code"],
                line["name"],
                commune,
                levels,
                tuple(line["groups"].split("|")),
                float(line["weight"]),
                tuple(a for a in line.get("serves", "").split("|") if a),
            )
            build.add("institution", _institution_row(rng, line, info))
            infos.append(info)
    return infos


def _institution_row(rng: random.Random, line: dict[str, str], info: InstitutionInfo) -> Row:
    return {
        "id": info.id,
        "code": info.code,
        "name": info.name,
        "name_key": search_key(info.name),
        "kind": line["kind"],
        "managing_agency": line["managing_agency"],
        "commune_code": info.commune_code,
        "address": "",
        "phone": landline(rng),
        "is_active": True,
    }


class CoursePlanner:
    """Makes course rows: picks occupation, institution, dates, venue and funding."""

    def __init__(
        self, build: DemoBuild, institutions: list[InstitutionInfo], population: Population
    ) -> None:
        self.build = build
        self.institutions = institutions
        self.population = population
        self._occupations = {level: self._occupation_picker(level) for level in LEVEL_NAMES}

    def _occupation_picker(self, level: str) -> WeightedPicker | None:
        allowed = [o for o in self.build.ref.occupations if level in o.levels]
        allowed = [o for o in allowed if any(i.teaches(o, level) for i in self.institutions)]
        if not allowed:
            return None
        long = level not in SHORT_LEVELS
        weights = [
            (profile_of(o).long_weight if long else profile_of(o).short_weight) for o in allowed
        ]
        if not any(weights):
            weights = [1.0] * len(allowed)
        return WeightedPicker(allowed, weights)

    def year_courses(self, year: int, quotas: dict[str, int]) -> list[CoursePlan]:
        rng = self.build.rng("courses", year)
        plans = []
        for level, quota in quotas.items():
            picker = self._occupations.get(level)
            while picker is not None and quota > 0:
                occupation = picker.pick(rng)
                capacity = rng.randint(20, 35)
                size = min(quota, rng.randint(max(15, capacity - 8), capacity))
                plans.append(self.course(rng, year, occupation, level, size, capacity))
                quota -= size
        return plans

    def institution_for(
        self, rng: random.Random, occupation: Occupation, level: str
    ) -> InstitutionInfo:
        able = [i for i in self.institutions if i.teaches(occupation, level)]
        return rng.choices(able, weights=[i.weight for i in able], k=1)[0]

    def course(
        self,
        rng: random.Random,
        year: int,
        occupation: Occupation,
        level: str,
        size: int,
        capacity: int,
        *,
        institution: InstitutionInfo | None = None,
        earliest: date | None = None,
        order_id: int | None = None,
    ) -> CoursePlan:
        institution = institution or self.institution_for(rng, occupation, level)
        hours = round_to(rng.randint(*HOURS[level]), 10)
        start, end = self._dates(rng, year, level, hours, earliest)
        mobile = (
            level in SHORT_LEVELS
            and order_id is None
            and (rng.random() < (0.75 if occupation.group in VILLAGE_GROUPS else 0.2))
        )
        venue = institution.commune_code
        if mobile:  # a village class: in the centre's own area
            venue = self.population.commune_in(rng, institution.areas).code
        number = self.build.next_number(f"course:{institution.id}:{year}")
        row = {
            "id": self.build.new_id("course"),
            "institution_id": institution.id,
            "occupation_id": occupation.id,
            "level_code": level,
            "code": f"{year}-{number:03d}",
            "name": f"{occupation.name} ({LEVEL_NAMES[level]}) – lớp {number}/{year}",
            "hours": hours,
            "start_date": start,
            "end_date": end,
            "capacity": max(capacity, size),
            "venue_commune_code": venue,
            "mobile": mobile,
            "funding_source": self._funding(rng, level, order_id),
            "training_order_id": order_id,
            "status": self._status(start, end),
            "created_at": local_time(
                min(start - timedelta(days=rng.randint(20, 45)), self.build.today)
            ),
        }
        row["updated_at"] = row["created_at"]  # COPY fills no column default
        self.build.add("course", row)
        return CoursePlan(row, occupation, level, institution, size)

    def _dates(
        self, rng: random.Random, year: int, level: str, hours: int, earliest: date | None
    ) -> tuple[date, date]:
        if level in LONG_PROGRAMME_YEARS:
            start = date(year, 9, rng.randint(5, 25))
            return start, date(year + LONG_PROGRAMME_YEARS[level], 6, rng.randint(10, 28))
        weeks = math.ceil(hours / rng.randint(30, 40))
        if level == "so_cap":  # at least 3 months (the course form's rule)
            weeks = max(weeks, SO_CAP_MIN_WEEKS)
        latest = date(year, 12, 28) - timedelta(weeks=weeks)
        first = max(earliest or date(year, 2, 20), date(year, 1, 5))
        start = random_date(rng, first, max(first, latest))
        return start, start + timedelta(weeks=weeks, days=-3)

    def _funding(self, rng: random.Random, level: str, order_id: int | None) -> str:
        if order_id is not None:
            options = {
                FundingSource.EMPLOYER: 60,
                FundingSource.PROVINCE_BUDGET: 25,
                FundingSource.ETHNIC_PROGRAMME: 15,
            }
        else:
            options = SHORT_FUNDING if level in SHORT_LEVELS else LONG_FUNDING
        return str(rng.choices(list(options), weights=list(options.values()), k=1)[0].value)

    def _status(self, start: date, end: date) -> str:
        today = self.build.today
        if start > today:
            return CourseStatus.PLANNED.value
        return CourseStatus.FINISHED.value if end < today else CourseStatus.RUNNING.value


def level_quotas(build: DemoBuild, year: int) -> dict[str, int]:
    """Trainees per level this year: about 8,500 at scale 1 with the province's mix."""
    rng = build.rng("quotas", year)
    total = 8500 * build.scale * rng.uniform(0.96, 1.04)
    mix = {"duoi_3_thang": 0.35, "so_cap": 0.55, "trung_cap": 0.08, "cao_dang": 0.02}
    return {
        lv: max(1, round(total * share)) for lv, share in mix.items() if lv in build.ref.level_codes
    }
