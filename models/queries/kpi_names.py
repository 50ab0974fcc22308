"""Names of the groups a stored KPI figure is cut by, for the dimensions whose keys are codes or
ids of the registers (communes, occupations, institutions, employers, ethnic groups, levels,
countries, training orders). One small query per dimension, for the keys shown. Reads only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from models.queries.reference import COMMUNE_LEVELS
from models.tables import (
    AdminUnit,
    Country,
    Employer,
    Ethnicity,
    Institution,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
)


def _communes(session: Session, keys: list[str]) -> dict[str, str]:
    """The newest name of each commune code (codes of former communes keep their name)."""
    query = (
        select(col(AdminUnit.code), col(AdminUnit.name))
        .where(col(AdminUnit.code).in_(keys), col(AdminUnit.level).in_(COMMUNE_LEVELS))
        .order_by(col(AdminUnit.valid_from))
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
        select(col(TrainingOrder.id), col(Employer.name), col(TrainingOccupation.name))
        .join(Employer, col(Employer.id) == col(TrainingOrder.employer_id))
        .outerjoin(
            TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id)
        )
        .where(col(TrainingOrder.id).in_(ids))
    )
    return {
        str(order_id): f"{employer}: {occupation}" if occupation else employer
        for order_id, employer, occupation in session.execute(query)
    }


_NAMES: dict[str, Callable[[Session, list[str]], dict[str, str]]] = {
    "commune": _communes,
    "work_commune": _communes,
    "occupation": _by_code(col(TrainingOccupation.key), col(TrainingOccupation.name)),
    "institution": _by_id(col(Institution.id), col(Institution.name)),
    "employer": _by_id(col(Employer.id), col(Employer.name)),
    "ethnicity": _by_code(col(Ethnicity.code), col(Ethnicity.name)),
    "level": _by_code(col(TrainingLevel.code), col(TrainingLevel.name)),
    "country": _by_code(col(Country.code), col(Country.name)),
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
