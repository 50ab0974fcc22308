"""Speed and memory of the matching engine on a province-sized load, against the naive way.

    python bench/bench_matching.py            # 10,000 graduates × 2,000 vacancies, 12,000 places
    python bench/bench_matching.py --quick    # a small smoke run

Prints the time and memory of each part (fit and scoring, top-10 per vacancy, top-10 per
graduate, assignment plan) and the total; whether the goal (under 2 s and 1 GB) is met; the
naive way (a Python loop calling RapidFuzz per pair, timed on a random sample and scaled to
every pair) and the speed-up; and the plan's total score against the greedy assignment's.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from harness import (
    MB,
    Part,
    announce_and_generate,
    format_parts,
    peak_rss,
    timed,
    timed_cpu,
    traced,
    verdict,
)
from rapidfuzz import fuzz

from matching.profiles import GraduateProfile, VacancyProfile, level_rank
from matching.text import search_key

GOAL_SECONDS, GOAL_BYTES = 2.0, 1024 * MB
TOP_K = 10
# Reference day for vacancies without a start date (the labelled set uses the same).
TODAY = date(2026, 7, 1)


def engine_parts(
    graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile], state: dict[str, Any]
) -> list[tuple[str, Callable[[], Any]]]:
    """The engine's parts in order; later parts use the matcher the first one leaves in
    ``state``."""
    from matching.engine import Matcher

    def fit() -> None:
        state["matcher"] = Matcher(today=TODAY).fit(list(graduates), list(vacancies))

    return [
        ("fit + scoring", fit),
        (f"top-{TOP_K} graduates per vacancy", lambda: state["matcher"].rank_graduates(TOP_K)),
        (f"top-{TOP_K} vacancies per graduate", lambda: state["matcher"].rank_vacancies(TOP_K)),
        ("assignment plan", lambda: state["matcher"].assign()),
    ]


def naive_pair_score(graduate: GraduateProfile, vacancy: VacancyProfile) -> float:
    """What one writes first: fold both texts, call RapidFuzz, check level and place, per pair."""
    title = fuzz.token_set_ratio(search_key(graduate.occupation), search_key(vacancy.title)) / 100
    wanted = {search_key(s) for s in vacancy.skills}
    had = {search_key(s) for s in graduate.skills}
    skills = len(wanted & had) / len(wanted) if wanted else 1.0
    level = 1.0 if level_rank(graduate.level) >= level_rank(vacancy.required_level) else 0.5
    location = vacancy.location
    if location.kind == "commune":
        place = graduate.commune_code == location.commune_code or "province" in (
            graduate.willing_to_work
        )
    else:
        place = location.kind in graduate.willing_to_work
    return 0.5 * title + 0.2 * skills + 0.15 * level + 0.15 * float(place)


def naive_seconds_per_pair(
    graduates: Sequence[GraduateProfile], vacancies: Sequence[VacancyProfile], pairs: int, seed: int
) -> tuple[float, float]:
    """Wall and CPU seconds per pair of the naive loop on ``pairs`` random pairs."""
    rng = random.Random(seed)
    sample = [(rng.choice(graduates), rng.choice(vacancies)) for _ in range(pairs)]

    def loop() -> None:
        for graduate, vacancy in sample:
            naive_pair_score(graduate, vacancy)

    wall, cpu, _ = timed_cpu(loop)
    return wall / pairs, cpu / pairs


def compare_with_greedy(matcher: Any, plan: Any) -> str:
    """The optimal plan's total score beside the greedy plan's over the same scored pairs."""
    greedy = getattr(matcher, "greedy_assign", None)
    if greedy is None:
        return "Matcher.greedy_assign not found: comparison skipped"
    seconds, baseline = timed(greedy)
    gain = plan.total_score - baseline.total_score
    share = gain / baseline.total_score if baseline.total_score else float("nan")
    return (
        f"assignment plan: total score {plan.total_score:.1f}, {plan.places_filled} places filled\n"
        f"greedy:          total score {baseline.total_score:.1f}, "
        f"{baseline.places_filled} places filled ({seconds:.2f} s)\n"
        f"plan vs greedy:  {gain:+.1f} total score ({share:+.2%})"
    )


def run(args: argparse.Namespace) -> None:
    graduates, vacancies = announce_and_generate("bench_matching", args)
    state: dict[str, Any] = {}
    parts, results = [], []
    for name, step in engine_parts(graduates, vacancies, state):
        seconds, cpu, result = timed_cpu(step)
        parts.append(Part(name, seconds, cpu))
        results.append(result)
    total = sum(p.seconds for p in parts)
    total_cpu = sum(p.cpu_seconds for p in parts)
    rss = peak_rss()
    greedy_line = compare_with_greedy(state.pop("matcher"), results[3])
    if not args.no_trace:
        for part, (_, step) in zip(parts, engine_parts(graduates, vacancies, state), strict=True):
            part.traced_peak, _ = traced(step)
        state.clear()
    print(format_parts([*parts, Part("total", total, total_cpu)]))
    print(f"peak RSS of the process (inputs included): {rss / MB:.0f} MB")
    print(verdict("total", total, GOAL_SECONDS, "s"))
    print(verdict("peak RSS", rss / MB, GOAL_BYTES / MB, "MB"))

    pairs = len(graduates) * len(vacancies)
    per_pair, per_pair_cpu = naive_seconds_per_pair(
        graduates, vacancies, args.naive_pairs, args.seed
    )
    engine_wall = parts[0].seconds + parts[1].seconds
    engine_cpu = parts[0].cpu_seconds + parts[1].cpu_seconds
    print(
        f"naive Python loop (RapidFuzz per pair): {per_pair * 1e6:.1f} µs per pair "
        f"({per_pair_cpu * 1e6:.1f} µs CPU) on {args.naive_pairs:,} random pairs -> "
        f"{per_pair * pairs:.1f} s for all {pairs:,} pairs"
    )
    print(
        f"speed-up of the engine (fit + scoring + top-{TOP_K} per vacancy, {engine_wall:.2f} s, "
        f"{engine_cpu:.2f} s CPU): {per_pair * pairs / engine_wall:.0f}× wall, "
        f"{per_pair_cpu * pairs / engine_cpu:.0f}× CPU"
    )
    print(greedy_line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--places", type=int, default=12_000)
    parser.add_argument("--naive-pairs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--quick", action="store_true", help="500 × 100, 600 places")
    args = parser.parse_args(argv)
    if args.quick:
        args.graduates, args.vacancies, args.places, args.naive_pairs = 500, 100, 600, 2_000
    run(args)


if __name__ == "__main__":
    main()
