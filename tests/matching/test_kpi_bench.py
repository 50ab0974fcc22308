"""Benchmark of the KPI functions on synthetic records (deselected by default).

    .venv/bin/pytest -m bench -s tests/matching/test_kpi_bench.py

KPI_BENCH_N sets the number of records of each kind (default 1,000,000); KPI_BENCH_DAYS the
span of their dates from 1/1/2016 (default 3,650: ten years, so a year holds a tenth of them;
365 puts them all in 2016, the worst case for one year). The baseline is one plain pass
collecting the distinct person ids, the least any count of people must do.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from matching.kpi import (
    CHANNELS,
    LEVELS,
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    OrderRecord,
    VacancyRecord,
    abroad,
    employment_after_training,
    new_jobs,
    orders,
    priority_groups,
    trained,
    vacancies,
)

N = int(os.environ.get("KPI_BENCH_N", "1000000"))
SPAN = int(os.environ.get("KPI_BENCH_DAYS", "3650"))
START = date(2016, 1, 1)
YEAR = (START + timedelta(days=SPAN - 1)).year  # the last year: ten years of history before
AS_OF = date(YEAR + 1, 3, 1)
COMMUNES = [f"03{n:03d}" for n in range(100, 145)]
OCCUPATIONS = [f"occupation_{n}" for n in range(60)]
DAYS = [START + timedelta(days=n) for n in range(SPAN + 200)]  # shared, as a reader would


def _people(rng: np.random.Generator, count: int) -> list[dict[str, Any]]:
    sex = rng.choice(["nam", "nu"], count)
    ethnicity = rng.choice(["01", "03", "08", "29"], count)
    household = rng.choice(np.array([None, None, "ngheo", "can_ngheo"], dtype=object), count)
    flags = rng.random((count, 3))
    commune = rng.choice(COMMUNES, count)
    zone = rng.choice(["I", "II", "III"], count)
    born = rng.integers(1970, 2009, count)
    return [
        {
            "sex": str(sex[i]),
            "ethnicity_code": str(ethnicity[i]),
            "is_ethnic_minority": bool(flags[i, 0] < 0.8),
            "household_status": household[i],
            "has_disability": bool(flags[i, 0] > 0.97),
            "in_zone_iii": bool(flags[i, 1] < 0.6),
            "in_difficult_village": bool(flags[i, 2] < 0.5),
            "commune_code": str(commune[i]),
            "zone": str(zone[i]),
            "birth_year": int(born[i]),
        }
        for i in range(count)
    ]


def _enrolments(rng: np.random.Generator, people: list[dict[str, Any]]) -> list[EnrolmentRecord]:
    person = rng.integers(0, len(people), N).tolist()
    started = rng.integers(0, SPAN, N).tolist()
    length = rng.integers(30, 121, N).tolist()
    status = rng.choice(["tot_nghiep"] * 3 + ["bo_hoc", "hoan_thanh"], N).tolist()
    institution = rng.integers(0, 20, N).tolist()
    occupation = rng.integers(0, 60, N).tolist()
    level = rng.choice(list(LEVELS), N).tolist()
    order = rng.integers(0, 10_000, N).tolist()
    ordered = (rng.random(N) < 0.1).tolist()
    records = []
    for i in range(N):
        graduated = DAYS[started[i] + length[i]]
        done = status[i] == "tot_nghiep"
        records.append(
            EnrolmentRecord(
                person_id=person[i],
                enrolment_id=i,
                course_id=i // 25,
                institution_id=institution[i],
                occupation_key=OCCUPATIONS[occupation[i]],
                level=level[i],
                started_on=DAYS[started[i]],
                ended_on=graduated,
                status=status[i],
                graduated_on=graduated if done else None,
                certificate_kind="chung_chi" if done else None,
                training_order_id=order[i] if ordered[i] else None,
                **people[person[i]],
            )
        )
    return records


def _spells(rng: np.random.Generator, people: list[dict[str, Any]]) -> list[EmploymentRecord]:
    person = rng.integers(0, len(people), N).tolist()
    started = rng.integers(0, SPAN, N).tolist()
    channel = rng.choice(list(CHANNELS), N).tolist()
    employer = rng.integers(0, 2000, N).tolist()
    enrolment = rng.integers(0, N, N).tolist()
    linked = (rng.random(N) < 0.3).tolist()
    matched = (rng.random(N) < 0.5).tolist()
    sector = rng.choice(["nlts", "cnxd", "dv"], N).tolist()
    records = []
    for i in range(N):
        gone = channel[i] == "xuat_khau_lao_dong"
        records.append(
            EmploymentRecord(
                person_id=person[i],
                spell_id=i,
                start_date=DAYS[started[i]],
                kind="abroad" if gone else "wage",
                channel=channel[i],
                location_kind="abroad" if gone else "commune",
                country_code="JP" if gone else None,
                employer_id=employer[i],
                enrolment_id=enrolment[i] if linked[i] else None,
                in_trained_occupation=matched[i],
                sector_group=sector[i],
                **people[person[i]],
            )
        )
    return records


def _follow_ups(
    rng: np.random.Generator, graduates: list[EnrolmentRecord], people: list[dict[str, Any]]
) -> list[FollowUpRecord]:
    statuses = ["wage", "household", "self_employed", "unemployed", "studying", "not_reached"]
    chosen = rng.integers(0, len(graduates), N).tolist()
    months = rng.choice([3, 6, 12], N).tolist()
    status = rng.choice(statuses, N).tolist()
    matched = (rng.random(N) < 0.5).tolist()
    records = []
    for i in range(N):
        g = graduates[chosen[i]]
        records.append(
            FollowUpRecord(
                follow_up_id=i,
                enrolment_id=g.enrolment_id,
                person_id=g.person_id,
                months_after=months[i],
                observed_on=g.graduated_on or g.started_on,
                status=status[i],
                in_trained_occupation=matched[i],
                level=g.level,
                graduated_on=g.graduated_on,
                **people[g.person_id],
            )
        )
    return records


def _calibration() -> None:
    """A fixed amount of plain Python work, to compare machines (about 0.05 s unloaded)."""
    seen: dict[int, int] = {}
    for number in range(1_000_000):
        seen.get(number)


def _timed(label: str, run: Callable[[], Any]) -> Any:
    """Run once and print wall-clock and CPU seconds (CPU time is steadier on a shared
    machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    print(f"{label:<48} {time.perf_counter() - wall:7.2f} s {time.process_time() - cpu:7.2f} s")
    return result


@pytest.mark.bench
def test_kpi_timings_on_synthetic_records() -> None:
    rng = np.random.default_rng(5)
    people = _people(rng, N // 4)
    enrolled = _timed(f"build {N:,} enrolments", lambda: _enrolments(rng, people))
    jobs = _timed(f"build {N:,} spells", lambda: _spells(rng, people))
    graduates = [e for e in enrolled if e.status == "tot_nghiep"]
    asked = _timed(f"build {N:,} follow-ups", lambda: _follow_ups(rng, graduates, people))
    posted = [
        VacancyRecord(
            id=i,
            employer_id=i % 2000,
            quantity=10,
            filled=i % 11,
            created_on=START + timedelta(days=i % SPAN),
            filled_on=START + timedelta(days=i % SPAN + 20) if i % 11 == 10 else None,
        )
        for i in range(N)
    ]
    ordered = [
        OrderRecord(id=i, employer_id=i % 2000, quantity=25, requested_on=date(2020, 1, 1))
        for i in range(10_000)
    ]
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':<48} {'wall':>9} {'cpu':>9}")
    _timed("calibration: 1,000,000 dict.get in a loop", _calibration)
    _timed("baseline: one pass, distinct person ids", lambda: {e.person_id for e in enrolled})
    _timed("trained(year)", lambda: trained(enrolled, YEAR))
    _timed("trained(year, by=level)", lambda: trained(enrolled, YEAR, by="level"))
    _timed(
        "trained(year, by=(commune, month))",
        lambda: trained(enrolled, YEAR, by=("commune", "month")),
    )
    _timed("new_jobs(year, by=commune)", lambda: new_jobs(jobs, YEAR, by="commune"))
    _timed("abroad(year)", lambda: abroad(jobs, YEAR))
    _timed(
        "employment_after_training(6 months, by=level)",
        lambda: employment_after_training(
            enrolled, asked, jobs, window_months=6, cohort=YEAR, as_of=AS_OF, by="level"
        ),
    )
    _timed(
        "priority_groups(all four populations)",
        lambda: priority_groups(
            YEAR, enrolments=enrolled, spells=jobs, follow_ups=asked, as_of=AS_OF
        ),
    )
    _timed(
        "orders(10,000 orders, by=employer)", lambda: orders(ordered, enrolled, jobs, by="employer")
    )
    _timed("vacancies(year, by=month)", lambda: vacancies(posted, YEAR, by="month"))
