"""K9: training orders against what was ordered and the employer's hiring commitment."""

from __future__ import annotations

from datetime import date

import pytest

from matching.kpi import orders
from tests.matching.kpi_factories import enrolment, graduate, order, spell


def _cohort(order_id: int) -> list:
    """Four trainees of an order: 1 and 2 graduate, 3 completes without passing, 4 drops out;
    person 1 first enrolled in a class of the order they left."""
    return [
        enrolment(enrolment_id=10, person_id=1, training_order_id=order_id, status="bo_hoc"),
        graduate(enrolment_id=11, person_id=1, training_order_id=order_id),
        graduate(enrolment_id=12, person_id=2, training_order_id=order_id),
        enrolment(enrolment_id=13, person_id=3, training_order_id=order_id, status="hoan_thanh"),
        enrolment(enrolment_id=14, person_id=4, training_order_id=order_id, status="bo_hoc"),
    ]


def test_a_graduate_hired_by_the_ordering_employer_counts_for_the_order() -> None:
    ordered = order(id=1, employer_id=50)
    jobs = [
        spell(spell_id=71, person_id=1, employer_id=50, start_date=date(2025, 7, 1)),
        spell(spell_id=72, person_id=2, employer_id=51, start_date=date(2025, 7, 1)),
        spell(spell_id=73, person_id=3, employer_id=50, start_date=date(2025, 7, 1)),
    ]

    outcome = orders([ordered], _cohort(1), jobs).orders[1]

    assert outcome.hired.person_ids == (1,)  # 2 went to another employer; 3 did not pass
    assert outcome.hired.record_ids == (71,)
    assert outcome.enrolled.value == 4  # person 1 once, by the enrolment that graduated
    assert set(outcome.enrolled.record_ids) == {11, 12, 13, 14}
    assert (outcome.completed.value, outcome.graduated.value, outcome.certified.value) == (3, 2, 2)
    assert outcome.fill.value == pytest.approx(4 / 20)
    assert outcome.completion.value == pytest.approx(3 / 4)
    assert (outcome.commitment_met.numerator, outcome.commitment_met.denominator) == (1, 15)
    assert outcome.cost == 3_000_000 * 4
    assert outcome.cost_per_placed == pytest.approx(12_000_000)


def test_a_job_at_the_employer_before_training_began_does_not_count() -> None:
    earlier = spell(spell_id=71, person_id=1, employer_id=50, start_date=date(2024, 1, 1))

    outcome = orders([order(id=1)], _cohort(1), [earlier]).orders[1]

    assert outcome.hired.value == 0
    assert outcome.cost_per_placed is None  # nobody placed yet: no cost per person


def test_totals_and_groups_add_the_orders_and_declined_orders_are_left_out() -> None:
    sewing = order(id=1, occupation_key="may_cong_nghiep", unit_cost=None)
    welding = order(id=2, occupation_key="han", quantity=10, hiring_commitment=10)
    declined = order(id=3, status="declined")
    trainees = [
        *_cohort(1),
        graduate(enrolment_id=20, person_id=5, training_order_id=2),
        graduate(enrolment_id=21, person_id=6, training_order_id=3),
    ]
    jobs = [spell(spell_id=75, person_id=5, employer_id=50)]

    result = orders([sewing, welding, declined], trainees, jobs, by="occupation")

    assert set(result.orders) == {1, 2}
    assert result.total.ordered == 30
    assert result.total.enrolled.value == 5
    assert result.total.hired.person_ids == (5,)
    assert result.total.cost == 3_000_000  # only the welding order has a unit cost
    assert result.total.cost_per_placed == pytest.approx(3_000_000)
    assert {k: g.enrolled.value for k, g in result.groups.items()} == {
        "han": 1,
        "may_cong_nghiep": 4,
    }


def test_orders_of_a_year_by_the_day_they_were_requested() -> None:
    result = orders([order(id=1), order(id=2, requested_on=date(2024, 11, 2))], [], [], year=2025)

    assert set(result.orders) == {1}
    assert result.orders[1].fill.value == 0.0
    assert result.orders[1].completion.value is None  # nobody enrolled: no rate
