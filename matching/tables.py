"""Columnar form of the profiles: one numpy array per field, rows sorted by id.

The fast path works on these arrays and on integer ids of distinct strings: graduates share a
few trade names and skill names, so each distinct text is vectorised and compared once and the
result is mapped back to rows with index arrays.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from matching.catalogue import OccupationCatalogue
from matching.languages import (
    LANGUAGES,
    held_languages,
    required_language,
    strip_language,
    without_languages,
)
from matching.normalise import guess_keys
from matching.profiles import LEVEL_RANK, GraduateProfile, VacancyProfile, level_rank
from matching.reference import distinct_skills, trade_text
from matching.score import SCOPES, accepted_scopes
from matching.similarity import TradeColumns, occupation_text, skill_match_matrix, trade_columns
from matching.text import cached_search_key as search_key
from matching.trades import trade_form

NONE = -1
NO_REQUIREMENT = -99  # required level rank of a vacancy that asks for none
Profile = TypeVar("Profile", GraduateProfile, VacancyProfile)
KIND_CODE = {"commune": 0, "other_province": 1, "abroad": 2}


class Vocab(dict[str, int]):
    """Distinct strings → consecutive ints, in first-seen order."""

    def id(self, text: str | None) -> int:
        """Id of ``text`` (added if new); ``NONE`` for None."""
        if text is None:
            return NONE
        return self.setdefault(text, len(self))

    def items_list(self) -> list[str]:
        return list(self)


def _csr(rows: list[list[int]], n_cols: int) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float64)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))


def _float(values: Sequence[int | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


@dataclass
class GraduateTable:
    """Graduates as arrays; row ``i`` is ``profiles[i]`` (sorted by id)."""

    profiles: tuple[GraduateProfile, ...]
    index: dict[str, int]
    trade: np.ndarray  # id into Tables.trades
    code: np.ndarray  # catalogue row, or NONE
    group: np.ndarray
    rank: np.ndarray
    commune: np.ndarray
    stated: np.ndarray  # willing_to_work given
    accepts: np.ndarray  # (n, 4) bool by scope
    expected: np.ndarray  # nan: no expectation
    available: np.ndarray  # date ordinal; 0: available now
    birth_year: np.ndarray  # nan: unknown
    order: np.ndarray
    skills: sp.csr_matrix  # rows × graduate skill vocabulary
    known: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # given/guessed row
    known_group: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    reading: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # Tables.readings
    graduated: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # 0: unknown
    # (n, len(LANGUAGES)) level held, NONE when the language is not named in the skills
    languages: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.int64))
    # (n, 2) latitude, longitude of home; nan: unknown
    point: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))


@dataclass
class VacancyTable:
    """Vacancies as arrays; row ``j`` is ``profiles[j]`` (sorted by id)."""

    profiles: tuple[VacancyProfile, ...]
    index: dict[str, int]
    text: np.ndarray  # id into Tables.titles / Tables.fulls
    code: np.ndarray
    group: np.ndarray
    required: np.ndarray  # level rank or NO_REQUIREMENT
    kind: np.ndarray  # KIND_CODE
    commune: np.ndarray
    offered: np.ndarray  # nan: not stated
    quantity: np.ndarray
    age_min: np.ndarray
    age_max: np.ndarray
    start: np.ndarray  # date ordinal (start date, else today)
    start_year: np.ndarray
    order: np.ndarray
    skills: sp.csr_matrix  # rows × vacancy skill vocabulary, in the vacancy's own order
    known: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # given/guessed row
    known_group: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    reading: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # title_readings
    language: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # or NONE
    language_level: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # (n, 2) latitude, longitude of the job's commune; nan: unknown or not in the province
    point: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))


@dataclass
class Tables:
    """Everything the fast path needs about one batch of graduates and vacancies."""

    graduates: GraduateTable
    vacancies: VacancyTable
    catalogue: OccupationCatalogue
    trades: list[str]  # distinct trade search keys
    titles: list[str]
    fulls: list[str]
    trade_vectors: sp.csr_matrix
    title_vectors: sp.csr_matrix
    full_vectors: sp.csr_matrix
    trade_columns: TradeColumns  # syllables, heads and objects of the trade readings
    title_columns: TradeColumns  # and of the title readings
    vacancy_skills: list[str]  # search keys, by vacancy skill id
    graduate_skills: list[str]
    skill_match: np.ndarray  # (vacancy skills, graduate skills) bool
    covered: np.ndarray  # sorted keys g * n_vacancy_skills + skill: graduate g holds skill
    # (groups, groups) bool: the catalogue's group relations, by group id (one group is
    # related to itself).
    group_relation: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    def groups_related(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether group ids ``a[i]`` and ``b[i]`` (NONE for unknown) are one group or two
        related ones (arrays that broadcast together)."""
        known = (a >= 0) & (b >= 0)
        if not self.group_relation.size:
            return known & (a == b)
        return known & self.group_relation[np.maximum(a, 0), np.maximum(b, 0)]


def _unique_sorted(items: Sequence[Profile], what: str) -> tuple[Profile, ...]:
    ordered = sorted(items, key=lambda p: p.id)
    for a, b in itertools.pairwise(ordered):
        if a.id == b.id:
            raise ValueError(f"duplicate {what} id {a.id!r}")
    return tuple(ordered)


class _Codes:
    def __init__(self, catalogue: OccupationCatalogue) -> None:
        self.catalogue = catalogue
        self.row = {o.key: i for i, o in enumerate(catalogue)}
        self.group = Vocab()
        self._cache: dict[str | None, tuple[int, int]] = {}
        self.row_group = [self.group.id(o.group) for o in catalogue]

    def relation_matrix(self) -> np.ndarray:
        """(groups, groups) bool: one group, or two the catalogue relates."""
        names = list(self.group)
        return np.array(
            [[self.catalogue.groups_related(a, b) for b in names] for a in names], dtype=bool
        ).reshape(len(names), len(names))

    def of(self, code: str | None) -> tuple[int, int]:
        found = self._cache.get(code)
        if found is None:
            occupation = self.catalogue.resolve(code)
            found = (NONE, NONE)
            if occupation is not None:
                found = (self.row[occupation.key], self.group[occupation.group])
            self._cache[code] = found
        return found


K = TypeVar("K")
V = TypeVar("V")


def _memo(function: Callable[[K], V]) -> Callable[[K], V]:
    """A per-batch cache: profiles repeat the same trades, skill lists and preferences."""
    cache: dict[K, V] = {}

    def cached(key: K) -> V:
        if key not in cache:
            cache[key] = function(key)
        return cache[key]

    return cached


def _graduate_table(
    profiles: tuple[GraduateProfile, ...],
    codes: _Codes,
    trades: Vocab,
    readings: Vocab,
    places: Vocab,
    orders: Vocab,
    skills: Vocab,
) -> GraduateTable:
    catalogue = codes.catalogue

    def trade_id(key: tuple[str, str | None]) -> tuple[int, int]:
        text = trade_text(key[0], key[1], catalogue)
        return trades.id(search_key(text)), readings.id(trade_form(text))

    def skill_id_list(names: tuple[str, ...]) -> list[int]:
        return [skills.id(search_key(s)) for s in distinct_skills(names)]

    trade_of, skill_ids = _memo(trade_id), _memo(skill_id_list)
    trade_pairs = [trade_of((g.occupation, g.occupation_code)) for g in profiles]
    code_group = np.array([codes.of(g.occupation_code) for g in profiles], dtype=np.int64)
    accepts = np.zeros((len(profiles), len(SCOPES)), dtype=bool)
    for i, g in enumerate(profiles):
        accepts[i, _accepted(tuple(g.willing_to_work))] = True
    return GraduateTable(
        profiles=profiles,
        index={g.id: i for i, g in enumerate(profiles)},
        trade=np.array([p[0] for p in trade_pairs], dtype=np.int64),
        reading=np.array([p[1] for p in trade_pairs], dtype=np.int64),
        code=code_group[:, 0] if len(profiles) else np.zeros(0, np.int64),
        group=code_group[:, 1] if len(profiles) else np.zeros(0, np.int64),
        rank=np.array([level_rank(g.level) for g in profiles], dtype=np.int64),
        commune=np.array([places.id(g.commune_code) for g in profiles], dtype=np.int64),
        stated=np.array([bool(g.willing_to_work) for g in profiles], dtype=bool),
        accepts=accepts,
        expected=_float(
            [g.expected_wage if (g.expected_wage or 0) > 0 else None for g in profiles]
        ),
        available=np.array(
            [g.available_from.toordinal() if g.available_from else 0 for g in profiles],
            dtype=np.int64,
        ),
        birth_year=_float([g.birth_year for g in profiles]),
        order=np.array([orders.id(g.order_id) for g in profiles], dtype=np.int64),
        skills=_csr([skill_ids(tuple(g.skills)) for g in profiles], len(skills)),
        languages=_held_levels(profiles),
        point=_points([g.home for g in profiles]),
        graduated=np.array(
            [g.graduated_on.toordinal() if g.graduated_on else 0 for g in profiles],
            dtype=np.int64,
        ),
    )


def _points(points: Sequence[tuple[float, float] | None]) -> np.ndarray:
    """(n, 2) latitude, longitude; nan where a point is unknown."""
    out = np.full((len(points), 2), np.nan)
    for i, point in enumerate(points):
        if point is not None:
            out[i] = point
    return out


def _held_of(skills: tuple[str, ...]) -> dict[str, int]:
    return held_languages(skills)


def _held_levels(profiles: tuple[GraduateProfile, ...]) -> np.ndarray:
    held = np.full((len(profiles), len(LANGUAGES)), NONE, dtype=np.int64)
    read = _memo(_held_of)
    for i, g in enumerate(profiles):
        for language, level in read(tuple(g.skills)).items():
            held[i, LANGUAGES.index(language)] = level
    return held


def _required_languages(profiles: tuple[VacancyProfile, ...]) -> np.ndarray:
    """(language index or NONE, level) per vacancy."""
    out = np.full((len(profiles), 2), NONE, dtype=np.int64)
    for j, v in enumerate(profiles):
        found = required_language(v.title, v.description, v.skills)
        if found is not None:
            out[j] = (LANGUAGES.index(found.language), found.level)
    return out


@lru_cache(maxsize=64)
def _accepted(willing: tuple[str, ...]) -> list[int]:
    return sorted(accepted_scopes(willing))


def _vacancy_table(
    profiles: tuple[VacancyProfile, ...],
    codes: _Codes,
    texts: Vocab,
    readings: Vocab,
    places: Vocab,
    orders: Vocab,
    skills: Vocab,
    today: date,
) -> VacancyTable:
    code_group = np.array([codes.of(v.occupation_code) for v in profiles], dtype=np.int64)
    starts = [v.start_date or today for v in profiles]
    skill_rows = [
        [skills.id(search_key(s)) for s in distinct_skills(without_languages(v.skills))]
        for v in profiles
    ]
    titles = [strip_language(v.title) for v in profiles]
    text_keys = [
        (search_key(t), search_key(f"{t} {v.description}"))
        for t, v in zip(titles, profiles, strict=True)
    ]
    language = _required_languages(profiles)
    return VacancyTable(
        profiles=profiles,
        index={v.id: j for j, v in enumerate(profiles)},
        text=np.array([texts.id("\x00".join(k)) for k in text_keys], dtype=np.int64),
        reading=np.array([readings.id(trade_form(t)) for t in titles], dtype=np.int64),
        language=language[:, 0],
        language_level=language[:, 1],
        point=_points([v.location.point for v in profiles]),
        code=code_group[:, 0] if len(profiles) else np.zeros(0, np.int64),
        group=code_group[:, 1] if len(profiles) else np.zeros(0, np.int64),
        required=np.array(
            [
                NO_REQUIREMENT if v.required_level is None else LEVEL_RANK[v.required_level]
                for v in profiles
            ],
            dtype=np.int64,
        ),
        kind=np.array([KIND_CODE[v.location.kind] for v in profiles], dtype=np.int64),
        commune=np.array(
            [
                places.id(v.location.commune_code) if v.location.kind == "commune" else NONE
                for v in profiles
            ],
            dtype=np.int64,
        ),
        offered=_float([v.offered_wage for v in profiles]),
        quantity=np.array([v.quantity for v in profiles], dtype=np.int64),
        age_min=_float([v.age_min for v in profiles]),
        age_max=_float([v.age_max for v in profiles]),
        start=np.array([d.toordinal() for d in starts], dtype=np.int64),
        start_year=np.array([d.year for d in starts], dtype=np.int64),
        order=np.array([orders.id(v.order_id) for v in profiles], dtype=np.int64),
        skills=_csr(skill_rows, len(skills)),
    )


def _guess_rows(codes: _Codes, keys: list[str], columns: TradeColumns) -> np.ndarray:
    """Catalogue row guessed for each text (NONE when unsure or empty)."""
    rows = np.full(len(keys), NONE, dtype=np.int64)
    filled = [i for i, key in enumerate(keys) if key]
    read = columns.take(np.array(filled, dtype=np.int64))
    guesses = guess_keys(codes.catalogue, [keys[i] for i in filled], read)
    for i, key in zip(filled, guesses, strict=True):
        if key is not None:
            rows[i] = codes.row[key]
    return rows


def _add_known(table: GraduateTable | VacancyTable, guessed: np.ndarray, codes: _Codes) -> None:
    table.known = np.where(table.code >= 0, table.code, guessed)
    group_of_row = np.array([*codes.row_group, NONE], dtype=np.int64)
    table.known_group = group_of_row[table.known]


def build_tables(
    graduates: Sequence[GraduateProfile],
    vacancies: Sequence[VacancyProfile],
    catalogue: OccupationCatalogue,
    today: date,
) -> Tables:
    """Columnar tables for a batch; raises ValueError on duplicate ids."""
    codes, places, orders = _Codes(catalogue), Vocab(), Vocab()
    trades, texts, g_skills, v_skills = Vocab(), Vocab(), Vocab(), Vocab()
    trade_readings, title_readings = Vocab(), Vocab()
    gt = _graduate_table(
        _unique_sorted(graduates, "graduate"),
        codes,
        trades,
        trade_readings,
        places,
        orders,
        g_skills,
    )
    vt = _vacancy_table(
        _unique_sorted(vacancies, "vacancy"),
        codes,
        texts,
        title_readings,
        places,
        orders,
        v_skills,
        today,
    )
    model = occupation_text(catalogue)
    title_full = [t.split("\x00") for t in texts]
    raw_trades, raw_titles = list(trade_readings), list(title_readings)
    trade_read, title_read = trade_columns(raw_trades), trade_columns(raw_titles)
    _add_known(gt, _guess_rows(codes, raw_trades, trade_read)[gt.reading], codes)
    _add_known(vt, _guess_rows(codes, raw_titles, title_read)[vt.reading], codes)
    trade_keys, title_keys = list(trades), [t for t, _ in title_full]
    match = skill_match_matrix(list(v_skills), list(g_skills))
    held = (gt.skills @ sp.csr_matrix(match.T.astype(np.float64))).tocoo()
    covered = np.sort(held.row.astype(np.int64) * max(1, len(v_skills)) + held.col)
    return Tables(
        graduates=gt,
        vacancies=vt,
        catalogue=catalogue,
        trades=trade_keys,
        titles=title_keys,
        fulls=[f for _, f in title_full],
        trade_vectors=model.vectors(trade_keys),
        title_vectors=model.vectors(title_keys),
        trade_columns=trade_read,
        title_columns=title_read,
        full_vectors=model.vectors([f for _, f in title_full]),
        vacancy_skills=list(v_skills),
        graduate_skills=list(g_skills),
        skill_match=match,
        covered=covered,
        group_relation=codes.relation_matrix(),
    )
