"""Turn scored pair arrays into :class:`Match` objects (only for the pairs that are shown).

Explanations repeat a lot (same trade, same vacancy, same missing skills), so the facts of
each pair are computed with numpy, packed into a tuple, and each distinct tuple is explained
once.
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from datetime import date

import numpy as np

from matching.explain import TEXT_FITS, Facts, sentence, skills_phrase
from matching.languages import (
    LANGUAGES,
    Requirement,
    certificate_name,
    language_verdict,
    without_languages,
)
from matching.profiles import LEVELS
from matching.reference import distinct_skills
from matching.score import ALL_COMPONENTS, Match
from matching.tables import NONE, Tables
from matching.vectorised import AGE, RELATED, SAME, TIMING, PairScores, contains, km_between

_RELATION = {SAME: "same", RELATED: "related"}
_INELIGIBLE = {AGE: "age", TIMING: "timing"}
_WAGE = ("", "ok", "low")
_MASK_BITS = 52  # skills per vacancy tracked in a float64 bit mask


class MatchBuilder:
    """Builds :class:`Match` objects for chosen pairs of one batch, caching explanations."""

    def __init__(self, tables: Tables) -> None:
        self.t = tables
        self._trained = np.array([bool(k) for k in tables.trades], dtype=bool)
        self._names = [o.name for o in tables.catalogue]
        self._skill_names: dict[int, tuple[str, ...]] = {}
        self._skill_cache: dict[tuple[int, float], tuple] = {}
        self._reason_cache: dict[tuple, str] = {}

    def _held_masks(self, g: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Bit i set when graduate g holds the i-th skill of vacancy v."""
        indptr, indices = self.t.vacancies.skills.indptr, self.t.vacancies.skills.indices
        count = np.minimum(indptr[v + 1] - indptr[v], _MASK_BITS)
        pair = np.repeat(np.arange(len(g)), count)
        offset = np.arange(len(pair)) - np.repeat(np.cumsum(count) - count, count)
        keys = g[pair] * max(1, len(self.t.vacancy_skills)) + indices[indptr[v][pair] + offset]
        held = contains(self.t.covered, keys)
        return np.bincount(pair, weights=held * 2.0**offset, minlength=len(g))

    def _keys(self, s: PairScores, p: np.ndarray) -> tuple[list[tuple], list[tuple[int, float]]]:
        gt, vt = self.t.graduates, self.t.vacancies
        g, v = s.g[p], s.v[p]
        c = {name: s.components[name][p] for name in ALL_COMPONENTS}
        has_skills = vt.skills.indptr[v + 1] > vt.skills.indptr[v]
        wage_known = ~(np.isnan(gt.expected[g]) | np.isnan(vt.offered[v]))
        columns = [
            s.relation[p],
            np.where(vt.code[v] != NONE, vt.code[v], gt.code[g]),
            c["occupation"] >= TEXT_FITS,
            c["occupation"] >= 1.0,
            self._trained[gt.trade[g]],
            np.where(gt.rank[g] < vt.required[v], vt.required[v], NONE),
            np.where(gt.rank[g] >= vt.required[v], gt.rank[g], NONE),
            gt.graduated[g],
            np.where(wage_known, _room(vt.offered[v], gt.expected[g]), 0),
            s.scope[p] == 0,
            gt.stated[g] & ~gt.accepts[g, s.scope[p]],
            _km(km_between(self.t, g, v), s.scope[p]),
            np.where(wage_known, np.where(vt.offered[v] >= gt.expected[g], 1, 2), 0),
            s.delay[p],
            c["order"] >= 1.0,
            np.where(vt.language[v] >= 0, vt.language[v] * 100 + vt.language_level[v], NONE),
            c["language"],
            s.ineligible[p],
        ]
        skills = zip(
            np.where(has_skills, v, NONE).tolist(),
            np.where(has_skills, self._held_masks(g, v), 0.0).tolist(),
            strict=True,
        )
        return list(zip(*(col.tolist() for col in columns), strict=True)), list(skills)

    def _vacancy_skills(self, v: int) -> tuple[str, ...]:
        names = self._skill_names.get(v)
        if names is None:
            skills = without_languages(self.t.vacancies.profiles[v].skills)
            names = self._skill_names[v] = distinct_skills(skills)
        return names

    def _skills(self, v: int, mask: float) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
        found = self._skill_cache.get((v, mask))
        if found is None:
            names = self._vacancy_skills(v) if v != NONE else ()
            bits = int(mask)
            matched = tuple(n for i, n in enumerate(names) if i < _MASK_BITS and bits >> i & 1)
            missing = tuple(n for n in names if n not in matched)
            found = self._skill_cache[(v, mask)] = (
                matched,
                missing,
                skills_phrase(matched, missing),
            )
        return found

    def _reason(self, key: tuple, skills: str | None) -> str:
        full_key = (*key, skills)
        found = self._reason_cache.get(full_key)
        if found is None:
            (
                relation,
                code,
                fits,
                full,
                trained,
                short,
                held,
                graduated,
                room,
                own,
                unwilling,
                km,
                wage,
                delay,
                linked,
                language,
                language_fit,
                ineligible,
            ) = key
            facts = Facts(
                relation=_RELATION.get(relation, ""),
                occupation_name=self._names[code] if code != NONE else "",
                occupation_fits=fits,
                occupation_full=full,
                trained=trained,
                matched=(),
                missing=(),
                level_short=LEVELS[short] if short >= 0 else None,
                level_held=LEVELS[held] if held >= 0 else None,
                graduated_on=date.fromordinal(graduated) if graduated > 0 else None,
                wage_room=room,
                own_commune=own,
                unwilling=unwilling,
                km=km if km != NONE else None,
                wage=_WAGE[wage],
                delay=delay,
                linked=linked,
                ineligible=_INELIGIBLE.get(ineligible),
                language=language_verdict(language != NONE, language_fit),
                certificate=_certificate(language),
            )
            found = self._reason_cache[full_key] = sentence(facts, skills)
        return found

    def build(self, s: PairScores, positions: np.ndarray) -> list[Match]:
        """Matches for ``s`` at ``positions``, in that order."""
        positions = np.asarray(positions, dtype=np.int64)
        graduate_ids = [p.id for p in self.t.graduates.profiles]
        vacancy_ids = [p.id for p in self.t.vacancies.profiles]
        values = np.column_stack([s.components[n][positions] for n in ALL_COMPONENTS]).tolist()
        keys, skill_keys = self._keys(s, positions)
        rows = zip(
            s.g[positions].tolist(),
            s.v[positions].tolist(),
            s.score[positions].tolist(),
            values,
            keys,
            skill_keys,
            strict=True,
        )
        out = []
        for g, v, score, comps, key, (sv, mask) in rows:
            matched, missing, phrase = self._skills(sv, mask)
            reason = self._reason(key, phrase)
            components = dict(zip(ALL_COMPONENTS, comps, strict=True))
            out.append(
                Match(
                    graduate_ids[g],
                    vacancy_ids[v],
                    score,
                    components,
                    matched,
                    missing,
                    reason,
                    key[-1] == 0,
                )
            )
        return out


def _room(offered: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Whole percent by which each offer exceeds the expectation (0 when it does not)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        room = np.round((offered / expected - 1.0) * 100)
    return np.where(np.isfinite(room) & (room > 0), room, 0).astype(np.int64)


def _km(km: np.ndarray, scope: np.ndarray) -> np.ndarray:
    """Whole km to a job elsewhere in the province, NONE when not that or not known."""
    known = (scope == 1) & ~np.isnan(km)
    return np.where(known, np.round(np.nan_to_num(km)), NONE).astype(np.int64)


def _certificate(code: int) -> str:
    if code == NONE:
        return ""
    return certificate_name(Requirement(LANGUAGES[code // 100], code % 100))


class Ranking(Mapping[str, list[Match]]):
    """Ranked matches per id (a vacancy's graduates or a graduate's vacancies).

    The ranking itself is computed at once with numpy; the :class:`Match` objects of an id are
    built the first time it is read (all of them at once when iterating ``values``/``items``),
    so a page that shows one vacancy never pays for the other thousands.
    """

    def __init__(
        self,
        ids: list[str],
        bounds: np.ndarray,
        positions: np.ndarray,
        build: Callable[[np.ndarray], list[Match]],
    ) -> None:
        self._ids = ids
        self._row = {key: i for i, key in enumerate(ids)}
        self._bounds = bounds
        self._positions = positions
        self._build = build
        self._built: dict[str, list[Match]] = {}

    def __getitem__(self, key: str) -> list[Match]:
        if key not in self._built:
            i = self._row[key]
            self._built[key] = self._build(self._positions[self._bounds[i] : self._bounds[i + 1]])
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._row

    def _build_all(self) -> None:
        if len(self._built) == len(self._ids):
            return
        matches = self._build(self._positions)
        for i, key in enumerate(self._ids):
            self._built[key] = matches[self._bounds[i] : self._bounds[i + 1]]

    def values(self) -> ValuesView[list[Match]]:
        self._build_all()
        return self._built_view().values()

    def items(self) -> ItemsView[str, list[Match]]:
        self._build_all()
        return self._built_view().items()

    def _built_view(self) -> dict[str, list[Match]]:
        return {key: self._built[key] for key in self._ids}

    def to_dict(self) -> dict[str, list[Match]]:
        """A plain dict with every list built."""
        self._build_all()
        return self._built_view()
