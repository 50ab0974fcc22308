"""Demo vacancies: what each kind of employer posts, paid at least the regional minimum wage
of the work location (read from the wage_region_assignment and minimum_wage tables), and jobs
abroad with the age limits and higher wages of the programmes to Japan, Korea and Taiwan.

Whether a vacancy is open, filled or closed is decided later, from its referrals.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from matching.syllables import advert_key, title_key
from models.enums import LocationKind
from seed.demo.context import DemoBuild, Row, at_work_hours, random_date, round_to
from seed.demo.employers import EXPORT, LINE_BY_KEY, LOCAL, OUTSIDE, PUBLIC
from seed.demo.snapshot import Occupation
from seed.demo.training import profile_of

VACANCIES_PER_YEAR = {OUTSIDE: 60, LOCAL: 60, PUBLIC: 20, EXPORT: 12}  # at scale 1
QUANTITY = {LOCAL: (1, 8), PUBLIC: (1, 3), OUTSIDE: (10, 50), EXPORT: (5, 20)}
WAGE_FROM = {LOCAL: (4.2e6, 6.0e6), PUBLIC: (4.5e6, 6.5e6), OUTSIDE: (6.5e6, 9.0e6)}
# Country: (weight, programme, monthly wage range in VND, age range)
ABROAD = {
    "JP": (55, "jp_tts", (28e6, 35e6), (18, 35)),
    "KR": (25, "kr_eps", (38e6, 46e6), (18, 39)),
    "TW": (20, "tw_contract", (20e6, 26e6), (18, 35)),
}
COUNTRY_NAMES = {"JP": "Nhật Bản", "KR": "Hàn Quốc", "TW": "Đài Loan"}
GENERIC_TITLES = {
    "electronics": "Công nhân sản xuất linh kiện điện tử",
    "garment_factory": "Công nhân may",
    "footwear": "Công nhân sản xuất giày da",
    "food_factory": "Công nhân đóng gói thực phẩm",
}


@dataclass
class VacancyPlan:
    row: Row
    kind: str  # local | public | outside | export
    occupation: Occupation | None
    programme: str | None = None  # for jobs abroad
    pool: list = field(default_factory=list)  # graduates of the order's course, if any
    order_id: int | None = None


def plan_vacancies(build: DemoBuild) -> list[VacancyPlan]:
    by_kind: dict[str, list[Row]] = {}
    for employer in build.rows["employer"]:
        by_kind.setdefault(build.employer_kind[employer["id"]], []).append(employer)
    plans = []
    for year in build.years:
        rng = build.rng("vacancies", year)
        fraction = build.year_fraction(year)
        last = min(date(year, 12, 15), build.today)
        for kind, base in VACANCIES_PER_YEAR.items():
            if fraction <= 0 or last < date(year, 1, 10) or not by_kind.get(kind):
                continue
            for _ in range(build.count(base * fraction)):
                employer = rng.choice(by_kind[kind])
                created = random_date(rng, date(year, 1, 10), last)
                plans.append(vacancy(build, rng, employer, created))
    return plans


def vacancy(
    build: DemoBuild,
    rng: random.Random,
    employer: Row,
    created: date,
    *,
    occupation: Occupation | None = None,
    quantity: int | None = None,
    order_id: int | None = None,
) -> VacancyPlan:
    kind = build.employer_kind[employer["id"]]
    line = LINE_BY_KEY[build.employer_line[employer["id"]]]
    if occupation is None and order_id is None:
        key = rng.choice(line.occupations)
        occupation = build.ref.occupation(key) if key else None
    quantity = quantity or rng.randint(*QUANTITY[kind])
    deadline = created + timedelta(days=rng.randint(20, 45))
    start = deadline + timedelta(days=rng.randint(5, 30))
    row: Row = {
        "id": build.new_id("vacancy"),
        "employer_id": employer["id"],
        "occupation_id": occupation.id if occupation else None,
        "quantity": quantity,
        "required_level_code": None if order_id else _required_level(rng, kind, occupation),
        "start_date": start,
        "deadline": deadline,
        "status": "open",
        "filled": 0,
        "filled_at": None,
        "training_order_id": order_id,
        "created_at": at_work_hours(rng, created),
        "age_min": 18,
        "age_max": rng.choice((35, 40, 45)) if kind == OUTSIDE else None,
        "location_kind": employer["location_kind"],
        "commune_code": employer["commune_code"],
        "province_code": employer["province_code"],
        "country_code": None,
    }
    row["updated_at"] = row["created_at"]  # until its referrals settle (referrals.py)
    plan = VacancyPlan(row, kind, occupation, order_id=order_id)
    if kind == EXPORT:
        _abroad(build, rng, plan)
    else:
        _home_wages(build, rng, plan)
    _texts(rng, plan, employer["name"], line.key)
    build.add("vacancy", row)
    return plan


def _required_level(rng: random.Random, kind: str, occupation: Occupation | None) -> str | None:
    if occupation is None:
        return None
    if kind == PUBLIC and "trung_cap" in occupation.levels and rng.random() < 0.5:
        return "trung_cap"
    if "so_cap" in occupation.levels and rng.random() < 0.25:
        return "so_cap"
    return None


def _home_wages(build: DemoBuild, rng: random.Random, plan: VacancyPlan) -> None:
    """At least the regional minimum on every date the offer stands (posting to start)."""
    row, ref = plan.row, build.ref
    floor = max(
        ref.minimum_wage(ref.region_of(row["commune_code"], row["province_code"], day), day)
        for day in (row["created_at"].date(), row["start_date"])
    )
    wage_min = max(round_to(rng.uniform(*WAGE_FROM[plan.kind]), 100_000), _ceil(floor))
    row["wage_min"] = wage_min
    row["wage_max"] = wage_min + round_to(rng.uniform(0.5e6, 3.5e6), 100_000)


def _ceil(amount: int, step: int = 100_000) -> int:
    return math.ceil(amount / step) * step


def _abroad(build: DemoBuild, rng: random.Random, plan: VacancyPlan) -> None:
    countries = [c for c in ABROAD if c in build.ref.country_codes] or list(ABROAD)
    country = rng.choices(countries, weights=[ABROAD[c][0] for c in countries], k=1)[0]
    _, programme, wages, ages = ABROAD[country]
    row = plan.row
    if country == "JP" and rng.random() < 0.2:
        programme = "jp_ssw"  # kỹ năng đặc định
    wage_min = round_to(rng.uniform(*wages), 500_000)
    row.update(
        location_kind=LocationKind.ABROAD.value,
        commune_code=None,
        province_code=None,
        country_code=country,
        wage_min=wage_min,
        wage_max=wage_min + round_to(rng.uniform(2e6, 8e6), 500_000),
        age_min=ages[0],
        age_max=ages[1] - rng.choice((0, 0, 5)),
        start_date=row["deadline"] + timedelta(days=rng.randint(90, 200)),
    )
    plan.programme = programme


def _texts(rng: random.Random, plan: VacancyPlan, employer_name: str, line_key: str) -> None:
    row, occupation = plan.row, plan.occupation
    job = (
        profile_of(occupation).job_title
        if occupation
        else GENERIC_TITLES.get(line_key, "Lao động phổ thông")
    )
    if plan.kind == EXPORT:
        country = COUNTRY_NAMES.get(row["country_code"], "")
        job = f"{_programme_name(plan.programme)} tại {country}: {_lower_first(job)}"
    skills = list(occupation.aliases) if occupation else ["lao động phổ thông"]
    row["title"] = job
    row["title_key"] = title_key(job)
    row["skills"] = rng.sample(skills, k=min(len(skills), rng.randint(1, 3)))
    row["description"] = (
        f"{employer_name} tuyển {row['quantity']} {_lower_first(job)}. "
        f"Thu nhập {_money(row['wage_min'])}–{_money(row['wage_max'])} đồng/tháng"
        + (", đóng bảo hiểm xã hội đầy đủ" if plan.kind != EXPORT else ", hỗ trợ vay vốn đặt cọc")
        + (", hỗ trợ chỗ ở và chi phí đi lại." if plan.kind in (OUTSIDE, EXPORT) else ".")
    )
    row["search_text"] = advert_key(job, row["description"], row["skills"])


def _programme_name(programme: str | None) -> str:
    return {
        "jp_tts": "Thực tập sinh kỹ năng",
        "jp_ssw": "Lao động kỹ năng đặc định",
        "kr_eps": "Lao động theo chương trình EPS",
    }.get(programme or "", "Lao động hợp đồng")


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
