"""``python -m matching.evaluation``: matching quality on the labelled set, normaliser on ESCO,
and weights learned from outcomes on a synthetic world.

python -m matching.evaluation [--set first|hard|both] [--data DIR] [--hard-data DIR]
                              [--esco PATH | --no-esco] [--no-outcomes]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matching.evaluation import esco, outcomes, quality
from matching.evaluation.dataset import DATA_DIR, load_evaluation_set
from matching.evaluation.hard import HARD_DIR, content_hash, read_split, read_traps

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ESCO = REPO_ROOT.parent / "shared" / "benchmarks" / "esco-occupation-titles"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.evaluation", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="labelled set directory")
    parser.add_argument(
        "--esco", type=Path, default=DEFAULT_ESCO, help="ESCO job-title benchmark directory"
    )
    parser.add_argument(
        "--hard-data", type=Path, default=HARD_DIR, help="second (hard) labelled set directory"
    )
    parser.add_argument(
        "--set", choices=("first", "hard", "both"), default="both", help="which labelled set"
    )
    parser.add_argument("--no-esco", action="store_true", help="skip the ESCO benchmark")
    parser.add_argument("--no-outcomes", action="store_true", help="skip learning from outcomes")
    args = parser.parse_args(argv)

    if args.set in ("first", "both"):
        dataset = load_evaluation_set(args.data)
        print(quality.describe(dataset))
        print(quality.format_table(quality.evaluate(dataset)))
        print(quality.ceiling(dataset))
        print()
    if args.set in ("hard", "both"):
        hard = load_evaluation_set(args.hard_data)
        print(f"Second set (hard), sha256 {content_hash(args.hard_data)[:16]}")
        print(quality.describe(hard))
        report = quality.evaluate_split(
            hard, read_split(args.hard_data), traps=read_traps(args.hard_data)
        )
        print(quality.format_split_report(report, {v.id: v.title for v in hard.vacancies}))
        print(quality.ceiling(hard))
        print()
    if args.no_esco:
        print("ESCO benchmark skipped (--no-esco).")
    elif not (args.esco / "occupations.csv").is_file():
        print(f"ESCO benchmark skipped: no occupations.csv in {args.esco} (pass --esco PATH).")
    else:
        benchmark, results = esco.evaluate(args.esco)
        print(esco.format_table(benchmark, results))
    if not args.no_outcomes:
        print()
        print(outcomes.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
