"""The job table as a queue: enqueue (deduplicated by key), claim, heartbeat, progress,
finish, retry with back-off, fail.

A claim is one short writing transaction. On PostgreSQL the next job is selected with
``FOR UPDATE SKIP LOCKED``, so workers in several processes or on several hosts each take a
different job without waiting for one another; on SQLite the unit of work's ``BEGIN
IMMEDIATE`` serialises claims. A job claimed by a worker that died is claimed again once its
lease has expired; a live worker keeps its lease by heartbeats. Every later write of a worker
about its job says ``WHERE worker = me``: a worker that lost its lease changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, event, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models.clock import utcnow
from models.db import unit_of_work
from models.jobs.kinds import DONE, FAILED, QUEUED, RUNNING
from models.tables import Job

LEASE = timedelta(seconds=60)  # a worker that has not said it is alive for this long died
MAX_ATTEMPTS = 3
# Set when a job is committed in this process, so its in-process worker starts at once
# instead of at its next poll.
WAKE = threading.Event()
_ENQUEUED = "jobs_enqueued"  # Session.info key: wake the worker after the commit


@dataclass(frozen=True)
class ClaimedJob:
    """A job as its worker took it."""

    id: int
    kind: str
    payload: Mapping[str, Any]
    attempts: int  # including this one
    max_attempts: int
    worker: str

    @property
    def exhausted(self) -> bool:
        """Claimed after its last attempt's worker died: it is not run again."""
        return self.attempts > self.max_attempts


def enqueue(
    db: Session | Connection,
    kind: str,
    payload: Mapping[str, Any] | None = None,
    *,
    key: str | None = None,
    priority: int = 0,
    run_after: datetime | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> int | None:
    """Add a job in the caller's transaction; its id, or None when a job with the same ``key``
    is already queued (that one will do the work)."""
    now = utcnow()
    values = {
        "kind": str(kind),
        "dedupe_key": key,
        "payload": dict(payload or {}),
        "status": QUEUED,
        "priority": priority,
        "attempts": 0,
        "max_attempts": max_attempts,
        "run_after": run_after or now,
        "done": 0,
        "total": 0,
        "created_at": now,
    }
    dialect = db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Job.__table__).values(**values).on_conflict_do_nothing()  # type: ignore[attr-defined]
    job_id = db.execute(statement.returning(Job.__table__.c.id)).scalar()  # type: ignore[attr-defined]
    if isinstance(db, Session):
        db.info[_ENQUEUED] = True
    return int(job_id) if job_id is not None else None


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(_ENQUEUED, False):
        WAKE.set()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_ENQUEUED, None)


def _claimable(now: datetime, kinds: Collection[str]) -> Any:
    """Of one of ``kinds``, queued and due or running with an expired lease; and no other job
    of the same key running under a live lease (one KPI refresh of a year, one step of an
    import at a time)."""
    other = aliased(Job)
    key_busy = exists().where(
        col(other.dedupe_key) == col(Job.dedupe_key),
        col(other.id) != col(Job.id),
        col(other.status) == RUNNING,
        col(other.lease_until) >= now,
    )
    due = and_(col(Job.status) == QUEUED, col(Job.run_after) <= now)
    abandoned = and_(col(Job.status) == RUNNING, col(Job.lease_until) < now)
    return and_(col(Job.kind).in_(list(kinds)), or_(due, abandoned), ~key_busy)


def has_work(engine: Engine, kinds: Collection[str]) -> bool:
    """Whether a job could be claimed now: a plain read, so an idle worker's polls never take
    SQLite's write lock."""
    with Session(engine) as session:
        query = select(col(Job.id)).where(_claimable(utcnow(), kinds))
        return session.execute(query.limit(1)).first() is not None


def claim_next(
    engine: Engine, worker: str, kinds: Collection[str], lease: timedelta = LEASE
) -> ClaimedJob | None:
    """Take the most urgent claimable job of ``kinds`` for ``worker``, or None."""
    with Session(engine) as session, unit_of_work(session):
        now = utcnow()
        query = (
            select(col(Job.id))
            .where(_claimable(now, kinds))
            .order_by(col(Job.priority).desc(), col(Job.id))
            .limit(1)
            .with_for_update(skip_locked=True, of=Job)
        )
        job_id = session.execute(query).scalar()
        return None if job_id is None else _take(session, job_id, worker, now, lease)


def claim(engine: Engine, job_id: int, worker: str, lease: timedelta = LEASE) -> ClaimedJob | None:
    """Take this job now, whatever its ``run_after``, if it is still queued (or abandoned)."""
    with Session(engine) as session, unit_of_work(session):
        now = utcnow()
        free = or_(
            col(Job.status) == QUEUED,
            and_(col(Job.status) == RUNNING, col(Job.lease_until) < now),
        )
        query = select(col(Job.id)).where(col(Job.id) == job_id, free)
        found = session.execute(query.with_for_update(skip_locked=True)).scalar()
        return None if found is None else _take(session, job_id, worker, now, lease)


def _take(
    session: Session, job_id: int, worker: str, now: datetime, lease: timedelta
) -> ClaimedJob:
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id)
        .values(
            status=RUNNING,
            worker=worker,
            lease_until=now + lease,
            attempts=col(Job.attempts) + 1,
            started_at=now,
            heartbeat_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    row = session.execute(
        select(col(Job.kind), col(Job.payload), col(Job.attempts), col(Job.max_attempts)).where(
            col(Job.id) == job_id
        )
    ).one()
    return ClaimedJob(
        job_id, row.kind, dict(row.payload or {}), row.attempts, row.max_attempts, worker
    )


def _mine(job: ClaimedJob) -> Any:
    return and_(col(Job.id) == job.id, col(Job.worker) == job.worker, col(Job.status) == RUNNING)


def _change(engine: Engine, job: ClaimedJob, **values: Any) -> bool:
    """Change the job if this worker still holds it; whether it did."""
    with Session(engine) as session, unit_of_work(session):
        result = session.execute(
            update(Job)
            .where(_mine(job))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def heartbeat(engine: Engine, job: ClaimedJob, lease: timedelta = LEASE) -> bool:
    """Extend the lease; False when another worker has taken the job meanwhile."""
    now = utcnow()
    return _change(engine, job, lease_until=now + lease, heartbeat_at=now)


def report_progress(engine: Engine, job: ClaimedJob, done: int, total: int) -> None:
    _change(engine, job, done=done, total=total)


def finish(engine: Engine, job: ClaimedJob) -> bool:
    return _change(engine, job, status=DONE, finished_at=utcnow(), lease_until=None, error=None)


def fail(engine: Engine, job: ClaimedJob, error: str, retry_in: timedelta | None) -> bool:
    """Record a failed attempt: queued again after ``retry_in``, or failed for good when it was
    the last attempt (or ``retry_in`` is None). True when the job is failed for good. A retry
    that would make a second queued job of its key is failed instead: the queued one does
    the work."""
    now = utcnow()
    final = retry_in is None or job.attempts >= job.max_attempts
    with Session(engine) as session, unit_of_work(session):
        if not final and _queued_twin(session, job):
            final = True
        values: dict[str, Any] = {"error": error[:300], "lease_until": None}
        if final:
            values |= {"status": FAILED, "finished_at": now}
        else:
            assert retry_in is not None
            values |= {"status": QUEUED, "run_after": now + retry_in, "worker": None}
        session.execute(
            update(Job)
            .where(_mine(job))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return final


def _queued_twin(session: Session, job: ClaimedJob) -> bool:
    key = session.execute(select(col(Job.dedupe_key)).where(col(Job.id) == job.id)).scalar()
    if key is None:
        return False
    query = select(col(Job.id)).where(col(Job.dedupe_key) == key, col(Job.status) == QUEUED)
    return session.execute(query.limit(1)).first() is not None


def pending(session: Session, key: str) -> bool:
    """Whether a job of this key is queued or running (a read)."""
    query = select(col(Job.id)).where(
        col(Job.dedupe_key) == key, col(Job.status).in_((QUEUED, RUNNING))
    )
    return session.execute(query.limit(1)).first() is not None


def due_pending(session: Session, key: str) -> bool:
    """Whether a job of this key is running, or queued and due (a read)."""
    now = utcnow()
    query = select(col(Job.id)).where(
        col(Job.dedupe_key) == key,
        or_(col(Job.status) == RUNNING, and_(col(Job.status) == QUEUED, col(Job.run_after) <= now)),
    )
    return session.execute(query.limit(1)).first() is not None


def hurry(session: Session, key: str) -> bool:
    """Make the queued job of this key due now (in the caller's unit of work); whether there
    was one."""
    result = session.execute(
        update(Job)
        .where(col(Job.dedupe_key) == key, col(Job.status) == QUEUED)
        .values(run_after=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        session.info[_ENQUEUED] = True
    return bool(result.rowcount)  # type: ignore[attr-defined]


def latest(session: Session, key: str) -> Job | None:
    """The newest job of this key (a read)."""
    query = select(Job).where(col(Job.dedupe_key) == key).order_by(col(Job.id).desc()).limit(1)
    return session.execute(query).scalars().first()


def recent(session: Session, *, status: str | None = None, limit: int = 100) -> list[Job]:
    """The newest jobs, for the administrators' jobs page and ``dbjobs jobs``."""
    query = select(Job).order_by(col(Job.id).desc()).limit(limit)
    if status:
        query = query.where(col(Job.status) == status)
    return list(session.execute(query).scalars().all())


def purge_finished(session: Session, *, done_before: datetime, failed_before: datetime) -> int:
    """Delete finished jobs: done ones before ``done_before``, failed ones (kept longer, so an
    administrator can read their errors) before ``failed_before``."""
    old = or_(
        and_(col(Job.status) == DONE, col(Job.finished_at) < done_before),
        and_(col(Job.status) == FAILED, col(Job.finished_at) < failed_before),
    )
    result = session.execute(delete(Job).where(old).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
