"""Lists that officials own and edit: commune zones, wage-region assignments and targets.

The loader only inserts rows whose natural key is missing; an existing row, possibly edited by
an administrator, is never overwritten. (A row an administrator deleted comes back on the
next load: close it with ``valid_to`` or change its value instead.)
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from matching.text import search_key
from models.enums import ReportFrequency, ReportSource, TargetIndicator, Zone
from models.tables import (
    AdminUnit,
    CommuneZone,
    ReportingSchedule,
    Target,
    WageRegionAssignment,
)
from seed.reference.admin import PROVINCE_CODE, REFORM_FROM
from seed.reference.sync import Row, read_data_csv, sync_rows

ZONES_FROM, ZONES_TO = date(2026, 1, 1), date(2030, 12, 31)
ZONES_SOURCE = (
    "Phân định xã khu vực I, II, III vùng đồng bào DTTS&MN giai đoạn 2026–2030, tỉnh Điện Biên"
    " (theo tin báo chí; đối chiếu quyết định gốc). Khu vực III: các xã còn lại."
)
# The two decrees whose regions the assignments follow: (valid_from, valid_to, decree).
WAGE_PERIODS = (
    (date(2024, 7, 1), date(2025, 12, 31), "NĐ 74/2024/NĐ-CP"),
    (date(2026, 1, 1), None, "NĐ 293/2025/NĐ-CP"),
)
COMMUNE_REGION_SOURCE = (
    "TẠM THỜI, quản trị viên sửa được: {decree}; TP Điện Biên Phủ cũ vùng III, còn lại vùng IV"
    " (chưa đối chiếu phụ lục nghị định theo xã mới)"
)
PROVINCE_REGION_SOURCE = (
    "TẠM THỜI, mặc định cấp tỉnh theo {decree} (vùng của các khu công nghiệp chính);"
    " dòng cấp xã, nếu có, được ưu tiên"
)
RESOLUTION = (
    "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh Điện Biên về phát triển nguồn nhân lực"
    " tỉnh Điện Biên đến năm 2025, định hướng đến năm 2030 (mục II.2.b)"
)
CARRIED_FORWARD = "; giữ nguyên từ năm 2025 cho đến khi có nghị quyết mới"
# The yearly flows (people trained, new jobs): every year to 2025, then kept for 2026.
TARGET_YEARS = range(2021, 2026)
CARRY_FORWARD_YEARS = (2026,)
# The shares and the structure are milestones: 2025 (the resolution) and the 2030
# orientation, which the resolution names without figures: a placeholder an administrator
# replaces with the figures and their source.
MILESTONE_YEAR, ORIENTATION_YEAR = 2025, 2030
ORIENTATION_PLACEHOLDER = (
    "GIÁ TRỊ TẠM (placeholder), chưa phải định hướng 2030: nghị quyết chưa nêu số liệu năm"
    " 2030; tạm lấy bằng mục tiêu 2025. Quản trị viên nhập số liệu và văn bản nguồn chính thức."
)


def current_units(session: Session) -> dict[str, str]:
    """Code -> name key of the units in force since the 2025 reform that the seed files
    name: every province (2-digit codes) and the province's communes (5-digit codes)."""
    unit = AdminUnit.__table__.c  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(unit.code, unit.name_key).where(
            unit.valid_from == REFORM_FROM,
            or_(unit.level == "tinh", unit.province_code == PROVINCE_CODE),
        )
    )
    return {row.code: row.name_key for row in rows}


def _communes(units: dict[str, str]) -> list[str]:
    return sorted(code for code in units if len(code) == 5)


def _listed(
    file: str, code_column: str, value_column: str, units: dict[str, str]
) -> dict[str, str]:
    """Unit code -> value column of a seed file, checking each code names the unit the file
    says (codes were reused in 2025, so a code alone is easy to get wrong)."""
    listed = {}
    for line in read_data_csv(file):
        code = line[code_column]
        if units.get(code) != search_key(line["name"]):
            raise ValueError(f"{file}: {code} is not {line['name']} after 1 July 2025")
        listed[code] = line[value_column]
    return listed


def zone_rows(units: dict[str, str]) -> list[Row]:
    """Every current commune of the province: zones I and II from the seed file, III for
    the others (the decision lists zone III as "the remaining communes")."""
    listed = _listed("commune_zones.csv", "code", "zone", units)
    return [
        {
            "commune_code": code,
            "zone": Zone(listed.get(code, Zone.III)).value,
            "valid_from": ZONES_FROM,
            "valid_to": ZONES_TO,
            "source": ZONES_SOURCE,
        }
        for code in _communes(units)
    ]


def wage_region_rows(units: dict[str, str]) -> list[Row]:
    """Region IV for every current commune of the province unless the seed file says
    otherwise, plus the file's province-level defaults, once per decree period."""
    listed = _listed("wage_regions.csv", "unit_code", "region", units)
    regions = {code: 4 for code in _communes(units)} | {c: int(r) for c, r in listed.items()}
    rows = []
    for valid_from, valid_to, decree in WAGE_PERIODS:
        for code, region in sorted(regions.items()):
            template = COMMUNE_REGION_SOURCE if len(code) == 5 else PROVINCE_REGION_SOURCE
            rows.append(
                {
                    "unit_code": code,
                    "region": region,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "source": template.format(decree=decree),
                }
            )
    return rows


def target_rows() -> list[Row]:
    """The province's targets: the flows for every year to 2025 (and 2026, kept until a new
    plan), the shares and the structure at their milestones, 2025 and the 2030 placeholder."""
    rows = []
    for line in read_data_csv("targets.csv"):
        indicator = TargetIndicator(line["indicator"])
        if indicator.milestone:
            years = {MILESTONE_YEAR: RESOLUTION, ORIENTATION_YEAR: ORIENTATION_PLACEHOLDER}
        else:
            years = {year: RESOLUTION for year in TARGET_YEARS}
            years |= {year: RESOLUTION + CARRIED_FORWARD for year in CARRY_FORWARD_YEARS}
        for year, source in years.items():
            rows.append(
                {
                    "indicator": indicator.value,
                    "year": year,
                    "commune_code": None,
                    "institution_id": None,
                    "value_min": float(line["value_min"]),
                    "value_max": float(line["value_max"]) if line["value_max"] else None,
                    "unit": line["unit"],
                    "source_document": source,
                }
            )
    return rows


def schedule_rows() -> list[Row]:
    """When each source reports to the new-jobs register (the defaults an administrator may
    change afterwards)."""
    return [
        {
            "source": ReportSource(line["source"]).value,
            "frequency": ReportFrequency(line["frequency"]).value,
            "first_month": int(line["first_month"]),
            "due_day": int(line["due_day"]),
            "grace_days": int(line["grace_days"]),
            "basis": line["basis"],
            "reporting_from": date.fromisoformat(line["reporting_from"])
            if line["reporting_from"]
            else None,
        }
        for line in read_data_csv("reporting_schedules.csv")
    ]


def load_policy(session: Session) -> dict[str, int]:
    """Insert the zones, wage regions and targets that are missing; never overwrite."""
    units = current_units(session)
    return {
        "commune_zone": sync_rows(
            session,
            CommuneZone,
            ("commune_code", "valid_from"),
            zone_rows(units),
            overwrite=False,
        ),
        "wage_region_assignment": sync_rows(
            session,
            WageRegionAssignment,
            ("unit_code", "valid_from"),
            wage_region_rows(units),
            overwrite=False,
        ),
        "target": sync_rows(
            session,
            Target,
            ("indicator", "year", "commune_code", "institution_id"),
            target_rows(),
            overwrite=False,
        ),
        "reporting_schedule": sync_rows(
            session, ReportingSchedule, ("source",), schedule_rows(), overwrite=False
        ),
    }
