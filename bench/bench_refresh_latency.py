"""How long a saved record takes to reach the dashboard's stored figures through the job queue,
with nobody opening a page.

    .venv/bin/python bench/bench_refresh_latency.py --url sqlite:////path/demo.sqlite3
    .venv/bin/python bench/bench_refresh_latency.py --url postgresql://postgres@127.0.0.1:5432/demo

The database must hold demo data (`dbjobs generate-demo`, which stores every year's figures
as `dbjobs demo` does when run with `refresh-kpi`). The script starts one worker thread (the
embedded default), then REPEAT times records a new job (an employment spell starting today)
the way a hire does, and measures the seconds until this year's "new jobs" figure counts it:
the write queues a refresh of each stored year (this year first), the worker runs it. The
spells it added are deleted at the end, and the figures refreshed again.
"""

from __future__ import annotations

import argparse
import statistics
import time

from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)


def main() -> None:
    from sqlalchemy import delete, select
    from sqlmodel import Session, col

    from models.clock import today
    from models.db import make_engine, unit_of_work
    from models.jobs.worker import WorkerThread
    from models.monitoring.store import refresh_year
    from models.tables import EmploymentSpell, KpiFigure, KpiSnapshot, Person
    from web.services.jobs import make_worker

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = make_engine(args.url)
    year = today().year

    def new_jobs() -> float | None:
        with Session(engine) as session:
            query = (
                select(col(KpiFigure.value))
                .join(KpiSnapshot, col(KpiSnapshot.id) == col(KpiFigure.snapshot_id))
                .where(
                    col(KpiSnapshot.year) == year,
                    col(KpiFigure.kpi) == "new_jobs",
                    col(KpiFigure.dimension) == "",
                )
            )
            return session.execute(query).scalar()

    report = refresh_year(engine, year)
    print(f"refresh of {year} alone: {report.seconds:.1f} s over {report.records:,} records")
    with Session(engine) as session:
        people = list(session.execute(select(col(Person.id)).limit(args.repeat)).scalars())
    worker = WorkerThread(make_worker(engine)).start()
    added: list[int] = []
    samples = []
    try:
        for person_id in people:
            before = new_jobs()
            started = time.perf_counter()
            with Session(engine) as session, unit_of_work(session):
                spell = EmploymentSpell(
                    person_id=person_id, start_date=today(), kind="wage", channel="dn_trong_tinh"
                )
                session.add(spell)
                session.flush()
                added.append(spell.id or 0)
            while new_jobs() == before and time.perf_counter() - started < 120:
                time.sleep(0.05)
            samples.append(time.perf_counter() - started)
            print(f"  saved -> in the figures: {samples[-1]:.1f} s")
            time.sleep(1)  # let the other years' refreshes run, as between two real saves
    finally:
        with Session(engine) as session, unit_of_work(session):
            session.execute(delete(EmploymentSpell).where(col(EmploymentSpell.id).in_(added)))
        make_worker(engine).run_until_idle()
        worker.stop(timeout=120)
        engine.dispose()
    print(f"median {statistics.median(samples):.1f} s, max {max(samples):.1f} s")


if __name__ == "__main__":
    main()
