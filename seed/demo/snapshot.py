"""A snapshot of the reference data the demo generator reads once: current communes of the
province with their zones, training occupations and levels, ethnic groups, sectors, countries,
provinces, wage regions and minimum wages. Planning then never touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from models.tables import (
    AdminUnit,
    CommuneZone,
    Country,
    EconomicSector,
    Ethnicity,
    MinimumWage,
    ReportingSchedule,
    TrainingLevel,
    TrainingOccupation,
    WageRegionAssignment,
)

HOME_PROVINCE = "11"  # Điện Biên
LOWEST_REGION = 4  # the floor models.wages uses when a place has no region recorded


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    level: str  # xa | phuong
    zone: str | None


@dataclass(frozen=True)
class Occupation:
    id: int
    key: str
    name: str
    group: str
    sector_group: str
    levels: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass
class DemoReference:
    """The reference rows the generator needs, read once so planning never touches the DB."""

    communes: list[Commune]
    occupations: list[Occupation]
    level_codes: tuple[str, ...]
    minority: dict[str, bool]  # ethnicity code -> is_minority
    sector_codes: tuple[str, ...]
    country_codes: tuple[str, ...]
    provinces: dict[str, str]  # province code -> name
    # unit code -> [(valid_from, valid_to, region)]; minimum wages per region, by valid_from
    wage_regions: dict[str, list[tuple[date, date | None, int]]]
    minimum_wages: dict[int, list[tuple[date, date | None, int]]]
    # register source -> (frequency, first month); a source missing here reports monthly
    schedules: dict[str, tuple[str, int]] = field(default_factory=dict)

    def occupation(self, key: str) -> Occupation | None:
        return next((occ for occ in self.occupations if occ.key == key), None)

    def region_of(self, commune_code: str | None, province_code: str | None, on: date) -> int:
        """Minimum-wage region of a place on a date: the commune's row, then its province's,
        then the lowest region (the same order models.wages follows)."""
        for code in (commune_code, province_code or (HOME_PROVINCE if commune_code else None)):
            for valid_from, valid_to, region in self.wage_regions.get(code or "", []):
                if valid_from <= on and (valid_to is None or on <= valid_to):
                    return region
        return LOWEST_REGION

    def minimum_wage(self, region: int, on: date) -> int:
        """Monthly minimum valid on `on`; before the first recorded decree, the earliest one
        (minimums only rise, so a wage above it is above the older ones too)."""
        rows = self.minimum_wages.get(region) or self.minimum_wages.get(LOWEST_REGION) or []
        valid = [m for start, end, m in rows if start <= on and (end is None or on <= end)]
        if valid:
            return valid[-1]
        return rows[0][2] if rows and on < rows[0][0] else (rows[-1][2] if rows else 0)


def read_reference(session: Session, today: date) -> DemoReference:
    """Snapshot of the reference tables (current communes of province 11 and their zones)."""
    conn = session.connection()
    unit = AdminUnit.__table__.c  # type: ignore[attr-defined]
    zones = _zones(session, today)
    communes = [
        Commune(r.code, r.name, r.level, zones.get(r.code))
        for r in conn.execute(
            select(unit.code, unit.name, unit.level)
            .where(unit.province_code == HOME_PROVINCE, unit.level != "tinh")
            .where(unit.valid_from <= today, (unit.valid_to.is_(None)) | (unit.valid_to >= today))
            .order_by(unit.code)
        )
    ]
    provinces = {
        r.code: r.name
        for r in conn.execute(
            select(unit.code, unit.name)
            .where(unit.level == "tinh", unit.valid_to.is_(None))
            .order_by(unit.code)
        )
    }
    level = TrainingLevel.__table__.c  # type: ignore[attr-defined]
    ethnic = Ethnicity.__table__.c  # type: ignore[attr-defined]
    sector = EconomicSector.__table__.c  # type: ignore[attr-defined]
    country = Country.__table__.c  # type: ignore[attr-defined]
    return DemoReference(
        communes=communes,
        occupations=_occupations(session),
        level_codes=tuple(r[0] for r in conn.execute(select(level.code).order_by(level.rank))),
        minority={
            r.code: r.is_minority
            for r in conn.execute(select(ethnic.code, ethnic.is_minority).order_by(ethnic.code))
        },
        sector_codes=tuple(r[0] for r in conn.execute(select(sector.code).order_by(sector.code))),
        country_codes=tuple(
            r[0] for r in conn.execute(select(country.code).order_by(country.code))
        ),
        provinces=provinces,
        wage_regions=_wage_regions(session),
        minimum_wages=_minimum_wages(session),
        schedules=_schedules(session),
    )


def _schedules(session: Session) -> dict[str, tuple[str, int]]:
    table = ReportingSchedule.__table__.c  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(table.source, table.frequency, table.first_month).order_by(table.source)
    )
    return {r.source: (r.frequency, r.first_month) for r in rows}


def _zones(session: Session, today: date) -> dict[str, str]:
    """Zone of each commune: the row valid today, else the latest row recorded."""
    zone = CommuneZone.__table__.c  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(zone.commune_code, zone.zone, zone.valid_from, zone.valid_to).order_by(
            zone.commune_code, zone.valid_from
        )
    )
    chosen: dict[str, str] = {}
    for r in rows:
        if r.commune_code not in chosen or r.valid_from <= today:
            chosen[r.commune_code] = r.zone
    return chosen


def _occupations(session: Session) -> list[Occupation]:
    occ = TrainingOccupation.__table__.c  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(occ.id, occ.key, occ.name, occ.group, occ.sector_group, occ.levels, occ.aliases)
        .where(occ.valid_to.is_(None))
        .order_by(occ.id)
    )
    return [
        Occupation(r.id, r.key, r.name, r.group, r.sector_group, tuple(r.levels), tuple(r.aliases))
        for r in rows
    ]


def _wage_regions(session: Session) -> dict[str, list[tuple[date, date | None, int]]]:
    wra = WageRegionAssignment.__table__.c  # type: ignore[attr-defined]
    regions: dict[str, list[tuple[date, date | None, int]]] = {}
    for r in session.connection().execute(
        select(wra.unit_code, wra.valid_from, wra.valid_to, wra.region).order_by(
            wra.unit_code, wra.valid_from.desc()
        )
    ):
        regions.setdefault(r.unit_code, []).append((r.valid_from, r.valid_to, r.region))
    return regions


def _minimum_wages(session: Session) -> dict[int, list[tuple[date, date | None, int]]]:
    mw = MinimumWage.__table__.c  # type: ignore[attr-defined]
    wages: dict[int, list[tuple[date, date | None, int]]] = {}
    for r in session.connection().execute(
        select(mw.region, mw.valid_from, mw.valid_to, mw.monthly).order_by(mw.region, mw.valid_from)
    ):
        wages.setdefault(r.region, []).append((r.valid_from, r.valid_to, r.monthly))
    return wages
