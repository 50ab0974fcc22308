"""Demo employers: businesses, cooperatives and public bodies in the province, factories and
service firms in the industrial provinces, and licensed labour-export companies.

Every name is invented from templates and word lists (no real company is named); tax codes
have 10 digits with a valid check digit and are unique.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date

from matching.text import search_key
from models.enums import LocationKind
from seed.demo.context import DemoBuild, Row, WeightedPicker, local_time
from seed.demo.names import DATA, landline, mobile_phone
from seed.demo.snapshot import Commune

LOCAL, PUBLIC, OUTSIDE, EXPORT = "local", "public", "outside", "export"
EMPLOYER_COUNTS = {LOCAL: 60, PUBLIC: 25, OUTSIDE: 60, EXPORT: 20}  # at scale 1


@dataclass(frozen=True)
class EmployerLine:
    """A kind of business (seed/data/demo_employer_lines.csv): name templates, VSIC section,
    the occupations it hires for (None: no particular training) and, for employers outside the
    province, where they are (province code, weight)."""

    key: str
    kind: str
    names: tuple[str, ...]
    sector: str
    occupations: tuple[str | None, ...]
    weight: float
    provinces: tuple[tuple[str, int], ...] = ()


def _read_lines() -> tuple[EmployerLine, ...]:
    with open(DATA / "demo_employer_lines.csv", encoding="utf-8") as handle:
        return tuple(
            EmployerLine(
                key=row["key"],
                kind=row["kind"],
                names=tuple(row["names"].split("|")),
                sector=row["sector"],
                occupations=tuple(None if k == "-" else k for k in row["occupations"].split("|")),
                weight=float(row["weight"]),
                provinces=tuple(
                    (code, int(weight))
                    for code, _, weight in (p.partition(":") for p in row["provinces"].split("|"))
                    if code
                ),
            )
            for row in csv.DictReader(handle)
        )


LINES = _read_lines()
LINE_BY_KEY = {line.key: line for line in LINES}

# Invented name parts: "Tân Phát", "Gia Nguyên" …
WORD_FIRST = (
    "Tân", "Hưng", "Minh", "Phú", "Đại", "Thành", "Hồng", "An", "Kim", "Thiên", "Gia",
    "Lộc", "Vạn", "Quang", "Thái", "Trí", "Nam", "Hải", "Bảo", "Ngọc", "Trường", "Đông",
)  # fmt: skip
WORD_SECOND = (
    "Phát", "Thịnh", "Khang", "Long", "Phúc", "Đạt", "Tín", "Nguyên", "Lực", "Vinh",
    "Sơn", "Hà", "Thành", "Việt", "Tâm", "Hòa", "Lợi", "Quý", "Mỹ", "Cường",
)  # fmt: skip
# First two digits of tax codes by province of registration, and telephone area codes.
TAX_PREFIX = {
    "11": "56", "01": "01", "31": "02", "79": "03", "48": "04", "24": "23", "19": "46",
    "33": "09", "75": "36", "22": "57", "37": "27", "56": "42", "40": "29",
}  # fmt: skip
AREA_CODE = {
    "11": "215", "01": "24", "31": "225", "79": "28", "48": "236", "24": "222", "19": "208",
    "33": "221", "75": "251", "22": "203", "37": "229", "56": "258", "40": "238",
}  # fmt: skip
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code(rng: random.Random, province_code: str, used: set[str]) -> str:
    """Ten digits: two for the province, seven serial, one check digit (10 − weighted sum
    mod 11); serials whose check would be 10 are skipped, as the tax authority does."""
    prefix = TAX_PREFIX.get(province_code, "01")
    while True:
        head = f"{prefix}{rng.randrange(100_000, 10_000_000):07d}"
        remainder = sum(w * int(d) for w, d in zip(_TAX_WEIGHTS, head, strict=True)) % 11
        code = f"{head}{10 - remainder}"
        if remainder != 0 and code not in used:
            used.add(code)
            return code


class EmployerMaker:
    def __init__(self, build: DemoBuild) -> None:
        self.build = build
        self.rng = build.rng("employers")
        self.used_names: set[str] = set()
        self.used_tax_codes: set[str] = set()

    def plan(self) -> None:
        for kind, base in EMPLOYER_COUNTS.items():
            lines = [line for line in LINES if line.kind == kind]
            picker = WeightedPicker(lines, [line.weight for line in lines])
            for _ in range(self.build.count(base)):
                self.employer(picker.pick(self.rng))

    def employer(self, line: EmployerLine) -> Row:
        rng, build = self.rng, self.build
        province = _province(rng, line, build.ref.provinces)
        name, commune = self._name(line, province)
        employer_id = build.new_id("employer")
        outside = line.kind in (OUTSIDE, EXPORT)
        row = {
            "id": employer_id,
            "name": name,
            "name_key": search_key(name),
            "tax_code": tax_code(rng, province if outside else "11", self.used_tax_codes),
            "sector_code": line.sector if line.sector in build.ref.sector_codes else "S",
            "address": _address(rng, outside, commune.name, build.ref.provinces.get(province, "")),
            "phone": landline(rng, AREA_CODE.get(province if outside else "11", "24"))
            if rng.random() < 0.7
            else mobile_phone(rng, build.used_phones, 0.0),
            "email": f"tuyendung{employer_id}@example.com" if rng.random() < 0.6 else None,
            "is_labour_export_company": line.kind == EXPORT,
            "is_active": True,
            "location_kind": (
                LocationKind.OTHER_PROVINCE if outside else LocationKind.COMMUNE
            ).value,
            "commune_code": None if outside else commune.code,
            "province_code": province if outside else "11",
            "country_code": None,
            "created_at": local_time(date(min(build.years) - 1, 12, 1)),
        }
        build.employer_kind[employer_id] = line.kind
        build.employer_line[employer_id] = line.key
        return build.add("employer", row)

    def _name(self, line: EmployerLine, province: str) -> tuple[str, Commune]:
        """A name not used yet, and the commune it is in (where the name mentions one)."""
        provinces = self.build.ref.provinces
        for attempt in range(1, 10_000):
            commune = self.rng.choice(self.build.ref.communes)
            words = f"{self.rng.choice(WORD_FIRST)} {self.rng.choice(WORD_SECOND)}"
            name = self.rng.choice(line.names).format(
                w=words,
                place=commune.name.partition(" ")[2] or commune.name,
                commune=_lower_type(commune.name),
                province=_short(provinces.get(province, "")),
            )
            if attempt > 50:  # a large scale runs out of communes for public bodies
                name = f"{name} (cơ sở {attempt - 50})"
            if name not in self.used_names:
                self.used_names.add(name)
                return name, commune
        raise RuntimeError("ran out of employer names")


def _province(rng: random.Random, line: EmployerLine, provinces: dict[str, str]) -> str:
    options = [(code, w) for code, w in line.provinces if code in provinces]
    if not options:
        return "11" if line.kind in (LOCAL, PUBLIC) else next(iter(provinces), "01")
    return rng.choices([c for c, _ in options], weights=[w for _, w in options], k=1)[0]


def _short(province_name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


def _lower_type(commune_name: str) -> str:
    """ "Xã Quài Tở" -> "xã Quài Tở" inside a longer name."""
    kind, _, rest = commune_name.partition(" ")
    return f"{kind.lower()} {rest}" if rest else commune_name


def _address(rng: random.Random, outside: bool, commune: str, province: str) -> str:
    if outside:
        return f"Khu công nghiệp {rng.choice(WORD_FIRST)} {rng.choice(WORD_SECOND)}, {province}"
    return f"Số {rng.randint(1, 250)}, {commune}, tỉnh Điện Biên"
