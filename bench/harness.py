"""Timing and memory helpers shared by the benchmark scripts (not a test module).

Each part is run twice: once bare for its wall time, once under ``tracemalloc`` for the peak
of memory it allocated (Python objects and numpy arrays; allocations made inside C++ libraries
that bypass Python's allocator are not seen). The process-wide peak resident set size from
``getrusage`` covers everything, interpreter and input profiles included.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as `python bench/x.py` from anywhere
    sys.path.insert(0, str(REPO_ROOT))

MB = 1024 * 1024


@dataclass
class Part:
    """One measured part of a benchmark."""

    name: str
    seconds: float
    cpu_seconds: float = 0.0
    traced_peak: int | None = None


def peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib if sys.platform == "darwin" else kib * 1024


def current_rss() -> int:
    """Resident set size now, in bytes (0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * resource.getpagesize()


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call (after a collection, so earlier garbage is not charged to it)."""
    seconds, _, result = timed_cpu(step)
    return seconds, result


def timed_cpu(step: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and CPU time of this process (all threads) for one call. CPU time is less
    disturbed by other processes on a shared machine; it exceeds wall time when the call
    runs threads in parallel."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def traced(step: Callable[[], Any]) -> tuple[int, Any]:
    """Peak bytes traced by tracemalloc during one call, above what was live before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before, result


def format_parts(parts: Sequence[Part]) -> str:
    """A table: part, wall seconds, CPU seconds, traced peak in MB."""
    lines = [f"{'part':34}{'seconds':>10}{'CPU s':>10}{'traced peak MB':>16}"]
    for part in parts:
        peak = f"{part.traced_peak / MB:16.1f}" if part.traced_peak is not None else f"{'-':>16}"
        lines.append(f"{part.name:34}{part.seconds:10.3f}{part.cpu_seconds:10.3f}{peak}")
    return "\n".join(lines)


def verdict(label: str, value: float, limit: float, unit: str) -> str:
    """'goal met' / 'goal MISSED' line for one figure against its limit."""
    status = "met" if value < limit else "MISSED"
    digits = 2 if unit == "s" else 0
    return f"goal {label} < {limit:g} {unit}: {value:.{digits}f} {unit} -> {status}"


def announce_and_generate(name: str, args: Any) -> tuple[Any, Any]:
    """Print the run's size and the machine's load, then build the synthetic profiles (their
    time is printed but not counted)."""
    from matching.evaluation.synthetic import synthetic_profiles

    print(
        f"{name}: {args.graduates:,} graduates × {args.vacancies:,} vacancies, "
        f"{args.places:,} places; {os.cpu_count()} CPUs; seed {args.seed}; "
        f"load average {os.getloadavg()[0]:.1f} (other processes share the CPUs)"
    )
    seconds, (graduates, vacancies) = timed(
        lambda: synthetic_profiles(args.graduates, args.vacancies, args.places, args.seed)
    )
    print(f"generated profiles in {seconds:.1f} s (not counted); RSS {current_rss() / MB:.0f} MB")
    return graduates, vacancies
