"""Administrative units from the ``vietnamadminunits`` data files, before and after the
1 July 2025 reform, and the lineage from Điện Biên's former communes to the current ones.

The package is never imported (its ``__init__`` pulls in a GPL dependency): only its data
files are read. ``dataset.db`` holds the 34 provinces and their wards after the reform
(``admin_units``) and the 63 provinces with districts and wards before it
(``admin_units_legacy``); ``converter_2025.json`` maps each former ward to its successor(s).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from matching.text import nfc, search_key
from models.tables import AdminUnit, AdminUnitLineage
from seed.reference.sync import Row, sync_rows

PROVINCE_CODE = "11"  # Điện Biên, unchanged by the 2025 mergers
REFORM_FROM = date(2025, 7, 1)  # NQ 1661/NQ-UBTVQH15 and the province mergers take effect
LEGACY_TO = date(2025, 6, 30)
# The package gives no founding dates. 1 Aug 2008 (Hà Tây joined Hà Nội) is the last change
# to the list of 63 provinces, so it is the earliest date the legacy list is complete; former
# communes use it too, as "known from" rather than a founding date.
LEGACY_FROM = date(2008, 8, 1)

EXPECTED_CURRENT = {"xa": 42, "phuong": 3}
EXPECTED_FORMER = 129

_LEVELS = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran", "Đặc khu": "dac_khu"}
# The package writes "Thị Xã Mường Lay"; keep the official lower-case spelling of unit types.
_DISTRICT_TYPES = ("Thành phố", "Thị xã", "Huyện", "Quận")


@dataclass
class AdminSource:
    """Rows read from the package, ready to write, plus the keys lineage needs."""

    units: list[Row] = field(default_factory=list)
    # converter key of each former commune -> its code; new ward key -> current code
    former_codes: dict[str, str] = field(default_factory=dict)
    current_codes: dict[str, str] = field(default_factory=dict)
    # (former code, current code) -> is_default
    lineage: dict[tuple[str, str], bool] = field(default_factory=dict)


def package_data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package (its data files) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_admin_source(data_dir: Path | None = None) -> AdminSource:
    """Read provinces, Điện Biên's communes and their lineage; check the expected counts."""
    data_dir = data_dir or package_data_dir()
    source = AdminSource()
    with closing(sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        province_key = _read_current(db, source)
        _read_legacy(db, source)
    with open(data_dir / "converter_2025.json", encoding="utf-8") as handle:
        _read_lineage(json.load(handle), province_key, source)
    _check(source)
    return source


def _unit(code: str, name: str, level: str, valid_from: date, **extra: Any) -> Row:
    name = nfc(name)
    return {
        "code": code,
        "name": name,
        "name_key": search_key(name),
        "level": level,
        "province_code": extra.get("province_code", code[:2]),
        "district_name": extra.get("district_name"),
        "valid_from": valid_from,
        "valid_to": extra.get("valid_to"),
        "latitude": extra.get("latitude"),
        "longitude": extra.get("longitude"),
    }


def _ward_unit(ward: sqlite3.Row, valid_from: date, **extra: Any) -> Row:
    """A commune of Điện Biên, from a row of either table (after or before the reform)."""
    level = _LEVELS[ward["wardType"]]
    return _unit(
        ward["wardCode"],
        ward["ward"],
        level,
        valid_from,
        province_code=PROVINCE_CODE,
        latitude=ward["wardLat"],
        longitude=ward["wardLon"],
        **extra,
    )


def _read_current(db: sqlite3.Connection, source: AdminSource) -> str:
    provinces = db.execute(
        "SELECT DISTINCT provinceCode, province FROM admin_units ORDER BY provinceCode"
    )
    source.units += [_unit(code, name, "tinh", REFORM_FROM) for code, name in provinces]
    wards = db.execute(
        "SELECT provinceKey, ward, wardType, wardCode, wardKey, wardLat, wardLon"
        " FROM admin_units"
        " WHERE provinceCode = ? ORDER BY wardCode",
        (PROVINCE_CODE,),
    ).fetchall()
    for ward in wards:
        source.units.append(_ward_unit(ward, REFORM_FROM))
        source.current_codes[ward["wardKey"]] = ward["wardCode"]
    return str(wards[0]["provinceKey"])


def _read_legacy(db: sqlite3.Connection, source: AdminSource) -> None:
    provinces = db.execute(
        "SELECT DISTINCT provinceCode, province FROM admin_units_legacy ORDER BY provinceCode"
    )
    source.units += [
        _unit(code, name, "tinh", LEGACY_FROM, valid_to=LEGACY_TO) for code, name in provinces
    ]
    wards = db.execute(
        "SELECT provinceKey, districtKey, wardKey, district, ward, wardType, wardCode,"
        " wardLat, wardLon FROM admin_units_legacy WHERE provinceCode = ? ORDER BY wardCode",
        (PROVINCE_CODE,),
    )
    for ward in wards:
        district_name = _district_name(ward["district"])
        source.units.append(
            _ward_unit(ward, LEGACY_FROM, district_name=district_name, valid_to=LEGACY_TO)
        )
        key = f"{ward['provinceKey']}_{ward['districtKey']}_{ward['wardKey']}"
        source.former_codes[key] = ward["wardCode"]


def _district_name(name: str) -> str:
    name = nfc(name)
    for kind in _DISTRICT_TYPES:
        if name.lower().startswith(kind.lower() + " "):
            return kind + name[len(kind) :]
    return name


def _read_lineage(converter: dict[str, Any], province_key: str, source: AdminSource) -> None:
    unsplit = converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {})
    for new_key, former_keys in unsplit.items():
        for former_key in former_keys:
            pair = (source.former_codes[former_key], source.current_codes[new_key])
            source.lineage[pair] = True
    # A former commune split between several new ones: the package names the default one.
    split = converter["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {})
    for former_key, parts in split.items():
        former = source.former_codes[former_key]
        for part in parts:
            pair = (former, source.current_codes[part["newWardKey"]])
            source.lineage[pair] = bool(part["isDefaultNewWard"])


def _check(source: AdminSource) -> None:
    current = [u for u in source.units if u["level"] != "tinh" and u["valid_to"] is None]
    counts = {level: sum(u["level"] == level for u in current) for level in EXPECTED_CURRENT}
    if counts != EXPECTED_CURRENT or len(current) != sum(EXPECTED_CURRENT.values()):
        raise ValueError(f"expected 42 xã and 3 phường in province 11, the package has {counts}")
    if len(source.former_codes) != EXPECTED_FORMER:
        raise ValueError(f"expected 129 former communes, found {len(source.former_codes)}")
    defaults = {former for (former, _), is_default in source.lineage.items() if is_default}
    missing = set(source.former_codes.values()) - defaults
    if missing:
        raise ValueError(f"former communes without a default successor: {sorted(missing)}")


def load_admin_units(session: Session, source: AdminSource) -> dict[str, int]:
    """Write the units (package values win) and the lineage of Điện Biên's communes."""
    written = sync_rows(
        session, AdminUnit, ("code", "level", "valid_from"), source.units, overwrite=True
    )
    former_ids, current_ids = _commune_ids(session)
    lineage = [
        {
            "former_unit_id": former_ids[former],
            "current_unit_id": current_ids[current],
            "is_default": is_default,
        }
        for (former, current), is_default in sorted(source.lineage.items())
    ]
    linked = sync_rows(
        session,
        AdminUnitLineage,
        ("former_unit_id", "current_unit_id"),
        lineage,
        overwrite=True,
    )
    return {"admin_unit": written, "admin_unit_lineage": linked}


def _commune_ids(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """Ids of the province's former and current communes by code (codes repeat across the
    two sets, so they are kept apart by valid_from)."""
    unit = AdminUnit.__table__.c  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(unit.id, unit.code, unit.valid_from).where(
            unit.province_code == PROVINCE_CODE,
            unit.level != "tinh",
            unit.valid_from.in_([LEGACY_FROM, REFORM_FROM]),
        )
    )
    former: dict[str, int] = {}
    current: dict[str, int] = {}
    for row in rows:
        (current if row.valid_from == REFORM_FROM else former)[row.code] = row.id
    return former, current
