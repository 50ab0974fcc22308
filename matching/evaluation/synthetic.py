"""Synthetic but realistic profiles at any scale, for the speed and memory benchmarks.

Graduates and vacancies draw their occupation text from a pool of typed spellings per
catalogue occupation (variants, missing diacritics, typos, abbreviations), so many people share
a string and some strings are misspelt, as in real registers. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from matching.evaluation.vocab import (
    COMMUNES,
    COUNTRIES,
    INDUSTRIAL_PROVINCES,
    SKILLS,
    TOWN_COMMUNES,
    Occupation,
    noisy,
    read_catalogue,
    spellings,
)
from matching.profiles import GraduateProfile, Location, VacancyProfile
from matching.text import strip_diacritics

# Trades that recruit (and train) most in the province get a larger share.
_POPULAR = {"MAY_CONG_NGHIEP": 6, "DIEN_TU_CONG_NGHIEP": 4, "CHAN_NUOI_GIA_SUC": 3,
            "TRONG_CA_PHE": 3, "SUA_CHUA_XE_MAY": 3, "CHE_BIEN_MON_AN": 3, "NE_HOAN_THIEN": 3,
            "DIEN_DAN_DUNG": 3, "HAN": 2, "DIEU_DUONG_CHAM_SOC": 2}  # fmt: skip
_SCOPES = ("commune", "province", "other_province", "abroad")
_SPELLINGS_PER_OCCUPATION = 150


class _Pools:
    """Per-occupation pools of typed spellings and skill strings, drawn once."""

    def __init__(self, rng: random.Random, catalogue: dict[str, Occupation]) -> None:
        self.keys = sorted(catalogue)
        self.weights = [_POPULAR.get(k, 1) for k in self.keys]
        self.catalogue = catalogue
        self.texts = {
            key: [
                noisy(rng.choice(spellings(occ)), rng, p_bare=0.25, p_typo=0.15, p_abbrev=0.1)
                for _ in range(_SPELLINGS_PER_OCCUPATION)
            ]
            for key, occ in catalogue.items()
        }


def _skills(rng: random.Random, key: str) -> tuple[str, ...]:
    chosen = rng.sample(SKILLS[key], k=min(len(SKILLS[key]), rng.randint(0, 4)))
    return tuple(strip_diacritics(s) if rng.random() < 0.2 else s for s in chosen)


def _level(rng: random.Random, pools: _Pools, key: str) -> str | None:
    if rng.random() < 0.05:
        return None
    return rng.choice(pools.catalogue[key].levels)


def _graduate(rng: random.Random, pools: _Pools, number: int, key: str) -> GraduateProfile:
    reach = rng.choices((1, 2, 3, 4), weights=(30, 35, 25, 10))[0]
    commune = rng.choice(TOWN_COMMUNES) if rng.random() < 0.3 else rng.choice(_COMMUNE_CODES)
    return GraduateProfile(
        id=f"G{number:07d}",
        occupation=rng.choice(pools.texts[key]),
        occupation_code=key if rng.random() < 0.4 else None,
        level=_level(rng, pools, key),
        skills=_skills(rng, key),
        commune_code=commune if rng.random() < 0.97 else None,
        birth_year=rng.randint(1970, 2008) if rng.random() < 0.95 else None,
        willing_to_work=_SCOPES[:reach] if rng.random() < 0.9 else (),
        expected_wage=rng.randrange(4_000_000, 15_000_000, 500_000) if rng.random() < 0.5 else None,
        available_from=_START + timedelta(days=rng.randint(-60, 120))
        if rng.random() < 0.6
        else None,
        order_id=f"DH-{rng.randint(1, 40):03d}" if rng.random() < 0.02 else None,
    )


def _location(rng: random.Random) -> Location:
    roll = rng.random()
    if roll < 0.65:
        code = rng.choice(TOWN_COMMUNES) if rng.random() < 0.5 else rng.choice(_COMMUNE_CODES)
        return Location.commune(code)
    if roll < 0.9:
        return Location.other_province(rng.choice(INDUSTRIAL_PROVINCES))
    return Location.abroad(rng.choice(COUNTRIES))


def _vacancy(
    rng: random.Random, pools: _Pools, number: int, key: str, quantity: int
) -> VacancyProfile:
    location = _location(rng)
    text = rng.choice(pools.texts[key])
    title = f"Tuyển {text}" if rng.random() < 0.3 else text
    wage_min = rng.randrange(4_000_000, 12_000_000, 500_000) * (
        3 if location.kind == "abroad" else 1
    )
    ages = (18, 35) if location.kind == "abroad" else (18, 45) if rng.random() < 0.4 else None
    levels = pools.catalogue[key].levels
    return VacancyProfile(
        id=f"V{number:06d}",
        employer_id=f"E{rng.randint(1, max(1, number // 4)):05d}",
        title=title,
        description="",
        occupation_code=key if rng.random() < 0.3 else None,
        required_level=rng.choice(levels[:2]) if rng.random() < 0.5 else None,
        skills=_skills(rng, key),
        location=location,
        wage_min=wage_min,
        wage_max=wage_min + rng.randrange(0, 4_000_000, 500_000),
        quantity=quantity,
        age_min=ages[0] if ages else None,
        age_max=ages[1] if ages else None,
        start_date=_START + timedelta(days=rng.randint(0, 90)) if rng.random() < 0.8 else None,
        order_id=f"DH-{rng.randint(1, 40):03d}" if rng.random() < 0.02 else None,
    )


def _quantities(rng: random.Random, vacancies: int, places: int) -> list[int]:
    """``vacancies`` positive quantities summing to ``places``: mostly small, a few factories."""
    if places < vacancies:
        raise ValueError("need at least one place per vacancy")
    weights = np.random.default_rng(rng.randrange(2**32)).lognormal(0.0, 1.2, size=vacancies)
    extra = np.random.default_rng(rng.randrange(2**32)).multinomial(
        places - vacancies, weights / weights.sum()
    )
    return [1 + int(x) for x in extra]


def synthetic_profiles(
    graduates: int, vacancies: int, places: int, seed: int = 7
) -> tuple[list[GraduateProfile], list[VacancyProfile]]:
    """``graduates`` graduates and ``vacancies`` vacancies offering ``places`` places in all."""
    rng = random.Random(seed)
    pools = _Pools(rng, read_catalogue())
    grad_keys = rng.choices(pools.keys, weights=pools.weights, k=graduates)
    vac_keys = rng.choices(pools.keys, weights=pools.weights, k=vacancies)
    quantities = _quantities(rng, vacancies, places)
    return (
        [_graduate(rng, pools, n, key) for n, key in enumerate(grad_keys, start=1)],
        [
            _vacancy(rng, pools, n, key, q)
            for n, (key, q) in enumerate(zip(vac_keys, quantities, strict=True), start=1)
        ],
    )


_COMMUNE_CODES: Sequence[str] = tuple(COMMUNES)
_START = date(2026, 7, 1)
