"""The fuzzer of tests/web/test_fuzz.py at a larger count: the same generator over several
seeds, each on a fresh world (the demo data at a small scale, a client per role), on SQLite
or on PostgreSQL. Prints the requests sent and their count by status, and every request that
got a server error; exits 1 if any did.

    .venv/bin/python bench/bench_fuzz.py                       # 10,000 requests on SQLite
    .venv/bin/python bench/bench_fuzz.py --database postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_fuzz.py --requests 20000 --seeds 1 2 3 4

On PostgreSQL a scratch database is created next to the one named and dropped afterwards."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from datetime import time as day_time
from pathlib import Path

from harness import REPO_ROOT  # noqa: F401  (puts the repository on sys.path)


@contextmanager
def scratch_engine(database: str | None, folder: Path) -> Iterator[object]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlmodel import SQLModel

    import models.tables  # noqa: F401  (registers every table)
    from models.db import make_engine, normalise_url

    if not database:
        engine = make_engine(f"sqlite:///{folder / 'fuzz.sqlite3'}")
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    base = make_url(normalise_url(database))
    name = f"{base.database}_fuzz_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
    SQLModel.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="in all, over the seeds")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--database", default="", help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()

    import time_machine

    from models.clock import VIETNAM
    from tests.web import fuzzing

    # The world is built around the demo's day, as the test marks it.
    morning = datetime.combine(fuzzing.DEMO_DAY, day_time(9), tzinfo=VIETNAM)
    time_machine.travel(morning, tick=True).start()
    per_seed = -(-args.requests // len(args.seeds))
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    started = time.perf_counter()
    for seed in args.seeds:
        with (
            tempfile.TemporaryDirectory() as folder,
            scratch_engine(args.database, Path(folder)) as engine,
        ):
            built = time.perf_counter()
            world = fuzzing.build_world(engine, Path(folder) / "imports")  # type: ignore[arg-type]
            built = time.perf_counter() - built
            missing = fuzzing.unfillable(world)
            sent = time.perf_counter()
            outcome = fuzzing.run(world, fuzzing.Generator(world, seed).requests(per_seed))
            sent = time.perf_counter() - sent
            world.close()
        statuses += outcome.statuses
        failures += [f"seed {seed} {line}" for line in outcome.failures]
        failures += [f"seed {seed} can't fill {line}" for line in missing]
        print(
            f"seed {seed}: world {built:.1f} s, {outcome.sent} requests in {sent:.1f} s "
            f"({1000 * sent / max(outcome.sent, 1):.0f} ms each), "
            f"server errors {sum(n for s, n in outcome.statuses.items() if s >= 500)}",
            flush=True,
        )
    print(f"database: {'PostgreSQL' if args.database else 'SQLite'}")
    print(f"requests: {sum(statuses.values())} in {time.perf_counter() - started:.0f} s")
    print("by status: " + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
