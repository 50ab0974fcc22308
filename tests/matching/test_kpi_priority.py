"""K8: shares of the priority groups among the people each KPI counts."""

from __future__ import annotations

from datetime import date

from matching.kpi import priority_groups
from tests.matching.kpi_factories import follow_up, graduate, spell


def test_priority_shares_in_each_population() -> None:
    # Person 1 is a poor Thái woman in zone III; person 2 a Kinh man from a zone I ward.
    enrolments = [graduate(enrolment_id=1, person_id=1), graduate(enrolment_id=2, person_id=2)]
    spells = [
        spell(
            spell_id=71,
            person_id=1,
            kind="abroad",
            channel="xuat_khau_lao_dong",
            location_kind="abroad",
            country_code="JP",
        ),
        spell(spell_id=72, person_id=2, start_date=date(2025, 3, 1)),
    ]
    follow_ups = [
        follow_up(enrolment_id=2, person_id=2, status="unemployed", in_trained_occupation=None)
    ]

    result = priority_groups(
        2025, enrolments=enrolments, spells=spells, follow_ups=follow_ups, as_of=date(2026, 2, 1)
    )

    trained = result.populations["trained"]
    assert trained.people == 2
    assert trained.shares["ethnic_minority"].value == 0.5
    assert trained.shares["women"].numerator_ids == (1,)
    assert trained.shares["disability"].value == 0.0
    assert result.populations["new_jobs"].shares["poor_or_near_poor"].value == 0.5
    assert result.populations["departures"].shares["zone_iii"].value == 1.0
    employed = result.populations["employed_after_training"]
    assert employed.people == 1  # person 1 hired abroad after graduating; person 2 unemployed
    assert employed.shares["difficult_village"].value == 1.0


def test_only_populations_with_inputs_are_computed_and_cuts_apply() -> None:
    enrolments = [
        graduate(enrolment_id=1, person_id=1),
        graduate(enrolment_id=2, person_id=2),
        graduate(enrolment_id=3, person_id=3, sex="nam"),
    ]

    result = priority_groups(2025, enrolments=enrolments, by="commune")

    assert set(result.populations) == {"trained"}
    groups = result.populations["trained"].groups
    assert groups["03127"]["women"].value == 0.5  # persons 1 and 3 live there
    assert groups["03100"]["women"].value == 0.0
