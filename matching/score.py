"""How one graduate–vacancy pair is scored: weights, components, and the result type.

Each component is a number in [0, 1]; the score is their weighted mean. The scalar functions
here are the single definition of every rule: the slow reference scorer calls them per pair and
the fast path (:mod:`matching.vectorised`) mirrors them with numpy on index arrays.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date

# The weighted components (one weight each in :class:`Weights`).
COMPONENTS: tuple[str, ...] = ("occupation", "skills", "level", "place", "wage", "timing", "order")
# Components that multiply the weighted mean instead of taking part in it (no weight): a
# language requirement not met lowers every other strength alike.
FACTORS: tuple[str, ...] = ("language",)
# Every value a Match's breakdown holds.
ALL_COMPONENTS: tuple[str, ...] = COMPONENTS + FACTORS

# Same catalogue group ("may", "dien", "co_khi"…) but a different occupation.
RELATED_OCCUPATION = 0.6
# Same occupation, but at least one side's code was guessed from its free text.
GUESSED_SAME = 0.9
# Both occupations known (given or guessed) and unrelated: text likeness counts for this much
# ("thợ may" and "thợ sửa xe máy" share words, not a trade).
UNRELATED_TEXT = 0.5
# Score by how many levels the graduate is below the required one (index = gap; 4+ → last).
LEVEL_BY_GAP: tuple[float, ...] = (1.0, 0.6, 0.3, 0.15, 0.05)
# Share of the level component that orders people who meet the required level by how high
# they were trained and how recently (see level_component).
LEVEL_ROOM = 0.2
TOP_RANK = 3  # rank of cao_dang, the highest level (matching.profiles.LEVELS)
# Training ended this many days before the start counts half as fresh.
FRESH_DAYS = 365
FRESHNESS_UNKNOWN = 0.5
# Place scopes, nearest first.
SCOPES: tuple[str, ...] = ("commune", "province", "other_province", "abroad")
# When a graduate stated no preference: nearer is better, nothing is excluded.
PLACE_UNSTATED: tuple[float, ...] = (1.0, 0.8, 0.6, 0.5)
# A job where the graduate will work: nearer is a little better (no move, no commute): own
# commune, elsewhere in the province, another province, abroad.
PLACE_ACCEPTED: tuple[float, ...] = (1.0, 0.95, 0.925, 0.9)
# Inside the province, within the graduate's wishes, the place falls from PLACE_ACCEPTED[1]
# towards another province's PLACE_ACCEPTED[2] with the straight-line distance between the
# two communes' points, reached at FAR_KM (beyond the province's widest pair of communes,
# 180 km apart): nearer means a shorter daily trip or move.
FAR_KM = 200.0
KM_PER_DEGREE = 111.2  # of latitude; a longitude degree is shorter by cos(latitude)
# When the job lies outside the scopes the graduate said they would work in.
PLACE_UNWILLING: tuple[float, ...] = (1.0, 0.4, 0.2, 0.1)
# Share of the wage component earned by the offer's room above the expectation (an offer
# twice the expectation earns all of it): it orders people whose expectation is met.
WAGE_ROOM = 0.2
# Expectation not stated: neutral, in the middle of the room.
WAGE_UNSTATED = 1.0 - WAGE_ROOM / 2
# Offer unknown while the graduate states an expectation.
WAGE_UNKNOWN = 0.75
# Days a graduate may start after the start date; later than this they are filtered out.
MAX_DELAY_DAYS = 90


@dataclass(frozen=True)
class Weights:
    """Weight of each component in the score. Only ratios matter: the score divides by the
    sum of the weights that apply (``order`` applies only to vacancies of a training order)."""

    occupation: float = 0.35
    skills: float = 0.15
    level: float = 0.10
    place: float = 0.15
    wage: float = 0.10
    timing: float = 0.05
    order: float = 0.10

    def __post_init__(self) -> None:
        values = self.as_dict().values()
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise ValueError("weights must be finite and non-negative")
        if sum(values) - self.order <= 0:
            raise ValueError("at least one weight other than order must be positive")

    def as_dict(self) -> dict[str, float]:
        """Weights by component name, in :data:`COMPONENTS` order."""
        return {name: float(value) for name, value in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class Match:
    """A scored graduate–vacancy pair with the why.

    ``score`` and every value of ``components`` lie in [0, 1]. An ineligible pair (outside the
    age range, or not available in time) has ``eligible=False`` and score 0; rankings and plans
    never contain one.
    """

    graduate_id: str
    vacancy_id: str
    score: float
    components: dict[str, float] = field(default_factory=dict)
    matched_skills: tuple[str, ...] = ()
    missing_skills: tuple[str, ...] = ()
    reason: str = ""
    eligible: bool = True


def occupation_component(given_same: bool, relation: str, text: float) -> float:
    """Occupation fit from the codes and the text similarity.

    ``given_same``: both profiles give the same catalogue code. ``relation`` compares the
    codes given or, failing that, guessed from the text: "same", "related", "unrelated" or
    "unknown" (a side has neither).
    """
    if given_same:
        return 1.0
    if relation == "same":
        return max(text, GUESSED_SAME)
    if relation == "related":
        return max(text, RELATED_OCCUPATION)
    if relation == "unrelated":
        return text * UNRELATED_TEXT
    return text


def freshness(graduated_on: date | None, start: date) -> float:
    """1 for training ended on or after the start date, 1/2 at :data:`FRESH_DAYS` before
    it, 1/3 at twice that…: every day counts, however old; :data:`FRESHNESS_UNKNOWN` when
    the day is not known."""
    if graduated_on is None:
        return FRESHNESS_UNKNOWN
    return 1.0 / (1.0 + max(0, (start - graduated_on).days) / FRESH_DAYS)


def level_component(
    graduate_rank: int, required_rank: int | None, fresh: float = FRESHNESS_UNKNOWN
) -> float:
    """Near 1 when the graduate meets the required level (or none is required): the last
    LEVEL_ROOM of it goes half to how high they were trained (cao đẳng all, no training
    none) and half to how fresh the training is, so that among people who meet the level
    the one trained higher and more recently ranks first. Lower per level missing; never 0,
    because most factory jobs take untrained workers."""
    if required_rank is None or graduate_rank >= required_rank:
        trained = (graduate_rank + 1) / (TOP_RANK + 1)
        return 1.0 - LEVEL_ROOM * (1.0 - (trained + fresh) / 2)
    return LEVEL_BY_GAP[min(required_rank - graduate_rank, len(LEVEL_BY_GAP) - 1)]


def place_scope(graduate_commune: str | None, kind: str, vacancy_commune: str | None) -> int:
    """Index in :data:`SCOPES` of how far the job is from the graduate's home."""
    if kind == "abroad":
        return 3
    if kind == "other_province":
        return 2
    same = graduate_commune is not None and graduate_commune == vacancy_commune
    return 0 if same else 1


def accepted_scopes(willing: tuple[str, ...] | frozenset[str]) -> frozenset[int]:
    """Scopes a graduate accepts: the ones stated, their own commune, and the province when
    they would go to another province."""
    stated = set(willing) | {"commune"}
    if "other_province" in stated:
        stated.add("province")
    return frozenset(SCOPES.index(s) for s in stated)


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    """Straight-line km between two (latitude, longitude) points (None if either is unknown);
    flat-earth: within one province the error is far below a kilometre."""
    if a is None or b is None:
        return None
    north = (a[0] - b[0]) * KM_PER_DEGREE
    east = (a[1] - b[1]) * KM_PER_DEGREE * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(north, east)


def place_component(scope: int, willing: tuple[str, ...], km: float | None = None) -> float:
    """Fit between where the job is and where the graduate will work; ``km`` (the distance
    between home and job, when both are known) orders jobs elsewhere in the province."""
    if not willing:
        return PLACE_UNSTATED[scope]
    if scope not in accepted_scopes(willing):
        return PLACE_UNWILLING[scope]
    if scope == 1 and km is not None:
        return PLACE_ACCEPTED[1] - far_share(km) * (PLACE_ACCEPTED[1] - PLACE_ACCEPTED[2])
    return PLACE_ACCEPTED[scope]


def far_share(km: float) -> float:
    """Share of the way from a neighbour's job to another province's, by distance."""
    return min(1.0, max(0.0, km / FAR_KM))


def km_of_place(place: float) -> int | None:
    """The whole km a place component within the graduate's wishes elsewhere in the province
    stands for (the inverse of :func:`place_component`); None for any other value, and for
    0 km (no two communes' points coincide: the distance was not known)."""
    low, high = PLACE_ACCEPTED[2], PLACE_ACCEPTED[1]
    if not low <= place < high:
        return None
    km = round((high - place) / (high - low) * FAR_KM)
    return km or None


def wage_component(expected: int | None, offered: int | None) -> float:
    """1 - WAGE_ROOM when the offer just meets the expectation, rising to 1 when it is twice
    the expectation (room to accept); falls to 0 at half of it; neutral (the middle of the
    room) when the expectation is unknown."""
    if expected is None or expected <= 0:
        return WAGE_UNSTATED
    if offered is None:
        return WAGE_UNKNOWN
    ratio = offered / expected
    met = min(1.0, max(0.0, 1.0 - 2.0 * (1.0 - ratio)))
    room = min(1.0, max(0.0, ratio - 1.0))
    return float((1.0 - WAGE_ROOM) * met + WAGE_ROOM * room)


def delay_days(available_from: date | None, start: date) -> int:
    """Days between the start date and the day the graduate can start (0 if on time)."""
    if available_from is None:
        return 0
    return max(0, (available_from - start).days)


def timing_component(delay: int) -> float:
    """1 when available by the start date, falling linearly to 0 at :data:`MAX_DELAY_DAYS`."""
    return max(0.0, 1.0 - delay / MAX_DELAY_DAYS)


def age_allowed(birth_year: int | None, age_min: int | None, age_max: int | None, on: date) -> bool:
    """Whether the graduate's age in the year of ``on`` lies in the vacancy's range."""
    if birth_year is None:
        return True
    age = on.year - birth_year
    return (age_min is None or age >= age_min) and (age_max is None or age <= age_max)


def weighted_score(components: dict[str, float], weights: Weights, has_order: bool) -> float:
    """Weighted mean of the components (``order`` counts only for training-order vacancies),
    times each of :data:`FACTORS` present."""
    total, weight_sum = 0.0, 0.0
    for name, weight in weights.as_dict().items():
        if name == "order" and not has_order:
            continue
        total += weight * components[name]
        weight_sum += weight
    mean = min(1.0, max(0.0, total / weight_sum))
    for name in FACTORS:
        mean *= components.get(name, 1.0)
    return mean
