"""What each kind of background job runs, the worker that runs them (in this process by
default, or `dbjobs worker` beside the server), and what the administrators' jobs page shows.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.clock import utcnow
from models.db import unit_of_work
from models.jobs import queue
from models.jobs.kinds import STATUSES, JobKind
from models.jobs.worker import Handler, JobContext, Worker
from models.monitoring.store import refresh_year
from models.suggestions import compute_suggestions
from models.tables import Job
from web.services import imports
from web.services.imports import store as import_store

log = logging.getLogger(__name__)

KEEP_DONE_JOBS = timedelta(days=7)
KEEP_FAILED_JOBS = timedelta(days=30)  # long enough for an administrator to read the error


def _refresh(engine: Engine, payload: Mapping[str, Any], _context: JobContext) -> None:
    report = refresh_year(engine, int(payload["year"]))
    log.info("KPI figures for %s refreshed in %.1f s", report.year, report.seconds)


def _suggestions(engine: Engine, payload: Mapping[str, Any], context: JobContext) -> None:
    vacancy_ids = payload.get("vacancy_ids")
    with Session(engine, expire_on_commit=False) as session:
        stored = compute_suggestions(
            session,
            vacancy_ids=vacancy_ids,
            report=lambda _graduates, vacancies: context.progress(0, vacancies),
        )
    log.info("Stored %s suggestions", stored)


def _purge(engine: Engine, _payload: Mapping[str, Any], _context: JobContext) -> None:
    now = utcnow()
    with Session(engine) as session, unit_of_work(session):
        imports_gone = import_store.purge(session, now)
        jobs_gone = queue.purge_finished(
            session, done_before=now - KEEP_DONE_JOBS, failed_before=now - KEEP_FAILED_JOBS
        )
    log.info("Purged %s abandoned or old imports and %s old jobs", imports_gone, jobs_gone)


HANDLERS: dict[str, Handler] = {
    JobKind.IMPORT_CHECK: Handler(imports.validate_import, give_up=imports.give_up_import),
    JobKind.IMPORT_WRITE: Handler(imports.write_import, give_up=imports.give_up_import),
    JobKind.KPI_REFRESH: Handler(_refresh),
    # Nightly, so that the candidates pages read suggestions instead of computing them.
    JobKind.SUGGESTIONS: Handler(
        _suggestions, every=timedelta(days=1), first_after=timedelta(days=1)
    ),
    # First a few minutes after a start, so that a starting server is left alone.
    JobKind.PURGE: Handler(_purge, every=timedelta(hours=1), first_after=timedelta(minutes=5)),
}


def make_worker(engine: Engine, **options: Any) -> Worker:
    return Worker(engine, HANDLERS, **options)


def run_now(engine: Engine, job_id: int) -> bool:
    """Run a job in this thread (a request running its own small job), if no worker has
    taken it meanwhile; whether it ran."""
    worker = make_worker(engine)
    job = queue.claim(engine, job_id, worker.name, worker.lease)
    if job is None:
        return False
    worker.run_job(job)
    return True


@dataclass(frozen=True)
class JobRow:
    """One line of the jobs page: no payload beyond the ids it names."""

    id: int
    kind: str
    status: str
    subject: str  # "year 2026", "import 12"
    attempts: int
    max_attempts: int
    done: int
    total: int
    error: str
    created_at: Any
    finished_at: Any


def job_rows(session: Session, *, status: str | None = None, limit: int = 100) -> list[JobRow]:
    """The newest jobs (of one status when ``status`` is one), for administrators."""
    chosen = status if status in STATUSES else None
    return [_row(job) for job in queue.recent(session, status=chosen, limit=limit)]


def _row(job: Job) -> JobRow:
    payload = job.payload or {}
    subject = ", ".join(f"{name} {value}" for name, value in payload.items() if value is not None)
    return JobRow(
        job.id or 0,
        job.kind,
        job.status,
        subject[:80],
        job.attempts,
        job.max_attempts,
        job.done,
        job.total,
        job.error or "",
        job.created_at,
        job.finished_at,
    )
