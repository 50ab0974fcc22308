"""Reference lists kept per database for a moment (models/kept.py): the communes, provinces,
countries, occupations and levels that drop-downs and place names show on nearly every page.
They change a few times a year (`dbjobs load-reference`, an administrator's edit), yet reading
them cost a handful of queries per page. Lists are handed out as copies."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlmodel import Session

from models.kept import Kept

REFERENCE_SECONDS = 60.0
REFERENCE_TABLES = frozenset({"admin_unit", "country", "training_occupation", "training_level"})
_REFERENCE = Kept(REFERENCE_TABLES, seconds=REFERENCE_SECONDS, size=128)

T = TypeVar("T")


def kept(session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The reference value for `key` on this session's database (see models/kept.py)."""
    return _REFERENCE.get(session, key, compute)
