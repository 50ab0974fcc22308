"""The demo looks like Điện Biên where the figures show its gaps: each commune's ethnic make-up,
district centres that train their own area, new jobs after Tết, second jobs in a year counted
once, the same job done better, observations at graduation, and new jobs that come in through
the register (lines linked to their spells, counts without names, communes late with a
report). Checked on the plan at full scale, and through the KPI on a written demo."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, col, select

from matching.kpi.jobs import aggregate_counts, new_jobs
from models.db import make_engine
from models.monitoring.aggregates import aggregates_of
from models.monitoring.records import spells_starting
from models.tables import (
    EmploymentSpell,
    NewJobAggregate,
    NewJobLine,
    NewJobReport,
    UserAccount,
)
from seed.demo import DEFAULT_TODAY, generate_demo
from seed.demo.context import DemoBuild
from seed.demo.plan import plan_demo, summarize
from seed.demo.snapshot import DemoReference, read_reference
from seed.reference import load_reference_data

TODAY = DEFAULT_TODAY  # 27 Nov 2026: October's reports were due by 10 November
DATA = Path(__file__).resolve().parents[2] / "seed" / "data"
MUONG_NHE_NAM_KE = {"03160", "03162", "03176"}  # Mường Nhé, Nậm Kè and Nà Bủng beside them
CONG, SI_LA, HMONG, THAI, KINH = "48", "50", "08", "03", "01"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBuild]:
    """2025 and 2026 (to 27 November) at scale 1, planned in memory."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.sqlite3'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        load_reference_data(session)
        reference: DemoReference = read_reference(session, TODAY)
    engine.dispose()
    yield plan_demo(reference, seed=2026, years=(2025, 2026), scale=1.0, today=TODAY)


def _areas() -> dict[str, str]:
    with open(DATA / "demo_communes.csv", encoding="utf-8") as handle:
        return {row["code"]: row["area"] for row in csv.DictReader(handle)}


def _majority(build: DemoBuild, commune: str) -> tuple[str, float]:
    groups = Counter(
        p["ethnicity_code"] for p in build.rows["person"] if p["commune_code"] == commune
    )
    code, count = groups.most_common(1)[0]
    return code, count / groups.total()


def test_cong_and_si_la_live_only_around_muong_nhe_and_nam_ke(build):
    homes = Counter(
        p["commune_code"] for p in build.rows["person"] if p["ethnicity_code"] in (CONG, SI_LA)
    )
    assert homes and set(homes) <= MUONG_NHE_NAM_KE


@pytest.mark.parametrize(
    ("communes", "group", "share"),
    [
        (("03220", "03241", "03226"), HMONG, 0.75),  # Tủa Thàng, Sính Phình, Sín Chải
        (("03127", "03151"), KINH, 0.45),  # the wards of Điện Biên Phủ and Mường Lay
        (("03349", "03356", "03358"), THAI, 0.5),  # Thanh Yên, Sam Mứn, Núa Ngam
    ],
)
def test_each_commune_has_its_own_ethnic_make_up(build, communes, group, share):
    for commune in communes:
        code, found = _majority(build, commune)
        assert code == group and found >= share, (commune, code, found)
    valley = Counter(
        p["ethnicity_code"] for p in build.rows["person"] if p["commune_code"] == "03349"
    )
    assert valley.most_common(2)[1][0] == KINH  # Kinh second in the valleys


def test_district_centres_train_people_of_their_own_area(build):
    areas = _areas()
    institutions = {i["id"]: i["code"] for i in build.rows["institution"]}
    course_of = {c["id"]: institutions[c["institution_id"]] for c in build.rows["course"]}
    persons = {p["id"]: p for p in build.rows["person"]}
    served = {"TT-MN": {"Mường Nhé", "Nậm Pồ"}, "TT-TC": {"Tủa Chùa"}, "TT-TG": {"Tuần Giáo"}}
    for centre, own in served.items():
        homes = [
            areas[persons[e["person_id"]]["commune_code"]]
            for e in build.rows["enrolment"]
            if course_of[e["course_id"]] == centre
        ]
        inside = sum(home in own for home in homes) / len(homes)
        assert inside >= 0.85, (centre, inside)
    college = [
        areas[persons[e["person_id"]]["commune_code"]]
        for e in build.rows["enrolment"]
        if course_of[e["course_id"]] == "CD-DB"
    ]
    assert len(set(college)) >= 8  # the provincial college takes people from everywhere


def test_new_jobs_start_after_tet_not_in_january(build):
    months = Counter(
        s["start_date"].month
        for s in build.rows["employment_spell"]
        if s["is_new_job"] and s["start_date"].year == 2025
    )
    assert all(months[month] > 2 * months[1] for month in (2, 3, 4)), months
    tet_2025 = date(2025, 1, 29)
    quiet = sum(
        1
        for s in build.rows["employment_spell"]
        if s["is_new_job"] and date(2025, 1, 15) <= s["start_date"] <= tet_2025
    )
    assert quiet == 0  # nobody starts in the two weeks before Tết


def test_some_people_have_two_new_jobs_in_a_year_and_count_once(build):
    spells = defaultdict(list)
    for spell in build.rows["employment_spell"]:
        if spell["is_new_job"] and spell["start_date"].year == 2025:
            spells[spell["person_id"]].append(spell)
    twice = {person: found for person, found in spells.items() if len(found) == 2}
    assert len(twice) >= 50
    for first, second in (sorted(f, key=lambda s: s["start_date"]) for f in twice.values()):
        assert first["end_date"] is not None and first["end_date"] < second["start_date"]
    year = summarize(build).per_year[2025]
    assert year.new_jobs == len(spells) + year.new_jobs_without_names
    assert sum(year.new_jobs_by_channel.values()) == year.new_jobs


def test_same_job_done_better_and_observations_at_graduation(build):
    improved = [s for s in build.rows["employment_spell"] if s["kind"] == "improved_same_job"]
    assert len(improved) > 500
    assert not any(s["is_new_job"] for s in improved)
    enrolments = {e["id"]: e for e in build.rows["enrolment"]}
    for spell in improved:
        assert spell["start_date"] == enrolments[spell["enrolment_id"]]["graduated_on"]
    at_graduation = [f for f in build.rows["follow_up"] if f["months_after"] == 0]
    assert len(at_graduation) > 1000
    for follow_up in at_graduation:
        graduated = enrolments[follow_up["enrolment_id"]]["graduated_on"]
        assert 0 <= (follow_up["observed_on"] - graduated).days <= 5


def test_reported_new_jobs_come_in_through_register_lines(build):
    spells = {s["id"]: s for s in build.rows["employment_spell"]}
    reports = {r["id"]: r for r in build.rows["new_job_report"]}
    lines = build.rows["new_job_line"]
    linked = Counter(line["employment_spell_id"] for line in lines)
    for spell in spells.values():
        expected = 1 if spell["is_new_job"] and spell["source"] != "platform" else 0
        assert linked[spell["id"]] == expected, spell
    for line in lines:
        spell, report = spells[line["employment_spell_id"]], reports[line["report_id"]]
        assert line["person_id"] == spell["person_id"]
        assert line["source"] == spell["source"] == report["source"]
        assert (line["channel"], line["start_date"]) == (spell["channel"], spell["start_date"])
        assert report["period_start"] <= line["start_date"] <= report["period_end"]
    per_report = Counter(line["report_id"] for line in lines)
    assert all(r["person_lines"] == per_report[r["id"]] for r in reports.values())
    assert {r["source"] for r in reports.values()} == {
        "commune_report", "centre_report", "employer", "agency_report"
    }  # fmt: skip


def test_reports_follow_the_schedules(build):
    reports = build.rows["new_job_report"]
    for report in reports:
        start, end = report["period_start"], report["period_end"]
        if report["source"] == "employer":  # half-yearly: December–May, June–November
            assert (start.month, end.month) in ((12, 5), (6, 11)) and report["employer_id"]
        else:
            assert (start.year, start.month) == (end.year, end.month) and start.day == 1
        assert report["submitted_at"].date() <= TODAY
    communes = {c.code for c in build.ref.communes}
    monthly = Counter(
        (r["commune_code"], r["period_start"]) for r in reports if r["source"] == "commune_report"
    )
    assert max(monthly.values()) == 1
    for month in range(1, 13):  # every commune's report of every month of 2025 is in
        assert {c for c, m in monthly if m == date(2025, month, 1)} == communes
    october = {c for c, m in monthly if m == date(2026, 10, 1)}
    late = communes - october
    assert 2 <= len(late) <= 6  # late with October's report, due by 10 November
    september = {c for c, m in monthly if m == date(2026, 9, 1)}
    assert communes - september < late


def test_communes_also_count_borrowers_without_names(build):
    reports = {r["id"]: r for r in build.rows["new_job_report"]}
    aggregates = build.rows["new_job_aggregate"]
    assert len(aggregates) >= 10
    persons = {p["id"]: p for p in build.rows["person"]}
    unnamed = 0
    for aggregate in aggregates:
        report = reports[aggregate["report_id"]]
        assert report["source"] == "commune_report"
        assert report["commune_code"] == aggregate["commune_code"]
        assert aggregate["month"] == report["period_start"]
        named = sum(
            1
            for line in build.rows["new_job_line"]
            if line["report_id"] == report["id"]
            and line["channel"] == aggregate["channel"] == "vay_von"
            and persons[line["person_id"]]["commune_code"] == aggregate["commune_code"]
        )
        assert aggregate["people"] > named
        if aggregate["month"].year == 2025:
            unnamed += aggregate["people"] - named
    assert summarize(build).per_year[2025].new_jobs_without_names == unnamed


def test_the_kpi_counts_each_person_once_and_adds_the_counts_without_names(engine):
    summary = generate_demo(engine, seed=9, years=(2025, 2026), scale=0.05)
    with Session(engine) as session:
        for year in (2025, 2026):
            first, last = date(year, 1, 1), date(year, 12, 31)
            named = new_jobs(spells_starting(session, first, last), year)
            counts = aggregate_counts(aggregates_of(session, first, last), year)
            assert named.total.value + sum(counts.values()) == summary.per_year[year].new_jobs
            assert sum(counts.values()) == summary.per_year[year].new_jobs_without_names > 0
        spells = session.exec(select(EmploymentSpell).where(col(EmploymentSpell.is_new_job))).all()
        twice = Counter((s.person_id, s.start_date.year) for s in spells)
        assert max(twice.values()) == 2
        lines = session.exec(select(NewJobLine)).all()
        assert {line.employment_spell_id for line in lines} == {
            s.id for s in spells if s.source != "platform"
        }
        assert session.exec(select(NewJobAggregate)).first() is not None
        officer = session.exec(select(UserAccount).where(UserAccount.role == "commune")).one()
        own = session.exec(
            select(NewJobReport).where(NewJobReport.commune_code == officer.commune_code)
        ).all()
        assert own and {r.submitted_by_id for r in own} == {officer.id}
