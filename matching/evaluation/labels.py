"""The placement officer's rules that decide a pair's relevance (0, 1 or 2).

These are written by hand from how an officer of the Employment Service Centre refers people,
and applied to what the officer knows about each person (the true occupation of the course they
finished, not the text typed on a form). They never call the engine: the evaluation would be
circular if they did. docs/evaluation.md states the same rules in prose.

2 = refer first: right occupation, level met, can and will work there, within the age limits.
1 = plausible: a related occupation, a level one step short, or a doubt the officer would phone
    about (wage expectation above the offer, available late, unknown age or unknown willingness).
0 = not: unrelated occupation, level two steps short, will not go there, or outside age limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from matching.evaluation.vocab import LEVEL_RANK

# Occupations an officer would call "close enough to try" (symmetric). Hand-chosen: the same
# trade at another level of skill, or work the course prepares for in practice.
RELATED_PAIRS: tuple[tuple[str, str], ...] = (
    ("MAY_CONG_NGHIEP", "MAY_THOI_TRANG"),
    ("DIEN_DAN_DUNG", "DIEN_CONG_NGHIEP"),
    ("DIEN_CONG_NGHIEP", "DIEN_TU_CONG_NGHIEP"),
    ("SUA_CHUA_XE_MAY", "CONG_NGHE_O_TO"),
    ("SUA_CHUA_XE_MAY", "SUA_CHUA_MAY_NONG_NGHIEP"),
    ("HAN", "CAT_GOT_KIM_LOAI"),
    ("KY_THUAT_XAY_DUNG", "NE_HOAN_THIEN"),
    ("NE_HOAN_THIEN", "MOC_DAN_DUNG"),
    ("CHE_BIEN_MON_AN", "NGHIEP_VU_NHA_HANG"),
    ("NGHIEP_VU_NHA_HANG", "QUAN_TRI_KHACH_SAN"),
    ("QUAN_TRI_KHACH_SAN", "HUONG_DAN_DU_LICH"),
    ("TIN_HOC_VAN_PHONG", "CNTT_UNG_DUNG_PHAN_MEM"),
    ("TIN_HOC_VAN_PHONG", "KE_TOAN_DOANH_NGHIEP"),
    ("CHAN_NUOI_GIA_SUC", "CHAN_NUOI_GIA_CAM"),
    ("CHAN_NUOI_GIA_SUC", "THU_Y"),
    ("CHAN_NUOI_GIA_CAM", "THU_Y"),
    ("TRONG_CHE", "CHE_BIEN_NONG_SAN"),
    # Field crops: anyone trained to grow one crop can work on another.
    ("TRONG_RAU", "TRONG_LUA_NGO"),
    ("TRONG_RAU", "TRONG_CAY_AN_QUA"),
    ("TRONG_RAU", "KHOA_HOC_CAY_TRONG"),
    ("TRONG_CA_PHE", "TRONG_CAY_AN_QUA"),
    ("TRONG_CA_PHE", "TRONG_CHE"),
    ("TRONG_LUA_NGO", "KHOA_HOC_CAY_TRONG"),
    # Short courses the province runs that the catalogue lacks (second set, spec_hard.py).
    ("SUA_CHUA_MAY_MAY", "SUA_CHUA_MAY_NONG_NGHIEP"),  # both mechanics' trades
    ("SUA_CHUA_DIEN_THOAI", "DIEN_TU_CONG_NGHIEP"),
    ("CHE_BIEN_GO", "MOC_DAN_DUNG"),
    ("CHE_BIEN_THUC_AN_CHAN_NUOI", "CHE_BIEN_NONG_SAN"),
    ("TRONG_NAM", "TRONG_RAU"),
    ("DICH_VU_HOMESTAY", "QUAN_TRI_KHACH_SAN"),
    ("DICH_VU_HOMESTAY", "HUONG_DAN_DU_LICH"),
    ("DICH_VU_HOMESTAY", "NGHIEP_VU_NHA_HANG"),
    ("XOA_BOP_BAM_HUYET", "CHAM_SOC_SAC_DEP"),
    ("VAN_HANH_MAY_XUC", "LAI_XE"),
    ("VAN_HANH_MAY_XUC", "VAN_HANH_MAY_NONG_NGHIEP"),
)

# Trades whose names share words but which the officer never treats as related: the trap
# pairs of the second set. (a) repairing a machine against the trade that uses it; (b) processing
# one material against another; (c) selling goods against making or repairing them; and other
# pairs that share a word ("điện" in "điện thoại", "nuôi" in "nuôi ong", "chăm sóc").
# They are graded 0 like any unrelated pair; naming them lets the set list them with their kind.
TRAP_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("SUA_CHUA_MAY_MAY", "MAY_CONG_NGHIEP", "repair-vs-use"),
    ("SUA_CHUA_MAY_MAY", "MAY_THOI_TRANG", "repair-vs-use"),
    ("SUA_CHUA_MAY_NONG_NGHIEP", "VAN_HANH_MAY_NONG_NGHIEP", "repair-vs-use"),
    ("SUA_CHUA_XE_MAY", "LAI_XE", "repair-vs-use"),
    ("CONG_NGHE_O_TO", "LAI_XE", "repair-vs-use"),
    ("CHE_BIEN_GO", "CHE_BIEN_NONG_SAN", "material"),
    ("CHE_BIEN_GO", "TRONG_CHE", "material"),
    ("CHE_BIEN_GO", "CHE_BIEN_MON_AN", "material"),
    ("CHE_BIEN_THUC_AN_CHAN_NUOI", "CHE_BIEN_MON_AN", "material"),
    ("CHE_BIEN_THUC_AN_CHAN_NUOI", "CHE_BIEN_GO", "material"),
    ("CHE_BIEN_NONG_SAN", "MOC_DAN_DUNG", "material"),
    ("BAN_HANG", "SUA_CHUA_DIEN_THOAI", "sell-vs-make"),
    ("BAN_HANG", "DIEN_TU_CONG_NGHIEP", "sell-vs-make"),
    ("BAN_HANG", "NE_HOAN_THIEN", "sell-vs-make"),
    ("BAN_HANG", "KY_THUAT_XAY_DUNG", "sell-vs-make"),
    ("BAN_HANG", "MAY_THOI_TRANG", "sell-vs-make"),
    ("BAN_HANG", "MAY_CONG_NGHIEP", "sell-vs-make"),
    ("BAN_HANG", "SUA_CHUA_XE_MAY", "sell-vs-make"),
    ("MAY_TRE_DAN", "MAY_CONG_NGHIEP", "shared-word"),  # "may" once the marks are gone
    ("MAY_TRE_DAN", "SUA_CHUA_MAY_MAY", "shared-word"),
    ("SUA_CHUA_XE_MAY", "SUA_CHUA_MAY_MAY", "shared-word"),  # "sua chua may" both
    ("HAN", "DIEN_DAN_DUNG", "shared-word"),  # "hàn điện" / "thợ điện"
    ("SUA_CHUA_DIEN_THOAI", "DIEN_DAN_DUNG", "shared-word"),
    ("SUA_CHUA_DIEN_THOAI", "DIEN_CONG_NGHIEP", "shared-word"),
    ("NUOI_ONG", "NUOI_CA", "shared-word"),
    ("NUOI_ONG", "CHAN_NUOI_GIA_CAM", "shared-word"),
    ("TRONG_NAM", "NUOI_CA", "shared-word"),  # "nuôi trồng"
    ("DIEU_DUONG_CHAM_SOC", "CHAM_SOC_SAC_DEP", "shared-word"),
    ("DIEU_DUONG_CHAM_SOC", "XOA_BOP_BAM_HUYET", "shared-word"),
)

LATE_START_DAYS = 30
DEFAULT_REFERENCE_YEAR = 2026


_RELATED = frozenset(RELATED_PAIRS)
_TRAPS = {frozenset((a, b)): kind for a, b, kind in TRAP_PAIRS}


def related(a: str, b: str) -> bool:
    """Whether the officer counts occupations ``a`` and ``b`` as related."""
    return (a, b) in _RELATED or (b, a) in _RELATED


def trap_kind(a: str, b: str) -> str | None:
    """The kind of trap when ``a`` and ``b`` share words but are not related, else None."""
    return _TRAPS.get(frozenset((a, b)))


def _language_verdict(required: tuple[str, int] | None, held: Mapping[str, int] | None) -> str:
    """'ok', 'short' (one level below, can catch up before departure) or 'no'."""
    if required is None:
        return "ok"
    language, level = required
    has = (held or {}).get(language, 0)
    if has >= level:
        return "ok"
    return "short" if has >= 1 and has == level - 1 else "no"


@dataclass(frozen=True)
class Judgement:
    """One judged pair and the rule that decided it."""

    vacancy_id: str
    graduate_id: str
    relevance: int
    rule: str


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _location_verdict(graduate: Mapping[str, Any], location: Mapping[str, Any]) -> str:
    """'ok', 'no' or 'ask' (the officer would phone to ask)."""
    willing = graduate.get("willing_to_work") or ()
    kind = location["kind"]
    if kind == "commune":
        if graduate.get("commune_code") == location.get("commune_code"):
            return "ok"
        if {"province", "other_province"} & set(willing):
            return "ok"
        return "ask" if not willing or not graduate.get("commune_code") else "no"
    if not willing:
        return "ask"
    return "ok" if kind in willing else "no"


def _age_verdict(graduate: Mapping[str, Any], vacancy: Mapping[str, Any]) -> str:
    low, high = vacancy.get("age_min"), vacancy.get("age_max")
    if low is None and high is None:
        return "ok"
    born = graduate.get("birth_year")
    if born is None:
        return "ask"
    start = _parse_date(vacancy.get("start_date"))
    age = (start.year if start else DEFAULT_REFERENCE_YEAR) - born
    if (low is not None and age < low) or (high is not None and age > high):
        return "no"
    return "ok"


def _doubts(graduate: Mapping[str, Any], vacancy: Mapping[str, Any]) -> list[str]:
    """Reasons that turn a first referral into a plausible one."""
    doubts = []
    expected, offered = graduate.get("expected_wage"), vacancy.get("wage_max")
    if expected is not None and offered is not None and expected > offered:
        doubts.append("wage")
    available, start = (
        _parse_date(graduate.get("available_from")),
        _parse_date(vacancy.get("start_date")),
    )
    if available and start and available > start + timedelta(days=LATE_START_DAYS):
        doubts.append("late")
    return doubts


def judge(
    graduate: Mapping[str, Any],
    graduate_key: str,
    vacancy: Mapping[str, Any],
    vacancy_key: str,
    also_plausible: Sequence[str] = (),
    language: tuple[str, int] | None = None,
    languages: Mapping[str, int] | None = None,
) -> tuple[int, str]:
    """Relevance of ``graduate`` for ``vacancy`` and the rule that decided it.

    ``graduate`` and ``vacancy`` are the JSON records; ``*_key`` are the true catalogue
    occupations; ``also_plausible`` lists occupations this employer would also take.
    ``language`` is the vacancy's required (language, level), ``languages`` the levels the
    graduate holds (1 = the first certificate: JLPT N5, EPS-TOPIK passed, TOCFL A1; 2 = N4...).
    """
    order = vacancy.get("order_id")
    if order and order == graduate.get("order_id"):
        return 2, "order"
    if graduate_key == vacancy_key:
        best, reasons = 2, ["same"]
    elif related(graduate_key, vacancy_key) or graduate_key in also_plausible:
        best, reasons = 1, ["related"]
    else:
        return 0, "unrelated"
    for name, verdict in (
        ("location", _location_verdict(graduate, vacancy["location"])),
        ("age", _age_verdict(graduate, vacancy)),
    ):
        if verdict == "no":
            return 0, name
        if verdict == "ask":
            best, reasons = min(best, 1), [*reasons, f"{name}?"]
    shortfall = LEVEL_RANK[vacancy.get("required_level")] - LEVEL_RANK[graduate.get("level")]
    if shortfall >= 2:
        return 0, "level"
    if shortfall == 1:
        best, reasons = min(best, 1), [*reasons, "level-1"]
    spoken = _language_verdict(language, languages)
    if spoken == "no":
        return 0, "language"
    if spoken == "short":
        best, reasons = min(best, 1), [*reasons, "language-1"]
    doubts = _doubts(graduate, vacancy)
    if doubts:
        best, reasons = min(best, 1), [*reasons, *doubts]
    return best, "+".join(reasons)
