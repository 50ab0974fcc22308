"""Where demo people live and which ethnic group they belong to.

Each commune gets a population weight (zone III communes are many and hold most people; the
wards and lowland communes are denser) and an ethnic make-up: Kinh concentrate in zones I/II,
H'Mông in the highland zone III communes. People are drawn commune first, then ethnic group
given the commune; the make-up is built by Bayes' rule from the province-wide shares, so the
overall mix matches `demo_ethnic_groups.csv` whatever communes the courses happen to visit.

Commune weights and village names depend only on the commune code, not on the run's seed:
they describe the province, not one run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from seed.demo.context import WeightedPicker
from seed.demo.names import EthnicGroup, ethnic_groups
from seed.demo.snapshot import Commune, DemoReference

# How much more (or less) likely a group is to live in a commune of each zone than average.
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


class Population:
    """Draws a commune, an ethnic group given the commune, and a village in it."""

    def __init__(self, ref: DemoReference) -> None:
        if not ref.communes:
            raise ValueError("no current communes of province 11 in admin_unit")
        groups = [g for g in ethnic_groups() if g.code in ref.minority]
        self.minority = ref.minority
        self.pool = {g.code: g.pool for g in groups}
        self.communes = {c.code: c for c in ref.communes}
        weights = {c.code: _commune_weight(c) for c in ref.communes}
        affinity = {c.code: {g.code: _affinity(g, c) for g in groups} for c in ref.communes}
        # P(commune | group) = weight × affinity / Z(group); joint = share × that; the
        # marginal over communes then gives back each group's share exactly.
        norm = {g.code: sum(weights[c] * affinity[c][g.code] for c in weights) for g in groups}
        posterior = {
            c: {g.code: g.share * weights[c] * affinity[c][g.code] / norm[g.code] for g in groups}
            for c in weights
        }
        self._communes = WeightedPicker(
            [self.communes[c] for c in posterior], [sum(p.values()) for p in posterior.values()]
        )
        self._ethnicity = {
            c: WeightedPicker(list(p), list(p.values())) for c, p in posterior.items()
        }
        self._villages = {c.code: _villages(c) for c in ref.communes}

    def commune(self, rng: random.Random) -> Commune:
        return self._communes.pick(rng)

    def ethnicity(self, rng: random.Random, commune_code: str) -> str:
        return self._ethnicity[commune_code].pick(rng)

    def village(self, rng: random.Random, commune_code: str) -> Village:
        return rng.choice(self._villages[commune_code])


def _affinity(group: EthnicGroup, commune: Commune) -> float:
    return ZONE_AFFINITY.get(group.code, OTHER_AFFINITY)[commune.zone or "III"]


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
