"""Reference lists kept per database for a moment: the communes, provinces, countries,
occupations and levels that drop-downs and place names show on nearly every page. They change
a few times a year (`dbjobs load-reference`, an administrator's edit), yet reading them cost a
handful of queries per page.

A kept list is dropped at once when this process commits a write to a reference table
(`models.changes`), and after `REFERENCE_SECONDS` whatever happens, so a change made by another
process (a second server process, the command line) shows within that time. Values are kept per
engine, so each database (tests build many) has its own. Kept values are shared between
requests: callers treat them as read-only (lists are handed out as copies)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from cachetools import TTLCache
from sqlmodel import Session

from models import clock
from models.changes import writes_to

REFERENCE_SECONDS = 60.0
KEPT_LISTS = 128  # lists per database: a few kinds, a few dates
REFERENCE_TABLES = frozenset({"admin_unit", "country", "training_occupation", "training_level"})

T = TypeVar("T")
_Kept = TTLCache[tuple[Hashable, ...], Any]
_by_engine: WeakKeyDictionary[object, _Kept] = WeakKeyDictionary()
_lock = threading.Lock()  # TTLCache is not thread-safe


def _seconds() -> float:
    return clock.steady_seconds()  # looked up at each call, so tests can move it


def kept(session: Session, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value kept for `key` on this session's database, else `compute()`'s, kept. The key
    carries the count of reference writes seen before computing, so a list read while a write
    commits is never served after it."""
    bind = session.get_bind()
    full_key = (*key, writes_to(REFERENCE_TABLES))
    with _lock:
        lists = _by_engine.get(bind)
        if lists is not None and full_key in lists:
            return lists[full_key]
    value = compute()
    with _lock:
        lists = _by_engine.get(bind)
        if lists is None:
            lists = TTLCache(maxsize=KEPT_LISTS, ttl=REFERENCE_SECONDS, timer=_seconds)
            _by_engine[bind] = lists
        lists[full_key] = value
    return value


def forget(session: Session | None = None) -> None:
    """Drop what is kept for this session's database (all databases without one): after the
    reference tables were changed behind the ORM's back (a TRUNCATE, raw SQL)."""
    with _lock:
        if session is None:
            _by_engine.clear()
        else:
            _by_engine.pop(session.get_bind(), None)
