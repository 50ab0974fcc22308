"""Values derived from the database, kept a moment per database: what many requests read and
few writes change (reference lists, a vacancy's ranking). A kept value is dropped at once when
this process commits a write to one of the tables it was derived from (`models.changes`), and
after its time whatever happens, so a change made by another process (a second server process,
the command line) shows within that time. Each engine (tests build many) has its own values.
Kept values are shared between requests and threads: callers never change them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary, WeakSet

from cachetools import TTLCache
from sqlmodel import Session

from models import clock
from models.changes import writes_to

T = TypeVar("T")
_ALL: WeakSet[Kept] = WeakSet()


def _seconds() -> float:
    return clock.steady_seconds()  # looked up at each call, so tests can move it


class Kept:
    """Values derived from `tables`, kept `seconds` at most, `size` per database."""

    def __init__(self, tables: Iterable[str], *, seconds: float, size: int) -> None:
        self.tables = frozenset(tables)
        self.seconds = seconds
        self.size = size
        self._by_engine: WeakKeyDictionary[object, TTLCache[tuple[Hashable, ...], Any]] = (
            WeakKeyDictionary()
        )
        self._lock = threading.Lock()  # TTLCache is not thread-safe
        _ALL.add(self)

    def get(self, session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """The value kept for `key` on this session's database, else `compute()`'s, kept. The
        key carries the count of writes to the tables seen before computing, so a value read
        while a write commits is never served after it."""
        bind = session.get_bind()
        full_key = (*key, writes_to(self.tables))
        with self._lock:
            values = self._by_engine.get(bind)
            if values is not None and full_key in values:
                return values[full_key]
        value = compute()
        with self._lock:
            values = self._by_engine.get(bind)
            if values is None:
                values = TTLCache(maxsize=self.size, ttl=self.seconds, timer=_seconds)
                self._by_engine[bind] = values
            values[full_key] = value
        return value

    def forget(self) -> None:
        with self._lock:
            self._by_engine.clear()


def forget_all() -> None:
    """Drop every kept value: after tables were changed behind the ORM's back (a TRUNCATE,
    raw SQL in a test)."""
    for kept in list(_ALL):
        kept.forget()
