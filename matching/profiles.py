"""Plain profiles the matcher reads: graduates, vacancies and job locations.

They carry no database identity beyond string ids and never a sex field: sex is never a
matching criterion. Money is VND per month as ``int``; dates are :class:`datetime.date`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Training levels in increasing order (Luật Giáo dục nghề nghiệp): under 3 months, sơ cấp,
# trung cấp, cao đẳng. An untrained person has level None, ranked below all of them.
LEVELS: tuple[str, ...] = ("duoi_3_thang", "so_cap", "trung_cap", "cao_dang")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
NO_LEVEL_RANK = -1

LOCATION_KINDS: tuple[str, ...] = ("commune", "other_province", "abroad")
# How far from home a graduate will go. "commune" is their own commune, "province" anywhere in
# Điện Biên, "other_province" elsewhere in Vietnam, "abroad" contract work overseas.
WORK_SCOPES: tuple[str, ...] = ("commune", "province", "other_province", "abroad")


def level_rank(level: str | None) -> int:
    """Rank of a training level (0 for duoi_3_thang … 3 for cao_dang, -1 for none)."""
    if level is None:
        return NO_LEVEL_RANK
    try:
        return LEVEL_RANK[level]
    except KeyError:
        raise ValueError(f"unknown training level {level!r}; expected one of {LEVELS}") from None


@dataclass(frozen=True)
class Location:
    """Where a job is: a commune of Điện Biên, another province, or a country abroad."""

    kind: str
    commune_code: str | None = None
    province: str | None = None
    country: str | None = None
    # (latitude, longitude) of the commune's point, when known: a job elsewhere in the
    # province scores a little less the farther it is from the graduate's home.
    point: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.kind not in LOCATION_KINDS:
            raise ValueError(f"unknown location kind {self.kind!r}; expected {LOCATION_KINDS}")

    @classmethod
    def commune(cls, code: str, point: tuple[float, float] | None = None) -> Location:
        """A job in a commune of the province (5-digit code such as ``03127``), with the
        commune's (latitude, longitude) when known."""
        return cls("commune", commune_code=code, point=point)

    @classmethod
    def other_province(cls, province: str | None = None) -> Location:
        """A job elsewhere in Vietnam."""
        return cls("other_province", province=province)

    @classmethod
    def abroad(cls, country: str | None = None) -> Location:
        """Contract work overseas."""
        return cls("abroad", country=country)


@dataclass(frozen=True)
class GraduateProfile:
    """A person trained (or not yet trained) who is looking for work."""

    id: str
    occupation: str
    occupation_code: str | None = None
    level: str | None = None
    skills: tuple[str, ...] = ()
    commune_code: str | None = None
    birth_year: int | None = None
    willing_to_work: tuple[str, ...] = ()
    expected_wage: int | None = None
    available_from: date | None = None
    order_id: str | None = None
    # The day the training ended: among people who meet the level asked, fresher training
    # ranks a little higher (score.level_component). None: not known.
    graduated_on: date | None = None
    # (latitude, longitude) of the home commune's point, when known (see Location.point).
    home: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        level_rank(self.level)
        unknown = set(self.willing_to_work) - set(WORK_SCOPES)
        if unknown:
            raise ValueError(f"unknown work scopes {sorted(unknown)}; expected {WORK_SCOPES}")


@dataclass(frozen=True)
class VacancyProfile:
    """A job offer with ``quantity`` places."""

    id: str
    employer_id: str
    title: str
    description: str = ""
    occupation_code: str | None = None
    required_level: str | None = None
    skills: tuple[str, ...] = ()
    location: Location = Location("other_province")
    wage_min: int | None = None
    wage_max: int | None = None
    quantity: int = 1
    age_min: int | None = None
    age_max: int | None = None
    start_date: date | None = None
    order_id: str | None = None

    def __post_init__(self) -> None:
        level_rank(self.required_level)
        if self.quantity < 1:
            raise ValueError(f"quantity must be at least 1, got {self.quantity}")
        low, high = self.wage_min, self.wage_max
        if low is not None and high is not None and low > high:
            raise ValueError("wage_min is greater than wage_max")

    @property
    def offered_wage(self) -> int | None:
        """The most the employer offers (wage_max, else wage_min), used against expectations."""
        return self.wage_max if self.wage_max is not None else self.wage_min
