"""The demo data generator: reproducible from its seed, plausible at full scale (checked on
the in-memory plan, no database write), internally consistent once written (on SQLite and
PostgreSQL), and careful with a database that already holds demo data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import phonenumbers
import pytest
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from models.accounts import verify_password
from models.db import make_engine
from models.enums import (
    ACTIVE_REFERRAL_STATUSES,
    EnrolmentStatus,
    NewJobChannel,
    TrainingOrderStatus,
)
from models.errors import ConflictError, InvalidError
from models.people import name_fields
from models.tables import (
    AdminUnit,
    AuditEntry,
    AuthSession,
    CommuneZone,
    Course,
    Employer,
    EmploymentSpell,
    Enrolment,
    Ethnicity,
    FollowUp,
    NewJobLine,
    NewJobReport,
    Person,
    Referral,
    TrainingOccupation,
    TrainingOrder,
    UserAccount,
    Vacancy,
)
from models.validation import (
    check_citizen_id,
    check_enrolment_date,
    check_graduation_date,
    normalise_phone,
    validate_tax_code,
)
from models.wages import minimum_wage_for
from seed.demo import DEFAULT_TODAY, generate_demo
from seed.demo.context import DEMO_TABLES, DemoBuild
from seed.demo.plan import DemoSummary, plan_demo, summarize
from seed.demo.snapshot import DemoReference, read_reference
from seed.reference import load_reference_data
from tests import factories

TODAY = DEFAULT_TODAY
EMPLOYED = {"wage", "self_employed", "household", "abroad", "improved_same_job"}
CERTIFICATE = {
    "duoi_3_thang": "chung_chi_dao_tao",
    "so_cap": "chung_chi_so_cap",
    "trung_cap": "bang_trung_cap",
    "cao_dang": "bang_cao_dang",
}
HOURS = {"duoi_3_thang": (100, 300), "so_cap": (300, 600)}


# --- the plan at full scale, without the database -------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoReference]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.sqlite3'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        load_reference_data(session)
        yield read_reference(session, TODAY)
    engine.dispose()


@pytest.fixture(scope="module")
def full_year(reference: DemoReference) -> DemoBuild:
    """One year (2025) at scale 1, planned in memory."""
    return plan_demo(reference, seed=2026, years=(2025,), scale=1.0, today=TODAY)


def _shares(values: list) -> dict:
    counts = Counter(values)
    return {key: 100 * n / len(values) for key, n in counts.items()}


def _trainees(build: DemoBuild) -> list[dict]:
    ids = {e["person_id"] for e in build.rows["enrolment"]}
    return [p for p in build.rows["person"] if p["id"] in ids]


def test_a_full_year_trains_about_8500_people_mostly_in_short_courses(full_year):
    year = summarize(full_year).per_year[2025]
    assert 7650 <= year.trained_people <= 9350
    levels = {k: 100 * v / year.enrolments for k, v in year.enrolments_by_level.items()}
    assert 30 <= levels["duoi_3_thang"] <= 40
    assert 50 <= levels["so_cap"] <= 60
    assert 6 <= levels["trung_cap"] <= 10
    assert 1 <= levels["cao_dang"] <= 3


def test_agriculture_dominates_the_short_courses(full_year):
    sector = {o.id: o.sector_group for o in full_year.ref.occupations}
    short = [c for c in full_year.rows["course"] if c["level_code"] in ("duoi_3_thang", "so_cap")]
    size = Counter(e["course_id"] for e in full_year.rows["enrolment"])
    farming = sum(size[c["id"]] for c in short if sector[c["occupation_id"]] == "nlts")
    assert farming / sum(size[c["id"]] for c in short) > 0.45


def test_a_full_year_creates_about_8700_new_jobs_in_the_six_channels(full_year):
    year = summarize(full_year).per_year[2025]
    assert 8000 <= year.new_jobs <= 9500
    share = {k: 100 * v / year.new_jobs for k, v in year.new_jobs_by_channel.items()}
    assert 45 <= share[NewJobChannel.OTHER_PROGRAMME] <= 57
    assert 20 <= share[NewJobChannel.OUTSIDE_PROVINCE] <= 30
    assert 6 <= share[NewJobChannel.INSIDE_PROVINCE] <= 12
    assert 5 <= share[NewJobChannel.LOAN] <= 11
    assert 1.5 <= share[NewJobChannel.PUBLIC_BODY] <= 5
    assert 150 <= year.departures_abroad <= 250
    assert 0 < year.platform_hires < year.new_jobs / 5  # most jobs are reported, not hired here


def test_trainees_have_the_province_ethnic_mix_and_priority_groups(full_year):
    trainees = _trainees(full_year)
    ethnic = _shares([p["ethnicity_code"] for p in trainees])
    for code, target in {"08": 37, "03": 35}.items():
        assert abs(ethnic[code] - target) <= 4, (code, ethnic[code])
    # Kinh are 18 % of the province, fewer of the trainees: the district centres serve rural
    # areas, where few Kinh live.
    assert 12 <= ethnic["01"] <= 18, ethnic["01"]
    for code, target in {"29": 3.5, "09": 1.5}.items():
        assert abs(ethnic[code] - target) <= 1.5, (code, ethnic[code])
    household = _shares([p["household_status"] for p in trainees])
    assert 21 <= household["ngheo"] <= 29
    assert 9 <= household["can_ngheo"] <= 15
    assert 40 <= _shares([p["sex"] for p in trainees])["nu"] <= 60
    assert 1 <= _shares([p["has_disability"] for p in trainees])[True] <= 3
    assert 75 <= _shares([p["consent_to_employers"] for p in trainees])[True] <= 85
    assert _shares([p["in_zone_iii"] for p in trainees])[True] > 50


def test_follow_ups_find_most_graduates_at_work(full_year):
    assert {f["months_after"] for f in full_year.rows["follow_up"]} == {0, 3, 6, 12}
    follow_ups = [f for f in full_year.rows["follow_up"] if f["months_after"]]
    statuses = [f["status"] for f in follow_ups]
    assert 8 <= _shares(statuses)["not_reached"] <= 16
    counted = [s for s in statuses if s not in ("not_reached", "studying", "military")]
    employed = 100 * sum(s in EMPLOYED for s in counted) / len(counted)
    assert 75 <= employed <= 85
    assert any(f["source"] == "platform_hire" for f in follow_ups)


def test_enrolment_and_graduation_dates_pass_the_platform_s_own_rule(full_year):
    """Every enrolment and graduation the demo writes would be accepted by the forms and the
    imports (models.validation.check_enrolment_date / check_graduation_date)."""
    courses = {c["id"]: c for c in full_year.rows["course"]}
    graduations = 0
    for enrolment in full_year.rows["enrolment"]:
        course = courses[enrolment["course_id"]]
        start, end = course["start_date"], course["end_date"]
        check_enrolment_date(enrolment["enrolled_on"], start=start, end=end)
        if enrolment["graduated_on"] is not None:
            graduations += 1
            check_graduation_date(
                enrolment["graduated_on"], start=start, end=end,
                enrolled_on=enrolment["enrolled_on"],
            )  # fmt: skip
    assert graduations > 1000


def test_learner_support_under_qd46_is_paid_once_per_person():
    """Over three years people come back for a second course; none is paid QĐ 46 support
    twice, and every QĐ 46 payment names its policy (the unique index's column)."""
    with Session(make_engine("sqlite://")) as session:
        SQLModel.metadata.create_all(session.get_bind())
        load_reference_data(session)
        reference = read_reference(session, TODAY)
    build = plan_demo(reference, seed=2026, years=(2023, 2024, 2025), scale=0.3, today=TODAY)
    funding = {c["id"]: c["funding_source"] for c in build.rows["course"]}
    paid = [
        e for e in build.rows["enrolment"]
        if e["support_amount"] > 0 and funding[e["course_id"]] == "qd46"
    ]  # fmt: skip
    assert all(e["support_policy"] == "qd46" for e in paid)
    assert all(e["support_policy"] is None for e in build.rows["enrolment"] if e not in paid)
    per_person = Counter(e["person_id"] for e in paid)
    assert per_person and max(per_person.values()) == 1
    qd46_people = Counter(
        e["person_id"] for e in build.rows["enrolment"] if funding[e["course_id"]] == "qd46"
    )
    assert max(qd46_people.values()) > 1  # someone came back to a second QĐ 46 course


def test_the_same_seed_plans_the_same_rows_and_another_seed_does_not(reference):
    def plan(seed: int) -> DemoBuild:
        return plan_demo(reference, seed=seed, years=(2025,), scale=0.05, today=TODAY)

    first, again, other = plan(11), plan(11), plan(12)
    assert first.rows == again.rows
    for field in ("full_name", "citizen_id", "birth_date", "commune_code"):
        assert [p[field] for p in first.rows["person"]] != [p[field] for p in other.rows["person"]]


# --- written to the database ---------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _table_rows(engine: Engine, name: str, skip: tuple[str, ...] = ()) -> list[tuple]:
    table = SQLModel.metadata.tables[name]
    columns = [c for c in table.c if c.name not in skip]
    with engine.connect() as conn:
        rows = conn.execute(sa_select(*columns).order_by(*table.primary_key.columns)).all()
    return [tuple(_plain(v) for v in row) for row in rows]


def test_the_same_seed_writes_identical_rows_into_fresh_databases(engine, tmp_path):
    other = make_engine(f"sqlite:///{tmp_path / 'second.sqlite3'}")
    SQLModel.metadata.create_all(other)
    try:
        for target in (engine, other):
            generate_demo(target, seed=5, years=(2025, 2026), scale=0.05)
        for name in (*DEMO_TABLES, "user_account", "audit_entry"):
            # Password hashes are salted at random by design; nothing else may differ.
            skip = ("password_hash",) if name == "user_account" else ()
            mine, theirs = _table_rows(engine, name, skip), _table_rows(other, name, skip)
            assert len(mine) == len(theirs), name
            differences = [(a, b) for a, b in zip(mine, theirs, strict=True) if a != b]
            assert not differences, (name, differences[:1])
    finally:
        other.dispose()


def test_generated_rows_are_valid_and_consistent(engine):
    calls: list[tuple[str, int, int]] = []
    summary = generate_demo(
        engine, seed=7, years=(2024, 2025, 2026), scale=0.05,
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )  # fmt: skip
    with Session(engine) as session:
        _check_people(session)
        _check_training(session)
        _check_employers_and_vacancies(session)
        _check_orders(session)
        _check_referrals_and_spells(session, summary)
        _check_follow_ups(session)
        _check_nothing_recorded_after_today(session)
    assert {stage for stage, _, _ in calls} >= {"reference", "plan", "write"}
    last_write = [c for c in calls if c[0] == "write"][-1]
    assert (
        last_write[1]
        == last_write[2]
        == sum(n for table, n in summary.tables.items() if table != "user_account")
    )
    for year in (2024, 2025):
        assert all(summary.per_year[year].new_jobs_by_channel.values()), year
    assert summary.distinct_trainees < summary.tables["enrolment"]  # some came back


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(
                sa_select(func.count()).select_from(SQLModel.metadata.tables[name])
            ).scalar_one()
            for name in (*DEMO_TABLES, "user_account", "audit_entry")
        }


def test_generating_again_is_refused_and_changes_nothing(engine):
    generate_demo(engine, seed=1, years=(2025,), scale=0.02)
    before = _counts(engine)
    with pytest.raises(ConflictError) as refused:
        generate_demo(engine, seed=2, years=(2025,), scale=0.02)
    assert refused.value.params["seed"] == 1
    assert "replace" in refused.value.msgid
    assert _counts(engine) == before


def test_replace_deletes_the_earlier_demo_and_what_points_at_it(engine):
    first = generate_demo(engine, seed=1, years=(2025,), scale=0.02)
    with Session(engine, expire_on_commit=False) as session:
        admin = session.exec(select(UserAccount).where(UserAccount.username == "demo.admin")).one()
        demo_person = session.exec(select(Person).order_by(col(Person.id))).first()
        session.add(AuthSession(token_hash="t" * 64, user_id=admin.id, csrf_token="c",
                                expires_at=datetime(2027, 1, 1, tzinfo=UTC)))  # fmt: skip
        session.add(
            AuditEntry(action="view_personal_data", entity="person", person_id=demo_person.id)
        )
        kept = factories.person(session, full_name="Người Ngoài Demo", citizen_id="011099000001")
        session.commit()
    assert kept.id > first.tables["person"]  # the sequences moved past the demo's ids

    second = generate_demo(engine, seed=2, years=(2025,), scale=0.02, replace=True)
    assert second.replaced
    with Session(engine) as session:
        assert len(session.exec(select(Person)).all()) == second.tables["person"] + 1
        assert session.get(Person, kept.id) is not None
        assert session.exec(select(AuthSession)).all() == []
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "view_personal_data"))
        assert audit.one().person_id is None
        markers = session.exec(select(AuditEntry).where(AuditEntry.action == "seed_demo")).all()
        assert [m.details["seed"] for m in markers] == [2]


def test_demo_accounts_can_sign_in_with_the_documented_password(engine):
    summary = generate_demo(engine, seed=3, years=(2025,), scale=0.02)
    assert [a.role for a in summary.accounts] == [
        "admin", "official", "institution", "employer", "commune", "job_centre"
    ]  # fmt: skip
    with Session(engine) as session:
        for account in summary.accounts:
            user = session.exec(
                select(UserAccount).where(UserAccount.username == account.username)
            ).one()
            assert user.role == account.role
            assert verify_password(user.password_hash, account.password)
        staff = session.exec(select(UserAccount).where(UserAccount.role == "institution")).one()
        assert staff.institution_id is not None
        college = session.exec(select(Course).where(Course.institution_id == staff.institution_id))
        assert college.first() is not None  # the college has courses to show
        recruiter = session.exec(select(UserAccount).where(UserAccount.role == "employer")).one()
        posted = session.exec(select(Vacancy).where(Vacancy.employer_id == recruiter.employer_id))
        assert posted.first() is not None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"scale": 0}, "scale"), ({"years": ()}, "years"), ({"scale": 1000}, "scale")],
)
def test_bad_arguments_are_refused_before_anything_is_written(engine, arguments, field):
    with pytest.raises(InvalidError) as refused:
        generate_demo(engine, **arguments)
    assert refused.value.field == field
    assert _counts(engine)["person"] == 0


def test_reference_data_is_loaded_when_missing(engine):
    with Session(engine) as session:
        assert session.exec(select(AdminUnit)).first() is None
    generate_demo(engine, seed=4, years=(2025,), scale=0.02)
    with Session(engine) as session:
        current = session.exec(
            select(AdminUnit).where(AdminUnit.province_code == "11", AdminUnit.level != "tinh")
            .where(col(AdminUnit.valid_to).is_(None))
        ).all()  # fmt: skip
        assert len(current) == 45
        assert len(session.exec(select(Ethnicity)).all()) == 54


# --- consistency checks on a written demo --------------------------------------------------


def _current_communes(session: Session) -> set[str]:
    return set(
        session.exec(
            select(AdminUnit.code).where(AdminUnit.province_code == "11", AdminUnit.level != "tinh")
            .where(col(AdminUnit.valid_to).is_(None))
        ).all()
    )  # fmt: skip


def _check_people(session: Session) -> None:
    """Valid ID numbers and phones, NFC names with their keys, flags derived correctly."""
    minority = {e.code: e.is_minority for e in session.exec(select(Ethnicity)).all()}
    zones = {z.commune_code: z.zone for z in session.exec(select(CommuneZone)).all()}
    communes = _current_communes(session)
    persons = session.exec(select(Person)).all()
    for person in persons:
        check = check_citizen_id(
            person.citizen_id, birth_date=person.birth_date, sex=person.sex, today=TODAY
        )
        assert check.warnings == (), person.citizen_id  # a known province of birth
        if person.phone is not None:
            assert normalise_phone(person.phone) == person.phone
            number = phonenumbers.parse(person.phone)
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        fields = name_fields(person.full_name)
        assert (person.full_name, person.family_name, person.middle_name, person.given_name,
                person.name_key) == tuple(fields.values())  # fmt: skip
        assert person.is_ethnic_minority == minority[person.ethnicity_code]
        assert person.in_zone_iii == (zones[person.commune_code] == "III")
        assert person.commune_code in communes
        assert person.household_status in (None, "ngheo", "can_ngheo")
        assert 14 <= (TODAY - person.birth_date).days / 365.25 <= 70
    born_here = sum(p.citizen_id.startswith("011") for p in persons)  # type: ignore[union-attr]
    assert born_here / len(persons) > 0.8
    missing = sum(p.phone is None for p in persons) / len(persons)
    assert 0.03 < missing < 0.2


def _check_training(session: Session) -> None:
    levels = {o.id: o.levels for o in session.exec(select(TrainingOccupation)).all()}
    courses = {c.id: c for c in session.exec(select(Course)).all()}
    communes = _current_communes(session)
    for course in courses.values():
        assert course.level_code in levels[course.occupation_id]
        assert course.start_date <= course.end_date
        assert course.venue_commune_code in communes
        assert 20 <= course.capacity <= 35
        low, high = HOURS.get(course.level_code, (1000, 3000))
        assert low <= course.hours <= high  # type: ignore[operator]
    enrolments = session.exec(select(Enrolment)).all()
    per_course = Counter(e.course_id for e in enrolments)
    assert all(per_course[c] <= courses[c].capacity for c in per_course)
    numbers = Counter(
        (courses[e.course_id].institution_id, e.certificate_number) for e in enrolments
    )
    for enrolment in enrolments:
        graduated = enrolment.status == EnrolmentStatus.GRADUATED
        assert graduated == (enrolment.graduated_on is not None)
        assert graduated == (enrolment.certificate_number is not None)
        if graduated:
            course = courses[enrolment.course_id]
            assert enrolment.certificate_kind == CERTIFICATE[course.level_code]
            assert course.end_date <= enrolment.graduated_on <= TODAY  # type: ignore[operator]
            assert numbers[(course.institution_id, enrolment.certificate_number)] == 1
    statuses = Counter(e.status for e in enrolments)
    assert statuses[EnrolmentStatus.DROPPED] / len(enrolments) < 0.1


def _check_employers_and_vacancies(session: Session) -> None:
    employers = session.exec(select(Employer)).all()
    codes = [validate_tax_code(e.tax_code) for e in employers]
    assert len(set(codes)) == len(codes)
    for employer in employers:
        if employer.phone:
            assert normalise_phone(employer.phone) == employer.phone
    hired = Counter(
        session.exec(select(Referral.vacancy_id).where(Referral.status == "hired")).all()
    )
    for vacancy in session.exec(select(Vacancy)).all():
        assert 0 <= vacancy.filled <= vacancy.quantity
        assert vacancy.filled == hired[vacancy.id]
        assert (vacancy.status == "filled") == (vacancy.filled == vacancy.quantity)
        if vacancy.status == "open":
            assert vacancy.deadline >= TODAY  # type: ignore[operator]
        if vacancy.location_kind == "abroad":
            assert vacancy.country_code in ("JP", "KR", "TW")
            assert vacancy.age_max is not None and vacancy.age_max <= 40
            continue
        for day in (vacancy.created_at.date(), vacancy.start_date):
            floor = minimum_wage_for(
                session, location_kind=vacancy.location_kind, commune_code=vacancy.commune_code,
                province_code=vacancy.province_code, on=day,
            )  # fmt: skip
            assert floor is None or vacancy.wage_min >= floor.monthly, (vacancy.id, day)


def _check_orders(session: Session) -> None:
    orders = session.exec(select(TrainingOrder)).all()
    courses = Counter(session.exec(select(Course.training_order_id)).all())
    assert orders
    for order in orders:
        assert 15 <= order.quantity <= 40
        assert 0 < order.hiring_commitment <= order.quantity
        status = TrainingOrderStatus(order.status)
        if status in (TrainingOrderStatus.DECLINED, TrainingOrderStatus.CLOSED):
            assert order.status_reason
        if status in (TrainingOrderStatus.REQUESTED, TrainingOrderStatus.DECLINED):
            assert courses[order.id] == 0
        elif status != TrainingOrderStatus.CLOSED:  # closed before or after its course
            assert courses[order.id] == 1
    fulfilled = [o for o in orders if o.status == TrainingOrderStatus.FULFILLED]
    for order in fulfilled:
        vacancy = session.exec(select(Vacancy).where(Vacancy.training_order_id == order.id)).one()
        assert vacancy.filled >= order.hiring_commitment


def _check_referrals_and_spells(session: Session, summary: DemoSummary) -> None:
    active = [s.value for s in ACTIVE_REFERRAL_STATUSES]
    referrals = {r.id: r for r in session.exec(select(Referral)).all()}
    pairs = Counter((r.person_id, r.vacancy_id) for r in referrals.values() if r.status in active)
    assert max(pairs.values()) == 1
    spells = session.exec(select(EmploymentSpell)).all()
    communes = _current_communes(session)
    per_year = Counter((s.person_id, s.start_date.year) for s in spells if s.is_new_job)
    assert max(per_year.values()) == 2  # a second job in the year now and then
    for spell in spells:
        NewJobChannel(spell.channel)
        assert (spell.in_trained_occupation is not None) == (spell.enrolment_id is not None)
        if spell.source == "platform":
            referral = referrals[spell.referral_id]  # type: ignore[index]
            assert referral.status == "hired" and referral.vacancy_id == spell.vacancy_id
            assert referral.person_id == spell.person_id
        if not spell.is_new_job:  # the same job done better after a short course
            assert spell.kind == "improved_same_job" and spell.enrolment_id
            continue
        abroad = spell.channel == NewJobChannel.ABROAD
        assert abroad == (spell.kind == "abroad") == (spell.location_kind == "abroad")
        if abroad:
            assert spell.country_code and spell.abroad_programme
        elif spell.channel == NewJobChannel.OUTSIDE_PROVINCE:
            assert spell.location_kind == "other_province" and spell.province_code != "11"
        else:
            assert spell.location_kind == "commune" and spell.commune_code in communes
    for year, figures in summary.per_year.items():
        started = {s.person_id for s in spells if s.start_date.year == year and s.is_new_job}
        assert figures.new_jobs == len(started) + figures.new_jobs_without_names


def _check_follow_ups(session: Session) -> None:
    enrolments = {e.id: e for e in session.exec(select(Enrolment)).all()}
    spells = {s.id: s for s in session.exec(select(EmploymentSpell)).all()}
    follow_ups = session.exec(select(FollowUp)).all()
    for follow_up in follow_ups:
        enrolment = enrolments[follow_up.enrolment_id]
        assert enrolment.status == EnrolmentStatus.GRADUATED
        assert follow_up.person_id == enrolment.person_id
        assert follow_up.months_after in (0, 3, 6, 12)
        assert enrolment.graduated_on <= follow_up.observed_on <= TODAY  # type: ignore[operator]
        if follow_up.source == "platform_hire":
            spell = spells[follow_up.employment_spell_id]  # type: ignore[index]
            assert spell.source == "platform" and spell.person_id == follow_up.person_id
        if follow_up.status == "improved_same_job":
            spell = spells[follow_up.employment_spell_id]  # type: ignore[index]
            assert spell.kind == "improved_same_job" and not spell.is_new_job
            assert spell.enrolment_id == follow_up.enrolment_id
    recorded = Counter(f.employment_spell_id for f in follow_ups if f.source == "platform_hire")
    hires = [s.id for s in spells.values() if s.source == "platform" and s.enrolment_id]
    assert hires and all(recorded[spell] == 1 for spell in hires)  # each hire observed once
    reached = [
        f.status
        for f in follow_ups
        if f.months_after and f.status not in ("not_reached", "studying", "military")
    ]
    assert 0.65 <= sum(s in EMPLOYED for s in reached) / len(reached) <= 0.92


def _check_nothing_recorded_after_today(session: Session) -> None:
    """What happened is dated on or before `today`; only plans (course dates, deadlines,
    start dates of vacancies) may lie ahead."""
    end_of_today = datetime(TODAY.year, TODAY.month, TODAY.day, 17, tzinfo=UTC)  # midnight ICT
    recorded = {
        Person: ("created_at", "consent_at"), Enrolment: ("created_at",), Course: ("created_at",),
        Vacancy: ("created_at", "filled_at"), Referral: ("created_at", "updated_at"),
        TrainingOrder: ("requested_at", "decided_at", "closed_at"),
        EmploymentSpell: ("created_at",), FollowUp: ("created_at",),
        NewJobReport: ("submitted_at",), NewJobLine: ("created_at",),
    }  # fmt: skip
    for model, fields in recorded.items():
        for field in fields:
            latest = session.exec(select(func.max(getattr(model, field)))).one()
            assert latest is None or latest <= end_of_today, (model.__name__, field, latest)
    days = {
        Enrolment: ("enrolled_on", "graduated_on"),
        EmploymentSpell: ("start_date",),
        FollowUp: ("observed_on",),
    }
    for model, fields in days.items():
        for field in fields:
            latest = session.exec(select(func.max(getattr(model, field)))).one()
            assert latest is None or latest <= TODAY, (model.__name__, field, latest)
