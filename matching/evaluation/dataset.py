"""Load the labelled evaluation set: profiles through the engine's file interface, plus qrels."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from matching.profiles import GraduateProfile, VacancyProfile

DATA_DIR = Path(__file__).resolve().parent / "data"

Qrels = dict[str, dict[str, int]]


@dataclass(frozen=True)
class EvaluationSet:
    """Graduates, vacancies and graded judgements keyed by vacancy then graduate."""

    graduates: list[GraduateProfile]
    vacancies: list[VacancyProfile]
    qrels: Qrels

    def by_graduate(self) -> Qrels:
        """The same judgements keyed by graduate then vacancy."""
        flipped: Qrels = defaultdict(dict)
        for vacancy_id, judged in self.qrels.items():
            for graduate_id, relevance in judged.items():
                flipped[graduate_id][vacancy_id] = relevance
        return dict(flipped)


def read_qrels(path: Path) -> Qrels:
    """Read ``vacancy_id<TAB>graduate_id<TAB>relevance[<TAB>rule]`` lines (header allowed)."""
    qrels: Qrels = defaultdict(dict)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split("\t")
        if not line.strip() or fields[0] == "vacancy_id":
            continue
        if len(fields) < 3 or fields[2] not in {"0", "1", "2"}:
            raise ValueError(f"{path}:{number}: expected vacancy, graduate, relevance 0/1/2")
        qrels[fields[0]][fields[1]] = int(fields[2])
    return dict(qrels)


def load_evaluation_set(directory: Path = DATA_DIR) -> EvaluationSet:
    """Read graduates.jsonl, vacancies.jsonl and qrels.tsv from ``directory``."""
    from matching.io import read_graduates, read_vacancies

    return EvaluationSet(
        graduates=list(read_graduates(directory / "graduates.jsonl")),
        vacancies=list(read_vacancies(directory / "vacancies.jsonl")),
        qrels=read_qrels(directory / "qrels.tsv"),
    )
