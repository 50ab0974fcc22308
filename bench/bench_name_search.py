"""How fast a search of the trainee list by name answers (its capped count, the first page
and the rows shown), for common and rare syllables, as the official (everyone) and as the
demo college (its own trainees); and the search of people by name (`search_people`).

    .venv/bin/python bench/bench_name_search.py --url sqlite:////tmp/copy.sqlite3
    # the code before a change, on the same database in the same session:
    .venv/bin/python bench/bench_name_search.py --url ... --repo /path/to/other/checkout

The database must hold demo data (`dbjobs generate-demo --scale 10`) at the schema the
measured code expects (`dbjobs upgrade` on a copy). Reads only. Prints the median and the
95th percentile per search, in ms, after one warm-up run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from harness import REPO_ROOT  # puts the repository on sys.path

SEARCHES = ("lo van", "lo", "thi", "van thi", "tan", "tan lo", "xe ly", "giang a pao")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    result = run()  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="database URL holding the demo data")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--repo", default="", help="measure the code of this checkout instead")
    args = parser.parse_args()
    if args.repo:
        sys.path.insert(0, args.repo)
        for name in [n for n in sys.modules if n.split(".")[0] in ("models", "matching")]:
            del sys.modules[name]

    from sqlmodel import Session, col, select

    from models.db import make_engine
    from models.encryption import use_keys
    from models.queries.people import list_trainees, search_people
    from models.settings import Settings
    from models.tables import Institution

    use_keys(replace(Settings.from_env(), database_url=args.url))
    engine = make_engine(args.url)
    print(f"database: {engine.dialect.name}; code: {args.repo or REPO_ROOT}")
    print(f"{'search':<28}{'median ms':>10}{'p95 ms':>10}{'count':>8}")
    with Session(engine) as session:
        college = session.exec(select(Institution.id).where(col(Institution.code) == "CD-DB")).one()
        for who, institution_id in (("official", None), ("college", college)):
            for typed in SEARCHES:
                median, p95, page = timed(
                    lambda t=typed, i=institution_id: list_trainees(
                        session, text=t, institution_id=i
                    ),
                    args.repeat,
                )
                print(f"{who + ': ' + typed:<28}{median:>10.1f}{p95:>10.1f}{page.total:>8}")
        for typed in SEARCHES:
            median, p95, found = timed(lambda t=typed: search_people(session, t), args.repeat)
            label = f"search_people: {typed}"
            print(f"{label:<28}{median:>10.1f}{p95:>10.1f}{len(found):>8}")


if __name__ == "__main__":
    main()
