"""How long a KPI refresh takes, and how long it makes others wait (docs/kpi.md, "Refreshing
without freezing the pages").

Refreshes one year of an existing database (build one with `dbjobs generate-demo`) while
another process (so that it waits for locks, not for this one's interpreter) takes the write
lock every 0.2 s (a unit of work that marks the snapshots stale, as a saved follow-up does) and
reads the year's figures every 0.2 s. Prints the
time of each step of the refresh, the longest write transaction the refresh held, and the
longest wait of the writer and of the reader.

    .venv/bin/python bench/bench_refresh.py --url sqlite:////tmp/b10.sqlite3 --year 2025
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

BASELINE = 6.0  # seconds the probe runs before the refresh starts (the first ~1 s: imports)


def _timed(name: str, steps: dict[str, list[float]], function: Callable[..., Any]) -> Any:
    """``function``, adding its wall and CPU seconds to ``steps[name]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            step = steps.setdefault(name, [0.0, 0.0])
            step[0] += time.perf_counter() - started
            step[1] += time.thread_time() - cpu

    return wrapper


def _write_spans(engine: Engine) -> list[float]:
    """Durations of the transactions that wrote, filled in as they commit."""
    spans: list[float] = []
    opened: dict[int, list[Any]] = {}

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        opened[id(conn)] = [time.perf_counter(), False]

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"} and id(conn) in opened:
            opened[id(conn)][1] = True

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        started, wrote = opened.pop(id(conn), (None, False))
        if started is not None and wrote:
            spans.append(time.perf_counter() - started)

    return spans


def _probe(url: str, year: int, stop: Any, results: Any) -> None:
    from models.db import make_engine, unit_of_work
    from models.monitoring.read import figure_table
    from models.monitoring.watch import mark_stale

    engine = make_engine(url)
    waits: dict[str, list[tuple[float, float]]] = {"writer": [], "reader": []}

    while not stop.is_set():
        with Session(engine) as session:
            started = time.perf_counter()
            with unit_of_work(session):
                mark_stale(session)
            waits["writer"].append((time.time(), time.perf_counter() - started))
            started = time.perf_counter()
            figure_table(session, year)
            waits["reader"].append((time.time(), time.perf_counter() - started))
            session.rollback()
        time.sleep(0.2)
    results.put(waits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--as-of", default="2026-12-06")
    args = parser.parse_args()

    from models.db import make_engine
    from models.monitoring import generations, store

    engine = make_engine(args.url)
    steps: dict[str, list[float]] = {}
    store.read_year = _timed("read rows", steps, store.read_year)  # type: ignore[assignment]
    compute = store.year_figures
    store.year_figures = _timed("compute", steps, lambda data: list(compute(data)))  # type: ignore[assignment]
    for name in ("write_generation", "switch_generation", "drop_old_generations"):
        setattr(store, name, _timed(name, steps, getattr(generations, name)))
    spans = _write_spans(engine)
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    probe = multiprocessing.Process(target=_probe, args=(args.url, args.year, stop, results))
    probe.start()
    time.sleep(BASELINE)  # the probe's imports, then its waits without a refresh
    began, cpu = time.time(), time.thread_time()
    try:
        report = store.refresh_year(engine, args.year, as_of=date.fromisoformat(args.as_of))
    finally:
        stop.set()
        waits = results.get()
        probe.join()
    cpu, ended = time.thread_time() - cpu, time.time()
    print(f"refresh {args.year}: {report.figures} figures from {report.records} records")
    print(
        f"  total {report.seconds:.1f} s ({cpu:.1f} s CPU); "
        + "; ".join(f"{k} {wall:.1f} s ({used:.1f} s CPU)" for k, (wall, used) in steps.items())
    )
    print(f"  write transactions: {len(spans)}, longest {max(spans, default=0) * 1000:.0f} ms")
    for who, times in waits.items():
        during = [wait for at, wait in times if began <= at <= ended]
        before = [wait for at, wait in times if at < began]
        print(
            f"  {who}: {len(during)} probes during the refresh, longest {max(during) * 1000:.0f} ms"
            f" (before it: {len(before)} probes, longest {max(before, default=0) * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
