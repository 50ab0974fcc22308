"""One generic way to cut records into groups, used by every KPI.

A dimension is a name: a field of the record (``level``, ``commune_code``, ``channel``…), a short
alias of one (``commune``, ``occupation``, ``institution``, ``ethnicity``…), or a derived value:

- ``year`` and ``month`` (``"2025-03"``) of the date the KPI counts the record on (each KPI
  says which: the start of training, the start of a job, the graduation…);
- ``age_band`` at that date, from the birth year;
- ``poor_or_near_poor`` (True/False) from the household status;
- ``priority_group``: the priority groups the person belongs to (ethnic minority, women, poor or
  near-poor, zone III, especially difficult village, disability, or ``none``). A person in
  several groups is in each of them, so these groups overlap and do not add up to the total.

Every other dimension gives each record exactly one group, so the groups of a count of distinct
people (one record per person) add up to the total.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from operator import attrgetter
from typing import Any, Literal, TypeVar

from matching.kpi.records import POOR_HOUSEHOLDS, WOMAN, PersonDimensions, person_id_of
from matching.kpi.results import Count, GroupKey

R = TypeVar("R")
When = Callable[[Any], date]
Attribution = Literal["person", "group"]

ALIASES: dict[str, str] = {
    "commune": "commune_code",
    "work_commune": "work_commune_code",
    "occupation": "occupation_key",
    "institution": "institution_id",
    "ethnicity": "ethnicity_code",
    "ethnic_group": "ethnicity_code",
    "ethnic_minority": "is_ethnic_minority",
    "household": "household_status",
    "zone_iii": "in_zone_iii",
    "difficult_village": "in_difficult_village",
    "disability": "has_disability",
    "country": "country_code",
    "programme": "abroad_programme",
    "employer": "employer_id",
    "order": "training_order_id",
}

# The priority groups of the resolution (and QĐ 46/2015 for disability), as predicates on a
# record's person dimensions. Zone III uses the flag recorded on the person's row.
PRIORITY_GROUPS: dict[str, Callable[[Any], bool]] = {
    "ethnic_minority": lambda r: bool(r.is_ethnic_minority),
    "women": lambda r: r.sex == WOMAN,
    "poor_or_near_poor": lambda r: r.household_status in POOR_HOUSEHOLDS,
    "zone_iii": lambda r: bool(r.in_zone_iii),
    "difficult_village": lambda r: bool(r.in_difficult_village),
    "disability": lambda r: bool(r.has_disability),
}
NO_PRIORITY_GROUP = "none"
AGE_BANDS: tuple[tuple[int, str], ...] = ((15, "<15"), (25, "15-24"), (35, "25-34"), (45, "35-44"))
OLDEST_BAND = "45+"
DATED = ("year", "month", "age_band")
DERIVED = (*DATED, "poor_or_near_poor", "priority_group")


def cut(
    records: Iterable[R],
    by: str | Sequence[str],
    *,
    when: When | None = None,
    record_type: type | None = None,
) -> dict[GroupKey, list[R]]:
    """Group records by one dimension (key = its value) or several (key = tuple of values).

    ``when`` gives the date a record is counted on; it is needed for ``year``, ``month`` and
    ``age_band``. ``record_type`` lets an empty input still check the dimension names.
    Groups come back sorted by key, None last. Unknown dimensions raise ValueError.
    """
    records = records if isinstance(records, list | tuple) else list(records)
    if record_type is None:
        if not records:
            return {}
        record_type = type(records[0])
    key, multi = group_key(by, record_type, when)
    groups: dict[GroupKey, list[R]] = {}
    if multi:
        for record in records:
            for value in key(record):
                groups.setdefault(value, []).append(record)
    else:
        for record in records:
            groups.setdefault(key(record), []).append(record)
    return dict(sorted(groups.items(), key=lambda item: _order(item[0])))


def group_key(
    by: str | Sequence[str], record_type: type, when: When | None
) -> tuple[Callable[[Any], Any], bool]:
    """The function giving a record's group (or its groups, when the flag says several)."""
    names = (by,) if isinstance(by, str) else tuple(by)
    if not names:
        raise ValueError("cut by at least one dimension")
    parts = [_dimension(name, record_type, when) for name in names]
    if isinstance(by, str):
        return parts[0]
    if not any(multi for _, multi in parts):
        if all(name not in DERIVED for name in names):
            # attrgetter of several fields returns the tuple directly: the fast path.
            return attrgetter(*(ALIASES.get(n, n) for n in names)), False
        return _tuple_of([func for func, _ in parts]), False
    listed = [(func if multi else (lambda r, f=func: (f(r),))) for func, multi in parts]
    return (lambda r: list(itertools.product(*(f(r) for f in listed)))), True


def _tuple_of(funcs: list[Callable[[Any], Any]]) -> Callable[[Any], tuple[Any, ...]]:
    """One function giving the tuple of several keys (unrolled for two or three: the common
    cuts, called once per record)."""
    if len(funcs) == 2:
        first, second = funcs
        return lambda r: (first(r), second(r))
    if len(funcs) == 3:
        first, second, third = funcs
        return lambda r: (first(r), second(r), third(r))
    return lambda r: tuple(f(r) for f in funcs)


def pick_per_person(records: Iterable[R], prefer: Callable[[R], Any]) -> dict[int, R]:
    """Each person's deciding record: the one with the smallest ``prefer`` key (the first
    seen among equal keys). Keys are computed only for people with several records."""
    best: dict[int, R] = {}
    best_key: dict[int, Any] = {}
    for record in records:
        person = record.person_id  # type: ignore[attr-defined]
        current = best.get(person)
        if current is None:
            best[person] = record
            continue
        kept = best_key.get(person)
        if kept is None:
            kept = best_key[person] = prefer(current)
        rank = prefer(record)
        if rank < kept:
            best[person] = record
            best_key[person] = rank
    return best


def count_of(chosen: Mapping[int, Any] | Iterable[Any], record_id: Callable[[Any], int]) -> Count:
    """A Count of records that are already one per person."""
    records = list(chosen.values()) if isinstance(chosen, Mapping) else list(chosen)
    return Count(len(records), tuple(map(person_id_of, records)), tuple(map(record_id, records)))


def count_people(
    records: Sequence[R],
    by: str | Sequence[str] | None,
    *,
    prefer: Callable[[R], Any],
    record_id: Callable[[R], int],
    when: When | None,
    record_type: type,
    attribution: Attribution = "person",
) -> tuple[Count, dict[GroupKey, Count]]:
    """Distinct people among ``records`` (each by the record ``prefer`` picks), in total and
    per group. With ``attribution="person"`` a person is counted in the group of their
    deciding record, so the groups partition the total; with ``"group"`` a person counts once
    in every group where they have a record, so a group's count answers "how many people did
    this institution train" but the groups may add up to more than the total."""
    chosen = pick_per_person(records, prefer)
    total = count_of(chosen, record_id)
    if by is None:
        return total, {}
    if attribution == "person":
        return total, counts_by(chosen.values(), by, record_id, when, record_type)
    if attribution != "group":
        raise ValueError(f"attribution must be 'person' or 'group', not {attribution!r}")
    grouped = cut(records, by, when=when, record_type=record_type)
    return total, {
        key: count_of(pick_per_person(group, prefer), record_id) for key, group in grouped.items()
    }


def counts_by(
    chosen: Iterable[Any],
    by: str | Sequence[str],
    record_id: Callable[[Any], int],
    when: When | None,
    record_type: type,
) -> dict[GroupKey, Count]:
    """Counts per group of records that are already one per person."""
    grouped = cut(list(chosen), by, when=when, record_type=record_type)
    return {key: count_of(group, record_id) for key, group in grouped.items()}


def priority_groups_of(record: Any) -> tuple[str, ...]:
    """The priority groups a record's person belongs to, or ("none",)."""
    found = tuple(name for name, test in PRIORITY_GROUPS.items() if test(record))
    return found or (NO_PRIORITY_GROUP,)


def age_band(birth_year: int | None, year: int) -> str | None:
    """The age band in ``year`` (age taken as year − birth year), None when unknown."""
    if birth_year is None:
        return None
    age = year - birth_year
    for upper, label in AGE_BANDS:
        if age < upper:
            return label
    return OLDEST_BAND


def _dimension(
    name: str, record_type: type, when: When | None
) -> tuple[Callable[[Any], Any], bool]:
    field = ALIASES.get(name, name)
    if name in DATED and when is None:
        raise ValueError(
            f"cannot cut {record_type.__name__} by {name!r}: these records have no date"
        )
    if name == "year":
        return (lambda r: when(r).year), False  # type: ignore[misc]
    if name == "month":
        return _month_of(when), False  # type: ignore[arg-type]
    if name in ("age_band", "poor_or_near_poor", "priority_group"):
        if not issubclass(record_type, PersonDimensions):
            raise ValueError(f"cannot cut {record_type.__name__} by {name!r}: no person on it")
        if name == "age_band":
            return (lambda r: age_band(r.birth_year, when(r).year)), False  # type: ignore[misc]
        if name == "poor_or_near_poor":
            return (lambda r: r.household_status in POOR_HOUSEHOLDS), False
        return priority_groups_of, True
    if field not in _field_names(record_type):
        known = sorted({*_field_names(record_type), *ALIASES, *DERIVED})
        raise ValueError(
            f"cannot cut {record_type.__name__} by {name!r}; known dimensions: {', '.join(known)}"
        )
    return attrgetter(field), False


def _month_of(when: When) -> Callable[[Any], str]:
    """ "2025-03" for a record's date; few distinct dates recur, so each is formatted once."""
    months: dict[date, str] = {}

    def month(record: Any) -> str:
        day = when(record)
        label = months.get(day)
        if label is None:
            label = months[day] = f"{day.year:04d}-{day.month:02d}"
        return label

    return month


def _field_names(record_type: type) -> frozenset[str]:
    if not is_dataclass(record_type):
        raise ValueError(f"{record_type.__name__} is not a record type")
    return frozenset(f.name for f in fields(record_type))


def _order(key: Any) -> Any:
    """Sort key that puts None after every value, element by element in tuples."""
    if isinstance(key, tuple):
        return tuple(_order(value) for value in key)
    return (key is None, "" if key is None else key)


def merged_keys(mappings: Iterable[Mapping[GroupKey, Any]]) -> list[GroupKey]:
    """The keys of several group mappings, sorted as ``cut`` sorts them."""
    keys: set[GroupKey] = set()
    for mapping in mappings:
        keys.update(mapping)
    return sorted(keys, key=_order)


def dimension_names(by: str | Sequence[str] | None) -> tuple[str, ...]:
    """``by`` as a tuple of dimension names (empty when there is no cut)."""
    if by is None:
        return ()
    return (by,) if isinstance(by, str) else tuple(by)
