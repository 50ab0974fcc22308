"""The job queue, on SQLite and PostgreSQL: a job whose worker died is run again once its lease
has expired, a live worker keeps its lease by heartbeats, workers racing for jobs take each
exactly once, a failing job is retried a bounded number of times with back-off and then
failed with an error that names no personal data, a key has one pending job, and periodic
jobs are queued once across workers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.clock import utcnow
from models.db import unit_of_work
from models.jobs import queue
from models.jobs.kinds import DONE, FAILED, QUEUED, RUNNING
from models.jobs.worker import Handler, JobContext, Worker, WorkerThread, periodic_key
from models.tables import Job

ECHO = "test_echo"


def add_jobs(engine: Engine, count: int, kind: str = ECHO, **options: Any) -> list[int]:
    with Session(engine) as session, unit_of_work(session):
        ids = [queue.enqueue(session, kind, {"n": n}, **options) for n in range(count)]
    return [job_id for job_id in ids if job_id is not None]


def job(engine: Engine, job_id: int) -> Job:
    with Session(engine, expire_on_commit=False) as session:
        found = session.get(Job, job_id)
        assert found is not None
        return found


class Recorder:
    """A handler that notes which job ran in which worker (threads take turns)."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.ran: list[tuple[int, str]] = []
        self.seconds = seconds
        self.lock = threading.Lock()

    def __call__(self, _engine: Engine, payload: Mapping[str, Any], context: JobContext) -> None:
        time.sleep(self.seconds)
        with self.lock:
            self.ran.append((context.job.id, context.job.worker))


def worker(engine: Engine, run: Any, **options: Any) -> Worker:
    return Worker(engine, {ECHO: Handler(run)}, **options)


def test_a_job_whose_worker_died_is_run_again_by_another_once_its_lease_expires(
    engine, monkeypatch
):
    # The queue's clock, moved by hand: how long the machine takes between two steps (a busy
    # CI host can take longer than a short lease) decides nothing.
    moment = [utcnow()]
    monkeypatch.setattr(queue, "utcnow", lambda: moment[0])
    [job_id] = add_jobs(engine, 1)
    dead = queue.claim_next(engine, "dead-worker", [ECHO], lease=timedelta(minutes=5))
    assert dead is not None and dead.id == job_id  # ... and it never finishes
    recorder = Recorder()
    other = worker(engine, recorder, name="live-worker")
    moment[0] += timedelta(minutes=4, seconds=59)
    assert other.run_one() is False  # the lease is still live: nobody takes it
    moment[0] += timedelta(seconds=2)
    assert other.run_one() is True
    assert recorder.ran == [(job_id, "live-worker")]
    found = job(engine, job_id)
    assert (found.status, found.attempts, found.worker) == (DONE, 2, "live-worker")
    # The dead worker, should it wake up, can change nothing any more.
    assert queue.finish(engine, dead) is False
    assert queue.heartbeat(engine, dead) is False


def test_heartbeats_keep_a_long_job_from_being_taken_by_another_worker(engine):
    [job_id] = add_jobs(engine, 1)
    lease = timedelta(milliseconds=400)  # beats every 100 ms
    recorder = Recorder(seconds=1.5)
    slow = worker(engine, recorder, name="slow", lease=lease)
    thread = threading.Thread(target=slow.run_one)
    thread.start()
    time.sleep(0.2)
    rival = worker(engine, recorder, name="rival", lease=lease)
    taken = []
    while thread.is_alive():
        taken.append(rival.run_one())
        time.sleep(0.05)
    thread.join()
    assert not any(taken) and len(taken) > 5
    assert recorder.ran == [(job_id, "slow")]
    assert job(engine, job_id).attempts == 1


def test_workers_racing_for_jobs_run_each_job_exactly_once(engine):
    ids = add_jobs(engine, 24)
    recorder = Recorder(seconds=0.01)
    workers = [worker(engine, recorder, name=f"w{n}") for n in range(4)]
    start = threading.Barrier(len(workers))

    def run(each: Worker) -> None:
        start.wait()
        each.run_until_idle()

    threads = [threading.Thread(target=run, args=(each,)) for each in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    ran = Counter(job_id for job_id, _ in recorder.ran)
    assert sorted(ran) == sorted(ids) and set(ran.values()) == {1}
    assert len({name for _, name in recorder.ran}) > 1  # the work was shared
    assert {job(engine, job_id).status for job_id in ids} == {DONE}


SECRET = "011201000123"  # a citizen ID in an exception's message must not be stored


def test_a_failing_job_is_retried_then_failed_with_its_error_and_given_up_once(engine):
    [job_id] = add_jobs(engine, 1, max_attempts=3)
    attempts: list[int] = []
    given_up: list[Mapping[str, Any]] = []

    def broken(_engine: Engine, _payload: Mapping[str, Any], context: JobContext) -> None:
        attempts.append(context.job.attempts)
        raise ValueError(f"no person with ID {SECRET}")

    handler = Handler(broken, give_up=lambda _engine, payload: given_up.append(payload))
    runner = Worker(engine, {ECHO: handler}, backoff=timedelta(0))
    assert runner.run_until_idle() == 3
    assert attempts == [1, 2, 3] and given_up == [{"n": 0}]
    found = job(engine, job_id)
    assert (found.status, found.attempts) == (FAILED, 3)
    assert found.error is not None and found.error.startswith("ValueError at tests/models/")
    assert "test_jobs.py" in found.error and SECRET not in found.error


def test_a_failed_attempt_waits_for_its_back_off(engine):
    [job_id] = add_jobs(engine, 1)

    def broken(*_args: Any) -> None:
        raise RuntimeError("database went away")

    runner = worker(engine, broken, backoff=timedelta(minutes=1))
    assert runner.run_one() is True
    found = job(engine, job_id)
    assert (found.status, found.attempts) == (QUEUED, 1)
    assert timedelta(seconds=50) < queue_delay(found) <= timedelta(minutes=1)
    assert runner.run_one() is False  # not due yet


def queue_delay(found: Job) -> timedelta:
    run_after = found.run_after
    if run_after.tzinfo is None:  # SQLite gives moments back without their zone
        run_after = run_after.replace(tzinfo=utcnow().tzinfo)
    return run_after - utcnow()


def test_a_key_has_one_pending_job_and_its_jobs_run_one_at_a_time(engine):
    with Session(engine) as session, unit_of_work(session):
        first = queue.enqueue(session, ECHO, {"year": 2026}, key="refresh:2026")
        second = queue.enqueue(session, ECHO, {"year": 2026}, key="refresh:2026")
    assert first is not None and second is None
    running = queue.claim_next(engine, "a", [ECHO])
    assert running is not None and running.id == first
    with Session(engine) as session, unit_of_work(session):
        # A write while the refresh runs queues another: the running one read older rows.
        third = queue.enqueue(session, ECHO, {"year": 2026}, key="refresh:2026")
    assert third is not None
    assert queue.claim_next(engine, "b", [ECHO]) is None  # waits for the running one
    queue.finish(engine, running)
    again = queue.claim_next(engine, "b", [ECHO])
    assert again is not None and again.id == third


def test_a_worker_takes_only_the_kinds_it_knows(engine):
    [other] = add_jobs(engine, 1, kind="test_other")
    recorder = Recorder()
    assert worker(engine, recorder).run_until_idle() == 0
    assert recorder.ran == [] and job(engine, other).status == QUEUED


def test_a_periodic_job_is_queued_once_however_many_workers_start(engine):
    recorder = Recorder()
    handlers = {ECHO: Handler(recorder, every=timedelta(hours=1))}
    threads = [WorkerThread(Worker(engine, handlers, poll_seconds=0.05)) for _ in range(3)]
    for each in threads:
        each.start()

    def periodic_rows() -> list:
        with Session(engine) as session:
            return list(
                session.execute(
                    select(col(Job.status), col(Job.run_after))
                    .where(col(Job.dedupe_key) == periodic_key(ECHO))
                    .order_by(col(Job.id))
                ).all()
            )

    # Until the run is over and the next one queued (a loaded machine may take a while),
    # then a moment more in which another worker would have run it again if it could.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        not recorder.ran or [status for status, _ in periodic_rows()] != [DONE, QUEUED]
    ):
        time.sleep(0.05)
    time.sleep(0.3)
    for each in threads:
        each.stop()
    assert len(recorder.ran) == 1  # run once, by one of the three
    statuses = periodic_rows()
    assert [status for status, _ in statuses] == [DONE, QUEUED]  # the next run, in an hour
    run_after = statuses[1][1]
    if run_after.tzinfo is None:
        run_after = run_after.replace(tzinfo=utcnow().tzinfo)
    assert timedelta(minutes=55) < run_after - utcnow() <= timedelta(hours=1)


def test_a_job_claimed_after_its_last_attempt_died_is_failed_not_run(engine):
    [job_id] = add_jobs(engine, 1, max_attempts=1)
    assert queue.claim_next(engine, "dead", [ECHO], lease=timedelta(milliseconds=100))
    assert job(engine, job_id).status == RUNNING
    time.sleep(0.3)
    recorder = Recorder()
    assert worker(engine, recorder).run_one() is True
    found = job(engine, job_id)
    assert recorder.ran == [] and found.status == FAILED
    assert found.error == "The worker running it stopped"
