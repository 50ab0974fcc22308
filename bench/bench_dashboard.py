"""How fast the officials' dashboard and its drill-downs answer on a large database.

    .venv/bin/python bench/bench_dashboard.py --url sqlite:////path/b10.sqlite3
    .venv/bin/python bench/bench_dashboard.py --url postgresql://postgres@127.0.0.1:5432/bench10

The database must hold demo data with its KPI figures stored (`dbjobs generate-demo --years
2017-2026 --scale 10`, then `dbjobs refresh-kpi`; see docs/kpi.md). The script signs in as the
demo official and requests each page REPEAT times through the app in this process (FastAPI's
TestClient: routing, queries and rendering, no network), and prints the median and the 95th
percentile per page.

The baseline, measured in the same run on the same database: what one of those numbers costs
without the stored figures, i.e. reading the year's rows and running the KPI functions
(`refresh_year` without the write), which is what a dashboard computing from the rows on each
request would pay.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)

DEMO_OFFICIAL = ("demo.official", "DienBien-2026")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(get: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    get()  # warm the caches once, as a page viewed before
    samples, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status = get()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), status


def sign_in(client, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    import re

    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no sign-in form"
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, f"sign-in failed: {response.status_code}"


def drill_targets(engine, year: int) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """A few figures of the year to open: large totals and single groups."""
    from sqlmodel import Session

    from models.monitoring.read import figure_table

    wanted = [
        ("trained total", ("trained", "trained", "", "")),
        ("trained in one commune", ("trained", "trained", "commune", None)),
        ("new jobs, one channel", ("new_jobs", "people", "channel", "dn_trong_tinh")),
        ("employed 6 months after, its base", ("after_training_6", "employed", "", "")),
        ("vacancies posted", ("vacancies", "posted", "", "")),
    ]
    found = []
    with Session(engine) as session:
        table = figure_table(session, year)
        for label, (kpi_id, measure_name, dimension, key) in wanted:
            if key is None:
                groups = table.groups(kpi_id, measure_name, dimension)
                figure = max(groups, key=lambda f: f.value or 0) if groups else None
            else:
                figure = table.get(kpi_id, measure_name, dimension, key)
            if figure is not None:
                found.append((label, figure.id))
    return found


def baseline(engine, year: int) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds to read the year's rows and compute its figures (no storing)."""
    from sqlmodel import Session

    from models.monitoring.figures import year_figures
    from models.monitoring.store import read_year, reading_engine

    started = time.perf_counter()
    with Session(reading_engine(engine)) as session:
        data = read_year(session, year, date.today())
    list(year_figures(data))
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="database URL holding the demo data")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select
    from sqlmodel import Session

    from models.db import make_engine
    from models.encryption import use_keys
    from models.settings import Settings
    from models.tables import Enrolment, KpiFigure
    from web.app import create_app

    use_keys(replace(Settings.from_env(), database_url=args.url))  # the database's own keys
    engine = make_engine(args.url)
    with Session(engine) as session:
        enrolments = session.execute(select(func.count()).select_from(Enrolment)).scalar_one()
        figures = session.execute(select(func.count()).select_from(KpiFigure)).scalar_one()
    print(f"database: {engine.dialect.name}, {enrolments:,} enrolments, {figures:,} stored figures")
    app = create_app(Settings(database_url=args.url), engine=engine)
    rows: list[tuple[str, float, float, int]] = []
    with TestClient(app) as client:
        sign_in(client, *DEMO_OFFICIAL)
        pages = [
            (f"dashboard {args.year}", f"/dashboard?year={args.year}"),
            (f"dashboard {args.year}, 12-month window", f"/dashboard?year={args.year}&window=12"),
            (f"dashboard {args.year - 5}", f"/dashboard?year={args.year - 5}"),
        ]
        for label, figure_id in drill_targets(engine, args.year):
            path = f"/dashboard/figures/{figure_id}"
            if "base" in label:  # the denominator's list, far into it
                path += "?base=1&page=40"
            pages.append((f"drill-down: {label}", path))
        for label, path in pages:
            median, p95, status = measure(lambda p=path: client.get(p).status_code, args.repeat)
            rows.append((label, median, p95, status))
    computed = [baseline(engine, args.year) for _ in range(3)]
    print(f"\n{'page':<48} {'median ms':>10} {'p95 ms':>10} {'status':>7}")
    for label, median, p95, status in rows:
        print(f"{label:<48} {median:>10.1f} {p95:>10.1f} {status:>7}")
    print(
        f"\nbaseline: computing {args.year}'s figures from the rows: "
        f"median {statistics.median(computed):.0f} ms over 3 runs"
    )
    worst = max(p95 for _, _, p95, _ in rows)
    print(f"slowest page p95: {worst:.1f} ms; target 200 ms: {'met' if worst < 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
