"""Reference data that changes by law or decision: every row carries the dates it is valid,
and an administrator edits it (see seed/reference for where each list comes from)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class AdminUnit(SQLModel, table=True):
    """A province, ward or commune as it was between valid_from and valid_to. Codes are reused
    after the 2025 reform, so (code, valid_from) identifies a unit."""

    __tablename__ = "admin_unit"
    __table_args__ = (UniqueConstraint("code", "level", "valid_from"),)
    code: str = Field(max_length=5, index=True)
    name: str = Field(max_length=120)
    name_key: str = Field(max_length=120, index=True)
    level: str = Field(max_length=12)  # tinh, huyen, xa, phuong, thi_tran, dac_khu
    province_code: str = Field(max_length=2, index=True)
    district_name: str | None = Field(default=None, max_length=120)  # former units only
    valid_from: date
    valid_to: date | None = None
    id: int | None = Field(default=None, primary_key=True)
    # The ward's point (degrees, WGS 84) as the vietnamadminunits package gives it; None for
    # provinces. Used to order courses by distance from a commune.
    latitude: float | None = None
    longitude: float | None = None


class AdminUnitLineage(SQLModel, table=True):
    """A former unit merged (wholly or partly) into a current one, so old addresses resolve."""

    __tablename__ = "admin_unit_lineage"
    __table_args__ = (UniqueConstraint("former_unit_id", "current_unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    former_unit_id: int = Field(foreign_key="admin_unit.id", index=True)
    current_unit_id: int = Field(foreign_key="admin_unit.id", index=True)
    is_default: bool = True  # where a split unit's addresses go when nothing else says


class CommuneZone(SQLModel, table=True):
    """Khu vực I/II/III of a commune for a period (the province's decision for 2026–2030)."""

    __tablename__ = "commune_zone"
    __table_args__ = (
        UniqueConstraint("commune_code", "valid_from"),
        CheckConstraint("zone IN ('I','II','III')", name="zone_value"),
    )
    id: int | None = Field(default=None, primary_key=True)
    commune_code: str = Field(max_length=5, index=True)
    zone: str = Field(max_length=3)
    valid_from: date
    valid_to: date | None = None
    source: str = Field(default="", max_length=200)


class WageRegionAssignment(SQLModel, table=True):
    """Which minimum-wage region (1–4) a commune (5-digit code) or a whole province (2-digit
    code) falls in, for a period. A commune's own row wins over its province's."""

    __tablename__ = "wage_region_assignment"
    __table_args__ = (
        UniqueConstraint("unit_code", "valid_from"),
        CheckConstraint("region BETWEEN 1 AND 4", name="region_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    unit_code: str = Field(max_length=5, index=True)
    region: int
    valid_from: date
    valid_to: date | None = None
    source: str = Field(default="", max_length=200)


class MinimumWage(SQLModel, table=True):
    """Regional minimum wage in VND per month and per hour, from a decree, for a period."""

    __tablename__ = "minimum_wage"
    __table_args__ = (UniqueConstraint("region", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    region: int
    monthly: int
    hourly: int | None = None
    decree: str = Field(max_length=60)
    valid_from: date
    valid_to: date | None = None


class Ethnicity(SQLModel, table=True):
    """One of the 54 ethnic groups with its official two-digit code (QĐ 121-TCTK/PPCĐ)."""

    __tablename__ = "ethnicity"
    code: str = Field(primary_key=True, max_length=2)
    name: str = Field(max_length=60)
    name_key: str = Field(max_length=60, index=True)
    aliases: list[str] = Field(default_factory=list, sa_type=JSON)
    is_minority: bool = True


class TrainingLevel(SQLModel, table=True):
    """A training level and whether it counts toward the '3 months or more with a
    certificate' share. A table because the 2025 vocational-education law may add levels."""

    __tablename__ = "training_level"
    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=80)
    rank: int  # orders levels: higher is more advanced
    min_months: int | None = None
    max_months: int | None = None
    min_hours: int | None = None
    credential: str = Field(max_length=80)
    counts_as_certified: bool
    legal_basis: str = Field(default="", max_length=200)
    valid_from: date
    valid_to: date | None = None


class EconomicSector(SQLModel, table=True):
    """A VSIC 2018 section with the three-way group the labour-structure target uses."""

    __tablename__ = "economic_sector"
    code: str = Field(primary_key=True, max_length=2)
    name: str = Field(max_length=200)
    sector_group: str = Field(max_length=4, index=True)


class TrainingOccupation(SQLModel, table=True):
    """An occupation taught in the province: national codes (TT 26/2020) where they exist,
    or a local short-course occupation (QĐ 18/2023/QĐ-UBND list) without one."""

    __tablename__ = "training_occupation"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200, index=True)
    group: str = Field(max_length=40, index=True)  # occupations in one group are related
    sector_group: str = Field(max_length=4)
    levels: list[str] = Field(default_factory=list, sa_type=JSON)
    code_trung_cap: str | None = Field(default=None, max_length=7, index=True)
    code_cao_dang: str | None = Field(default=None, max_length=7, index=True)
    aliases: list[str] = Field(default_factory=list, sa_type=JSON)
    valid_from: date
    valid_to: date | None = None


class Country(SQLModel, table=True):
    """A destination country for contract work abroad (ISO 3166 alpha-2)."""

    __tablename__ = "country"
    code: str = Field(primary_key=True, max_length=2)
    name: str = Field(max_length=80)


# Which of a target's scopes a row is: the province, one commune, or one institution.
_PROVINCE = "commune_code IS NULL AND institution_id IS NULL"


class Target(SQLModel, table=True):
    """A target of the resolution (or a later plan) for a year: a yearly target (people
    trained, new jobs) or a milestone (the shares and the structure, by 2025 and 2030; see
    docs/kpi.md). The province's target, or one commune's (``commune_code``) or one
    institution's (``institution_id``). Editable, changes are audited."""

    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint("commune_code IS NULL OR institution_id IS NULL", name="one_scope"),
        Index(
            "uq_target_province",
            "indicator",
            "year",
            unique=True,
            sqlite_where=text(_PROVINCE),
            postgresql_where=text(_PROVINCE),
        ),
        Index(
            "uq_target_commune",
            "indicator",
            "year",
            "commune_code",
            unique=True,
            sqlite_where=text("commune_code IS NOT NULL"),
            postgresql_where=text("commune_code IS NOT NULL"),
        ),
        Index(
            "uq_target_institution",
            "indicator",
            "year",
            "institution_id",
            unique=True,
            sqlite_where=text("institution_id IS NOT NULL"),
            postgresql_where=text("institution_id IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    indicator: str = Field(max_length=40)
    year: int = Field(index=True)
    value_min: float
    value_max: float | None = None
    unit: str = Field(max_length=20)  # people | percent
    source_document: str = Field(max_length=300)
    commune_code: str | None = Field(default=None, max_length=5)  # a commune's target
    institution_id: int | None = Field(default=None, foreign_key="institution.id", index=True)
