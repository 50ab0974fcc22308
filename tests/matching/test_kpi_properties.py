"""Properties of the KPI arithmetic that must hold for any records (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import kpi
from matching.kpi import (
    CHANNELS,
    LEVELS,
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    employment_after_training,
    new_jobs,
    priority_groups,
    progress,
    trained,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
START = date(2024, 1, 1)
SINGLE_VALUED = ["level", "commune", "sex", "institution", "month", ("zone", "ethnicity")]

days = st.integers(min_value=0, max_value=900).map(lambda n: START + timedelta(days=n))
person_dims = {
    "sex": st.sampled_from(["nam", "nu"]),
    "ethnicity_code": st.sampled_from(["01", "03", "08"]),
    "is_ethnic_minority": st.booleans(),
    "household_status": st.sampled_from([None, "ngheo", "can_ngheo"]),
    "has_disability": st.booleans(),
    "in_zone_iii": st.booleans(),
    "in_difficult_village": st.booleans(),
    "commune_code": st.sampled_from(["03127", "03100", None]),
    "zone": st.sampled_from(["I", "III"]),
    "birth_year": st.sampled_from([None, 1980, 2004]),
}


@st.composite
def enrolments(draw: st.DrawFn) -> list[EnrolmentRecord]:
    count = draw(st.integers(min_value=0, max_value=25))
    records = []
    for index in range(count):
        started = draw(days)
        status = draw(st.sampled_from(["dang_hoc", "bo_hoc", "hoan_thanh", "tot_nghiep"]))
        graduated = started + timedelta(days=draw(st.integers(30, 400)))
        records.append(
            EnrolmentRecord(
                person_id=draw(st.integers(1, 8)),
                enrolment_id=index + 1,
                course_id=draw(st.integers(1, 3)),
                institution_id=draw(st.integers(1, 3)),
                level=draw(st.sampled_from([*LEVELS, None])),
                started_on=started,
                ended_on=graduated,
                status=status,
                graduated_on=graduated if status == "tot_nghiep" else None,
                certificate_kind=draw(st.sampled_from([None, "chung_chi_so_cap"])),
                **{name: draw(value) for name, value in person_dims.items()},
            )
        )
    return records


@st.composite
def spells(draw: st.DrawFn) -> list[EmploymentRecord]:
    count = draw(st.integers(min_value=0, max_value=25))
    return [
        EmploymentRecord(
            person_id=draw(st.integers(1, 8)),
            spell_id=index + 1,
            start_date=(start := draw(days)),
            end_date=draw(st.sampled_from([None, start + timedelta(days=60)])),
            kind=draw(st.sampled_from(["wage", "self_employed", "abroad", "improved_same_job"])),
            channel=draw(st.sampled_from(CHANNELS)),
            is_new_job=draw(st.booleans()),
            location_kind=draw(st.sampled_from(["commune", "other_province", "abroad"])),
            in_trained_occupation=draw(st.sampled_from([None, True, False])),
            enrolment_id=draw(st.sampled_from([None, 1, 2, 3])),
            **{name: draw(value) for name, value in person_dims.items()},
        )
        for index in range(count)
    ]


@st.composite
def follow_ups(draw: st.DrawFn) -> list[FollowUpRecord]:
    count = draw(st.integers(min_value=0, max_value=20))
    statuses = ["wage", "household", "improved_same_job", "unemployed", "studying", "military"]
    return [
        FollowUpRecord(
            follow_up_id=index + 1,
            enrolment_id=draw(st.integers(1, 25)),
            person_id=draw(st.integers(1, 8)),
            months_after=draw(st.sampled_from([0, 3, 6, 12])),
            observed_on=draw(days),
            status=draw(st.sampled_from([*statuses, "not_reached"])),
            in_trained_occupation=draw(st.sampled_from([None, True, False])),
            **{name: draw(value) for name, value in person_dims.items()},
        )
        for index in range(count)
    ]


@FAST
@given(enrolments(), st.sampled_from([2024, 2025]), st.sampled_from(SINGLE_VALUED))
def test_trained_people_are_distinct_and_cuts_partition_them(records, year, by) -> None:
    result = trained(records, year, by=by)
    total = result.total.trained

    assert total.value == len(set(total.person_ids)) <= len({r.person_id for r in records})
    assert total.value <= len(records)
    assert sum(c.trained.value for c in result.groups.values()) == total.value
    # Trained means started in the year; the finished (a course begun earlier included) and
    # the certified among them are counted beside, each person once.
    assert result.total.started.value == total.value
    assert result.total.certified.value <= result.total.finished.value
    assert result.total.finished.value <= len({r.person_id for r in records})
    for part in ("started", "finished", "certified"):
        assert (
            sum(getattr(c, part).value for c in result.groups.values())
            == getattr(result.total, part).value
        )
    by_group = trained(records, year, by=by, attribution="group")
    for key, counts in result.groups.items():
        # Counting a person in every group they trained in can only add to a group.
        assert total.value >= by_group.groups[key].trained.value >= counts.trained.value


@FAST
@given(spells(), st.sampled_from([2024, 2025]), st.sampled_from(["channel", "location_kind"]))
def test_new_jobs_count_each_person_once_across_channels(records, year, by) -> None:
    result = new_jobs(records, year, by=by)

    assert result.total.value == len(set(result.total.person_ids))
    assert result.total.value <= len({r.person_id for r in records}) <= len(records)
    assert sum(c.value for c in result.channels.values()) == result.total.value
    assert sum(c.value for c in result.groups.values()) == result.total.value
    shuffled = new_jobs(list(reversed(records)), year)
    assert set(shuffled.total.record_ids) == set(result.total.record_ids)


@FAST
@given(enrolments(), follow_ups(), spells(), st.sampled_from([0, 3, 6, 12]))
def test_employment_after_training_rates_are_shares(records, asked, jobs, window) -> None:
    result = employment_after_training(
        records,
        asked,
        jobs,
        window_months=window,
        cohort=(date(2024, 1, 1), date(2026, 12, 31)),
        as_of=date(2026, 6, 1),
        by="level",
    )
    total = result.total

    for share in (total.response, total.employed, total.in_trained_occupation):
        assert share.value is None or 0.0 <= share.value <= 1.0
    assert total.in_trained_occupation.numerator <= total.employed.numerator
    assert total.employed.denominator <= total.response.numerator <= total.graduates_due
    assert len(total.observations) <= total.graduates_due
    assert sum(s.graduates_due for s in result.groups.values()) == total.graduates_due
    assert sum(s.employed.numerator for s in result.groups.values()) == total.employed.numerator


@FAST
@given(enrolments(), spells())
def test_priority_shares_lie_in_the_unit_interval(records, jobs) -> None:
    result = priority_groups(2025, enrolments=records, spells=jobs, as_of=date(2026, 6, 1))

    for population in result.populations.values():
        for share in population.shares.values():
            assert share.value is None or 0.0 <= share.value <= 1.0
            assert share.denominator == population.people


@FAST
@given(
    st.integers(min_value=0, max_value=20_000),
    st.integers(min_value=1, max_value=20_000),
    st.integers(min_value=0, max_value=400).map(lambda n: date(2025, 1, 1) + timedelta(days=n)),
)
def test_projection_never_falls_below_the_value_so_far(value, target, as_of) -> None:
    result = progress(value, target, as_of, 2025)

    assert 0.0 <= result.elapsed <= 1.0
    assert result.projection is not None and result.projection >= value
    assert result.status in {"ok", "at_risk", "behind"}


CUTS = ("level", "commune", "month", "priority_group", ("sex", "level"))


@given(enrolments(), st.sampled_from([2024, 2025]))
def test_trained_cut_several_ways_at_once_equals_each_cut_alone(records, year) -> None:
    result, groups = kpi.trained_cuts(records, year, CUTS)
    assert result.total == kpi.trained(records, year).total
    for by, cut_groups in zip(CUTS, groups, strict=True):
        assert cut_groups == dict(kpi.trained(records, year, by=by).groups)


@given(spells(), st.sampled_from([2024, 2025]))
def test_new_jobs_cut_several_ways_at_once_equals_each_cut_alone(records, year) -> None:
    cuts = ("channel", "commune", "month", "priority_group")
    result, groups = kpi.new_jobs_cuts(records, year, cuts)
    assert result == kpi.new_jobs(records, year)
    for by, cut_groups in zip(cuts, groups, strict=True):
        assert cut_groups == dict(kpi.new_jobs(records, year, by=by).groups)


@given(enrolments(), follow_ups(), spells(), st.sampled_from([0, 3, 6, 12]))
def test_after_training_cut_several_ways_at_once_equals_each_cut_alone(
    records, asked, jobs, window
) -> None:
    common = {"window_months": window, "cohort": 2025, "as_of": date(2026, 6, 30)}
    result, groups = kpi.employment_after_training_cuts(records, asked, jobs, cuts=CUTS, **common)
    assert result.total == kpi.employment_after_training(records, asked, jobs, **common).total
    for by, cut_groups in zip(CUTS, groups, strict=True):
        alone = kpi.employment_after_training(records, asked, jobs, by=by, **common)
        assert cut_groups == dict(alone.groups)
