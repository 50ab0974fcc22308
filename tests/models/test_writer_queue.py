"""SQLite writers of one process take the write lock in the order they came, and one that
waits too long gets an error the web app answers with 503 (models.db.is_busy_error)."""

from __future__ import annotations

import threading
import time

import pytest

from models.db import is_busy_error
from models.writer_queue import WriterQueue, WriterQueueTimeout


def test_waiting_writers_are_served_in_arrival_order() -> None:
    queue = WriterQueue(wait_seconds=10)
    queue.acquire()
    served: list[int] = []

    def writer(n: int) -> None:
        queue.acquire()
        served.append(n)
        queue.release()

    threads = []
    for n in range(6):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        while len(queue._waiting) < n + 1:  # this one is queued before the next starts
            time.sleep(0.001)
    queue.release()
    for thread in threads:
        thread.join(timeout=10)
    assert served == [0, 1, 2, 3, 4, 5]


def test_a_writer_that_waits_too_long_gets_a_busy_error_and_leaves_the_queue() -> None:
    queue = WriterQueue(wait_seconds=0.05)
    queue.acquire()
    with pytest.raises(WriterQueueTimeout) as raised:
        queue.acquire()
    assert is_busy_error(raised.value)
    assert not queue._waiting
    queue.release()
    queue.acquire()  # free again: taken at once
    queue.release()
