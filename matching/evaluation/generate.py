"""Write the labelled evaluation set: vacancies, graduates and their relevance labels.

    python -m matching.evaluation.generate [--set first|hard] [--out DIR] [--seed N]

Deterministic for a given seed. The vacancies are hand-written (``spec.py``); graduates are drawn
around them: for each vacancy, one who fits and three who each carry one realistic defect (level
short, will not go there, outside the age limits, asks more than the offer, available late,
unknown age or willingness), plus order-trained graduates and graduates of other trades. Their
occupation text is typed the way forms are filled in: variants, no diacritics, typos.
Labels come from ``labels.judge`` on the true occupation, never from the engine.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matching.evaluation.labels import Judgement, judge
from matching.evaluation.spec import VACANCIES, VacancySpec, vacancy_record
from matching.evaluation.vocab import (
    COMMUNES,
    LEVEL_RANK,
    LEVELS,
    SKILLS,
    TOWN_COMMUNES,
    Occupation,
    noisy,
    read_catalogue,
    spellings,
)
from matching.text import strip_diacritics

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20260701
DEFECTS = ("level_short1", "level_short2", "location", "age", "wage", "late", "unknown")
# Order-trained graduates: (order id, occupation the course taught, how many).
ORDER_COHORTS = (
    ("DH-2026-004", "MAY_CONG_NGHIEP", 4),
    ("DH-2025-011", "TRONG_CA_PHE", 3),
    ("DH-2026-009", "DIEU_DUONG_CHAM_SOC", 2),
    ("DH-2026-009", "TIENG_NHAT_HAN", 1),
)
OTHER_TRADES = 25


class _Draw:
    """Draws one graduate's fields; the random state is the only source of variety."""

    def __init__(self, rng: random.Random, catalogue: dict[str, Occupation]) -> None:
        self.rng = rng
        self.catalogue = catalogue

    def occupation_text(self, key: str) -> str:
        text = self.rng.choice(spellings(self.catalogue[key]))
        return noisy(text, self.rng, p_bare=0.25, p_typo=0.15, p_abbrev=0.1)

    def skills(self, key: str) -> list[str]:
        if self.rng.random() < 0.1:
            return []
        chosen = self.rng.sample(SKILLS[key], k=min(len(SKILLS[key]), self.rng.randint(1, 4)))
        return [strip_diacritics(s) if self.rng.random() < 0.2 else s for s in chosen]

    def level_at_least(self, key: str, rank: int) -> str | None:
        offered = [lv for lv in self.catalogue[key].levels if LEVEL_RANK[lv] >= rank]
        return self.rng.choice(offered) if offered else LEVELS[max(rank, 1) - 1]

    def birth_year(self, spec: VacancySpec | None, fits: bool = True) -> int:
        year = int((spec.start or "2026")[:4]) if spec else 2026
        low, high = spec.ages if spec and spec.ages else (19, 50)
        if fits:
            return year - self.rng.randint(low, min(high, 50))
        return year - (high + self.rng.randint(2, 10))

    def willing_for(self, location: dict[str, Any], home: str) -> list[str]:
        """Scopes that cover ``location``: some people name only what they need."""
        kind = location["kind"]
        if kind == "commune" and home == location["commune_code"] and self.rng.random() < 0.3:
            return ["commune"]
        scopes = ["commune", "province", "other_province", "abroad"]
        needed = {"commune": "province", "other_province": "other_province"}.get(kind, kind)
        upto = scopes[: scopes.index(needed) + 1]
        return upto if self.rng.random() < 0.7 else ["commune", needed]

    def home_for(self, location: dict[str, Any]) -> str:
        if location["kind"] == "commune" and self.rng.random() < 0.5:
            return str(location["commune_code"])
        pool = TOWN_COMMUNES if self.rng.random() < 0.4 else tuple(COMMUNES)
        return self.rng.choice(pool)


def _graduate(draw: _Draw, key: str, spec: VacancySpec | None, defect: str | None) -> dict:
    """One graduate record, fitting ``spec`` except for ``defect``."""
    rng = draw.rng
    required = LEVEL_RANK[spec.level] if spec else 0
    location = spec.location if spec else {"kind": "commune", "commune_code": "03127"}
    level = draw.level_at_least(key, required)
    if defect in ("level_short1", "level_short2"):
        rank = required - (1 if defect == "level_short1" else 2)
        level = LEVELS[rank - 1] if rank >= 1 else None
    home = draw.home_for(location)
    willing: list[str] = draw.willing_for(location, home)
    if defect == "location":
        if location["kind"] == "commune" and home == location.get("commune_code"):
            home = rng.choice([c for c in COMMUNES if c != home])
        willing = ["commune"] if location["kind"] != "abroad" else ["commune", "province"]
    wage_max = spec.wage[1] if spec and spec.wage else None
    expected = None
    if wage_max and rng.random() < 0.6:
        expected = int(wage_max * rng.choice((0.6, 0.7, 0.8, 0.9)) // 100_000 * 100_000)
    if defect == "wage" and wage_max:
        expected = int(wage_max * 1.3 // 100_000 * 100_000)
    start = date.fromisoformat(spec.start) if spec and spec.start else date(2026, 7, 1)
    available: date | None = start - timedelta(days=rng.randint(0, 60))
    if rng.random() < 0.3:
        available = None
    if defect == "late":
        available = start + timedelta(days=rng.randint(60, 150))
    born: int | None = draw.birth_year(spec, fits=defect != "age")
    if defect == "unknown":
        if spec and spec.ages:
            born = None
        else:
            willing = []
    return {
        "occupation": draw.occupation_text(key),
        "occupation_code": key if rng.random() < 0.4 else None,
        "level": level,
        "skills": draw.skills(key),
        "commune_code": home,
        "birth_year": born,
        "willing_to_work": willing,
        "expected_wage": expected,
        "available_from": available.isoformat() if available else None,
        "order_id": None,
    }


def _applicable(spec: VacancySpec, defect: str) -> bool:
    if defect.startswith("level_short"):
        return LEVEL_RANK[spec.level] >= (1 if defect == "level_short1" else 2)
    return {"age": spec.ages is not None, "wage": spec.wage is not None,
            "late": spec.start is not None}.get(defect, True)  # fmt: skip


def draw_graduates(seed: int = SEED) -> list[tuple[str, dict]]:
    """(true occupation key, record without id) for every graduate, in a shuffled order."""
    rng = random.Random(seed)
    draw = _Draw(rng, read_catalogue())
    people: list[tuple[str, dict]] = []
    for spec in VACANCIES:
        defects: list[str | None] = [None]
        possible = [d for d in DEFECTS if _applicable(spec, d)]
        defects += rng.sample(possible, k=min(3, len(possible)))
        people += [(spec.key, _graduate(draw, spec.key, spec, d)) for d in defects]
    by_order = {spec.order_id: spec for spec in VACANCIES if spec.order_id}
    for order_id, key, count in ORDER_COHORTS:
        for _ in range(count):
            record = _graduate(draw, key, by_order[order_id], None)
            record.update(order_id=order_id, expected_wage=None)
            people.append((key, record))
    keys = sorted(draw.catalogue)
    for _ in range(OTHER_TRADES):
        key = rng.choice(keys)
        people.append((key, _graduate(draw, key, None, None)))
    rng.shuffle(people)
    return people


def build(seed: int = SEED) -> tuple[list[dict], list[dict], list[Judgement]]:
    """Vacancy records, graduate records and every non-trivial judgement."""
    vacancies = [vacancy_record(spec, n) for n, spec in enumerate(VACANCIES, start=1)]
    people = draw_graduates(seed)
    graduates = [{"id": f"G{n:03d}", **record} for n, (_, record) in enumerate(people, 1)]
    # Forms filled elsewhere leave optional fields out altogether rather than writing null.
    for record in [*graduates[::5], *vacancies[-3:]]:
        for name in [n for n, value in record.items() if value in (None, [], "")]:
            del record[name]
    judgements = []
    for spec, vacancy in zip(VACANCIES, vacancies, strict=True):
        for (key, _), graduate in zip(people, graduates, strict=True):
            relevance, rule = judge(graduate, key, vacancy, spec.key, spec.also)
            if rule != "unrelated":  # unrelated trades are 0 and left out of the file
                judgements.append(Judgement(vacancy["id"], graduate["id"], relevance, rule))
    return vacancies, graduates, judgements


def _write_jsonl(path: Path, records: Iterable[dict]) -> None:
    lines = (json.dumps(r, ensure_ascii=False, sort_keys=False) for r in records)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write(out: Path, seed: int = SEED) -> Counter[int]:
    """Write vacancies.jsonl, graduates.jsonl and qrels.tsv into ``out``."""
    vacancies, graduates, judgements = build(seed)
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "vacancies.jsonl", vacancies)
    _write_jsonl(out / "graduates.jsonl", graduates)
    rows = ["vacancy_id\tgraduate_id\trelevance\trule"]
    rows += [f"{j.vacancy_id}\t{j.graduate_id}\t{j.relevance}\t{j.rule}" for j in judgements]
    (out / "qrels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return Counter(j.relevance for j in judgements)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", choices=("first", "hard"), default="first", help="which labelled set (hard.py)"
    )
    parser.add_argument("--out", type=Path, default=None, help="directory (default: the set's)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    if args.set == "hard":
        from matching.evaluation import hard

        args.out = args.out or hard.HARD_DIR
        counts = hard.write_hard(args.out, hard.HARD_SEED if args.seed is None else args.seed)
    else:
        args.out = args.out or DATA_DIR
        counts = write(args.out, SEED if args.seed is None else args.seed)
    print(f"wrote {args.out}: judged pairs by relevance {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
