"""Language requirements of programmes abroad, as an officer reads them."""

from __future__ import annotations

import pytest

from matching.engine import Matcher
from matching.languages import (
    Requirement,
    held_languages,
    required_language,
    strip_language,
    without_languages,
)
from matching.profiles import Location
from tests.matching.factories import TODAY, graduate, vacancy


@pytest.mark.parametrize(
    ("title", "skills", "description", "expected"),
    [
        ("Kỹ năng đặc định ngành hàn - Nhật Bản (tiếng Nhật N4)", (), "", ("ja", 2)),
        ("TTS may mặc Nhật Bản (N5)", (), "", ("ja", 1)),
        ("Điều dưỡng kaigo", ("JLPT N3",), "", ("ja", 3)),
        ("EPS Hàn Quốc chăn nuôi", (), "", ("ko", 1)),
        ("Công nhân điện tử Đài Loan (tiếng Trung cơ bản)", (), "", ("zh", 1)),
        ("Hộ lý Đài Loan", ("TOCFL A2",), "", ("zh", 2)),
        ("Thu hoạch nông sản Hàn Quốc", (), "Không yêu cầu tiếng Hàn.", None),
        ("Thợ hàn điện", ("hàn hồ quang",), "", None),
        ("Nhân viên bán hàng", (), "", None),
    ],
)
def test_a_job_ad_names_its_language_and_level(title, skills, description, expected) -> None:
    found = required_language(title, description, skills)
    assert (found and (found.language, found.level)) == expected


def test_graduates_type_their_certificates_in_many_ways() -> None:
    assert held_languages(["JLPT N5", "tiếng Nhật N4"]) == {"ja": 2}
    assert held_languages(["tieng Han (da thi EPS)"]) == {"ko": 1}
    assert held_languages(["tiếng Hàn sơ cấp"]) == {"ko": 0}  # studied, no certificate
    assert held_languages(["tiếng Hoa cơ bản"]) == {"zh": 1}
    assert held_languages(["hàn hồ quang", "may máy 1 kim"]) == {}


def test_the_trade_is_read_without_country_and_language() -> None:
    assert "hàn" not in strip_language("EPS Hàn Quốc chăn nuôi").lower()
    assert strip_language("TTS may mặc Nhật Bản (N5)").split()[:2] == ["may", "mặc"]
    assert without_languages(("hàn hồ quang", "tiếng Nhật N4")) == ("hàn hồ quang",)


def _welders() -> list:
    base = dict(occupation="Thợ hàn", occupation_code=None, willing_to_work=("abroad",))
    return [
        graduate(id="G_N3", skills=("hàn hồ quang", "JLPT N3"), **base),
        graduate(id="G_N4", skills=("hàn hồ quang", "tiếng Nhật N4"), **base),
        graduate(id="G_N5", skills=("hàn hồ quang", "tieng Nhat N5"), **base),
        graduate(id="G_KO", skills=("hàn hồ quang", "đỗ EPS-TOPIK"), **base),
        graduate(id="G_NONE", skills=("hàn hồ quang",), **base),
    ]


def test_levels_are_ordered_and_a_requirement_not_met_lowers_the_score() -> None:
    job = vacancy(
        title="Kỹ năng đặc định ngành hàn - Nhật Bản (tiếng Nhật N4)",
        occupation_code=None,
        skills=("hàn hồ quang", "tiếng Nhật N4"),
        location=Location.abroad("Nhật Bản"),
        required_level=None,
    )
    ranked = Matcher(today=TODAY).fit(_welders(), [job]).rank_graduates()["V1"]
    by_id = {m.graduate_id: m for m in ranked}
    assert {m.graduate_id for m in ranked[:2]} == {"G_N3", "G_N4"}
    assert by_id["G_N4"].score > by_id["G_N5"].score > by_id["G_KO"].score
    assert by_id["G_KO"].score == pytest.approx(by_id["G_NONE"].score)
    # The language is its own requirement, not also a skill missing.
    assert by_id["G_N3"].missing_skills == ()
    assert "JLPT N4" in by_id["G_N4"].reason and "có ngoại ngữ" in by_id["G_N4"].reason
    assert "thấp hơn yêu cầu một bậc" in by_id["G_N5"].reason
    assert "chưa có ngoại ngữ" in by_id["G_NONE"].reason


def test_a_job_without_a_language_requirement_is_unchanged() -> None:
    job = vacancy(title="Thợ hàn", occupation_code=None, skills=("hàn hồ quang",))
    ranked = Matcher(today=TODAY).fit(_welders(), [job]).rank_graduates()["V1"]
    assert len({round(m.score, 9) for m in ranked}) == 1
    assert all(m.components["language"] == 1.0 for m in ranked)
    assert all("ngoại ngữ" not in m.reason for m in ranked)


def test_a_training_order_cohort_is_not_held_to_the_language() -> None:
    job = vacancy(
        title="Điều dưỡng kaigo Nhật Bản - tiếng Nhật N4",
        location=Location.abroad("Nhật Bản"),
        order_id="DH-1",
    )
    cohort = graduate(id="G1", order_id="DH-1", skills=(), willing_to_work=("abroad",))
    match = Matcher(today=TODAY).score_pairs([(cohort, job)])[0]
    assert match.components["language"] == 1.0


def test_requirement_is_a_plain_value() -> None:
    assert Requirement("ja", 2) == Requirement("ja", 2)
