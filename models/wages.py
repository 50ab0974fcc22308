"""The regional minimum wage at a work location on a date, and the check that a vacancy does
not offer less. Queries only: nothing here writes or commits.

Which region a place is in comes from `WageRegionAssignment` (a commune's own row first, then
its province's); the amounts come from `MinimumWage`, one row per region and decree period.
Both are reference tables with validity dates, so a vacancy dated 2025 is held to Decree
74/2024 and one dated 2026 to Decree 293/2025 without any code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from models.enums import LocationKind
from models.errors import InvalidError
from models.formatting import Vnd
from models.tables import AdminUnit, MinimumWage, WageRegionAssignment

HOME_PROVINCE_CODE = "11"  # Điện Biên: a "commune" location is one of its communes
LOWEST_REGION = 4  # vùng IV: the floor when a place's region is not recorded
ROMAN_REGIONS = {1: "I", 2: "II", 3: "III", 4: "IV"}  # how decrees and people name them


@dataclass(frozen=True)
class MinimumWageInfo:
    """The minimum that applies, and how it was found. `region_known` is False when no
    assignment covers the place and the lowest region was used as the floor."""

    region: int
    monthly: int
    hourly: int | None
    decree: str
    region_known: bool
    unit_code: str | None  # the commune or province code whose assignment applied


def _valid_on(valid_from: Any, valid_to: Any, on: date) -> ColumnElement[bool]:
    """Rows in force on `on`. valid_to is read as the last day in force; where two periods
    touch, callers take the later one (newest valid_from first)."""
    return and_(col(valid_from) <= on, or_(col(valid_to).is_(None), col(valid_to) >= on))


def _assigned_region(session: Session, unit_code: str, on: date) -> int | None:
    query = (
        select(WageRegionAssignment.region)
        .where(
            WageRegionAssignment.unit_code == unit_code,
            _valid_on(WageRegionAssignment.valid_from, WageRegionAssignment.valid_to, on),
        )
        .order_by(col(WageRegionAssignment.valid_from).desc())
    )
    return session.exec(query).first()


def _province_of(session: Session, commune_code: str, on: date) -> str | None:
    """The province a commune belonged to on `on`, from the admin-unit register."""
    query = (
        select(AdminUnit.province_code)
        .where(AdminUnit.code == commune_code, AdminUnit.level != "tinh")
        .where(_valid_on(AdminUnit.valid_from, AdminUnit.valid_to, on))
    )
    return session.exec(query).first()


def _candidate_units(
    session: Session,
    location_kind: str,
    commune_code: str | None,
    province_code: str | None,
    on: date,
) -> list[str]:
    """Codes to look up, most specific first: the commune, then its province."""
    units = [commune_code] if commune_code else []
    province = province_code
    if province is None and commune_code:
        province = _province_of(session, commune_code, on)
    if province is None and location_kind == LocationKind.COMMUNE:
        province = HOME_PROVINCE_CODE
    if province:
        units.append(province)
    return units


def _wage_for_region(session: Session, region: int, on: date) -> MinimumWage | None:
    query = (
        select(MinimumWage)
        .where(
            MinimumWage.region == region,
            _valid_on(MinimumWage.valid_from, MinimumWage.valid_to, on),
        )
        .order_by(col(MinimumWage.valid_from).desc())
    )
    return session.exec(query).first()


def minimum_wage_for(
    session: Session,
    *,
    location_kind: str,
    commune_code: str | None = None,
    province_code: str | None = None,
    on: date,
) -> MinimumWageInfo | None:
    """The regional minimum wage at a work location on a date. None for a job abroad (the
    rule does not apply) or when no minimum wage is recorded for that date."""
    if location_kind == LocationKind.ABROAD:
        return None
    region, unit_code = LOWEST_REGION, None
    for code in _candidate_units(session, location_kind, commune_code, province_code, on):
        assigned = _assigned_region(session, code, on)
        if assigned is not None:
            region, unit_code = assigned, code
            break
    wage = _wage_for_region(session, region, on)
    if wage is None:
        return None
    return MinimumWageInfo(
        region=region,
        monthly=wage.monthly,
        hourly=wage.hourly,
        decree=wage.decree,
        region_known=unit_code is not None,
        unit_code=unit_code,
    )


def check_vacancy_wage(
    session: Session,
    *,
    wage_min: int | None,
    wage_max: int | None,
    location_kind: str,
    commune_code: str | None,
    province_code: str | None,
    on: date,
    per_hour: bool = False,
) -> None:
    """Refuse an offer below the regional minimum at the work location. The lowest offered
    wage is compared (the highest when only that is given); a negotiable wage (neither) and a
    job abroad are not checked. `per_hour` compares against the hourly minimum."""
    offered = wage_min if wage_min is not None else wage_max
    if offered is None:
        return
    info = minimum_wage_for(
        session,
        location_kind=location_kind,
        commune_code=commune_code,
        province_code=province_code,
        on=on,
    )
    if info is None:
        return
    minimum = info.hourly if per_hour else info.monthly
    if minimum is not None and offered < minimum:
        raise InvalidError(
            "wage_min" if wage_min is not None else "wage_max",
            "The offered wage {wage} is below the regional minimum wage {minimum} (region "
            "{region}) at the work location.",
            wage=Vnd(offered),
            minimum=Vnd(minimum),
            region=ROMAN_REGIONS.get(info.region, str(info.region)),
        )
