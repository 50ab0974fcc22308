"""The record types and the one generic cut every KPI uses."""

from __future__ import annotations

import csv
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from matching.kpi import CHANNELS, LEVELS, EmploymentRecord, EnrolmentRecord, cut
from matching.kpi.after_training import EMPLOYED_STATUSES, IMPROVED_SAME_JOB
from matching.kpi.cuts import age_band
from matching.kpi.dates import add_months
from matching.kpi.records import FINISHED_STATUSES, SECTOR_GROUPS
from models.enums import (
    EMPLOYED_FOLLOW_UP_STATUSES,
    EnrolmentStatus,
    NewJobChannel,
    SectorGroup,
)
from tests.matching.kpi_factories import enrolment, figure, spell


def test_vocabularies_agree_with_the_models() -> None:
    assert tuple(c.value for c in NewJobChannel) == CHANNELS
    assert {s.value for s in SectorGroup} == set(SECTOR_GROUPS)
    assert {s.value for s in EMPLOYED_FOLLOW_UP_STATUSES} == {*EMPLOYED_STATUSES, IMPROVED_SAME_JOB}
    assert {EnrolmentStatus.COMPLETED.value, EnrolmentStatus.GRADUATED.value} == FINISHED_STATUSES
    with (Path(__file__).parents[2] / "seed" / "data" / "training_levels.csv").open() as levels:
        by_rank = sorted(csv.DictReader(levels), key=lambda row: int(row["rank"]))
    assert tuple(row["code"] for row in by_rank) == LEVELS


def test_a_record_is_built_from_one_row_of_keyword_values() -> None:
    row = {f.name: None for f in fields(EnrolmentRecord)}
    row.update(person_id=1, enrolment_id=2, course_id=3, started_on=date(2025, 1, 1), status="x")
    row.update(is_ethnic_minority=True, has_disability=False)
    row.update(in_zone_iii=False, in_difficult_village=False)

    record = EnrolmentRecord(**row)

    assert record.person_id == 1
    with pytest.raises(AttributeError):
        record.level = "so_cap"  # type: ignore[misc]


def test_cut_by_a_field_an_alias_and_two_dimensions() -> None:
    records = [
        enrolment(enrolment_id=1, person_id=1),
        enrolment(enrolment_id=2, person_id=2),
        enrolment(enrolment_id=3, person_id=1, level="trung_cap"),
    ]

    assert {k: len(v) for k, v in cut(records, "commune").items()} == {"03100": 1, "03127": 2}
    assert list(cut(records, ("sex", "level"))) == [
        ("nam", "so_cap"),
        ("nu", "so_cap"),
        ("nu", "trung_cap"),
    ]


def test_priority_group_is_multi_valued() -> None:
    records = [enrolment(person_id=1), enrolment(person_id=2)]

    groups = cut(records, "priority_group")

    assert set(groups) == {
        "ethnic_minority",
        "women",
        "poor_or_near_poor",
        "zone_iii",
        "difficult_village",
        "none",
    }
    assert [r.person_id for r in groups["none"]] == [2]
    by_two = cut(records, ("priority_group", "sex"))
    assert ("women", "nu") in by_two
    assert ("none", "nam") in by_two


def test_dated_dimensions_need_a_date_and_unknown_ones_are_named() -> None:
    with pytest.raises(ValueError, match="no date"):
        cut([enrolment()], "month")
    with pytest.raises(ValueError, match="known dimensions"):
        cut([enrolment()], "employer")  # enrolments have no employer
    with pytest.raises(ValueError, match="no person"):
        cut([figure()], "priority_group")
    with pytest.raises(ValueError, match="known dimensions"):
        cut([], "colour", record_type=EmploymentRecord)
    assert cut([], "level") == {}


def test_year_month_and_age_band_use_the_date_given() -> None:
    records = [
        spell(start_date=date(2025, 3, 2)),
        spell(person_id=2, start_date=date(2025, 11, 30)),
    ]

    by_month = cut(records, ("year", "month", "age_band"), when=lambda s: s.start_date)

    assert list(by_month) == [(2025, "2025-03", "15-24"), (2025, "2025-11", "35-44")]
    assert age_band(None, 2025) is None
    assert age_band(1950, 2025) == "45+"


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2025, 6, 30), 12) == date(2026, 6, 30)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
