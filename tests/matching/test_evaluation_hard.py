"""The second (hard) labelled set: pinned content, size and composition, the officer's rules
on its traps, and the report that ``python -m matching.evaluation`` prints for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from matching.catalogue import load_catalogue
from matching.evaluation import hard
from matching.evaluation.dataset import read_qrels
from matching.evaluation.labels import RELATED_PAIRS, TRAP_PAIRS, judge, related, trap_kind
from matching.evaluation.spec_hard import (
    ABSENT_TRADES,
    HARD_VACANCIES,
    IN_CATALOGUE_SHORT_COURSES,
    KINDS,
)
from matching.evaluation.vocab import read_catalogue
from matching.text import strip_diacritics

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = hard.HARD_DIR
# Change deliberately, in the same commit as the set or its grades, after reading the diff.
PINNED_SHA256 = "c0647fec20e55e28e846ccf06f6c77fbf92e5b1a810d75caff72b91910b7f6ec"
TRAP_KINDS = ("repair-vs-use", "material", "sell-vs-make")


def _rules() -> dict[tuple[str, str], tuple[int, str]]:
    lines = (DATA / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]
    rows = (line.split("\t") for line in lines)
    return {(v, g): (int(r), rule) for v, g, r, rule in rows}


# --- the set is pinned ---------------------------------------------------------------------


def test_the_committed_set_has_the_pinned_content_hash() -> None:
    assert hard.content_hash(DATA) == PINNED_SHA256, (
        "the hard set or its grades changed: regenerate it on purpose, read the diff of "
        "qrels.tsv, then update PINNED_SHA256"
    )


def test_the_committed_files_are_the_generator_output(tmp_path: Path) -> None:
    hard.write_hard(tmp_path)
    for name in ("vacancies.jsonl", "graduates.jsonl", "qrels.tsv", "split.tsv"):
        committed = (DATA / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, name
    assert hard.content_hash(tmp_path) == PINNED_SHA256


# --- size and composition ------------------------------------------------------------------


def test_size_every_kind_of_trap_and_both_halves() -> None:
    graduates = (DATA / "graduates.jsonl").read_text(encoding="utf-8").splitlines()
    qrels = read_qrels(DATA / "qrels.tsv")
    split = hard.read_split(DATA)
    assert len(HARD_VACANCIES) >= 100 and len(split) == len(HARD_VACANCIES)
    assert len(graduates) >= 300
    assert {kind for _, kind in split.values()} == set(KINDS)
    for half in hard.HALVES:
        kinds = {kind for h, kind in split.values() if h == half}
        assert kinds == set(KINDS), half  # every kind in both halves
    listed = {rule for _, rule in _rules().values()}
    for kind in TRAP_KINDS:
        assert f"trap:{kind}" in listed, kind
    for vacancy in split:
        assert max(qrels[vacancy].values()) >= 1, vacancy


def test_the_hard_cases_are_there() -> None:
    catalogue = read_catalogue()
    # Absent from the catalogue the set was drawn from; the live catalogue has them since
    # (the set and its grades stay as committed: the engine changed, not the set).
    assert not set(ABSENT_TRADES) & set(catalogue)
    assert all(key in load_catalogue() for key in ABSENT_TRADES)
    assert set(IN_CATALOGUE_SHORT_COURSES) <= set(catalogue)
    by_kind: dict[str, list] = {}
    for vacancy in HARD_VACANCIES:
        by_kind.setdefault(vacancy.kind, []).append(vacancy)
    assert all(v.spec.key in ABSENT_TRADES for v in by_kind["absent"])
    for absent in ("TRONG_NAM", "NUOI_ONG", "DICH_VU_HOMESTAY", "XOA_BOP_BAM_HUYET",
                   "VAN_HANH_MAY_XUC"):  # fmt: skip
        assert any(v.spec.key == absent for v in by_kind["absent"]), absent
    assert all(v.spec.title == strip_diacritics(v.spec.title) for v in by_kind["no-tones"])
    assert {"sua chua may may", "han dien"} <= {v.spec.title for v in by_kind["no-tones"]}
    languages = {v.language[0] for v in by_kind["abroad-language"] if v.language}
    assert languages == {"ja", "ko", "zh"}
    orders = {v.spec.order_id for v in by_kind["order"]}
    assert len(orders) == 1 and len(by_kind["order"]) >= 2
    cohort = (DATA / "graduates.jsonl").read_text(encoding="utf-8").count(f'"{orders.pop()}"')
    assert cohort >= 5
    rules = {rule for _, rule in _rules().values()}
    assert {"order", "language", "same+language-1"} <= rules


def test_every_decoy_is_a_declared_trap_or_a_related_trade() -> None:
    for vacancy in HARD_VACANCIES:
        for decoy in vacancy.decoys:
            assert trap_kind(decoy, vacancy.spec.key) or related(decoy, vacancy.spec.key), (
                vacancy.spec.id,
                decoy,
            )


def test_no_trap_pair_is_also_related() -> None:
    related_pairs = {frozenset(pair) for pair in RELATED_PAIRS}
    assert not [pair for pair in TRAP_PAIRS if frozenset(pair[:2]) in related_pairs]


# --- the officer's rules on the traps ------------------------------------------------------

HERE = {"kind": "commune", "commune_code": "03127"}
VACANCY = {"id": "V", "required_level": None, "location": HERE, "order_id": None}
GRADUATE = {"id": "G", "level": "so_cap", "commune_code": "03127",
            "willing_to_work": ["commune", "province"], "birth_year": 2000}  # fmt: skip


@pytest.mark.parametrize(
    ("vacancy_key", "graduate_key", "expected"),
    [
        ("SUA_CHUA_MAY_MAY", "MAY_CONG_NGHIEP", (0, "unrelated")),  # sews, cannot repair
        ("MAY_CONG_NGHIEP", "SUA_CHUA_MAY_MAY", (0, "unrelated")),
        ("SUA_CHUA_MAY_MAY", "SUA_CHUA_MAY_MAY", (2, "same")),
        ("SUA_CHUA_MAY_MAY", "SUA_CHUA_MAY_NONG_NGHIEP", (1, "related")),  # a mechanic
        ("SUA_CHUA_MAY_NONG_NGHIEP", "VAN_HANH_MAY_NONG_NGHIEP", (0, "unrelated")),
        ("SUA_CHUA_XE_MAY", "LAI_XE", (0, "unrelated")),
        ("CHE_BIEN_GO", "CHE_BIEN_NONG_SAN", (0, "unrelated")),
        ("CHE_BIEN_GO", "TRONG_CHE", (0, "unrelated")),
        ("CHE_BIEN_GO", "MOC_DAN_DUNG", (1, "related")),
        ("BAN_HANG", "SUA_CHUA_DIEN_THOAI", (0, "unrelated")),
        ("SUA_CHUA_DIEN_THOAI", "BAN_HANG", (0, "unrelated")),
        ("BAN_HANG", "NE_HOAN_THIEN", (0, "unrelated")),
    ],
)
def test_trap_pairs_are_graded_as_an_officer_would(
    vacancy_key: str, graduate_key: str, expected: tuple[int, str]
) -> None:
    assert judge(GRADUATE, graduate_key, VACANCY, vacancy_key) == expected


def test_the_set_grades_its_sewing_machine_repair_vacancy_against_sewers_zero() -> None:
    """H001 asks for a sewing-machine mechanic: every sewing graduate is a trap graded 0."""
    rules = _rules()
    sewers = [grade for (v, _), (grade, rule) in rules.items()
              if v == "H001" and rule == "trap:repair-vs-use"]  # fmt: skip
    assert sewers and set(sewers) == {0}
    assert max(grade for (v, _), (grade, _) in rules.items() if v == "H001") == 2


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ({"ja": 2}, (2, "same")),  # N4 asked, N4 held
        ({"ja": 3}, (2, "same")),  # N3 is more than enough
        ({"ja": 1}, (1, "same+language-1")),  # N5: can reach N4 before departure
        ({}, (0, "language")),
        ({"ko": 1}, (0, "language")),  # studied the wrong language
    ],
)
def test_language_level_abroad(held: dict[str, int], expected: tuple[int, str]) -> None:
    abroad = {**VACANCY, "location": {"kind": "abroad", "country": "Nhật Bản"}}
    graduate = {**GRADUATE, "willing_to_work": ["commune", "abroad"]}
    assert judge(graduate, "HAN", abroad, "HAN", language=("ja", 2), languages=held) == expected


def test_an_order_cohort_is_referred_first_whatever_language_it_holds() -> None:
    ordered = {**VACANCY, "order_id": "DH-X"}
    graduate = {**GRADUATE, "order_id": "DH-X"}
    assert judge(graduate, "CHE_BIEN_GO", ordered, "CHE_BIEN_GO", language=("ja", 2)) == (
        2,
        "order",
    )


# --- the report ----------------------------------------------------------------------------


def test_quality_command_prints_the_hard_set_by_half_and_per_vacancy() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "matching.evaluation", "--set", "hard", "--no-esco"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert f"sha256 {PINNED_SHA256[:16]}" in out
    halves = [line.split() for line in out.splitlines() if line.split()[:1] in (["tuning"],
              ["unseen"])]  # fmt: skip
    assert len(halves) == 2
    for row in halves:
        assert all(0.0 <= float(x) <= 1.0 for x in row[2:8]), row
    rows = [line for line in out.splitlines() if line[:1] == "H" and line[1:4].isdigit()]
    assert len(rows) == len(HARD_VACANCIES)
    assert any("sua chua may may" in row and "no-tones" in row for row in rows)
    for name in ("engine (Matcher)", "rapidfuzz titles", "TF-IDF titles"):
        assert out.count(name) >= 2, name
