"""How long the demo generator takes, and how much memory it uses, on a fresh database.

    .venv/bin/python bench/bench_seed.py                      # SQLite, 1 year and 4 years
    .venv/bin/python bench/bench_seed.py --scale 10
    .venv/bin/python bench/bench_seed.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Each scenario runs in its own process on a new database (a temporary SQLite file, or a new
PostgreSQL database created beside the one in the URL and dropped afterwards), so peak RSS
(`resource.getrusage().ru_maxrss`) belongs to that scenario alone. The reference data is
loaded first and timed apart; "plan" is building every row in memory, "write" is the bulk
insert and commit. Python-level allocation peaks come from a second run under tracemalloc,
which is slower, so its time is not the one to quote.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIOS = {"1 year": (2025,), "4 years": (2023, 2024, 2025, 2026)}


def child(url: str, years: tuple[int, ...], scale: float, seed: int, trace: bool) -> dict:
    """Run one generation in this process and measure it."""
    from sqlmodel import Session, SQLModel

    import models.tables  # noqa: F401
    from models.db import make_engine
    from models.encryption import Keyring, install_keys
    from seed.demo import generate_demo
    from seed.reference import load_reference_data

    install_keys(Keyring.generate())  # a throwaway database: throwaway personal data keys
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        load_reference_data(session)
    reference_s = time.perf_counter() - started
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "plan" and done == total:
            marks["planned"] = time.perf_counter()

    if trace:
        tracemalloc.start()
    begun = time.perf_counter()
    summary = generate_demo(engine, seed=seed, years=years, scale=scale, progress=progress)
    ended = time.perf_counter()
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    engine.dispose()
    return {
        "rows": sum(summary.tables.values()),
        "reference_s": reference_s,
        "plan_s": marks.get("planned", ended) - begun,
        "write_s": ended - marks.get("planned", ended),
        "total_s": ended - begun,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tracemalloc_peak_mb": traced / 2**20 if traced is not None else None,
    }


def run_child(url: str, years: tuple[int, ...], args: argparse.Namespace, trace: bool) -> dict:
    command = [sys.executable, __file__, "--child", "--url", url, "--seed", str(args.seed),
               "--scale", str(args.scale), "--years", ",".join(map(str, years))]  # fmt: skip
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"benchmark run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_sqlite(workdir: Path) -> str:
    return f"sqlite:///{workdir / f'demo-{uuid.uuid4().hex[:8]}.sqlite3'}"


class FreshPostgres:
    """A new database next to the one named in the URL, dropped on exit."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        from models.db import normalise_url

        base = make_url(normalise_url(url))
        self.name = f"bench_seed_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        self.url = base.set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def measure(backend: str, years: tuple[int, ...], args: argparse.Namespace, workdir: Path) -> dict:
    results = {}
    for trace in (False, True) if args.tracemalloc else (False,):
        if backend == "sqlite":
            results[trace] = run_child(fresh_sqlite(workdir), years, args, trace)
        else:
            with FreshPostgres(args.postgres) as url:
                results[trace] = run_child(url, years, args, trace)
    figures = results[False]
    figures["tracemalloc_peak_mb"] = results.get(True, {}).get("tracemalloc_peak_mb")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", help="also run on PostgreSQL (a server URL)")
    parser.add_argument("--no-tracemalloc", dest="tracemalloc", action="store_false",
                        help="skip the (slower) tracemalloc runs")  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--years", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        years = tuple(int(y) for y in args.years.split(","))
        print(json.dumps(child(args.url, years, args.scale, args.seed, args.trace)))
        return
    backends = ["sqlite", *(["postgresql"] if args.postgres else [])]
    print(f"demo generator, scale {args.scale}, seed {args.seed}, {os.cpu_count()} CPUs")
    header = ("backend", "years", "rows", "reference s", "plan s", "write s", "total s",
              "peak RSS MB", "tracemalloc MB")  # fmt: skip
    print(" | ".join(header))
    with tempfile.TemporaryDirectory(prefix="bench-seed-") as workdir:
        for backend in backends:
            for label, years in SCENARIOS.items():
                f = measure(backend, years, args, Path(workdir))
                traced = f"{f['tracemalloc_peak_mb']:.0f}" if f["tracemalloc_peak_mb"] else "-"
                print(f"{backend} | {label} | {f['rows']:,} | {f['reference_s']:.1f} | "
                      f"{f['plan_s']:.1f} | {f['write_s']:.1f} | {f['total_s']:.1f} | "
                      f"{f['maxrss_mb']:.0f} | {traced}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
