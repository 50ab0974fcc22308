"""How often the candidates page shows two neighbours with the same score.

    .venv/bin/python bench/bench_ties.py [--database /path/to/demo.sqlite3] [--on 2026-07-01]

For every open vacancy of a (demo) database, ranks its candidates as the page does
(`models.ranking.rank_candidates`, no filters) and counts, among the first 20, the adjacent
pairs whose scores are equal at whole percent, at the 0.1 percent the page
shows, and exactly (at the engine's SCORE_DECIMALS: there the page's evidence tie-breaks and
last the id order the pair). Prints the share
of tied pairs over all vacancies and the vacancies with the most ties. Not a timed test: the
figure is the point (issue 15 asks under 5 %).
"""

from __future__ import annotations

import argparse
import itertools
from datetime import date

from sqlmodel import Session, select

from matching.one_vacancy import SCORE_DECIMALS
from models.clock import today
from models.db import make_engine
from models.queries.candidates import CandidateFilters
from models.ranking import PER_PAGE, rank_candidates
from models.tables import Vacancy

PRECISIONS = ((0, "whole percent"), (1, "0.1 percent"), (SCORE_DECIMALS - 2, "engine precision"))


def shown_percent(score: float, decimals: int) -> float:
    """The score as the candidates page shows it (web/services/candidate_rows.py)."""
    return round(score * 100, decimals)


def tie_counts(percents: list[float]) -> tuple[int, int]:
    """(tied adjacent pairs, adjacent pairs) of one vacancy's shown scores."""
    pairs = list(itertools.pairwise(percents))
    return sum(a == b for a, b in pairs), len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="var/dienbien.sqlite3")
    parser.add_argument("--on", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    url = args.database if "://" in args.database else f"sqlite:///{args.database}"
    on = args.on or today()
    tied, pairs = [0] * len(PRECISIONS), [0] * len(PRECISIONS)
    worst: list[tuple[int, int, int]] = []
    with Session(make_engine(url)) as session:
        vacancies = session.execute(select(Vacancy).where(Vacancy.status == "open")).scalars()
        for vacancy in list(vacancies):
            page = rank_candidates(session, vacancy, on=on, filters=CandidateFilters())
            counts = []
            for i, (decimals, _) in enumerate(PRECISIONS):
                shown = [shown_percent(p.score, decimals) for p in page.people[:PER_PAGE]]
                counts.append(tie_counts(shown))
                tied[i] += counts[-1][0]
                pairs[i] += counts[-1][1]
            worst.append((*counts[1], vacancy.id or 0))
    print(f"{len(worst)} open vacancies on {on:%d/%m/%Y}; top {PER_PAGE} each")
    for i, (_, precision) in enumerate(PRECISIONS):
        t, n = tied[i], pairs[i]
        print(f"adjacent pairs tied at {precision}: {t} of {n} ({t / max(n, 1):.1%})")
    for t, n, vacancy_id in sorted(worst, reverse=True)[:5]:
        print(f"  vacancy {vacancy_id}: {t} of {n} adjacent pairs tied at 0.1 percent")


if __name__ == "__main__":
    main()
