"""How fast the public "which training leads to a job" page answers on a generated world.

    export DATABASE_URL=sqlite:////tmp/o10.sqlite3
    .venv/bin/dbjobs generate-demo --years 2024-2026 --scale 10
    .venv/bin/dbjobs refresh-kpi
    .venv/bin/python bench/bench_outcomes.py --url sqlite:////tmp/o10.sqlite3

The page reads the outcomes stored in the current year's KPI snapshot (the refresh computes
them when it refreshes the year of its own day), so the refresh must run in the current year.
The script requests the page as a visitor (no sign-in), without and with a commune chosen,
REPEAT times each through the app in this process (FastAPI's TestClient: routing, queries and
rendering, no network), and prints the median and the 95th percentile.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(get: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    get()  # warm the caches once
    samples, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status = get()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="database URL holding the demo data")
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select
    from sqlmodel import Session, col

    from matching.kpi import KpiId
    from models.db import make_engine
    from models.encryption import use_keys
    from models.settings import Settings
    from models.tables import Enrolment, KpiFigure
    from web.app import create_app

    use_keys(replace(Settings.from_env(), database_url=args.url))
    engine = make_engine(args.url)
    with Session(engine) as session:
        enrolments = session.execute(select(func.count()).select_from(Enrolment)).scalar_one()
        stored = session.execute(
            select(func.count()).select_from(KpiFigure).where(col(KpiFigure.kpi) == KpiId.OUTCOMES)
        ).scalar_one()
    print(f"database: {engine.dialect.name}, {enrolments:,} enrolments, {stored:,} outcome figures")
    if not stored:
        raise SystemExit("no outcome figures stored: run `dbjobs refresh-kpi` first")
    app = create_app(Settings(database_url=args.url), engine=engine)
    rows = []
    with TestClient(app) as client:
        for label, path in (
            ("outcomes page", "/outcomes"),
            ("outcomes page, a commune chosen", "/outcomes?commune=03253"),
        ):
            median, p95, status = measure(lambda p=path: client.get(p).status_code, args.repeat)
            rows.append((label, median, p95, status))
    print(f"\n{'page':<40} {'median ms':>10} {'p95 ms':>10} {'status':>7}")
    for label, median, p95, status in rows:
        print(f"{label:<40} {median:>10.1f} {p95:>10.1f} {status:>7}")
    worst = max(p95 for _, _, p95, _ in rows)
    print(f"slowest p95: {worst:.1f} ms; target 200 ms: {'met' if worst < 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
