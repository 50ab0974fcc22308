"""Command line: ``python -m matching rank|assign|normalise``.

    python -m matching rank --graduates G.jsonl --vacancies V.jsonl --top 10
    python -m matching assign --graduates G.jsonl --vacancies V.jsonl
    python -m matching normalise "tho may" "sua xe may"

Output is JSON on stdout. A bad input stops with exit code 2 and a message on stderr naming the
file and the line; nothing is printed on stdout then.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from matching.io import InputError, read_graduates, read_vacancies

if TYPE_CHECKING:
    from matching.engine import Matcher
    from matching.score import Match

EXIT_BAD_INPUT = 2


def _match_json(match: Match) -> dict[str, Any]:
    return {
        "graduate_id": match.graduate_id,
        "score": match.score,
        "components": match.components,
        "matched_skills": list(match.matched_skills),
        "missing_skills": list(match.missing_skills),
        "reason": match.reason,
    }


def _fitted(args: argparse.Namespace) -> Matcher:
    graduates = read_graduates(args.graduates)
    vacancies = read_vacancies(args.vacancies)
    # Imported after the input is read: numpy, SciPy and scikit-learn take a while to load,
    # and a bad file should be reported at once.
    from matching.engine import Matcher

    # The command line is the caller that reads the clock: without --today, the day it runs.
    today = args.today or date.today()
    return Matcher(shortlist=args.shortlist, today=today).fit(graduates, vacancies)


def _rank(args: argparse.Namespace) -> list[str]:
    ranking = _fitted(args).rank_graduates(top_k=args.top)
    return [
        json.dumps(
            {"vacancy_id": vacancy_id, "matches": [_match_json(m) for m in matches]},
            ensure_ascii=False,
        )
        for vacancy_id, matches in ranking.items()
    ]


def _assign(args: argparse.Namespace) -> list[str]:
    matcher = _fitted(args)
    plan, greedy = matcher.assign(), matcher.greedy_assign()
    result = {
        "assignments": [
            {"graduate_id": m.graduate_id, "vacancy_id": m.vacancy_id, "score": m.score}
            for m in plan.assignments
        ],
        "places_filled": plan.places_filled,
        "total_score": plan.total_score,
        "greedy_total_score": greedy.total_score,
    }
    return [json.dumps(result, ensure_ascii=False)]


def _normalise(args: argparse.Namespace) -> list[str]:
    from matching.catalogue import load_catalogue
    from matching.normalise import OccupationNormaliser

    normaliser = OccupationNormaliser().fit(load_catalogue())
    predictions = normaliser.predict_many(args.texts, k=args.top)
    return [
        json.dumps(
            {"text": text, "occupations": [{"key": k, "confidence": c} for k, c in p]},
            ensure_ascii=False,
        )
        for text, p in zip(args.texts, predictions, strict=True)
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, helptext in (
        ("rank", _rank, "top graduates for each vacancy, one JSON object per line"),
        ("assign", _assign, "an optimal assignment plan (and the greedy total), as JSON"),
    ):
        command = commands.add_parser(name, help=helptext)
        command.add_argument("--graduates", required=True, help="graduates, JSON Lines")
        command.add_argument("--vacancies", required=True, help="vacancies, JSON Lines")
        command.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="date used when a vacancy has no start date (YYYY-MM-DD; default: today)",
        )
        command.add_argument(
            "--shortlist", type=int, default=50, help="candidates per vacancy before exact scoring"
        )
        command.set_defaults(handler=handler)
    commands.choices["rank"].add_argument("--top", type=int, default=10)
    normalise = commands.add_parser("normalise", help="map free-text occupations to the catalogue")
    normalise.add_argument("texts", nargs="+")
    normalise.add_argument("--top", type=int, default=3)
    normalise.set_defaults(handler=_normalise)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if getattr(args, "top", 1) < 1 or getattr(args, "shortlist", 1) < 1:
        print("lỗi: --top và --shortlist phải lớn hơn 0 (must be positive)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        lines = args.handler(args)
    except InputError as error:
        print(f"lỗi (error): {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
