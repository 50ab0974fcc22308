"""Vacancies posted and filled, and progress toward a yearly target."""

from __future__ import annotations

from datetime import date

import pytest

from matching.kpi import TargetRecord, progress, vacancies
from matching.kpi.progress import elapsed_share, settled
from tests.matching.kpi_factories import vacancy


def test_places_offered_filled_and_median_days_to_fill() -> None:
    posted = [
        vacancy(id=1, quantity=10, filled=10, filled_on=date(2025, 4, 11)),  # 10 days
        vacancy(id=2, quantity=5, filled=5, filled_on=date(2025, 5, 1)),  # 30 days
        vacancy(id=3, quantity=5, filled=5, filled_on=date(2025, 4, 21)),  # 20 days
        vacancy(id=4, quantity=20, filled=0, occupation_key="han"),
        vacancy(id=5, quantity=8, status="draft"),  # never posted
        vacancy(id=6, created_on=date(2024, 12, 30)),  # last year
    ]

    result = vacancies(posted, 2025, by="occupation")

    assert result.total.vacancy_ids == (1, 2, 3, 4)
    assert (result.total.places_offered, result.total.places_filled) == (40, 20)
    assert result.total.fill.value == 0.5
    assert result.total.median_days_to_fill == 20
    assert result.total.filled_vacancy_ids == (1, 2, 3)
    assert result.groups["han"].fill.value == 0.0
    assert result.groups["han"].median_days_to_fill is None


def test_vacancies_by_month_of_posting() -> None:
    posted = [vacancy(id=1), vacancy(id=2, created_on=date(2025, 9, 3))]

    groups = vacancies(posted, 2025, by="month").groups

    assert list(groups) == ["2025-04", "2025-09"]


def test_linear_projection_on_elapsed_days() -> None:
    target = TargetRecord(indicator="new_jobs", year=2025, value_min=8700)

    # 30 June 2025 is day 181 of 365: 4,000 so far projects to 4,000 × 365 / 181.
    result = progress(4000, target, date(2025, 6, 30))

    assert result.elapsed == pytest.approx(181 / 365)
    assert result.projection == pytest.approx(4000 * 365 / 181)  # ≈ 8,066
    assert result.share_reached == pytest.approx(4000 / 8700)
    assert result.status == "at_risk"  # 8,066 ÷ 8,700 ≈ 0.93, between 0.9 and 1


@pytest.mark.parametrize(("value", "status"), [(4400, "ok"), (3900, "at_risk"), (3500, "behind")])
def test_status_thresholds(value: int, status: str) -> None:
    # Half of 2025 elapsed on the months basis: the projection doubles the value.
    result = progress(value, (8000, 8300), date(2025, 6, 30), 2025, basis="months")

    assert result.projection == value * 2
    assert result.target_max == 8300
    assert result.status == status


def test_months_basis_projects_nothing_in_the_first_month() -> None:
    assert elapsed_share(date(2025, 1, 31), 2025, "months") == pytest.approx(1 / 12)
    result = progress(500, 8700, date(2025, 1, 20), 2025, basis="months")

    assert (result.projection, result.status) == (None, "too_early")


def test_after_the_year_the_value_is_final_and_there_is_no_risk_left() -> None:
    result = progress(8500, 8700, date(2026, 2, 1), 2025)

    assert (result.elapsed, result.projection, result.status) == (1.0, 8500, "behind")


def test_a_share_is_not_extrapolated_and_lower_can_be_better() -> None:
    trained = progress(0.62, 0.65, date(2025, 3, 1), 2025, cumulative=False)
    agriculture = progress(
        0.66, 0.625, date(2025, 12, 31), 2025, cumulative=False, higher_is_better=False
    )

    assert (trained.projection, trained.status) == (0.62, "at_risk")
    assert agriculture.status == "behind"  # 62.5 ÷ 66 ≈ 0.95 but the year is over


def test_a_percent_target_compares_with_a_fraction() -> None:
    target = TargetRecord(
        indicator="trained_share_pct", year=2025, value_min=65, value_max=70, unit="percent"
    )

    result = progress(0.66, target, date(2025, 12, 31), cumulative=False)

    assert (result.target_min, result.target_max) == (0.65, 0.70)
    assert result.status == "ok"


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="year"):
        progress(1, 10, date(2025, 1, 1))
    with pytest.raises(ValueError, match="basis"):
        progress(1, 10, date(2025, 1, 1), 2025, basis="weeks")


def test_the_share_reached_is_at_least_100_percent_exactly_when_the_target_is_met() -> None:
    """Agriculture's share of the workforce should fall to 40 %: 40.24 % misses it, and its
    share reached must not read "100.6 %" beside "behind"."""
    over = progress(
        0.4024, 0.40, date(2025, 12, 31), 2025, cumulative=False, higher_is_better=False
    )
    under = progress(
        0.3950, 0.40, date(2025, 12, 31), 2025, cumulative=False, higher_is_better=False
    )

    assert over.status == "behind" and over.share_reached == pytest.approx(0.40 / 0.4024)
    assert over.share_reached < 1
    assert under.status == "ok" and under.share_reached >= 1
    for value in (3000, 8699, 8700, 9100):
        people = progress(value, 8700, date(2025, 12, 31), 2025)
        assert (people.share_reached >= 1) == (people.status == "ok")


def test_a_finished_year_says_reached_or_missed_and_a_running_one_says_how_it_goes() -> None:
    assert settled("ok", 1.0) == "reached"
    assert settled("behind", 1.0) == "missed"
    assert settled("ok", 0.5) == "ok"
    assert settled("behind", 0.5) == "behind"
    assert settled("at_risk", 0.5) == "at_risk"
    assert settled("too_early", 0.0) == "too_early"
