"""Names of the groups a stored KPI figure is cut by, for the dimensions whose keys are codes or
ids of the registers (communes, occupations, institutions, employers, ethnic groups, levels,
countries, training orders). One small query per dimension, for the keys shown. Reads only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from models import tables
from models.queries.reference import COMMUNE_LEVELS

AdminUnit: Any = tables.AdminUnit
Country: Any = tables.Country
Employer: Any = tables.Employer
Ethnicity: Any = tables.Ethnicity
Institution: Any = tables.Institution
TrainingLevel: Any = tables.TrainingLevel
TrainingOccupation: Any = tables.TrainingOccupation
TrainingOrder: Any = tables.TrainingOrder


def _communes(session: Session, keys: list[str]) -> dict[str, str]:
    """The newest name of each commune code (codes of former communes keep their name)."""
    query = (
        select(AdminUnit.code, AdminUnit.name)
        .where(AdminUnit.code.in_(keys), AdminUnit.level.in_(COMMUNE_LEVELS))
        .order_by(AdminUnit.valid_from)
    )
    return {code: name for code, name in session.execute(query)}  # the newest wins


def _by_code(column: Any, name: Any) -> Callable[[Session, list[str]], dict[str, str]]:
    def names(session: Session, keys: list[str]) -> dict[str, str]:
        query = select(column, name).where(column.in_(keys))
        return {str(key): value for key, value in session.execute(query)}

    return names


def _by_id(column: Any, name: Any) -> Callable[[Session, list[str]], dict[str, str]]:
    def names(session: Session, keys: list[str]) -> dict[str, str]:
        ids = [int(key) for key in keys if key.isdigit()]
        query = select(column, name).where(column.in_(ids))
        return {str(key): value for key, value in session.execute(query)}

    return names


def _orders(session: Session, keys: list[str]) -> dict[str, str]:
    ids = [int(key) for key in keys if key.isdigit()]
    query = (
        select(TrainingOrder.id, Employer.name, TrainingOccupation.name)
        .join(Employer, Employer.id == TrainingOrder.employer_id)
        .outerjoin(TrainingOccupation, TrainingOccupation.id == TrainingOrder.occupation_id)
        .where(TrainingOrder.id.in_(ids))
    )
    return {
        str(order_id): f"{employer}: {occupation}" if occupation else employer
        for order_id, employer, occupation in session.execute(query)
    }


_NAMES: dict[str, Callable[[Session, list[str]], dict[str, str]]] = {
    "commune": _communes,
    "work_commune": _communes,
    "occupation": _by_code(TrainingOccupation.key, TrainingOccupation.name),
    "institution": _by_id(Institution.id, Institution.name),
    "employer": _by_id(Employer.id, Employer.name),
    "ethnicity": _by_code(Ethnicity.code, Ethnicity.name),
    "level": _by_code(TrainingLevel.code, TrainingLevel.name),
    "country": _by_code(Country.code, Country.name),
    "order": _orders,
}
NAMED_DIMENSIONS = frozenset(_NAMES)


def group_names(session: Session, dimension: str, keys: Iterable[str]) -> dict[str, str]:
    """Key -> name for the keys of ``dimension`` that the registers know (others are left
    out: the caller shows them as stored). Empty for dimensions without a register."""
    names = _NAMES.get(dimension)
    wanted = sorted({key for key in keys if key})
    if names is None or not wanted:
        return {}
    return names(session, wanted)
