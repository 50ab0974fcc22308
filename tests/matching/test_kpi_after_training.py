"""K7: employment after training, against hand-computed cases.

Graduates here finish on 30/6/2025 unless said otherwise, so the 6-month window falls on
30/12/2025 and everything is due by AS_OF.
"""

from __future__ import annotations

from datetime import date

import pytest

from matching.kpi import employment_after_training
from tests.matching.kpi_factories import follow_up, graduate, spell

AS_OF = date(2026, 2, 1)


def _k7(graduates, follow_ups=(), hires=(), window=6, **kwargs):
    return employment_after_training(
        graduates,
        follow_ups,
        hires,
        window_months=window,
        cohort=kwargs.pop("cohort", 2025),
        as_of=kwargs.pop("as_of", AS_OF),
        **kwargs,
    )


def test_a_hire_and_a_later_follow_up_of_the_same_job_are_one_observation() -> None:
    graduated = graduate(enrolment_id=1)
    job = spell(spell_id=70, enrolment_id=1, start_date=date(2025, 8, 1))
    asked = follow_up(follow_up_id=80, enrolment_id=1, status="wage", employment_spell_id=70)

    total = _k7([graduated], [asked], [job]).total

    assert total.graduates_due == 1
    assert total.response.numerator == 1
    assert (total.employed.numerator, total.employed.denominator) == (1, 1)
    assert len(total.observations) == 1
    assert (total.observations[0].follow_up_id, total.observations[0].spell_id) == (80, 70)


def test_a_hire_recorded_on_the_platform_counts_without_a_follow_up() -> None:
    graduated = graduate(enrolment_id=1)
    job = spell(spell_id=70, start_date=date(2025, 8, 1), in_trained_occupation=False)

    six = _k7([graduated], hires=[job]).total
    at_graduation = _k7([graduated], hires=[job], window=0).total

    assert six.employed.value == 1.0
    assert six.in_trained_occupation.value == 0.0
    assert six.observations[0].spell_id == 70
    assert six.observations[0].follow_up_id is None
    # At graduation the job had not started: nothing is known at that window.
    assert at_graduation.response.numerator == 0
    assert at_graduation.unobserved_ids == (1,)


def test_a_hire_must_be_running_at_the_window_and_follow_graduation() -> None:
    graduated = graduate(enrolment_id=1)
    ended = spell(spell_id=71, start_date=date(2025, 7, 1), end_date=date(2025, 9, 30))
    before = spell(spell_id=72, start_date=date(2024, 1, 1))  # a job held before training
    order_hire = spell(spell_id=73, enrolment_id=1, start_date=date(2025, 6, 25))

    assert _k7([graduated], hires=[ended, before]).total.response.numerator == 0
    # The ordering employer hired the trainee days before graduation, linked to the enrolment.
    at_graduation = _k7([graduated], hires=[order_hire], window=0).total
    assert at_graduation.employed.numerator_ids == (1,)


def test_non_responses_are_out_of_the_denominator_but_reported() -> None:
    graduates = [graduate(enrolment_id=i, person_id=i) for i in (1, 2, 3, 4)]
    asked = [
        follow_up(enrolment_id=1, person_id=1, status="wage"),
        follow_up(enrolment_id=2, person_id=2, status="unemployed", in_trained_occupation=None),
        follow_up(enrolment_id=3, person_id=3, status="not_reached", in_trained_occupation=None),
    ]

    total = _k7(graduates, asked).total

    assert total.graduates_due == 4
    assert (total.response.numerator, total.response.denominator) == (2, 4)
    assert (total.employed.numerator, total.employed.denominator) == (1, 2)
    assert total.employed.value == 0.5
    assert total.not_reached_ids == (3,)
    assert total.unobserved_ids == (4,)


def test_studying_and_military_service_leave_the_denominator() -> None:
    graduates = [graduate(enrolment_id=i, person_id=i) for i in (1, 2, 3, 4)]
    asked = [
        follow_up(enrolment_id=1, person_id=1, status="self_employed"),
        follow_up(enrolment_id=2, person_id=2, status="studying"),
        follow_up(enrolment_id=3, person_id=3, status="military"),
        follow_up(enrolment_id=4, person_id=4, status="unemployed"),
    ]

    total = _k7(graduates, asked).total

    assert total.response.value == 1.0  # they all answered
    assert set(total.employed.denominator_ids) == {1, 4}
    assert total.employed.value == 0.5
    assert (total.studying_ids, total.military_ids) == ((2,), (3,))


def test_improved_same_job_counts_only_for_short_courses() -> None:
    short = graduate(enrolment_id=1, person_id=1, level="duoi_3_thang")
    elementary = graduate(enrolment_id=2, person_id=2, level="so_cap")
    asked = [
        follow_up(enrolment_id=1, person_id=1, status="improved_same_job"),
        follow_up(enrolment_id=2, person_id=2, status="improved_same_job"),
    ]

    result = _k7([short, elementary], asked, by="level")

    assert result.total.employed.numerator_ids == (1,)
    assert result.total.employed.denominator == 2
    assert result.groups["duoi_3_thang"].employed.value == 1.0
    assert result.groups["so_cap"].employed.value == 0.0


def test_a_hire_replaces_a_non_response_but_an_answer_is_kept() -> None:
    unreached = graduate(enrolment_id=1, person_id=1)
    answered = graduate(enrolment_id=2, person_id=2)
    asked = [
        follow_up(enrolment_id=1, person_id=1, status="not_reached", in_trained_occupation=None),
        follow_up(enrolment_id=2, person_id=2, status="unemployed", in_trained_occupation=None),
    ]
    jobs = [
        spell(spell_id=71, person_id=1, start_date=date(2025, 9, 1)),
        spell(spell_id=72, person_id=2, start_date=date(2025, 9, 1)),
    ]

    total = _k7([unreached, answered], asked, jobs).total

    assert total.not_reached_ids == ()
    assert total.employed.numerator_ids == (1,)  # the person asked said unemployed
    assert total.response.value == 1.0


def test_only_graduations_due_by_as_of_are_counted_unless_already_observed() -> None:
    early = graduate(enrolment_id=1, person_id=1, graduated_on=date(2025, 6, 30))
    late = graduate(enrolment_id=2, person_id=2, graduated_on=date(2025, 12, 15))
    observed_early = graduate(enrolment_id=3, person_id=3, graduated_on=date(2025, 12, 15))
    dropped = graduate(enrolment_id=4, person_id=4, status="bo_hoc")
    asked = [follow_up(enrolment_id=3, person_id=3, status="wage")]

    total = _k7([early, late, observed_early, dropped], asked).total

    assert total.graduates_due == 2  # enrolments 1 and 3; 2 is due on 15/6/2026
    assert total.response.denominator_ids == (1, 3)


def test_a_hire_says_nothing_about_a_window_still_to_come() -> None:
    recent = graduate(enrolment_id=1, graduated_on=date(2025, 12, 15))  # 6 months: 15/6/2026
    job = spell(spell_id=70, start_date=date(2026, 1, 5))

    assert _k7([recent], hires=[job]).total.graduates_due == 0
    later = _k7([recent], hires=[job], as_of=date(2026, 6, 15)).total
    assert later.employed.numerator_ids == (1,)


def test_trained_occupation_rate_shares_the_employed_denominator() -> None:
    graduates = [graduate(enrolment_id=i, person_id=i) for i in (1, 2, 3)]
    asked = [
        follow_up(enrolment_id=1, person_id=1, status="wage", in_trained_occupation=True),
        follow_up(enrolment_id=2, person_id=2, status="household", in_trained_occupation=False),
        follow_up(enrolment_id=3, person_id=3, status="unemployed", in_trained_occupation=True),
    ]

    total = _k7(graduates, asked).total

    assert total.employed.value == pytest.approx(2 / 3)
    assert total.in_trained_occupation.numerator_ids == (1,)
    assert total.in_trained_occupation.denominator == 3


def test_cohort_as_a_date_range_and_cut_by_month_of_graduation() -> None:
    graduates = [
        graduate(enrolment_id=1, person_id=1, graduated_on=date(2025, 5, 20)),
        graduate(enrolment_id=2, person_id=2, graduated_on=date(2025, 6, 30)),
        graduate(enrolment_id=3, person_id=3, graduated_on=date(2025, 7, 1)),
    ]
    cohort = (date(2025, 5, 1), date(2025, 6, 30))

    result = _k7(graduates, cohort=cohort, by="month", window=3)

    assert result.total.graduates_due == 2
    assert {m: s.graduates_due for m, s in result.groups.items()} == {"2025-05": 1, "2025-06": 1}


def test_bad_window_or_reversed_cohort_is_refused() -> None:
    with pytest.raises(ValueError, match="window_months"):
        _k7([graduate()], window=9)
    with pytest.raises(ValueError, match="period starts"):
        _k7([graduate()], cohort=(date(2025, 6, 1), date(2025, 1, 1)))
