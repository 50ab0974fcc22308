"""The writers of one SQLite database in this process, served in the order they came.

SQLite lets one transaction write at a time. Left to its busy handler, a waiting writer sleeps
and polls (up to 100 ms between tries) and can lose every race to writers that arrived after
it: under load some waited until their busy timeout ran out while the lock was mostly free.
Queued here, each writer is handed the lock the moment the previous one commits, and waits
at most about as long as the writers ahead of it take. Other processes (commands) still meet
the busy timeout."""

from __future__ import annotations

import threading
from collections import deque

from sqlalchemy import exc


class WriterQueueTimeout(exc.TimeoutError):
    """The writers ahead did not finish within the wait allowed: the database is too busy
    (models.db.is_busy_error, answered 503)."""


class WriterQueue:
    """A lock handed over first come, first served, with a time limit on the wait."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=self.wait_seconds):
            return  # handed over by release()
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                raise WriterQueueTimeout(
                    f"waited {self.wait_seconds:g} s for the writers ahead to finish"
                )
        turn.acquire()  # handed over just as the wait ran out: it is ours

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # the next writer holds it now
            else:
                self._held = False
