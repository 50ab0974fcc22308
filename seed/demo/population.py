"""Where demo people live and which ethnic group they belong to.

Each commune gets a population weight (zone III communes are many and hold most people; the
wards and lowland communes are denser), an area (the former district it lies in, which the
district-level vocational centres serve) and an ethnic make-up from
`seed/data/demo_communes.csv`: H'Mông-majority highlands (Tủa Chùa, Sính Phình, Tủa Thàng…),
Thái and Kinh valleys (Thanh Yên, Sam Mứn, Núa Ngam…), Kinh-majority wards, and Cống and Si La
only around Mường Nhé and Nậm Kè, where they live. People are drawn commune first, then ethnic
group given the commune. Bayes' rule scales each group's make-up by one factor, so the overall
mix matches `demo_ethnic_groups.csv` exactly while a group absent from a commune's make-up
never lives there.

Commune weights and village names depend only on the commune code, not on the run's seed:
they describe the province, not one run.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from seed.demo.context import WeightedPicker
from seed.demo.names import DATA, EthnicGroup, ethnic_groups
from seed.demo.snapshot import Commune, DemoReference

# For a commune missing from demo_communes.csv: how much more (or less) likely a group is to
# live in a commune of each zone than average.
ZONE_AFFINITY = {
    "01": {"I": 10.0, "II": 4.0, "III": 0.35},  # Kinh
    "08": {"I": 0.15, "II": 0.6, "III": 1.3},  # H'Mông
    "03": {"I": 0.8, "II": 1.4, "III": 1.0},  # Thái
}
OTHER_AFFINITY = {"I": 0.3, "II": 0.7, "III": 1.1}
DENSER_ZONES = ("I", "II")
# Share of villages that are especially difficult (thôn ĐBKK), by zone: 923 of 1,276
# villages in the province, nearly all in zone III.
DIFFICULT_VILLAGE_SHARE = {"I": 0.0, "II": 0.25, "III": 0.8}

_VILLAGE_FIRST = (
    "Huổi", "Nậm", "Pá", "Phiêng", "Co", "Na", "Nà", "Hua", "Púng", "Tà", "Sín", "Hồng",
    "Lọng", "Pú", "Xá", "Háng", "Tỏa", "Pa", "Ten", "Hát", "Noong", "Chiềng", "Sáng", "Kéo",
)  # fmt: skip
_VILLAGE_SECOND = (
    "Só", "Lếch", "Khoang", "Chua", "Mần", "Phé", "Hẹ", "Luông", "Cang", "Thín", "Chải",
    "Lả", "Pục", "Tỉu", "Nọ", "Dên", "Pản", "Lay", "Xôm", "Ló", "Khao", "Sang", "Dạo",
    "Pao", "Mường", "Ban", "Hỳ", "Sen", "Loọng", "Hin",
)  # fmt: skip


@dataclass(frozen=True)
class Village:
    name: str
    difficult: bool


@dataclass(frozen=True)
class CommuneProfile:
    area: str  # the former district: what a district-level centre serves
    mix: dict[str, float]  # ethnic group code -> weight in the commune's make-up


@cache
def commune_profiles() -> dict[str, CommuneProfile]:
    with open(DATA / "demo_communes.csv", encoding="utf-8") as handle:
        return {
            row["code"]: CommuneProfile(
                row["area"],
                {
                    code: float(weight)
                    for code, _, weight in (p.partition(":") for p in row["mix"].split())
                },
            )
            for row in csv.DictReader(handle)
        }


class Population:
    """Draws a commune (in the province or in an area), an ethnic group given the commune,
    and a village in it."""

    def __init__(self, ref: DemoReference) -> None:
        if not ref.communes:
            raise ValueError("no current communes of province 11 in admin_unit")
        groups = [g for g in ethnic_groups() if g.code in ref.minority]
        self.minority = ref.minority
        self.pool = {g.code: g.pool for g in groups}
        self.communes = {c.code: c for c in ref.communes}
        weights = {c.code: _commune_weight(c) for c in ref.communes}
        profiles = commune_profiles()
        affinity = {c.code: _make_up(c, groups, profiles) for c in ref.communes}
        # P(commune | group) = weight × make-up / Z(group); joint = share × that; the
        # marginal over communes then gives back each group's share exactly.
        norm = {
            g.code: sum(weights[c] * affinity[c].get(g.code, 0) for c in weights) for g in groups
        }
        posterior = {
            c: {
                g.code: g.share * weights[c] * affinity[c][g.code] / norm[g.code]
                for g in groups
                if affinity[c].get(g.code) and norm[g.code]
            }
            for c in weights
        }
        mass = {c: sum(p.values()) for c, p in posterior.items()}
        self._communes = WeightedPicker([self.communes[c] for c in posterior], list(mass.values()))
        self._ethnicity = {
            c: WeightedPicker(list(p), list(p.values())) for c, p in posterior.items()
        }
        self.area_of = {
            c.code: (profiles[c.code].area if c.code in profiles else c.code) for c in ref.communes
        }
        self._mass = mass
        self._areas: dict[tuple[str, ...], WeightedPicker] = {}
        self._villages = {c.code: _villages(c) for c in ref.communes}

    def commune(self, rng: random.Random) -> Commune:
        return self._communes.pick(rng)

    def commune_in(self, rng: random.Random, areas: Sequence[str]) -> Commune:
        """A commune of one of `areas` (by population); anywhere when none of them is known."""
        key = tuple(areas)
        if key not in self._areas:
            codes = [c for c, area in self.area_of.items() if area in key]
            if not codes:
                return self.commune(rng)
            self._areas[key] = WeightedPicker(
                [self.communes[c] for c in codes], [self._mass[c] for c in codes]
            )
        return self._areas[key].pick(rng)

    def ethnicity(self, rng: random.Random, commune_code: str) -> str:
        return self._ethnicity[commune_code].pick(rng)

    def village(self, rng: random.Random, commune_code: str) -> Village:
        return rng.choice(self._villages[commune_code])


def _make_up(
    commune: Commune, groups: Sequence[EthnicGroup], profiles: dict[str, CommuneProfile]
) -> dict[str, float]:
    """The commune's ethnic make-up from the data file; for a commune missing from it, the
    province's shares bent by the zone."""
    if commune.code in profiles:
        return profiles[commune.code].mix
    zone = commune.zone or "III"
    return {g.code: g.share * ZONE_AFFINITY.get(g.code, OTHER_AFFINITY)[zone] for g in groups}


def _commune_weight(commune: Commune) -> float:
    base = random.Random(f"population:{commune.code}").uniform(0.6, 1.4)
    return base * (1.8 if commune.zone in DENSER_ZONES else 1.0)


def _villages(commune: Commune) -> list[Village]:
    """Named villages (bản) of a commune, or residential groups (tổ dân phố) of a ward."""
    rng = random.Random(f"villages:{commune.code}")
    if commune.level == "phuong":
        return [Village(f"Tổ dân phố {n}", False) for n in range(1, rng.randint(10, 22))]
    share = DIFFICULT_VILLAGE_SHARE[commune.zone or "III"]
    names: list[str] = []
    wanted = rng.randint(12, 28)
    while len(names) < wanted:
        name = f"Bản {rng.choice(_VILLAGE_FIRST)} {rng.choice(_VILLAGE_SECOND)}"
        if name not in names:
            names.append(name)
    return [Village(name, rng.random() < share) for name in names]
