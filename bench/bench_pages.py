"""Every GET route of the site, as each role, one request at a time, on a server on loopback.

    PERSONAL_DATA_KEY_FILE=/path/keys.json .venv/bin/python bench/bench_pages.py \\
        --url sqlite:////work/data/scale10.sqlite3 [--rounds 5] [--role official] [--route trainees]
        [--skip export,csv,zip]
    .venv/bin/python bench/bench_pages.py --url postgresql://postgres@127.0.0.1:5432/scale10

The database (`--url`) must hold the demo: `dbjobs generate-demo --years 2024-2026 --scale 10`
then `dbjobs refresh-kpi` (docs/performance.md). It is copied first (signing in writes sessions,
and the walk adds a job fair, a guidance session and API tokens: tests/web/page_walk.py
`stage`), unless `--in-place`. `dbjobs serve` of this checkout then answers on 127.0.0.1.

The routes come from the app's route table; each signed-in role (the demo accounts) requests
every GET route its role may use, a visitor the public ones, and a visitor and an API token of
each kind of organisation the `/api/v1` GET routes (those that answer them 200). Ids are the
caller's own busiest records; list pages are also requested with their filters and a deep
page. A route whose path parameters no provider fills stops the walk with the list of them.

Each URL is requested once to warm up, then `--rounds` times (fewer when a URL takes more than
`--budget` seconds in all, at least 3). Printed per URL: status, median and p95 of the whole
answer and of its first byte, size. Goals (issue 16): pages and API p95 < 200 ms; CSV and zip
first byte < 500 ms; workbooks (xlsx, docx): total time reported. A download's kind is its
answer's content type; a CSV or zip sent whole (a Content-Length) is marked "not streamed".
Exit status 1 when a URL answers other than 200.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from bench_load import (
    cli_env,
    copy_for_run,
    machine_load,
    percentile,
    run_cli,
    server,
)
from harness import REPO_ROOT

PAGE_GOAL_MS = 200
FIRST_BYTE_GOAL_MS = 500
RUN_COPY = REPO_ROOT / "var" / "bench" / "pages-run.sqlite3"


@dataclass
class Timing:
    key: str
    kind: str  # page, api, download, workbook
    status: int
    totals: list[float]  # ms
    first_bytes: list[float]  # ms
    size: int
    expected: int = 200
    streamed: bool = False  # sent in pieces (no Content-Length)

    def goal_missed(self) -> bool:
        if self.kind == "workbook":
            return False  # total time reported, no goal
        if self.kind == "download":
            return percentile(self.first_bytes, 0.95) >= FIRST_BYTE_GOAL_MS
        return percentile(self.totals, 0.95) >= PAGE_GOAL_MS


# ---- the database ------------------------------------------------------------------------


def copy_database(url: str) -> str:
    """A copy of the demo database for this run (the shared one is never written)."""
    return copy_for_run(url, target=RUN_COPY, suffix="_pages_run")


def prepare(url: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Stage the walk's records, list the callers and plan the visits."""
    from dataclasses import replace

    from sqlmodel import Session

    from models.clock import today
    from models.db import make_engine
    from models.encryption import use_keys
    from models.settings import Settings
    from tests.web.page_walk import callers, plan_walk, stage
    from web.app import create_app

    for key, value in cli_env(REPO_ROOT, url).items():
        if key.startswith("PERSONAL_DATA_KEY"):
            os.environ[key] = value
    settings = replace(Settings.from_env(), database_url=url, embedded_worker=False)
    use_keys(settings)
    engine = make_engine(url)
    app = create_app(settings, engine=engine)
    on = date.fromisoformat(args.today) if args.today else today()
    with Session(engine, expire_on_commit=False) as session:
        tokens = stage(session, on)
        everyone = callers(session, tokens)
        plan = plan_walk(session, app, everyone, on, roles=args.role, only=args.route)
    engine.dispose()
    skipped = [word for word in args.skip.split(",") if word]
    plan.visits = [
        visit
        for visit in plan.visits
        if not any(word in visit.route.name or word in visit.route.path for word in skipped)
    ]
    return plan


# ---- the requests ------------------------------------------------------------------------


WORKBOOK_TYPES = ("spreadsheetml", "wordprocessingml")  # xlsx, docx: written whole, then sent
STREAMED_TYPES = ("text/csv", "application/zip")  # goal: the first byte


def kind_of(visit, media_type: str = "") -> str:  # type: ignore[no-untyped-def]
    """What the answer is, by its content type (an export's path need not say it is a
    workbook), else by its route."""
    if any(each in media_type for each in WORKBOOK_TYPES):
        return "workbook"
    if media_type.startswith(STREAMED_TYPES):
        return "download"
    if visit.route.path.endswith((".xlsx", ".docx")) or "template" in visit.route.name:
        return "workbook"
    if visit.download:
        return "download"
    return "api" if visit.route.api else "page"


@dataclass(frozen=True)
class Fetched:
    status: int
    first_ms: float  # to the first byte of the body
    total_ms: float  # to the last
    size: int
    media_type: str
    streamed: bool  # sent without a Content-Length (in pieces)


def fetch(client: httpx.Client, url: str, headers: dict[str, str]) -> Fetched:
    """One GET, timed to the first byte of its body and to the last."""
    started = time.perf_counter()
    first = None
    size = 0
    with client.stream("GET", url, headers=headers) as response:
        for chunk in response.iter_raw():
            if first is None:
                first = time.perf_counter()
            size += len(chunk)
    ended = time.perf_counter()
    first = first or ended
    return Fetched(
        response.status_code,
        (first - started) * 1000,
        (ended - started) * 1000,
        size,
        response.headers.get("content-type", ""),
        "content-length" not in response.headers,
    )


def walk(base: str, plan, rounds: int, budget: float) -> list[Timing]:  # type: ignore[no-untyped-def]
    from tests.web.page_walk import EXPECTED_STATUS, sign_in

    timings: list[Timing] = []
    clients: dict[str, httpx.Client] = {}
    answered: set[str] = set()  # API routes some caller got 200 from
    try:
        for visit in plan.visits:
            client = clients.get(visit.caller.label)
            if client is None:
                client = httpx.Client(base_url=base, timeout=120)
                sign_in(client, visit.caller)
                clients[visit.caller.label] = client
            answer = fetch(client, visit.url, visit.caller.headers)
            if visit.route.api and answer.status in (401, 403, 404):
                continue  # not this caller's: the walk keeps those that answer 200
            answered.add(visit.route.name)
            totals, firsts = [], []
            spent = answer.total_ms / 1000
            for done in range(rounds):
                if done >= 3 and spent > budget:
                    break
                answer = fetch(client, visit.url, visit.caller.headers)
                totals.append(answer.total_ms)
                firsts.append(answer.first_ms)
                spent += answer.total_ms / 1000
            expected = EXPECTED_STATUS.get(visit.route.name, 200)
            kind = kind_of(visit, answer.media_type)
            timing = Timing(
                visit.key, kind, answer.status, totals, firsts, answer.size, expected,
                streamed=answer.streamed,
            )  # fmt: skip
            timings.append(timing)
            print(row(timing), flush=True)
    finally:
        for client in clients.values():
            client.close()
    api = {visit.route.name for visit in plan.visits if visit.route.api}
    for name in sorted(api - answered):
        timings.append(Timing(f"(no API caller got 200): {name}", "api", 0, [0.0], [0.0], 0))
    return timings


# ---- the table ---------------------------------------------------------------------------

HEADER = (
    f"{'caller: route [filters]':62}{'status':>7}{'n':>4}{'median':>9}{'p95':>9}"
    f"{'1st p95':>9}{'KB':>9}  goal"
)


def row(t: Timing) -> str:
    median, p95 = percentile(t.totals, 0.5), percentile(t.totals, 0.95)
    first = percentile(t.first_bytes, 0.95)
    return (
        f"{t.key[:61]:62}{t.status:>7}{len(t.totals):>4}{median:>9.0f}{p95:>9.0f}{first:>9.0f}"
        f"{t.size / 1024:>9.1f}  {verdict(t)}"
    )


def verdict(t: Timing) -> str:
    if t.status != t.expected:
        return "NOT 200"
    if t.kind == "workbook":
        return "total"
    if t.goal_missed():
        return "MISSED"
    if t.kind == "download" and not t.streamed:
        return "ok (not streamed)"
    return "ok"


def markdown(timings: list[Timing]) -> str:
    lines = [
        "| caller: route [filters] | status | median ms | p95 ms | first byte p95 ms | KB | goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in timings:
        lines.append(
            f"| {t.key} | {t.status} | {percentile(t.totals, 0.5):.0f} | "
            f"{percentile(t.totals, 0.95):.0f} | {percentile(t.first_bytes, 0.95):.0f} | "
            f"{t.size / 1024:.1f} | {verdict(t)} |"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the demo database (copied first)")
    parser.add_argument("--rounds", type=int, default=5, help="timed requests per URL")
    parser.add_argument("--role", default="", help="only these callers (comma-separated)")
    parser.add_argument("--route", default="", help="only routes whose name or path holds this")
    parser.add_argument(
        "--skip", default="", help="leave out routes whose name or path holds one of these (a,b)"
    )
    parser.add_argument("--budget", type=float, default=15, help="seconds per URL at most")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--today", default="", help="the day the ids are chosen for")
    parser.add_argument("--in-place", action="store_true", help="do not copy the database")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 100:
        parser.error("--rounds: 1 to 100")
    return args


def main() -> int:
    args = parse_args()
    # The walk's requests come faster than a machine's API quota allows.
    os.environ.setdefault("API_REQUESTS_PER_MINUTE", "1000000")
    started = time.perf_counter()
    url = args.url if args.in_place else copy_database(args.url)
    run_cli(REPO_ROOT, url, "upgrade")
    print(f"database {url} (copied in {time.perf_counter() - started:.0f} s); {machine_load()}")
    plan = prepare(url, args)
    for each in plan.missing:
        print(f"no record: {each}")
    print(f"{len(plan.visits)} URLs, {args.rounds} rounds each after one to warm up\n{HEADER}")
    kind = "sqlite" if url.startswith("sqlite") else "postgres"
    log = REPO_ROOT / "var" / "bench" / f"pages-server-{kind}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with server(REPO_ROOT, url, args.port, 1, log) as base:
        timings = walk(base, plan, args.rounds, args.budget)
    print(machine_load())
    if args.markdown:
        args.markdown.write_text(markdown(timings) + "\n")
    missed = [t for t in timings if t.goal_missed() and t.status == t.expected]
    wrong = [t for t in timings if t.status != t.expected]
    print(f"\n{len(timings)} URLs; goal missed by {len(missed)}; not 200: {len(wrong)}")
    for t in missed:
        print(f"  MISSED {row(t)}")
    for t in wrong:
        print(f"  NOT 200 {row(t)}")
    logged = log.read_text(errors="replace").count("Traceback")
    print(f"tracebacks in the server log ({log}): {logged}")
    return 1 if wrong or logged else 0


if __name__ == "__main__":
    raise SystemExit(main())
