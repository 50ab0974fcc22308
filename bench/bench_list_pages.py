"""How fast the pages that grow with the data answer: the trainee list (first page, a deep
page, a search), the follow-up list, supply and demand, and the trainee export.

    .venv/bin/python bench/bench_list_pages.py --url sqlite:////work/data/scale10.sqlite3
    .venv/bin/python bench/bench_list_pages.py --url postgresql://postgres@127.0.0.1:5432/scale10

The database must hold demo data with its KPI figures (`dbjobs generate-demo --years 2024-2026
--scale 10`, then `dbjobs refresh-kpi`; docs/performance.md). The script signs in as the demo
official (and the demo college's staff) and requests each page REPEAT times, one at a time,
through the app in this process (FastAPI's TestClient: routing, queries and rendering, no
network), and prints the median and the 95th percentile per page. Downloads also show the time
to their first byte. The baseline, in the same run: the first page of the trainee list, which
every other figure is compared with.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bench_dashboard import DEMO_OFFICIAL, percentile, sign_in
from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)

DEMO_COLLEGE = ("demo.college", DEMO_OFFICIAL[1])


def measure(
    get: Callable[[], tuple[int, float]], repeat: int, *, warm: bool = True
) -> tuple[float, float, float, int]:
    """(median ms, p95 ms, median ms to the first byte, status)."""
    if warm:
        get()  # warm the caches once, as a page viewed before
    samples, firsts, status = [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status, first = get()
        samples.append((time.perf_counter() - started) * 1000)
        firsts.append((first - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), statistics.median(firsts), status


def streamed(client: Any, path: str) -> tuple[int, float]:
    """Status and the moment the first chunk of the body arrived."""
    with client.stream("GET", path) as response:
        first = 0.0
        for _chunk in response.iter_bytes():
            if not first:
                first = time.perf_counter()
        return response.status_code, first or time.perf_counter()


def posted(client: Any, path: str, data: dict[str, str]) -> tuple[int, float]:
    page = client.get(path).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = client.post(path, data={**data, "csrf_token": token.group(1) if token else ""})
    return response.status_code, time.perf_counter()


def next_link(client: Any, path: str, hops: int) -> str:
    """The address reached by following the next-page link `hops` times (keyset paging)."""
    for _ in range(hops):
        found = re.search(r'rel="next" href="([^"]+)"', client.get(path).text)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
    return path


def pages_of(engine: Any, client: Any) -> list[tuple[str, Callable[[], tuple[int, float]]]]:
    from sqlmodel import Session, col, select

    from models.tables import Institution

    with Session(engine) as session:
        college = session.exec(
            select(Institution.id).where(col(Institution.code) == "CD-DB")
        ).first()
    deep = next_link(client, "/trainees", 20)
    deep_follow = next_link(client, "/follow-ups", 10)

    def get(path: str) -> Callable[[], tuple[int, float]]:
        return lambda: (client.get(path).status_code, time.perf_counter())

    return [
        ("/trainees", get("/trainees")),
        ("/trainees?q=lo (GET)", get("/trainees?q=lo")),
        ("/trainees, 21st page by links", get(deep)),
        ("/trainees?page=200", get("/trainees?page=200")),
        ("POST /trainees q=lo", lambda: posted(client, "/trainees", {"q": "lo"})),
        ("POST /trainees q=lo van", lambda: posted(client, "/trainees", {"q": "lo van"})),
        ("/follow-ups", get("/follow-ups")),
        ("/follow-ups, 11th page by links", get(deep_follow)),
        ("/follow-ups?state=overdue", get("/follow-ups?state=overdue")),
        ("/supply-demand", get("/supply-demand")),
        (
            f"/exports/trainees?institution_id={college}",
            lambda: streamed(client, f"/exports/trainees?institution_id={college}"),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="database URL holding the demo data")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="run only pages whose label holds this")
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select
    from sqlmodel import Session

    from models.db import make_engine
    from models.encryption import use_keys
    from models.settings import Settings
    from models.tables import Enrolment, Person
    from web.app import create_app

    use_keys(replace(Settings.from_env(), database_url=args.url))  # the database's own keys
    engine = make_engine(args.url)
    with Session(engine) as session:
        enrolments = session.execute(select(func.count()).select_from(Enrolment)).scalar_one()
        people = session.execute(select(func.count()).select_from(Person)).scalar_one()
    print(f"database: {engine.dialect.name}, {people:,} people, {enrolments:,} enrolments")
    app = create_app(Settings(database_url=args.url), engine=engine)
    rows: list[tuple[str, float, float, float, int]] = []
    for who in (DEMO_OFFICIAL, DEMO_COLLEGE):
        with TestClient(app) as client:
            sign_in(client, *who)
            for label, get in pages_of(engine, client):
                if args.only and args.only not in label:
                    continue
                download = "exports" in label  # seconds each: fewer runs, no warm-up
                times = max(1, args.repeat // 5) if download else args.repeat
                median, p95, first, status = measure(get, times, warm=not download)
                rows.append((f"{who[0]}: {label}", median, p95, first, status))
                print(f"  {rows[-1][0]:<62} {median:>8.1f} {p95:>8.1f} {first:>8.1f} {status}")
    print(f"\n{'page':<62} {'median':>8} {'p95 ms':>8} {'1st byte':>8} status")
    for label, median, p95, first, status in rows:
        print(f"{label:<62} {median:>8.1f} {p95:>8.1f} {first:>8.1f} {status:>6}")
    base = rows[0][1] if rows else 0.0
    print(f"\nbaseline (first row's median): {base:.1f} ms")
    worst = max((p95 for label, _, p95, _, _ in rows if "exports" not in label), default=0.0)
    print(f"slowest page p95: {worst:.1f} ms; target 200 ms: {'met' if worst < 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
