"""Running the queued background jobs from a test, so it knows when the work is done (the web
fixtures start no worker thread)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.clock import utcnow
from models.tables import Job
from web.services.jobs import make_worker


def run_jobs(
    engine: Engine, *, kinds: tuple[str, ...] | None = None, within: timedelta | None = None
) -> int:
    """Run every due job (of ``kinds`` when given, leaving the others queued) until none is
    left, with the clock moved on by ``within`` when given (jobs queued for a little later);
    how many ran. Retries are due at once."""
    worker = make_worker(engine, backoff=timedelta(0))
    if kinds is not None:
        worker.handlers = {kind: worker.handlers[kind] for kind in kinds}
    if within is None:
        return worker.run_until_idle()
    with time_machine.travel(utcnow() + within):
        return worker.run_until_idle()


def jobs(engine: Engine) -> list[Job]:
    """Every job, oldest first."""
    with Session(engine, expire_on_commit=False) as session:
        return list(session.execute(select(Job).order_by(col(Job.id))).scalars())
