"""Speed and memory at national scale: 200,000 graduates × 20,000 vacancies, top-10 per vacancy.

python bench/bench_national.py            # goal: under 60 s and under 4 GB
python bench/bench_national.py --quick    # 2,000 × 200, a smoke run
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from harness import (
    MB,
    Part,
    announce_and_generate,
    format_parts,
    peak_rss,
    timed_cpu,
    traced,
    verdict,
)

GOAL_SECONDS, GOAL_BYTES = 60.0, 4096 * MB
TOP_K = 10


def run(args: argparse.Namespace) -> None:
    from matching.engine import Matcher

    graduates, vacancies = announce_and_generate("bench_national", args)
    state: dict[str, Any] = {}

    def fit() -> None:
        state["matcher"] = Matcher(today=date(2026, 7, 1)).fit(graduates, vacancies)

    def rank() -> None:
        state["matcher"].rank_graduates(TOP_K)

    fit_seconds, fit_cpu, _ = timed_cpu(fit)
    rank_seconds, rank_cpu, _ = timed_cpu(rank)
    parts = [
        Part("fit + scoring", fit_seconds, fit_cpu),
        Part(f"top-{TOP_K} graduates per vacancy", rank_seconds, rank_cpu),
    ]
    rss = peak_rss()
    if args.trace:
        state.clear()
        parts[0].traced_peak, _ = traced(fit)
        parts[1].traced_peak, _ = traced(rank)
    total = fit_seconds + rank_seconds
    print(format_parts([*parts, Part("total", total, fit_cpu + rank_cpu)]))
    print(f"peak RSS of the process (inputs included): {rss / MB:.0f} MB")
    print(verdict("total", total, GOAL_SECONDS, "s"))
    print(verdict("peak RSS", rss / MB, GOAL_BYTES / MB, "MB"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=200_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--places", type=int, default=120_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--trace", action="store_true", help="also measure tracemalloc peaks (slow at full size)"
    )
    parser.add_argument("--quick", action="store_true", help="2,000 × 200, 1,200 places")
    args = parser.parse_args(argv)
    if args.quick:
        args.graduates, args.vacancies, args.places = 2_000, 200, 1_200
    run(args)


if __name__ == "__main__":
    main()
