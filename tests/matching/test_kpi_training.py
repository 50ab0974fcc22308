"""K1: people trained in a year, against hand-computed cases."""

from __future__ import annotations

from datetime import date

import pytest

from matching.kpi import trained
from tests.matching.kpi_factories import enrolment, graduate


def test_a_person_trained_twice_counts_once_at_the_highest_level() -> None:
    short = graduate(
        enrolment_id=1,
        level="duoi_3_thang",
        started_on=date(2025, 1, 5),
        graduated_on=date(2025, 2, 20),
    )
    elementary = enrolment(enrolment_id=2, level="so_cap", started_on=date(2025, 3, 10))
    other = enrolment(enrolment_id=3, person_id=2, level="duoi_3_thang")

    result = trained([short, elementary, other], 2025, by="level")

    assert result.total.trained.value == 2
    assert set(result.total.trained.person_ids) == {1, 2}
    assert set(result.total.trained.record_ids) == {2, 3}  # person 1 by the sơ cấp enrolment
    assert {level: c.trained.value for level, c in result.groups.items()} == {
        "duoi_3_thang": 1,
        "so_cap": 1,
    }
    assert result.groups["so_cap"].trained.person_ids == (1,)


def test_trained_in_a_year_means_started_in_it_finishers_shown_beside() -> None:
    """The resolution counts the people who started training in the year; finishing a course
    begun the year before counts among the finished, not again among the trained."""
    records = [
        graduate(  # started in 2024, graduated in 2025: finished in 2025, trained in 2024
            enrolment_id=1,
            person_id=1,
            started_on=date(2024, 9, 1),
            graduated_on=date(2025, 6, 15),
        ),
        enrolment(enrolment_id=2, person_id=2, status="bo_hoc"),  # started 2025, dropped
        enrolment(enrolment_id=3, person_id=3, started_on=date(2024, 9, 1)),  # still studying
        enrolment(  # completed without a certificate: finished on the course's end date
            enrolment_id=4,
            person_id=4,
            started_on=date(2024, 10, 1),
            ended_on=date(2025, 1, 31),
            status="hoan_thanh",
        ),
        enrolment(  # dropped a course begun in 2024: not trained in 2025
            enrolment_id=5, person_id=5, started_on=date(2024, 5, 1), status="bo_hoc"
        ),
    ]

    total = trained(records, 2025).total

    assert set(total.trained.person_ids) == {2}
    assert set(total.started.person_ids) == {2}
    assert set(total.finished.person_ids) == {1, 4}
    assert set(total.certified.person_ids) == {1}
    assert trained(records, 2024).total.started.value == 4
    assert trained(records, 2024).total.trained.value == 4


def test_by_month_uses_the_date_the_enrolment_counts_on() -> None:
    records = [
        enrolment(enrolment_id=1, person_id=1, started_on=date(2025, 3, 10)),
        graduate(
            enrolment_id=2,
            person_id=2,
            started_on=date(2024, 9, 1),
            graduated_on=date(2025, 6, 15),
        ),
    ]

    result = trained(records, 2025, by="month")

    assert {month: c.trained.value for month, c in result.groups.items()} == {
        "2025-03": 1,
        "2025-06": 0,  # a finisher of a course begun in 2024: among the finished only
    }
    assert result.groups["2025-06"].finished.value == 1
    assert result.groups["2025-06"].started.value == 0


def test_each_sub_count_is_split_by_its_own_deciding_enrolment() -> None:
    # Person 1 starts a sơ cấp course in 2025 and finishes a short course begun in 2024.
    records = [
        enrolment(enrolment_id=1, level="so_cap", started_on=date(2025, 3, 1)),
        graduate(
            enrolment_id=2,
            level="duoi_3_thang",
            started_on=date(2024, 12, 1),
            graduated_on=date(2025, 1, 20),
        ),
    ]

    result = trained(records, 2025, by="level")

    assert result.total.trained.value == 1
    assert result.groups["so_cap"].trained.value == 1
    assert result.groups["so_cap"].started.value == 1
    assert result.groups["duoi_3_thang"].trained.value == 0
    assert result.groups["duoi_3_thang"].finished.value == 1


def test_group_attribution_counts_a_person_in_every_institution() -> None:
    records = [
        enrolment(enrolment_id=1, institution_id=7, level="so_cap"),
        enrolment(enrolment_id=2, institution_id=8, level="duoi_3_thang"),
        enrolment(enrolment_id=3, person_id=2, institution_id=8),
    ]

    by_person = trained(records, 2025, by="institution")
    by_group = trained(records, 2025, by="institution", attribution="group")

    assert {k: c.trained.value for k, c in by_person.groups.items()} == {7: 1, 8: 1}
    assert {k: c.trained.value for k, c in by_group.groups.items()} == {7: 1, 8: 2}
    assert by_group.total.trained.value == 2
    with pytest.raises(ValueError, match="attribution"):
        trained(records, 2025, by="institution", attribution="each")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "by", ["level", "commune", "zone", "sex", "ethnicity", "institution", "priority_group"]
)
def test_cuts_by_person_dimensions_add_up_to_the_total(by: str) -> None:
    records = [
        enrolment(enrolment_id=1, person_id=1, level="duoi_3_thang"),
        enrolment(enrolment_id=2, person_id=1, level="so_cap", institution_id=8),
        enrolment(enrolment_id=3, person_id=2, level="trung_cap"),
        graduate(enrolment_id=4, person_id=3, started_on=date(2024, 11, 1), level=None),
    ]

    result = trained(records, 2025, by=by)

    total = sum(c.trained.value for c in result.groups.values())
    if by == "priority_group":  # groups overlap: a Thái woman is in several
        assert total >= result.total.trained.value
    else:
        assert total == result.total.trained.value == 2  # person 3 only finished in 2025


def test_two_dimensions_give_tuple_keys_with_none_last() -> None:
    records = [
        enrolment(enrolment_id=1, person_id=1),
        enrolment(enrolment_id=2, person_id=2, commune_code=None),
    ]

    result = trained(records, 2025, by=("commune", "sex"))

    assert list(result.groups) == [("03127", "nu"), (None, "nam")]
    assert result.by == ("commune", "sex")
