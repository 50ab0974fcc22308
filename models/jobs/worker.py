"""The worker: claims jobs from the queue and runs them, one at a time, with a heartbeat thread
that keeps the lease alive while a job runs. A failed attempt is retried after a growing
back-off; after the last attempt the job is failed with its error and the kind's ``give_up``
runs (an import is then shown as failed). Periodic kinds (the purge, the nightly suggestions)
are enqueued again after each run, deduplicated, so one runs across all workers."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from models.clock import utcnow
from models.db import unit_of_work
from models.errors import AppError
from models.jobs import queue
from models.jobs.queue import LEASE, ClaimedJob

log = logging.getLogger(__name__)

BACKOFF = timedelta(seconds=10)  # the first retry; doubled for each further one
MAX_BACKOFF = timedelta(minutes=10)
POLL_SECONDS = 1.0
PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job
_PROJECT = Path(__file__).resolve().parents[2]


class JobContext:
    """What a running job may tell its worker: its progress (written at most every half
    second), and whether it still holds its lease."""

    def __init__(self, engine: Engine, job: ClaimedJob) -> None:
        self.engine, self.job = engine, job
        self.lost = False  # set by the heartbeat when another worker took the job
        self._last = 0.0

    def progress(self, done: int, total: int) -> None:
        moment = time.monotonic()
        if moment - self._last < PROGRESS_EVERY and done < total:
            return
        self._last = moment
        try:
            queue.report_progress(self.engine, self.job, done, total)
        except OperationalError:  # busy: progress is worth no failed attempt
            log.warning("Progress of job %s not recorded", self.job.id, exc_info=True)


Run = Callable[[Engine, Mapping[str, Any], JobContext], None]


@dataclass(frozen=True)
class Handler:
    """How one kind of job runs. ``run`` raises to have the attempt retried. ``give_up`` runs
    once the job has failed for good. A kind with ``every`` is periodic: it is queued again
    that long after each run, the first time ``first_after`` after a worker starts."""

    run: Run
    give_up: Callable[[Engine, Mapping[str, Any]], None] | None = None
    every: timedelta | None = None
    first_after: timedelta = timedelta(0)
    priority: int = 0


def describe_error(error: BaseException) -> str:
    """The kind of error and the line of our code it came from; never its message, which may
    quote the values involved (a citizen ID in a failed INSERT). An AppError's message id is
    a fixed sentence, so it is kept."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(_PROJECT)
        and ".venv" not in Path(frame.filename).parts
    ]
    where = ""
    if frames:
        frame = frames[-1]
        path = Path(frame.filename).resolve().relative_to(_PROJECT)
        where = f" at {path}:{frame.lineno} in {frame.name}"
    said = f": {error.msgid}" if isinstance(error, AppError) else ""
    return f"{type(error).__name__}{said}{where}"[:300]


def worker_name() -> str:
    """host:process:random, unique to each worker for as long as it lives."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class _Heartbeat(threading.Thread):
    def __init__(self, context: JobContext, lease: timedelta) -> None:
        super().__init__(name=f"job-{context.job.id}-heartbeat", daemon=True)
        self.context, self.lease = context, lease
        self.stopped = threading.Event()

    def run(self) -> None:
        every = self.lease.total_seconds() / 4
        while not self.stopped.wait(every):
            try:
                alive = queue.heartbeat(self.context.engine, self.context.job, self.lease)
            except Exception:  # the database is busy or away: try again at the next beat
                log.warning("Heartbeat of job %s failed", self.context.job.id, exc_info=True)
                continue
            if not alive:
                self.context.lost = True
                return


class Worker:
    """Runs jobs of the kinds in ``handlers`` from the queue of ``engine``."""

    def __init__(
        self,
        engine: Engine,
        handlers: Mapping[str, Handler],
        *,
        name: str | None = None,
        lease: timedelta = LEASE,
        poll_seconds: float = POLL_SECONDS,
        backoff: timedelta = BACKOFF,
    ) -> None:
        self.engine, self.handlers = engine, handlers
        self.name = name or worker_name()
        self.lease, self.poll_seconds, self.backoff = lease, poll_seconds, backoff

    def run_one(self) -> bool:
        """Claim and run the most urgent job; False when none could be claimed."""
        job = queue.claim_next(self.engine, self.name, list(self.handlers), self.lease)
        if job is None:
            return False
        self.run_job(job)
        return True

    def run_until_idle(self, limit: int = 1000) -> int:
        """Run jobs until none is due (or ``limit`` ran); how many ran."""
        ran = 0
        while ran < limit and self.run_one():
            ran += 1
        return ran

    def run_forever(self, stop: threading.Event, *, schedule: bool = True) -> None:
        """Poll and run until ``stop`` is set (queueing the periodic jobs first, unless
        ``schedule`` is False). Errors of the database (it restarts, it is locked) are logged
        and the loop goes on."""
        if schedule:
            self.schedule_periodic()
        while not stop.is_set():
            try:
                if queue.has_work(self.engine, list(self.handlers)) and self.run_one():
                    continue
            except Exception:
                log.exception("The job worker %s could not claim a job", self.name)
            queue.WAKE.wait(self.poll_seconds)
            queue.WAKE.clear()

    def run_job(self, job: ClaimedJob) -> None:
        """Run a claimed job and record how it ended."""
        handler = self.handlers.get(job.kind)
        if handler is None or job.exhausted:
            error = "Unknown kind of job" if handler is None else "The worker running it stopped"
            self._failed(job, handler, error, final=True)
            return
        context = JobContext(self.engine, job)
        beat = _Heartbeat(context, self.lease)
        beat.start()
        started = time.perf_counter()
        try:
            handler.run(self.engine, job.payload, context)
        except Exception as error:
            log.exception("Job %s (%s), attempt %s, failed", job.id, job.kind, job.attempts)
            self._failed(job, handler, describe_error(error), final=False)
            return
        finally:
            beat.stopped.set()
            beat.join()
        queue.finish(self.engine, job)
        log.info("Job %s (%s) done in %.1f s", job.id, job.kind, time.perf_counter() - started)
        self._again(job, handler)

    def _failed(self, job: ClaimedJob, handler: Handler | None, error: str, *, final: bool) -> None:
        retry_in = None if final else self._delay(job.attempts)
        if not queue.fail(self.engine, job, error, retry_in):
            return
        log.error("Job %s (%s) failed for good: %s", job.id, job.kind, error)
        if handler is not None and handler.give_up is not None:
            try:
                handler.give_up(self.engine, job.payload)
            except Exception:
                log.exception("Giving up job %s (%s) failed", job.id, job.kind)
        if handler is not None:
            self._again(job, handler)

    def _delay(self, attempts: int) -> timedelta:
        return min(self.backoff * 2 ** max(attempts - 1, 0), MAX_BACKOFF)

    def _again(self, job: ClaimedJob, handler: Handler) -> None:
        if handler.every is not None:
            self._enqueue_periodic(job.kind, handler, handler.every)

    def schedule_periodic(self) -> None:
        """Queue the next run of each periodic kind that has none pending."""
        for kind, handler in self.handlers.items():
            if handler.every is not None:
                try:
                    self._enqueue_periodic(kind, handler, handler.first_after)
                except Exception:
                    log.exception("Scheduling the periodic job %s failed", kind)

    def _enqueue_periodic(self, kind: str, handler: Handler, after: timedelta) -> None:
        key = periodic_key(kind)
        with Session(self.engine) as session, unit_of_work(session):
            if not queue.pending(session, key):
                queue.enqueue(
                    session,
                    kind,
                    key=key,
                    run_after=utcnow() + after,
                    priority=handler.priority,
                )


def periodic_key(kind: str) -> str:
    return f"periodic:{kind}"


class WorkerThread:
    """A worker running in a daemon thread of this process (the embedded default)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=worker.run_forever,
            args=(self.stop_event,),
            kwargs={"schedule": False},
            name="job-worker",
            daemon=True,
        )

    def start(self) -> WorkerThread:
        """Queue the periodic jobs now (before the server takes requests, so this write never
        races the first ones), then run the loop in the thread."""
        self.worker.schedule_periodic()
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the job it is running (a job cut short is retried by another worker)."""
        self.stop_event.set()
        queue.WAKE.set()
        self.thread.join(timeout)
