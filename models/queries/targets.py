"""Reading the yearly targets and the history of their changes. Nothing commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from models.enums import TargetIndicator
from models.tables import Target, TargetChange, UserAccount

_ORDER = {indicator.value: rank for rank, indicator in enumerate(TargetIndicator)}


@dataclass(frozen=True)
class ChangeRow:
    """A change with the name of the person who made it."""

    change: TargetChange
    changed_by: str  # full name (username when the name is blank)


@dataclass(frozen=True)
class TargetRow:
    """A target with its latest change (None when it was loaded with the reference data and
    never edited)."""

    target: Target
    last_change: ChangeRow | None


@dataclass(frozen=True)
class YearTargets:
    """The targets of one year in the order of the indicators, and the year's changes,
    newest first."""

    year: int
    rows: list[TargetRow]
    history: list[ChangeRow]


@dataclass(frozen=True)
class TargetDetail:
    target: Target
    history: list[ChangeRow]  # newest first


def indicator_rank(indicator: str) -> int:
    """The indicators in the order of the resolution; unknown ones after them."""
    return _ORDER.get(indicator, len(_ORDER))


def target_years(session: Session) -> list[int]:
    """Every year that has targets, in order."""
    years = session.exec(select(Target.year).distinct()).all()
    return sorted(years)


def year_targets(session: Session, year: int) -> YearTargets:
    targets = session.exec(select(Target).where(col(Target.year) == year)).all()
    history = _changes(session, col(TargetChange.year) == year)
    latest: dict[int, ChangeRow] = {}
    for row in history:  # newest first: the first seen is the latest
        latest.setdefault(row.change.target_id, row)
    ordered = sorted(targets, key=lambda t: (indicator_rank(t.indicator), t.indicator))
    rows = [TargetRow(target, latest.get(target.id or 0)) for target in ordered]
    return YearTargets(year, rows, history)


def target_detail(session: Session, target_id: int) -> TargetDetail | None:
    target = session.get(Target, target_id)
    if target is None:
        return None
    return TargetDetail(target, _changes(session, col(TargetChange.target_id) == target_id))


def _changes(session: Session, condition: ColumnElement[bool]) -> list[ChangeRow]:
    rows = session.exec(
        select(TargetChange, UserAccount.full_name, UserAccount.username)
        .join(UserAccount, col(UserAccount.id) == col(TargetChange.changed_by_id))
        .where(condition)
        .order_by(col(TargetChange.changed_at).desc(), col(TargetChange.id).desc())
    ).all()
    return [ChangeRow(change, name or username) for change, name, username in rows]
