"""Tests for matching.evaluation: metrics by hand, the officer's rules, the set, the commands."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import pytest

from matching.evaluation import esco, generate
from matching.evaluation.dataset import DATA_DIR, read_qrels
from matching.evaluation.labels import judge
from matching.evaluation.metrics import (
    dcg,
    hit_at_k,
    mean_ranking_metrics,
    ndcg_at_k,
    precision_at_k,
)
from matching.evaluation.spec import VACANCIES
from matching.text import search_key

REPO_ROOT = Path(__file__).resolve().parents[2]
HAS_ENGINE = importlib.util.find_spec("matching.engine") is not None
HAS_IO = importlib.util.find_spec("matching.io") is not None
needs_engine = pytest.mark.skipif(not HAS_ENGINE, reason="matching.engine is not there yet")

# --- metrics, computed by hand ------------------------------------------------------------


def test_dcg_discounts_by_log2_of_rank_plus_one() -> None:
    # 2/log2(2) + 0/log2(3) + 1/log2(4) = 2 + 0 + 0.5
    assert dcg([2, 0, 1], k=3) == pytest.approx(2.5)
    assert dcg([2, 0, 1], k=1) == pytest.approx(2.0)


def test_ndcg_of_a_ranking_with_one_swap() -> None:
    relevance = {"a": 2, "b": 0, "c": 1}
    ideal = 2 + 1 / math.log2(3)  # a then c
    assert ndcg_at_k(["a", "b", "c"], relevance, k=3) == pytest.approx(2.5 / ideal)
    assert ndcg_at_k(["a", "b", "c"], relevance, k=3) == pytest.approx(0.950234, abs=1e-6)


def test_ndcg_is_one_for_the_ideal_order_and_zero_without_relevant_items() -> None:
    assert ndcg_at_k(["a", "c", "b"], {"a": 2, "b": 0, "c": 1}, k=10) == pytest.approx(1.0)
    assert ndcg_at_k(["a", "b"], {"a": 0, "b": 0}, k=10) == 0.0
    assert ndcg_at_k([], {"a": 1}, k=10) == 0.0


def test_ndcg_counts_relevant_items_the_ranker_missed_in_the_ideal() -> None:
    # Only "x" (grade 1) retrieved, at rank 2; ideal holds "y" (2) then "x" (1).
    value = ndcg_at_k(["z", "x"], {"x": 1, "y": 2}, k=10)
    assert value == pytest.approx((1 / math.log2(3)) / (2 + 1 / math.log2(3)))


def test_ndcg_cuts_at_k() -> None:
    assert ndcg_at_k(["z", "a"], {"a": 1}, k=1) == 0.0
    assert ndcg_at_k(["z", "a"], {"a": 1}, k=2) == pytest.approx(1 / math.log2(3))


def test_precision_divides_by_k_and_counts_grades_from_one() -> None:
    relevance = {"a": 1, "b": 0, "c": 2}
    assert precision_at_k(["a", "b", "c"], relevance, k=5) == pytest.approx(2 / 5)
    assert precision_at_k(["a", "b", "c", "d", "e", "c"], relevance, k=5) == pytest.approx(2 / 5)
    assert precision_at_k(["c"], relevance, k=5, threshold=2) == pytest.approx(1 / 5)


def test_hit_at_k() -> None:
    assert hit_at_k(["a", "b"], "b", 2) and not hit_at_k(["a", "b"], "b", 1)


def test_mean_metrics_skip_queries_without_relevant_items_and_punish_missing_rankings() -> None:
    qrels = {"q1": {"a": 2}, "q2": {"b": 1}, "q3": {"c": 0}}
    metrics = mean_ranking_metrics({"q1": ["a"]}, qrels, k_ndcg=10, k_precision=5)
    assert metrics["queries"] == 2
    assert metrics["ndcg@10"] == pytest.approx(0.5)  # 1.0 for q1, 0.0 for q2 (no ranking)
    assert metrics["p@5"] == pytest.approx(0.1)


# --- the placement officer's rules ---------------------------------------------------------

VACANCY = {
    "id": "V", "required_level": "so_cap", "location": {"kind": "abroad", "country": "Nhật Bản"},
    "wage_max": 30_000_000, "age_min": 18, "age_max": 35, "start_date": "2026-10-01",
    "order_id": "DH-1",
}  # fmt: skip
GRADUATE = {
    "id": "G", "level": "so_cap", "commune_code": "03160",
    "willing_to_work": ["commune", "province", "other_province", "abroad"],
    "birth_year": 2000, "expected_wage": None, "available_from": None, "order_id": None,
}  # fmt: skip


def _judge(key: str = "HAN", **changes: object) -> tuple[int, str]:
    return judge({**GRADUATE, **changes}, key, VACANCY, "HAN", also_plausible=("TIENG_NHAT_HAN",))


@pytest.mark.parametrize(
    ("key", "changes", "expected"),
    [
        ("HAN", {}, 2),
        ("MAY_CONG_NGHIEP", {"order_id": "DH-1"}, 2),  # trained for this order: refer first
        ("CAT_GOT_KIM_LOAI", {}, 1),  # related trade
        ("TIENG_NHAT_HAN", {}, 1),  # this employer also takes language graduates
        ("MAY_CONG_NGHIEP", {}, 0),  # unrelated trade
        ("HAN", {"level": "duoi_3_thang"}, 1),  # one level short
        ("HAN", {"level": None}, 0),  # two levels short
        ("HAN", {"willing_to_work": ["commune", "province"]}, 0),  # will not go abroad
        ("HAN", {"willing_to_work": []}, 1),  # never asked: the officer phones
        ("HAN", {"birth_year": 1985}, 0),  # 41 in 2026, limit 35
        ("HAN", {"birth_year": None}, 1),
        ("HAN", {"expected_wage": 40_000_000}, 1),
        ("HAN", {"available_from": "2027-01-15"}, 1),
    ],
)
def test_officer_rules(key: str, changes: dict, expected: int) -> None:
    assert _judge(key, **changes)[0] == expected


def test_commune_job_needs_the_same_commune_or_willingness_to_move() -> None:
    vacancy = {**VACANCY, "location": {"kind": "commune", "commune_code": "03127"},
               "age_min": None, "age_max": None, "order_id": None}  # fmt: skip
    stay_home = {**GRADUATE, "willing_to_work": ["commune"]}
    assert judge(stay_home, "HAN", vacancy, "HAN")[0] == 0
    assert judge({**stay_home, "commune_code": "03127"}, "HAN", vacancy, "HAN")[0] == 2
    assert judge({**GRADUATE, "willing_to_work": ["province"]}, "HAN", vacancy, "HAN")[0] == 2


# --- the labelled set ----------------------------------------------------------------------


def test_generator_is_deterministic_and_the_committed_files_are_its_output(tmp_path: Path) -> None:
    generate.write(tmp_path)
    for name in ("vacancies.jsonl", "graduates.jsonl", "qrels.tsv"):
        committed = (DATA_DIR / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, name


def test_the_set_is_large_enough_and_every_vacancy_has_a_relevant_graduate() -> None:
    qrels = read_qrels(DATA_DIR / "qrels.tsv")
    graduates = (DATA_DIR / "graduates.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(VACANCIES) >= 30 and len(graduates) >= 150
    for spec in VACANCIES:
        assert max(qrels[spec.id].values()) >= 1, spec.id
    grades = [g for judged in qrels.values() for g in judged.values()]
    assert {0, 1, 2} <= set(grades)


def test_the_set_holds_the_hard_cases() -> None:
    titles = [spec.title for spec in VACANCIES]
    assert any(title == search_key(title) for title in titles)  # typed without diacritics
    kinds = {spec.location["kind"] for spec in VACANCIES}
    assert kinds == {"commune", "other_province", "abroad"}
    rules = (DATA_DIR / "qrels.tsv").read_text(encoding="utf-8")
    for rule in ("order", "level", "location", "age", "wage", "late", "age?"):
        assert f"\t{rule}" in rules or f"+{rule}" in rules, rule


def test_read_qrels_rejects_a_bad_grade(tmp_path: Path) -> None:
    path = tmp_path / "qrels.tsv"
    path.write_text("V1\tG1\t3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"qrels\.tsv:1"):
        read_qrels(path)


# --- ESCO benchmark reader -----------------------------------------------------------------


def test_esco_queries_are_alternative_labels_unlike_any_preferred_label(tmp_path: Path) -> None:
    (tmp_path / "occupations.csv").write_text(
        "CODE,PREFERREDLABEL,ALTLABELS\n"
        '1.1,welder,"welder\nWelding operative\nbaker"\n'
        '2.2,baker,"bread maker\nBaker"\n',
        encoding="utf-8",
    )
    benchmark = esco.read_benchmark(tmp_path)
    assert benchmark.queries == ["Welding operative", "bread maker"]
    assert benchmark.targets == ["1.1", "2.2"]
    ranked = esco.tfidf_baseline(benchmark, k=2)
    assert ranked[0][0] == "1.1" and ranked[1][0] == "2.2"


# --- commands ------------------------------------------------------------------------------


def _run(*args: str, timeout: int = 300) -> str:
    completed = subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@needs_engine
def test_quality_command_prints_a_row_per_ranker_and_the_margins() -> None:
    out = _run("-m", "matching.evaluation", "--set", "first", "--no-esco")
    rows = {line.split("  ")[0]: line.split() for line in out.splitlines()}
    for name in ("engine (Matcher)", "rapidfuzz titles", "TF-IDF titles"):
        figures = [float(x) for x in rows[name][-5:]]
        assert all(0.0 <= x <= 1.0 for x in figures[:4]), rows[name]
    assert out.count("engine (Matcher) vs ") == 2


def test_quality_command_skips_esco_when_the_benchmark_is_absent(tmp_path: Path) -> None:
    if not HAS_IO:
        pytest.skip("matching.io is not there yet")
    if not HAS_ENGINE:
        pytest.skip("matching.engine is not there yet")
    out = _run("-m", "matching.evaluation", "--esco", str(tmp_path / "nowhere"))
    assert "ESCO benchmark skipped" in out


@needs_engine
@pytest.mark.parametrize("script", ["bench/bench_matching.py", "bench/bench_national.py"])
def test_benchmark_quick_mode_prints_its_figures(script: str) -> None:
    out = _run(script, "--quick", timeout=600)
    for part in ("fit + scoring", "top-10 graduates per vacancy", "total", "peak RSS"):
        assert part in out, part
    assert "goal total" in out and "goal peak" in out
