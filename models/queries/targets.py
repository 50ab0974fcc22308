"""Reading the targets and the history of their changes. Nothing commits.

A year's page holds the province's targets, the targets of communes and institutions, and for
each indicator that has some, their sum beside the province's target with the difference."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from models.enums import TargetIndicator
from models.queries.candidates import commune_names
from models.tables import Institution, Target, TargetChange, UserAccount

_ORDER = {indicator.value: rank for rank, indicator in enumerate(TargetIndicator)}
PROVINCE, COMMUNE, INSTITUTION = "province", "commune", "institution"


@dataclass(frozen=True)
class ChangeRow:
    """A change with the name of the person who made it and the target's commune or
    institution ("" for the province's target)."""

    change: TargetChange
    changed_by: str  # full name (username when the name is blank)
    scope_name: str = ""


@dataclass(frozen=True)
class TargetRow:
    """A target with its latest change (None when it was loaded with the reference data and
    never edited), and the name of its commune or institution ("" for the province)."""

    target: Target
    last_change: ChangeRow | None
    scope_name: str = ""

    @property
    def scope(self) -> str:
        return scope_of(self.target)


@dataclass(frozen=True)
class ScopeSum:
    """The targets of the communes (or institutions) of one indicator added up, beside the
    province's target: ``difference`` = sum − province (lower values; upper values when both
    have one). None where the province has no target."""

    indicator: str
    scope: str  # commune | institution
    unit: str
    count: int
    sum_min: float
    sum_max: float | None  # the upper values (the lower one where a row has none)
    province_min: float | None
    province_max: float | None
    difference_min: float | None
    difference_max: float | None


@dataclass(frozen=True)
class YearTargets:
    """The targets of one year in the order of the indicators (the province's, then the
    communes' and institutions' by name), the sums, and the year's changes, newest first."""

    year: int
    rows: list[TargetRow]
    scoped: list[TargetRow]
    sums: list[ScopeSum]
    history: list[ChangeRow]


@dataclass(frozen=True)
class TargetDetail:
    target: Target
    history: list[ChangeRow]  # newest first
    scope_name: str = ""


def indicator_rank(indicator: str) -> int:
    """The indicators in the order of the resolution; unknown ones after them."""
    return _ORDER.get(indicator, len(_ORDER))


def scope_of(target: Target) -> str:
    if target.commune_code is not None:
        return COMMUNE
    return INSTITUTION if target.institution_id is not None else PROVINCE


def target_years(session: Session) -> list[int]:
    """Every year that has targets, in order."""
    years = session.exec(select(Target.year).distinct()).all()
    return sorted(years)


def scope_sums(targets: Iterable[Target]) -> list[ScopeSum]:
    """For each indicator and scope with targets of communes (or institutions): their sum
    beside the province's target of the same indicator, in the order of the indicators."""
    province: dict[str, Target] = {}
    groups: dict[tuple[str, str], list[Target]] = {}
    for target in targets:
        scope = scope_of(target)
        if scope == PROVINCE:
            province[target.indicator] = target
        else:
            groups.setdefault((target.indicator, scope), []).append(target)
    sums = []
    for (indicator, scope), rows in groups.items():
        whole = province.get(indicator)
        sum_min = sum(row.value_min for row in rows)
        ranged = any(row.value_max is not None for row in rows)
        sum_max = sum(row.value_max or row.value_min for row in rows) if ranged else None
        low = whole.value_min if whole else None
        high = whole.value_max if whole else None
        sums.append(
            ScopeSum(
                indicator,
                scope,
                rows[0].unit,
                len(rows),
                sum_min,
                sum_max,
                low,
                high,
                None if low is None else sum_min - low,
                None if sum_max is None or high is None else sum_max - high,
            )
        )
    return sorted(sums, key=lambda s: (indicator_rank(s.indicator), s.indicator, s.scope))


def year_targets(session: Session, year: int) -> YearTargets:
    targets = list(session.exec(select(Target).where(col(Target.year) == year)).all())
    names = scope_names(session, targets)
    history = _changes(session, col(TargetChange.year) == year, names)
    latest: dict[int, ChangeRow] = {}
    for row in history:  # newest first: the first seen is the latest
        latest.setdefault(row.change.target_id, row)
    rows = [TargetRow(t, latest.get(t.id or 0), names.get(t.id or 0, "")) for t in targets]
    rows.sort(key=lambda r: (indicator_rank(r.target.indicator), r.target.indicator))
    province = [row for row in rows if row.scope == PROVINCE]
    scoped = sorted(
        (row for row in rows if row.scope != PROVINCE),
        key=lambda r: (indicator_rank(r.target.indicator), r.scope, r.scope_name),
    )
    return YearTargets(year, province, scoped, scope_sums(targets), history)


def target_detail(session: Session, target_id: int) -> TargetDetail | None:
    target = session.get(Target, target_id)
    if target is None:
        return None
    names = scope_names(session, [target])
    history = _changes(session, col(TargetChange.target_id) == target_id, names)
    return TargetDetail(target, history, names.get(target_id, ""))


def scope_names(session: Session, targets: Iterable[Target]) -> dict[int, str]:
    """Target id -> the name of its commune or institution (only targets that have one)."""
    targets = list(targets)
    communes = commune_names(session, {t.commune_code for t in targets if t.commune_code})
    ids = {t.institution_id for t in targets if t.institution_id is not None}
    institutions: dict[int | None, str] = {}
    if ids:
        query = select(Institution.id, Institution.name).where(col(Institution.id).in_(ids))
        institutions = dict(session.exec(query).all())
    names = {}
    for target in targets:
        if target.commune_code is not None:
            names[target.id or 0] = communes.get(target.commune_code, target.commune_code)
        elif target.institution_id is not None:
            names[target.id or 0] = institutions.get(target.institution_id, "")
    return names


def _changes(
    session: Session, condition: ColumnElement[bool], names: dict[int, str]
) -> list[ChangeRow]:
    rows = session.exec(
        select(TargetChange, UserAccount.full_name, UserAccount.username)
        .join(UserAccount, col(UserAccount.id) == col(TargetChange.changed_by_id))
        .where(condition)
        .order_by(col(TargetChange.changed_at).desc(), col(TargetChange.id).desc())
    ).all()
    return [
        ChangeRow(change, name or username, names.get(change.target_id, ""))
        for change, name, username in rows
    ]
