"""The second, harder labelled set: trap titles, absent trades, no tone marks, languages abroad.

    python -m matching.evaluation.generate --set hard [--out DIR] [--seed N]

Vacancies are hand-written in ``spec_hard.py``. Graduates are drawn around them the way
``generate.py`` draws the first set (same typing noise, same defects), plus for each vacancy one
graduate of every ``decoy`` trade who fits it in every other way. Labels come from
``labels.judge`` on the true occupation (and, abroad, the language level the person holds),
never from the engine. Unrelated pairs are left out of ``qrels.tsv`` except the trap pairs,
which are listed as 0 with ``trap:<kind>`` as their rule. ``split.tsv`` holds each vacancy's half
(``tuning`` or ``unseen``, alternating by id within each kind) and its kind of trap.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from matching.evaluation.generate import DEFECTS, _applicable, _Draw, _graduate, _write_jsonl
from matching.evaluation.labels import Judgement, judge, trap_kind
from matching.evaluation.spec import vacancy_record
from matching.evaluation.spec_hard import (
    ABSENT_TRADES,
    ALIASES_NOT_TYPED,
    HARD_ORDER_COHORTS,
    HARD_VACANCIES,
    HardVacancy,
)
from matching.evaluation.vocab import Occupation, read_catalogue
from matching.text import strip_diacritics

HARD_DIR = Path(__file__).resolve().parent / "data" / "hard"
HARD_SEED = 20261207
HALVES = ("tuning", "unseen")
LANGUAGE_COURSE = "TIENG_NHAT_HAN"
LANGUAGE_COURSE_GRADUATES = 6
OTHER_TRADES = 12
# How people write the certificate they hold, by (language, level).
_CERTIFICATES: dict[tuple[str, int], tuple[str, ...]] = {
    ("ja", 1): ("tiếng Nhật N5", "tieng Nhat N5", "JLPT N5"),
    ("ja", 2): ("tiếng Nhật N4", "tieng nhat N4", "JLPT N4"),
    ("ja", 3): ("tiếng Nhật N3", "JLPT N3"),
    ("ko", 1): ("đỗ EPS-TOPIK", "tiếng Hàn EPS", "tieng Han (da thi EPS)"),
    ("zh", 1): ("tiếng Trung giao tiếp", "tiếng Hoa cơ bản", "TOCFL A1"),
}

Person = tuple[str, dict, dict[str, int]]  # true trade, record without id, languages held


@dataclass(frozen=True)
class HardSet:
    """Records, judgements and the split of the second set."""

    vacancies: list[dict]
    graduates: list[dict]
    judgements: list[Judgement]
    split: list[tuple[str, str, str]]  # vacancy id, half, kind


def _speak(person: Person, languages: dict[str, int], rng: random.Random) -> Person:
    """Give the person these languages and type their certificates into the skills."""
    key, record, _ = person
    typed = [rng.choice(_CERTIFICATES[item]) for item in sorted(languages.items())]
    return key, {**record, "skills": [*record["skills"], *typed]}, dict(languages)


def _languages_held(
    rng: random.Random, required: tuple[str, int], defect: str | None
) -> dict[str, int]:
    """What a graduate drawn for a vacancy requiring ``required`` speaks."""
    language, level = required
    if defect != "language":  # meets it, now and then with one level to spare
        spare = (language, level + 1) in _CERTIFICATES and rng.random() < 0.2
        return {language: level + int(spare)}
    if level >= 2 and rng.random() < 0.5:
        return {language: level - 1}  # one level short
    return {} if rng.random() < 0.5 else {"ko" if language != "ko" else "ja": 1}  # none, or
    # the other language


def _for_vacancy(draw: _Draw, hard: HardVacancy) -> list[Person]:
    """One who fits, two with a defect, one per decoy trade; all typed bare if the title is.

    Abroad with a language requirement, the second defect is the language (short or none).
    """
    rng, spec = draw.rng, hard.spec
    possible = [d for d in DEFECTS if _applicable(spec, d)]
    defects: list[str | None] = [None, *rng.sample(possible, k=min(2, len(possible)))]
    if hard.language:
        defects[-1] = "language"
    people: list[Person] = []
    for defect in defects:
        record = _graduate(draw, spec.key, spec, None if defect == "language" else defect)
        person: Person = (spec.key, record, {})
        if hard.language:
            person = _speak(person, _languages_held(rng, hard.language, defect), rng)
        people.append(person)
    for decoy in hard.decoys:
        person = (decoy, _graduate(draw, decoy, spec, None), {})
        if hard.language:
            person = _speak(person, _languages_held(rng, hard.language, None), rng)
        people.append(person)
    if hard.kind == "no-tones":
        people = [(k, {**r, "occupation": strip_diacritics(r["occupation"])}, s)
                  for k, r, s in people]  # fmt: skip
    return people


def typed_catalogue() -> dict[str, Occupation]:
    """The catalogue plus the absent trades, without the aliases no graduate would type."""
    catalogue = {**read_catalogue(), **ABSENT_TRADES}
    for key, dropped in ALIASES_NOT_TYPED.items():
        entry = catalogue[key]
        kept = tuple(a for a in entry.aliases if a not in dropped)
        catalogue[key] = Occupation(entry.key, entry.name, entry.group, entry.levels, kept)
    return catalogue


def draw_hard_graduates(seed: int = HARD_SEED) -> list[Person]:
    """Every graduate of the second set, in a shuffled order."""
    rng = random.Random(seed)
    draw = _Draw(rng, typed_catalogue())
    people: list[Person] = []
    for hard in HARD_VACANCIES:
        people += _for_vacancy(draw, hard)
    by_order = {h.spec.order_id: h.spec for h in HARD_VACANCIES if h.spec.order_id}
    for order_id, key, count in HARD_ORDER_COHORTS:
        for _ in range(count):
            record = _graduate(draw, key, by_order[order_id], None)
            record.update(order_id=order_id, expected_wage=None)
            people.append((key, record, {}))
    abroad_language = [h for h in HARD_VACANCIES if h.language]
    for _ in range(LANGUAGE_COURSE_GRADUATES):
        target = rng.choice(abroad_language)
        course: Person = (LANGUAGE_COURSE, _graduate(draw, LANGUAGE_COURSE, target.spec, None), {})
        language, level = target.language or ("ja", 1)
        people.append(_speak(course, {language: level}, rng))
    keys = sorted(draw.catalogue)
    for _ in range(OTHER_TRADES):
        key = rng.choice(keys)
        people.append((key, _graduate(draw, key, None, None), {}))
    for key, record, _ in people:
        if key in ABSENT_TRADES:  # a form can only carry a code the catalogue has
            record["occupation_code"] = None
    rng.shuffle(people)
    return people


def split_of(vacancies: tuple[HardVacancy, ...] = HARD_VACANCIES) -> list[tuple[str, str, str]]:
    """(vacancy id, half, kind): within each kind, by id, alternately tuning and unseen."""
    seen: Counter[str] = Counter()
    rows = []
    for hard in sorted(vacancies, key=lambda h: h.spec.id):
        rows.append((hard.spec.id, HALVES[seen[hard.kind] % 2], hard.kind))
        seen[hard.kind] += 1
    return rows


def build_hard(seed: int = HARD_SEED) -> HardSet:
    """Vacancy records, graduate records, judgements (non-trivial and trap pairs), split."""
    vacancies = [vacancy_record(h.spec, n) for n, h in enumerate(HARD_VACANCIES, start=1)]
    people = draw_hard_graduates(seed)
    graduates = [{"id": f"G{n:03d}", **record} for n, (_, record, _) in enumerate(people, 1)]
    for record in graduates[::5]:
        for name in [n for n, value in record.items() if value in (None, [], "")]:
            del record[name]
    judgements = []
    for hard, vacancy in zip(HARD_VACANCIES, vacancies, strict=True):
        spec = hard.spec
        for (key, _, languages), graduate in zip(people, graduates, strict=True):
            relevance, rule = judge(
                graduate, key, vacancy, spec.key, spec.also, hard.language, languages
            )
            if rule == "unrelated":
                kind = trap_kind(key, spec.key)
                if kind is None:
                    continue  # unrelated trades are 0 and left out of the file
                rule = f"trap:{kind}"
            judgements.append(Judgement(vacancy["id"], graduate["id"], relevance, rule))
    return HardSet(vacancies, graduates, judgements, split_of())


def write_hard(out: Path = HARD_DIR, seed: int = HARD_SEED) -> Counter[int]:
    """Write vacancies.jsonl, graduates.jsonl, qrels.tsv and split.tsv into ``out``."""
    built = build_hard(seed)
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "vacancies.jsonl", built.vacancies)
    _write_jsonl(out / "graduates.jsonl", built.graduates)
    rows = ["vacancy_id\tgraduate_id\trelevance\trule"]
    rows += [f"{j.vacancy_id}\t{j.graduate_id}\t{j.relevance}\t{j.rule}" for j in built.judgements]
    (out / "qrels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    split = ["vacancy_id\thalf\tkind", *("\t".join(row) for row in built.split)]
    (out / "split.tsv").write_text("\n".join(split) + "\n", encoding="utf-8")
    return Counter(j.relevance for j in built.judgements)


def read_split(directory: Path = HARD_DIR) -> dict[str, tuple[str, str]]:
    """Vacancy id -> (half, kind of trap) from ``split.tsv``."""
    lines = (directory / "split.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {f[0]: (f[1], f[2]) for f in (line.split("\t") for line in lines if line.strip())}


def read_traps(directory: Path = HARD_DIR) -> frozenset[tuple[str, str]]:
    """The (vacancy, graduate) pairs ``qrels.tsv`` lists with a ``trap:`` rule."""
    lines = (directory / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]
    rows = (line.split("\t") for line in lines if line.strip())
    return frozenset((f[0], f[1]) for f in rows if len(f) > 3 and f[3].startswith("trap:"))


def content_hash(directory: Path = HARD_DIR) -> str:
    """sha256 over the set's files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
