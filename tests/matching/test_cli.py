"""``python -m matching`` on small files: JSON out, or exit 2 naming the bad line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching.io import InputError, read_graduates, read_vacancies

ROOT = Path(__file__).resolve().parents[2]

GRADUATES = [
    {
        "id": "G1",
        "occupation": "thợ may",
        "occupation_code": "MAY_CONG_NGHIEP",
        "level": "so_cap",
        "skills": ["may máy 1 kim", "vắt sổ"],
        "commune_code": "03127",
        "birth_year": 2000,
        "willing_to_work": ["commune", "province", "other_province"],
        "expected_wage": 7000000,
        "available_from": "2026-06-01",
        "order_id": "DH-1",
    },
    {
        "id": "G2",
        "occupation": "cong nhan may",
        "skills": ["may may 1 kim"],
        "commune_code": "03334",
        "birth_year": 1995,
        "willing_to_work": ["other_province"],
        "unknown_field": "ignored",
    },
    {"id": "G3", "occupation": "sua xe may"},
]
VACANCIES = [
    {
        "id": "V1",
        "employer_id": "E1",
        "title": "Tuyển công nhân may công nghiệp",
        "description": "Bắc Ninh",
        "occupation_code": "MAY_CONG_NGHIEP",
        "required_level": None,
        "skills": ["may máy 1 kim", "vắt sổ", "là ủi"],
        "location": {"kind": "other_province", "province": "Bắc Ninh"},
        "wage_min": 6000000,
        "wage_max": 8000000,
        "quantity": 1,
        "age_min": 18,
        "age_max": 35,
        "start_date": "2026-07-01",
        "order_id": "DH-1",
    },
    {
        "id": "V2",
        "title": "Thợ sửa xe máy",
        "quantity": 2,
        "location": {"kind": "commune", "commune_code": "03127"},
    },
]


def _write(path: Path, records: list) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "g.jsonl", GRADUATES), _write(tmp_path / "v.jsonl", VACANCIES)


def test_rank_prints_one_json_object_per_vacancy(files) -> None:
    graduates, vacancies = files
    result = _run(
        "rank",
        "--graduates",
        str(graduates),
        "--vacancies",
        str(vacancies),
        "--top",
        "2",
        "--today",
        "2026-06-15",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["vacancy_id"] for line in lines] == ["V1", "V2"]
    first = lines[0]["matches"]
    assert len(first) == 2 and first[0]["graduate_id"] == "G1"
    assert set(first[0]) == {
        "graduate_id",
        "score",
        "components",
        "matched_skills",
        "missing_skills",
        "reason",
    }
    assert first[0]["matched_skills"] == ["may máy 1 kim", "vắt sổ"]
    assert first[0]["missing_skills"] == ["là ủi"]
    assert first[0]["reason"].startswith("Đúng nghề")
    assert first[0]["score"] >= first[1]["score"]
    assert all(0 <= v <= 1 for m in first for v in m["components"].values())


def test_assign_prints_a_plan_with_the_greedy_total(files) -> None:
    graduates, vacancies = files
    result = _run("assign", "--graduates", str(graduates), "--vacancies", str(vacancies))
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert set(plan) == {"assignments", "places_filled", "total_score", "greedy_total_score"}
    assert plan["places_filled"] == len(plan["assignments"]) == 3
    assert {"graduate_id": "G1", "vacancy_id": "V1"}.items() <= plan["assignments"][0].items()
    assert plan["total_score"] >= plan["greedy_total_score"] - 1e-9


def test_normalise_command(tmp_path: Path) -> None:
    result = _run("normalise", "tho may", "sua xe may", "--top", "1")
    assert result.returncode == 0
    keys = [json.loads(line)["occupations"][0]["key"] for line in result.stdout.splitlines()]
    assert keys == ["MAY_CONG_NGHIEP", "SUA_CHUA_XE_MAY"]


BAD_VACANCIES = [
    ("{not json", "JSON"),
    (
        '{"id": "V9", "title": "x", "location": {"kind": "abroad"}, "required_level": "dai_hoc"}',
        "trình độ",
    ),
    ('{"id": "V9", "location": {"kind": "abroad"}, "quantity": 0}', "quantity"),
    ('{"id": "V9", "location": {"kind": "abroad"}, "quantity": -3}', "quantity"),
    (
        '{"id": "V9", "location": {"kind": "abroad"}, "wage_min": 9000000, "wage_max": 5000000}',
        "wage_min > wage_max",
    ),
    ('{"id": "V9", "location": {"kind": "abroad"}, "start_date": "2026-13-45"}', "start_date"),
    ('{"title": "no id", "location": {"kind": "abroad"}}', "id"),
    ('{"id": "V9", "location": {"kind": "moon"}}', "location"),
    ("[1, 2]", "JSON"),
    ('{"id": "V1", "location": {"kind": "abroad"}}', "duplicate"),
]


@pytest.mark.parametrize(("line", "word"), BAD_VACANCIES)
def test_bad_vacancy_line_exits_2_naming_file_and_line(tmp_path, files, line, word) -> None:
    graduates, _ = files
    vacancies = _write(tmp_path / "bad.jsonl", [VACANCIES[0], "", line])
    result = _run("rank", "--graduates", str(graduates), "--vacancies", str(vacancies))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "bad.jsonl" in result.stderr and "dòng 3" in result.stderr
    assert word in result.stderr


@pytest.mark.parametrize(
    ("record", "word"),
    [
        ({"id": "G9", "level": "master"}, "level"),
        ({"id": "G9", "available_from": "soon"}, "available_from"),
        ({"id": "G9", "willing_to_work": ["mars"]}, "willing_to_work"),
        ({"id": "G9", "expected_wage": -1}, "expected_wage"),
        ({"occupation": "thợ may"}, "id"),
    ],
)
def test_bad_graduate_line_exits_2(tmp_path, files, record, word) -> None:
    _, vacancies = files
    graduates = _write(tmp_path / "g_bad.jsonl", [GRADUATES[0], record])
    result = _run("assign", "--graduates", str(graduates), "--vacancies", str(vacancies))
    assert result.returncode == 2 and result.stdout == ""
    assert "g_bad.jsonl" in result.stderr and "dòng 2" in result.stderr and word in result.stderr


def test_missing_file_exits_2(tmp_path: Path, files) -> None:
    _, vacancies = files
    result = _run(
        "rank", "--graduates", str(tmp_path / "nope.jsonl"), "--vacancies", str(vacancies)
    )
    assert result.returncode == 2 and result.stdout == ""


def test_readers_raise_input_error_with_line_and_message(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "v.jsonl",
        [VACANCIES[1], '{"id": "V3", "quantity": 0, "location": {"kind": "abroad"}}'],
    )
    with pytest.raises(InputError) as caught:
        read_vacancies(path)
    assert caught.value.line == 2
    assert "quantity" in caught.value.message
    graduates = read_graduates(_write(tmp_path / "g.jsonl", GRADUATES))
    assert [g.id for g in graduates] == ["G1", "G2", "G3"]
    assert graduates[2].skills == () and graduates[2].level is None
