"""The province's occupation catalogue (``data/occupations.csv``) and code resolution.

An occupation can be named three ways: its catalogue key (``MAY_CONG_NGHIEP``), its national
trung cấp code (7 digits starting with 5) or its national cao đẳng code (7 digits starting with
6). :class:`OccupationCatalogue` resolves any of them and tells whether two codes name the same
occupation or related ones: the same ``group``, or two groups that ``group_relations.csv``
relates, each relation with its reason and source.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from matching.text import nfc

DEFAULT_PATH = Path(__file__).parent / "data" / "occupations.csv"
COLUMNS = (
    "key",
    "name",
    "group",
    "sector_group",
    "levels",
    "code_trung_cap",
    "code_cao_dang",
    "aliases",
    "source",
)
RELATION_COLUMNS = ("group_a", "group_b", "reason", "source")


@dataclass(frozen=True)
class Occupation:
    """One catalogue row: a training occupation with its national codes and local names."""

    key: str
    name: str
    group: str
    sector_group: str
    levels: tuple[str, ...]
    code_trung_cap: str | None
    code_cao_dang: str | None
    aliases: tuple[str, ...]
    # Where the trade comes from: "verified: ..." with the document, or "unverified: ..."
    # with the reasoning when no document was at hand.
    source: str = ""
    # Synonyms and regional names, each with its source in data/synonyms.csv ("heo" = "lợn").
    synonyms: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code that names this occupation: the key, then the national codes."""
        extra = (c for c in (self.code_trung_cap, self.code_cao_dang) if c)
        return (self.key, *extra)

    @property
    def labels(self) -> tuple[str, ...]:
        """The official name followed by the aliases and the synonyms (what people type for
        this occupation)."""
        return (self.name, *self.aliases, *self.synonyms)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(nfc(part) for part in cell.split("|") if nfc(part))


def _occupation_from_row(row: dict[str, str]) -> Occupation:
    return Occupation(
        key=row["key"].strip(),
        name=nfc(row["name"]),
        group=row["group"].strip(),
        sector_group=row["sector_group"].strip(),
        levels=_split(row["levels"]),
        code_trung_cap=row["code_trung_cap"].strip() or None,
        code_cao_dang=row["code_cao_dang"].strip() or None,
        aliases=_split(row["aliases"]),
        source=nfc(row["source"]),
    )


@dataclass(frozen=True)
class GroupRelation:
    """Two occupation groups whose trades are close enough to be a second choice, and why."""

    group_a: str
    group_b: str
    reason: str
    source: str


class OccupationCatalogue:
    """Occupations in file order, with lookup by key or national code."""

    def __init__(
        self, occupations: list[Occupation], relations: tuple[GroupRelation, ...] = ()
    ) -> None:
        self.occupations: tuple[Occupation, ...] = tuple(occupations)
        self.relations = relations
        groups = {o.group for o in self.occupations}
        self._related_groups: set[tuple[str, str]] = set()
        for relation in relations:
            unknown = {relation.group_a, relation.group_b} - groups
            if unknown:
                raise ValueError(f"group relation names unknown groups {sorted(unknown)}")
            if not relation.reason:
                raise ValueError(
                    f"group relation {relation.group_a}-{relation.group_b} has no reason"
                )
            self._related_groups |= {
                (relation.group_a, relation.group_b),
                (relation.group_b, relation.group_a),
            }
        self._by_code: dict[str, Occupation] = {}
        for occupation in self.occupations:
            for code in occupation.codes:
                if code in self._by_code:
                    raise ValueError(f"occupation code {code!r} appears twice in the catalogue")
                self._by_code[code] = occupation

    def __iter__(self) -> Iterator[Occupation]:
        return iter(self.occupations)

    def __len__(self) -> int:
        return len(self.occupations)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.resolve(code) is not None

    def resolve(self, code: str | None) -> Occupation | None:
        """The occupation that ``code`` (key, trung cấp or cao đẳng code) names, or None."""
        if not code:
            return None
        code = code.strip()
        return self._by_code.get(code) or self._by_code.get(code.upper())

    def key_of(self, code: str | None) -> str | None:
        """The catalogue key for ``code``, or None when the code is unknown."""
        occupation = self.resolve(code)
        return occupation.key if occupation else None

    def same(self, code_a: str | None, code_b: str | None) -> bool:
        """True when both codes resolve to one occupation."""
        a, b = self.resolve(code_a), self.resolve(code_b)
        return a is not None and a is b

    def related(self, code_a: str | None, code_b: str | None) -> bool:
        """True when both codes resolve to occupations of the same group (or the same one),
        or of two related groups."""
        a, b = self.resolve(code_a), self.resolve(code_b)
        return a is not None and b is not None and self.groups_related(a.group, b.group)

    def groups_related(self, group_a: str, group_b: str) -> bool:
        """True for one group, and for two groups that a relation names (either order)."""
        return group_a == group_b or (group_a, group_b) in self._related_groups

    def related_group_pairs(self) -> tuple[tuple[str, str], ...]:
        """Every ``(group, related group)`` that a relation names, both ways round, sorted
        (one group's own occupations are related too, without a pair)."""
        return tuple(sorted(self._related_groups))

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups in order of first appearance."""
        return tuple(dict.fromkeys(o.group for o in self.occupations))

    def labelled(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(key, labels)`` pairs, the form :class:`OccupationNormaliser` is fitted on."""
        return [(o.key, o.labels) for o in self.occupations]


def read_synonyms(path: Path | str) -> list[tuple[str, str, str]]:
    """``(key, synonym, source)`` rows of a synonyms CSV (``data/synonyms.csv``)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            (row["key"].strip(), nfc(row["synonym"]), nfc(row["source"]))
            for row in csv.DictReader(handle)
            if nfc(row["synonym"])
        ]


def read_relations(path: Path | str) -> tuple[GroupRelation, ...]:
    """Rows of a group-relations CSV (``data/group_relations.csv``)."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(RELATION_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        return tuple(
            GroupRelation(
                row["group_a"].strip(),
                row["group_b"].strip(),
                nfc(row["reason"]),
                nfc(row["source"]),
            )
            for row in reader
        )


def read_catalogue(path: Path | str) -> OccupationCatalogue:
    """Read a catalogue CSV with the columns of ``data/occupations.csv``, the synonyms of
    ``synonyms.csv`` and the relations of ``group_relations.csv`` beside it, when there are."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        occupations = [_occupation_from_row(row) for row in reader]
    beside = Path(path).with_name("synonyms.csv")
    if beside.exists():
        by_key: dict[str, list[str]] = {}
        for key, synonym, _ in read_synonyms(beside):
            by_key.setdefault(key, []).append(synonym)
        unknown = set(by_key) - {o.key for o in occupations}
        if unknown:
            raise ValueError(f"{beside}: unknown occupation keys {sorted(unknown)}")
        occupations = [replace(o, synonyms=tuple(by_key.get(o.key, ()))) for o in occupations]
    relations = Path(path).with_name("group_relations.csv")
    return OccupationCatalogue(occupations, read_relations(relations) if relations.exists() else ())


@lru_cache(maxsize=4)
def _cached(path: str) -> OccupationCatalogue:
    return read_catalogue(path)


def load_catalogue(path: Path | str | None = None) -> OccupationCatalogue:
    """Load (once, then from a cache) the catalogue at ``path``, the bundled one by default."""
    return _cached(str(Path(path) if path else DEFAULT_PATH))
