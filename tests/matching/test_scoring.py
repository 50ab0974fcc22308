"""Scoring rules as a user sees them in a ranking."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from matching.engine import Matcher
from matching.profiles import GraduateProfile, Location
from matching.reference import reference_score
from matching.score import LEVEL_ROOM, WAGE_ROOM, WAGE_UNSTATED, Weights
from tests.matching.factories import TODAY, graduate, vacancy


def _score(g, v, **kwargs):
    return Matcher(today=TODAY, **kwargs).score_pairs([(g, v)])[0]


def test_same_occupation_code_scores_full_occupation_and_says_so() -> None:
    match = _score(graduate(), vacancy())
    assert match.components["occupation"] == 1.0
    assert match.reason.startswith("Đúng nghề May công nghiệp")
    assert match.matched_skills == ("may máy 1 kim", "vắt sổ")
    assert match.missing_skills == ("là ủi",)
    assert match.components["skills"] == pytest.approx(2 / 3)


def test_free_text_without_diacritics_or_codes_still_matches_the_trade() -> None:
    seamstress = graduate(occupation="cong nhan may", occupation_code=None)
    mechanic = graduate(id="G2", occupation="sua xe may", occupation_code=None)
    garment = vacancy(occupation_code=None)
    ranked = Matcher(today=TODAY).fit([seamstress, mechanic], [garment]).rank_graduates()
    assert [m.graduate_id for m in ranked["V1"]] == ["G1", "G2"]
    assert ranked["V1"][0].components["occupation"] >= 0.9


def test_shared_words_are_not_a_shared_trade() -> None:
    seamstress = graduate(occupation="thợ may")
    repair_job = vacancy(title="Thợ sửa xe máy", occupation_code=None, skills=())
    assert _score(seamstress, repair_job).components["occupation"] < 0.5


def test_related_occupation_gets_partial_credit() -> None:
    match = _score(
        graduate(occupation_code="MAY_THOI_TRANG", occupation="may thời trang"),
        vacancy(title="Công nhân", description=""),
    )
    assert 0.6 <= match.components["occupation"] < 1.0
    assert match.reason.startswith("Nghề gần với")


def test_untrained_people_are_scored_not_filtered() -> None:
    untrained = graduate(occupation="", occupation_code=None, level=None, skills=())
    job = vacancy(required_level="so_cap")
    match = _score(untrained, job)
    assert match.eligible and match.score > 0
    assert 0 < match.components["level"] < 1
    assert "Chưa qua đào tạo nghề" in match.reason
    ranked = Matcher(today=TODAY).fit([untrained], [job]).rank_graduates()
    assert [m.graduate_id for m in ranked["V1"]] == ["G1"]


def test_level_meets_requirement_or_falls_by_gap() -> None:
    job = vacancy(required_level="trung_cap")
    scores = [
        _score(graduate(level=lv), job).components["level"]
        for lv in ("cao_dang", "trung_cap", "so_cap", "duoi_3_thang", None)
    ]
    # Both meet it: near 1, the one trained higher a little above (the level's room).
    assert 1.0 >= scores[0] > scores[1] >= 1.0 - LEVEL_ROOM
    assert scores[1] > scores[2] > scores[3] > scores[4] > 0


def test_among_people_who_meet_the_level_fresher_training_ranks_first() -> None:
    job = vacancy(start_date=date(2026, 9, 1))
    fresh, stale, unknown = (
        graduate(id=f"G{i}", graduated_on=day)
        for i, day in enumerate((date(2026, 6, 30), date(2023, 6, 30), None), start=1)
    )
    ranked = Matcher(today=TODAY).fit([stale, unknown, fresh], [job]).rank_graduates()["V1"]
    assert [m.graduate_id for m in ranked] == ["G1", "G3", "G2"]
    assert ranked[0].score - ranked[2].score < LEVEL_ROOM * Weights().level


def test_age_outside_the_range_filters_the_pair() -> None:
    too_old = graduate(birth_year=1980)  # 46 at the start date
    match = _score(too_old, vacancy(age_max=35))
    assert not match.eligible and match.score == 0.0
    assert "độ tuổi" in match.reason
    ranked = Matcher(today=TODAY).fit([too_old], [vacancy(age_max=35)]).rank_graduates()
    assert ranked["V1"] == []


def test_clearly_unavailable_is_filtered_and_late_is_penalised() -> None:
    job = vacancy(start_date=date(2026, 7, 1))
    late = _score(graduate(available_from=date(2026, 7, 31)), job)
    far = _score(graduate(available_from=date(2026, 12, 1)), job)
    assert late.eligible and 0 < late.components["timing"] < 1
    assert not far.eligible


@pytest.mark.parametrize(
    ("willing", "location", "expected"),
    [
        (("commune",), Location.commune("03127"), 1.0),
        (("commune",), Location.commune("03334"), 0.4),
        # Within their wishes; nearer is a little better (elsewhere in the province).
        (("other_province",), Location.commune("03334"), 0.95),
        (("commune", "province"), Location.abroad("Nhật Bản"), 0.1),
        ((), Location.other_province("Bắc Ninh"), 0.6),
    ],
)
def test_place_follows_where_the_graduate_will_work(willing, location, expected) -> None:
    match = _score(graduate(willing_to_work=willing), vacancy(location=location))
    assert match.components["place"] == expected


def test_wage_below_expectation_scores_lower_and_missing_is_neutral() -> None:
    met = _score(graduate(expected_wage=8_000_000), vacancy()).components["wage"]
    roomier = _score(graduate(expected_wage=5_000_000), vacancy()).components["wage"]
    assert 1.0 - WAGE_ROOM <= met < roomier <= 1.0  # more room above the expectation
    low = _score(graduate(expected_wage=10_000_000), vacancy()).components["wage"]
    assert 0 < low < met
    assert _score(graduate(expected_wage=None), vacancy()).components["wage"] == WAGE_UNSTATED
    unknown = vacancy(wage_min=None, wage_max=None)
    assert 0 < _score(graduate(), unknown).components["wage"] < 1


def test_order_linked_graduate_outranks_identical_unlinked_one() -> None:
    job = vacancy(order_id="DH-1", quantity=1)
    linked = graduate(id="G9", order_id="DH-1")
    other = graduate(id="G1")
    ranked = Matcher(today=TODAY).fit([other, linked], [job]).rank_graduates()["V1"]
    assert [m.graduate_id for m in ranked] == ["G9", "G1"]
    assert ranked[0].components["order"] == 1.0
    assert "đơn đặt hàng" in ranked[0].reason


def test_no_vacancy_skills_is_neutral() -> None:
    assert _score(graduate(skills=()), vacancy(skills=())).components["skills"] == 1.0


def test_profiles_have_no_sex_field() -> None:
    names = {f.name for f in dataclasses.fields(GraduateProfile)}
    assert not names & {"sex", "gender", "gioi_tinh"}


def test_weights_must_be_usable() -> None:
    with pytest.raises(ValueError):
        Weights(occupation=-1)
    with pytest.raises(ValueError):
        Weights(0, 0, 0, 0, 0, 0, 1)
    assert sum(Weights().as_dict().values()) == pytest.approx(1.0)


def test_reference_agrees_on_a_hand_made_pair() -> None:
    g, v = graduate(), vacancy()
    fast = _score(g, v)
    slow = reference_score(g, v, today=TODAY)
    assert fast.score == pytest.approx(slow.score, abs=1e-9)
    assert fast.reason == slow.reason


def test_ties_break_by_id_whatever_the_input_order() -> None:
    twins = [graduate(id=i) for i in ("G3", "G1", "G2")]
    ranked = Matcher(today=TODAY).fit(twins, [vacancy()]).rank_graduates()["V1"]
    assert [m.graduate_id for m in ranked] == ["G1", "G2", "G3"]
    assert len({m.score for m in ranked}) == 1


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Matcher(today=TODAY).fit([graduate(), graduate()], [vacancy()])


@pytest.mark.parametrize(("people", "jobs"), [([], [vacancy()]), ([graduate()], []), ([], [])])
def test_empty_batches_give_empty_results(people, jobs) -> None:
    matcher = Matcher(today=TODAY).fit(people, jobs)
    assert all(not ms for ms in matcher.rank_graduates().values())
    assert all(not ms for ms in matcher.rank_vacancies().values())
    assert matcher.assign().places_filled == 0


@pytest.mark.parametrize("first", ["03313", "03370"])
def test_two_communes_of_one_batch_keep_their_own_slots(first: str) -> None:
    # A job fair matched people of Mường Lạn (03313) and Pu Nhi (03370) in one batch: each
    # commune has its own index, so only the people of the job's commune work "at home".
    second = "03370" if first == "03313" else "03313"
    people = [
        graduate(id="G1", commune_code=first, willing_to_work=("commune",)),
        graduate(id="G2", commune_code=second, willing_to_work=("commune",)),
    ]
    jobs = [
        vacancy(id="V1", location=Location.commune("03313")),
        vacancy(id="V2", location=Location.commune("03370")),
    ]
    matcher = Matcher(today=TODAY).fit(people, jobs)
    tables = matcher.tables_
    slot = dict(zip(("G1", "G2"), tables.graduates.commune.tolist(), strict=True))
    assert slot["G1"] != slot["G2"]
    assert sorted(tables.vacancies.commune.tolist()) == sorted(slot.values())
    home = {"03313": "V1", "03370": "V2"}
    for match in matcher.score_pairs([(g, v) for g in ("G1", "G2") for v in ("V1", "V2")]):
        commune = first if match.graduate_id == "G1" else second
        at_home = home[commune] == match.vacancy_id
        assert (match.components["place"] == 1.0) is at_home
        assert ("làm việc ngay tại xã" in match.reason) is at_home
