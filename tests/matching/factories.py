"""Plain factory functions and hypothesis strategies for matching profiles.

Personas: ``seamstress`` (trained in industrial sewing, willing to go to another province),
``mechanic`` (motorbike repair, stays in the province), ``untrained`` (no trade, any job).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from matching.profiles import LEVELS, WORK_SCOPES, GraduateProfile, Location, VacancyProfile

TODAY = date(2026, 6, 15)


def graduate(**overrides: Any) -> GraduateProfile:
    """A seamstress from commune 03127 unless overridden."""
    fields: dict[str, Any] = {
        "id": "G1",
        "occupation": "thợ may",
        "occupation_code": "MAY_CONG_NGHIEP",
        "level": "so_cap",
        "skills": ("may máy 1 kim", "vắt sổ"),
        "commune_code": "03127",
        "birth_year": 2000,
        "willing_to_work": ("commune", "province", "other_province"),
        "expected_wage": 7_000_000,
        "available_from": date(2026, 6, 1),
        "order_id": None,
    }
    fields.update(overrides)
    return GraduateProfile(**fields)


def vacancy(**overrides: Any) -> VacancyProfile:
    """A garment factory in Bắc Ninh unless overridden."""
    fields: dict[str, Any] = {
        "id": "V1",
        "employer_id": "E1",
        "title": "Tuyển công nhân may công nghiệp",
        "description": "Làm việc tại khu công nghiệp, bao ăn ở",
        "occupation_code": "MAY_CONG_NGHIEP",
        "required_level": None,
        "skills": ("may máy 1 kim", "vắt sổ", "là ủi"),
        "location": Location.other_province("Bắc Ninh"),
        "wage_min": 6_000_000,
        "wage_max": 8_000_000,
        "quantity": 2,
        "age_min": 18,
        "age_max": 35,
        "start_date": date(2026, 7, 1),
        "order_id": None,
    }
    fields.update(overrides)
    return VacancyProfile(**fields)


# Small pools so that random profiles collide on texts, codes, communes and orders.
TRADES = [
    "thợ may",
    "cong nhan may",
    "may công ngiệp",
    "sửa xe máy",
    "sua chua xe may",
    "hàn điện",
    "nấu ăn",
    "lái xe",
    "",
    "điện dân dụng",
]
CODES = [
    None,
    None,
    "MAY_CONG_NGHIEP",
    "MAY_THOI_TRANG",
    "5540205",
    "SUA_CHUA_XE_MAY",
    "HAN",
    "6520123",
    "CHE_BIEN_MON_AN",
    "UNKNOWN_CODE",
]
TITLES = [
    "Tuyển công nhân may",
    "Thợ sửa xe máy",
    "Thợ hàn",
    "Phụ bếp nhà hàng",
    "Lao động phổ thông",
    "Tài xế xe tải",
    "",
]
SKILLS = [
    "may máy 1 kim",
    "vat so",
    "vắt sổ",
    "hàn tig",
    "han mig",
    "nấu ăn",
    "lái xe",
    "tiếng Nhật",
    "excel",
]
COMMUNES = ["03127", "03334", "03160"]
# Their points (latitude, longitude), as the reference data gives them; a profile may lack one.
POINTS = {"03127": (21.4061, 103.067), "03334": (21.3627, 103.035), "03160": (22.2202, 102.427)}
ORDERS = [None, None, "DH-1", "DH-2"]

_dates = st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 12, 31)))
_wage = st.one_of(st.none(), st.integers(3, 20).map(lambda m: m * 500_000))


@st.composite
def graduates(draw: st.DrawFn, ident: str | None = None) -> GraduateProfile:
    """A random graduate drawn from the small pools."""
    return GraduateProfile(
        id=ident or draw(st.text("GH0123456789", min_size=1, max_size=4)),
        occupation=draw(st.sampled_from(TRADES)),
        occupation_code=draw(st.sampled_from(CODES)),
        level=draw(st.sampled_from([None, *LEVELS])),
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
        commune_code=(commune := draw(st.sampled_from([None, *COMMUNES]))),
        home=draw(st.sampled_from([None, POINTS.get(commune or "")])),
        birth_year=draw(st.one_of(st.none(), st.integers(1965, 2010))),
        willing_to_work=tuple(draw(st.lists(st.sampled_from(WORK_SCOPES), unique=True))),
        expected_wage=draw(_wage),
        available_from=draw(_dates),
        order_id=draw(st.sampled_from(ORDERS)),
    )


_locations = st.one_of(
    st.sampled_from(COMMUNES).map(Location.commune),
    st.sampled_from(COMMUNES).map(lambda code: Location.commune(code, POINTS[code])),
    st.just(Location.other_province("Bắc Ninh")),
    st.just(Location.abroad("Nhật Bản")),
)


@st.composite
def vacancies(draw: st.DrawFn, ident: str | None = None) -> VacancyProfile:
    """A random vacancy drawn from the small pools."""
    low = draw(_wage)
    high = draw(st.one_of(st.none(), st.integers(0, 6).map(lambda m: (low or 0) + m * 500_000)))
    young = draw(st.one_of(st.none(), st.integers(16, 30)))
    old = draw(st.one_of(st.none(), st.integers(30, 60)))
    return VacancyProfile(
        id=ident or draw(st.text("VW0123456789", min_size=1, max_size=4)),
        employer_id=draw(st.sampled_from(["E1", "E2"])),
        title=draw(st.sampled_from(TITLES)),
        description=draw(st.sampled_from(["", "Làm việc tại Bắc Ninh", "bao ăn ở"])),
        occupation_code=draw(st.sampled_from(CODES)),
        required_level=draw(st.sampled_from([None, *LEVELS])),
        skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
        location=draw(_locations),
        wage_min=low,
        wage_max=high,
        quantity=draw(st.integers(1, 3)),
        age_min=young,
        age_max=old,
        start_date=draw(_dates),
        order_id=draw(st.sampled_from(ORDERS)),
    )


def batch(max_graduates: int = 8, max_vacancies: int = 5) -> st.SearchStrategy:
    """(graduates, vacancies) with distinct ids."""
    return st.tuples(
        st.lists(graduates(), min_size=1, max_size=max_graduates, unique_by=lambda g: g.id),
        st.lists(vacancies(), min_size=1, max_size=max_vacancies, unique_by=lambda v: v.id),
    )
