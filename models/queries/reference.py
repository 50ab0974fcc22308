"""Option lists for forms and filters (occupations, levels, communes, provinces, countries) as
they stand on a date, and the names of work places for display. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from matching.text import search_key
from models.errors import InvalidError
from models.reference_cache import kept
from models.tables import AdminUnit, Country, TrainingLevel, TrainingOccupation
from models.wages import HOME_PROVINCE_CODE

COMMUNE_LEVELS = ("xa", "phuong", "thi_tran", "dac_khu")
# Unit-type words before a name: "Xã Mường Ảng" sorts under M, not under X.
_TYPE_PREFIXES = ("thanh pho ", "tinh ", "thi tran ", "dac khu ", "phuong ", "xa ")


@dataclass(frozen=True)
class Option:
    """One choice of a <select>: the value sent back and the label shown."""

    value: str
    label: str


def _in_force(valid_from: Any, valid_to: Any, on: date) -> ColumnElement[bool]:
    return and_(col(valid_from) <= on, or_(col(valid_to).is_(None), col(valid_to) >= on))


def _unit_sort_key(name: str) -> str:
    key = search_key(name)
    for prefix in _TYPE_PREFIXES:
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


def occupation_options(session: Session, *, on: date) -> list[Option]:
    def read() -> tuple[Option, ...]:
        rows = session.execute(
            select(col(TrainingOccupation.id), col(TrainingOccupation.name))
            .where(_in_force(TrainingOccupation.valid_from, TrainingOccupation.valid_to, on))
            .order_by(col(TrainingOccupation.name_key))
        ).all()
        return tuple(Option(str(row_id), name) for row_id, name in rows)

    return list(kept(session, ("occupations", on), read))


def occupation_label_pairs(
    session: Session, *, on: date
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(occupation id, (name, *aliases)) for every occupation in force: what the occupation
    normaliser is fitted on. A tuple, so it can key a cache of fitted normalisers."""
    rows = session.exec(
        select(TrainingOccupation)
        .where(_in_force(TrainingOccupation.valid_from, TrainingOccupation.valid_to, on))
        .order_by(col(TrainingOccupation.id))
    ).all()
    return tuple((str(row.id), (row.name, *row.aliases)) for row in rows)


def level_options(session: Session, *, on: date) -> list[Option]:
    def read() -> tuple[Option, ...]:
        rows = session.execute(
            select(col(TrainingLevel.code), col(TrainingLevel.name))
            .where(_in_force(TrainingLevel.valid_from, TrainingLevel.valid_to, on))
            .order_by(col(TrainingLevel.rank))
        ).all()
        return tuple(Option(code, name) for code, name in rows)

    return list(kept(session, ("levels", on), read))


def _units(
    session: Session, *, on: date, levels: tuple[str, ...], province: str | None
) -> tuple[Option, ...]:
    """(code, name) of the units in force on `on`, alphabetical by name (kept a moment:
    models/reference_cache.py)."""

    def read() -> tuple[Option, ...]:
        query = select(col(AdminUnit.code), col(AdminUnit.name)).where(
            col(AdminUnit.level).in_(levels),
            _in_force(AdminUnit.valid_from, AdminUnit.valid_to, on),
        )
        if province is not None:
            query = query.where(AdminUnit.province_code == province)
        rows = sorted(session.execute(query).all(), key=lambda row: _unit_sort_key(row[1]))
        return tuple(Option(code, name) for code, name in rows)

    return kept(session, ("units", on, levels, province), read)


def commune_options(
    session: Session, *, on: date, province_code: str = HOME_PROVINCE_CODE
) -> list[Option]:
    """Communes and wards of a province (Điện Biên by default), alphabetical by name."""
    return list(_units(session, on=on, levels=COMMUNE_LEVELS, province=province_code))


def province_options(session: Session, *, on: date) -> list[Option]:
    """The other provinces, for work outside Điện Biên."""
    units = _units(session, on=on, levels=("tinh",), province=None)
    return [unit for unit in units if unit.value != HOME_PROVINCE_CODE]


def country_options(session: Session) -> list[Option]:
    return [Option(code, name) for code, name in _countries(session).items()]


def _countries(session: Session) -> dict[str, str]:
    """code -> name of every country, alphabetical by name (kept a moment)."""

    def read() -> dict[str, str]:
        rows = session.execute(select(col(Country.code), col(Country.name))).all()
        return {code: name for code, name in sorted(rows, key=lambda row: search_key(row[1]))}

    return kept(session, ("countries",), read)


def all_commune_names(session: Session) -> dict[str, str]:
    """code -> name of every commune-level unit, current or former, the unit in force
    winning over a former one with the same code (kept a moment)."""

    def read() -> dict[str, str]:
        query = (
            select(col(AdminUnit.code), col(AdminUnit.name))
            .where(col(AdminUnit.level) != "tinh")
            .order_by(col(AdminUnit.valid_to).is_(None), col(AdminUnit.valid_from))
        )
        return dict(session.execute(query).all())

    return kept(session, ("commune names",), read)


@dataclass(frozen=True)
class PlaceNames:
    """Names of communes, provinces and countries, read once per page."""

    communes: dict[str, str]
    provinces: dict[str, str]
    countries: dict[str, str]

    def label(
        self,
        location_kind: str,
        commune_code: str | None,
        province_code: str | None,
        country_code: str | None,
    ) -> str:
        """A commune of the province, another province or a country, by its name (the code
        when the register does not know it)."""
        if location_kind == "abroad":
            return self.countries.get(country_code or "", country_code or "")
        if location_kind == "other_province":
            return self.provinces.get(province_code or "", province_code or "")
        return self.communes.get(commune_code or "", commune_code or "")


def place_names(session: Session, *, on: date) -> PlaceNames:
    def read() -> PlaceNames:
        communes = _units(session, on=on, levels=COMMUNE_LEVELS, province=HOME_PROVINCE_CODE)
        provinces = _units(session, on=on, levels=("tinh",), province=None)
        return PlaceNames(
            communes={unit.value: unit.label for unit in communes},
            provinces={unit.value: unit.label for unit in provinces},
            countries=dict(_countries(session)),
        )

    return kept(session, ("place names", on), read)


@dataclass(frozen=True)
class WorkPlaceInput:
    """A checked work place: exactly the code its kind needs, the others None."""

    location_kind: str
    commune_code: str | None = None
    province_code: str | None = None
    country_code: str | None = None


def validate_work_place(
    session: Session,
    location_kind: str,
    commune_code: str,
    province_code: str,
    country_code: str,
    *,
    on: date,
) -> WorkPlaceInput:
    """A commune of the province, another province, or a country abroad, each known to the
    registers on `on`; raises InvalidError naming the field to fix."""
    kind = (location_kind or "").strip()
    chosen = {"commune": commune_code, "other_province": province_code, "abroad": country_code}
    if kind not in chosen:
        raise InvalidError("location_kind", "Choose where the work is.")
    code = (chosen[kind] or "").strip()
    if kind == "commune":
        if code not in {o.value for o in commune_options(session, on=on)}:
            raise InvalidError("commune_code", "Choose a commune of the province from the list.")
        return WorkPlaceInput(kind, commune_code=code)
    if kind == "other_province":
        if code not in {o.value for o in province_options(session, on=on)}:
            raise InvalidError("province_code", "Choose a province from the list.")
        return WorkPlaceInput(kind, province_code=code)
    if code not in {o.value for o in country_options(session)}:
        raise InvalidError("country_code", "Choose a country from the list.")
    return WorkPlaceInput(kind, country_code=code)
