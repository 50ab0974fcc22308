"""The follow-up list's statements on a demo database: their plans and their time.

    .venv/bin/python bench/explain_follow_ups.py --url sqlite:////work/data/scale10.sqlite3
    .venv/bin/python bench/explain_follow_ups.py --url postgresql://postgres@127.0.0.1:5432/scale10

For every graduate (as an official sees them) and for the demo college's, it prints the plan of
one window's page branch (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL), then
times, REPEAT times each, the counts of the page's header, the first page, and the eleventh
page reached by following the next-page cursor ten times (keyset) against the same page read
with OFFSET. Median and the 95th percentile in ms. Reads only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from bench_dashboard import percentile
from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)
from sqlalchemy import Integer, literal_column, text
from sqlmodel import Session, col, create_engine, select

from models.clock import today
from models.encryption import use_keys
from models.queries.due_dates import months_later
from models.queries.follow_ups import (
    DueAt,
    DueFilters,
    _pending,
    due_counts,
    due_follow_ups,
)
from models.settings import Settings
from models.tables import Enrolment, UserAccount

PER_PAGE = 25  # the page's (web.services.follow_ups.PER_PAGE)


def plan(session: Session, filters: DueFilters, on: date) -> str:
    """The plan of the 3-month branch of a first page (the other windows read alike)."""
    graduated_on = col(Enrolment.graduated_on)
    columns = [
        col(Enrolment.id),
        literal_column("3", Integer),
        months_later(graduated_on, 3),
        graduated_on,
    ]
    query = (
        _pending(3, filters, on, columns)
        .order_by(graduated_on.desc(), col(Enrolment.id).desc())
        .limit(PER_PAGE + 1)
    )
    bind = session.get_bind()
    sql = str(query.compile(bind, compile_kwargs={"literal_binds": True}))
    if bind.dialect.name == "sqlite":
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
        return "\n".join(f"  {row[-1]}" for row in rows)
    rows = session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).all()
    return "\n".join(f"  {row[0]}" for row in rows)


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    call()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def eleventh_cursor(session: Session, filters: DueFilters, on: date) -> DueAt:
    at = DueAt()
    for number in range(2, 12):
        page = due_follow_ups(session, filters, today=on, at=at, per_page=PER_PAGE)
        at = DueAt(number, after=page.next_after)
    return at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-plan", action="store_true")
    args = parser.parse_args()
    use_keys(replace(Settings.from_env(), database_url=args.url, embedded_worker=False))
    on = today()
    engine = create_engine(args.url)
    with Session(engine) as session:
        college = session.exec(
            select(UserAccount.institution_id).where(UserAccount.username == "demo.college")
        ).first()
        cases = [("every graduate", DueFilters()), ("demo college", DueFilters(college))]
        print(f"{engine.dialect.name}, today {on}, {PER_PAGE} rows a page")
        for label, filters in cases:
            if not args.no_plan:
                print(f"\n{label}: plan of the 3-month branch of the first page\n")
                print(plan(session, filters, on))
            at11 = eleventh_cursor(session, filters, on)
            steps: list[tuple[str, Callable[[], Any]]] = [
                ("header counts", lambda f=filters: due_counts(session, f, today=on)),
                (
                    "first page (counts included)",
                    lambda f=filters: due_follow_ups(session, f, today=on, per_page=PER_PAGE),
                ),
                (
                    "11th page by cursor",
                    lambda f=filters, a=at11: due_follow_ups(
                        session, f, today=on, at=a, per_page=PER_PAGE
                    ),
                ),
                (
                    "11th page by OFFSET",
                    lambda f=filters: due_follow_ups(
                        session, f, today=on, at=DueAt(11), per_page=PER_PAGE
                    ),
                ),
            ]
            print()
            for name, call in steps:
                median, p95 = timed(call, args.repeat)
                print(f"{label:15} {name:30} median {median:8.1f} ms   p95 {p95:8.1f} ms")
            session.rollback()


if __name__ == "__main__":
    main()
