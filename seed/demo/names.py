"""Plausible identities for demo people: names by ethnic group, personal ID numbers that follow
the rules (TT 59/2021/TT-BCA), Vietnamese mobile numbers in E.164 and birth dates.

Name pools live in `seed/data/demo_names.csv` (pool, part, names): names are separated by `|`,
an optional `:weight` follows a name, and `@pool` borrows the same part from another pool.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from seed.demo.context import WeightedPicker

DATA = Path(__file__).parent.parent / "data"
PARTS = ("family", "middle_m", "middle_f", "given_m", "given_f")

# Province of birth registration (first 3 digits of the ID) for people born elsewhere:
# Kinh families came mostly from the Red River delta and Thanh Hóa / Nghệ An; minorities
# from the neighbouring mountain provinces.
KINH_BIRTH_PROVINCES = {
    "011": 60,
    "034": 8,
    "036": 7,
    "038": 8,
    "040": 5,
    "001": 4,
    "033": 4,
    "037": 4,
}
MINORITY_BIRTH_PROVINCES = {"011": 95, "014": 2, "012": 2, "010": 1}

# Mobile prefixes in use (Viettel, VinaPhone, MobiFone); the national number has 9 digits.
MOBILE_PREFIXES = {
    "97": 12, "98": 12, "96": 8, "86": 5, "32": 5, "33": 5, "34": 5, "35": 6, "36": 4,
    "37": 4, "38": 4, "39": 4, "91": 5, "94": 4, "88": 4, "81": 2, "82": 2, "83": 2,
    "84": 2, "85": 2, "90": 2, "93": 2, "70": 1, "76": 1, "77": 1, "78": 1, "79": 1,
}  # fmt: skip
NO_PHONE_SHARE = 0.1


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    share: float
    pool: str


@cache
def ethnic_groups() -> tuple[EthnicGroup, ...]:
    with open(DATA / "demo_ethnic_groups.csv", encoding="utf-8") as handle:
        return tuple(
            EthnicGroup(row["code"], float(row["share"]), row["names"])
            for row in csv.DictReader(handle)
        )


@cache
def _raw_pools() -> dict[tuple[str, str], str]:
    with open(DATA / "demo_names.csv", encoding="utf-8") as handle:
        return {(row["pool"], row["part"]): row["names"] for row in csv.DictReader(handle)}


@cache
def name_picker(pool: str, part: str) -> WeightedPicker:
    spec = _raw_pools()[(pool, part)]
    if spec.startswith("@"):
        return name_picker(spec[1:], part)
    names, weights = [], []
    for item in spec.split("|"):
        name, _, weight = item.partition(":")
        names.append(name)
        weights.append(float(weight) if weight else 1.0)
    return WeightedPicker(names, weights)


def full_name(rng: random.Random, pool: str, sex: str) -> str:
    """Family, middle and given name in the order Vietnamese write them."""
    suffix = "m" if sex == "nam" else "f"
    family = name_picker(pool, "family").pick(rng)
    middle = name_picker(pool, f"middle_{suffix}").pick(rng)
    given = name_picker(pool, f"given_{suffix}").pick(rng)
    return f"{family} {middle} {given}"


def birth_date_for_age(rng: random.Random, on: date, age: int) -> date:
    """A birth date that makes someone exactly `age` years old on `on`."""
    latest = _years_before(on, age)
    return latest - timedelta(days=rng.randint(0, 364))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_BIRTH_PROVINCE_PICKERS = {
    True: WeightedPicker(list(MINORITY_BIRTH_PROVINCES), list(MINORITY_BIRTH_PROVINCES.values())),
    False: WeightedPicker(list(KINH_BIRTH_PROVINCES), list(KINH_BIRTH_PROVINCES.values())),
}


def citizen_id(rng: random.Random, used: set[str], birth: date, sex: str, minority: bool) -> str:
    """12 digits: province of birth registration (3), century-and-sex digit (1: 0/1 for men/
    women born 1900–1999, 2/3 for 2000–2099), the last two digits of the birth year (2), and
    6 random digits. Unique within `used`, which it updates."""
    province = _BIRTH_PROVINCE_PICKERS[minority].pick(rng)
    century_sex = 2 * ((birth.year - 1900) // 100) + (0 if sex == "nam" else 1)
    head = f"{province}{century_sex}{birth.year % 100:02d}"
    while True:
        number = f"{head}{rng.randrange(1_000_000):06d}"
        if number not in used:
            used.add(number)
            return number


_MOBILE_PICKER = WeightedPicker(list(MOBILE_PREFIXES), list(MOBILE_PREFIXES.values()))


def mobile_phone(
    rng: random.Random, used: set[str], missing_share: float = NO_PHONE_SHARE
) -> str | None:
    """A Vietnamese mobile number in E.164 (+84 and 9 digits), unique, or None for the
    share of people who gave none."""
    if rng.random() < missing_share:
        return None
    prefix = _MOBILE_PICKER.pick(rng)
    while True:
        number = f"+84{prefix}{rng.randrange(10_000_000):07d}"
        if number not in used:
            used.add(number)
            return number


def landline(rng: random.Random, area: str = "215") -> str:
    """A fixed line in E.164 (Điện Biên's area code 0215 by default): area code and
    subscriber number make 10 digits."""
    rest = 9 - len(area)
    return f"+84{area}3{rng.randrange(10**rest):0{rest}d}"
