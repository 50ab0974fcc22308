"""Finding a commune from what people write: its current name, a 5-digit code, or a name it had
before the July 2025 reform (with its former district when the name alone is ambiguous),
typed with or without diacritics and the unit type ("Xã Quài Tở", "quai to", "X. Quài Tở").

A former name resolves through the admin-unit lineage to the unit that absorbed it. An
import resolves thousands of addresses: it builds a `CommuneIndex` once and asks it per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from matching.text import search_key
from models.tables import AdminUnit, AdminUnitLineage

PROVINCE_CODE = "11"  # Điện Biên
COMMUNE_LEVELS = ("xa", "phuong", "thi_tran", "dac_khu")

# Abbreviations people write before a unit's name ("TT. Tuần Giáo", "X. Quài Tở"), as keys.
_ABBREVIATIONS = {
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "h": "huyen",
    "q": "quan",
    "p": "phuong",
    "x": "xa",
}
_UNIT_TYPES = ("thanh pho", "thi xa", "thi tran", "huyen", "quan", "phuong", "xa", "dac khu")
_PROVINCE_WORDS = ("tinh dien bien", "dien bien province")
CUTOFF = 60  # rapidfuzz ratio below which a name is not worth suggesting


def name_keys(text: str | None) -> set[str]:
    """The keys a unit name is known by: with and without its type word ("xa quai to",
    "quai to"), so "Xã Quài Tở", "Quai To" and "x. quài tở" meet."""
    key = search_key(text)
    first, _, rest = key.partition(" ")
    if first in _ABBREVIATIONS and rest:
        key = f"{_ABBREVIATIONS[first]} {rest}"
    keys = {key} if key else set()
    for kind in _UNIT_TYPES:
        if key.startswith(kind + " "):
            keys.add(key[len(kind) + 1 :])
            break
    return keys


def _bare_key(name: str) -> str:
    """The shortest key of a name: without its unit type."""
    return min(name_keys(name), key=len, default="")


def split_address(text: str) -> tuple[str, str | None]:
    """("Quài Tở", "Tuần Giáo") from "Xã Quài Tở, huyện Tuần Giáo, tỉnh Điện Biên": the
    commune first, then the former district if written; the province is dropped."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    parts = [part for part in parts if search_key(part) not in _PROVINCE_WORDS]
    if not parts:
        return "", None
    return parts[0], (parts[1] if len(parts) > 1 else None)


@dataclass(frozen=True)
class CommuneMatch:
    """What a text resolved to: the current unit, or nothing with the former districts that
    would disambiguate it (several former communes had that name)."""

    unit: AdminUnit | None
    districts: tuple[str, ...] = ()


@dataclass
class CommuneIndex:
    """The province's current and former communes, with the lineage between them, in memory;
    names are keyed once, and each distinct text is resolved once (an import repeats the same
    few dozen names thousands of times)."""

    current: list[AdminUnit]
    former: list[AdminUnit]
    successors: dict[int, list[AdminUnit]]  # former unit id -> its default successor(s)
    _by_code: dict[str, AdminUnit] = field(default_factory=dict)
    _current_keys: dict[str, list[AdminUnit]] = field(default_factory=dict)
    # a key of a former name -> (unit, keys of its district)
    _former_keys: dict[str, list[tuple[AdminUnit, set[str]]]] = field(default_factory=dict)
    # the name without its type word ("quai to") -> the names shown as suggestions
    _choices: dict[str, list[str]] = field(default_factory=dict)
    _memo: dict[tuple[str, str | None], CommuneMatch] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_code = {unit.code: unit for unit in self.current}
        for unit in self.current:
            for key in name_keys(unit.name):
                self._current_keys.setdefault(key, []).append(unit)
            self._choices.setdefault(_bare_key(unit.name), []).append(unit.name)
        for unit in self.former:
            districts = name_keys(unit.district_name)
            for key in name_keys(unit.name):
                self._former_keys.setdefault(key, []).append((unit, districts))
            key = _bare_key(unit.name)
            if key in self._current_keys:
                continue  # the current unit of that name is the better suggestion
            label = f"{unit.name}, {unit.district_name}" if unit.district_name else unit.name
            self._choices.setdefault(key, []).append(label)

    def match(self, text: str, district: str | None = None) -> CommuneMatch:
        """Resolve a commune name or code; `district` (a former district) may also be written
        after a comma in `text`. Current names win unless a district says the address is old."""
        memo_key = (text, district)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._match(text, district)
        return self._memo[memo_key]

    def _match(self, text: str, district: str | None) -> CommuneMatch:
        commune, written_district = split_address(text)
        district = district or written_district
        if commune.isdigit() and len(commune) == 5:
            return self._by_former_code(commune)
        found = self._current(commune)
        if found and not district:
            return CommuneMatch(found)
        former = self._former(commune, district)
        if former.unit is not None or former.districts or found is None:
            return former
        return CommuneMatch(found)

    def resolve(self, text: str, district: str | None = None) -> AdminUnit | None:
        return self.match(text, district).unit

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """The closest names, current or former, for a "did you mean" message."""
        query = _bare_key(split_address(text)[0])
        if not query:
            return []
        found = process.extract(
            query, list(self._choices), scorer=fuzz.ratio, limit=limit, score_cutoff=CUTOFF
        )
        names = [name for key, _score, _index in found for name in self._choices[key]]
        return list(dict.fromkeys(names))[:limit]

    def _by_former_code(self, code: str) -> CommuneMatch:
        if code in self._by_code:
            return CommuneMatch(self._by_code[code])
        ids = [unit.id for unit in self.former if unit.code == code and unit.id is not None]
        return CommuneMatch(self._single_successor(ids))

    def _current(self, commune: str) -> AdminUnit | None:
        keys = name_keys(commune)
        hits = {unit.id: unit for key in keys for unit in self._current_keys.get(key, [])}
        return next(iter(hits.values())) if len(hits) == 1 else None

    def _former(self, commune: str, district: str | None) -> CommuneMatch:
        district_keys = name_keys(district)
        hits = {
            unit.id: unit
            for key in name_keys(commune)
            for unit, districts in self._former_keys.get(key, [])
            if not district_keys or district_keys & districts
        }
        successor = self._single_successor([uid for uid in hits if uid is not None])
        if successor is None and len(hits) > 1:
            names = {unit.district_name or "" for unit in hits.values()}
            return CommuneMatch(None, tuple(sorted(names)))
        return CommuneMatch(successor)

    def _single_successor(self, former_ids: list[int]) -> AdminUnit | None:
        found = {unit.id: unit for fid in former_ids for unit in self.successors.get(fid, [])}
        return next(iter(found.values())) if len(found) == 1 else None


def commune_index(session: Session, *, province_code: str = PROVINCE_CODE) -> CommuneIndex:
    """Load the province's communes (current and former) and their default lineage, once."""
    units = session.exec(
        select(AdminUnit).where(
            col(AdminUnit.province_code) == province_code,
            col(AdminUnit.level).in_(COMMUNE_LEVELS),
        )
    ).all()
    current = [unit for unit in units if unit.valid_to is None]
    former = [unit for unit in units if unit.valid_to is not None]
    by_id = {unit.id: unit for unit in current}
    links = session.exec(
        select(AdminUnitLineage).where(col(AdminUnitLineage.is_default).is_(True))
    ).all()
    successors: dict[int, list[AdminUnit]] = {}
    for link in links:
        if link.current_unit_id in by_id:
            successors.setdefault(link.former_unit_id, []).append(by_id[link.current_unit_id])
    return CommuneIndex(current=current, former=former, successors=successors)


def resolve_commune(session: Session, text: str, district: str | None = None) -> AdminUnit | None:
    """The current commune or ward that `text` names: a current name, a 5-digit code, or a
    pre-July-2025 name (with its former district, in `district` or after a comma) resolved
    through the lineage. None when nothing matches or the match is ambiguous."""
    return commune_index(session).resolve(text, district)
