"""Rows become the matching engine's profiles: only graduates who agreed to be shown to
employers and have not taken a job since, with their trade, level, skills and training order;
only open vacancies with their place, occupation and the places still to fill."""

from __future__ import annotations

from datetime import date

from models.profiles import graduate_profiles, vacancy_profiles
from models.tables import EmploymentSpell, Referral, TrainingOrder
from tests import factories


def _graduate(session, course, *, graduated_on=date(2026, 6, 30), **person):
    values = {"consent_to_employers": True, **person}
    person_row = factories.person(session, **values)
    factories.enrolment(
        session,
        person_id=person_row.id,
        course_id=course.id,
        status="tot_nghiep",
        result="dat",
        graduated_on=graduated_on,
    )
    return person_row


def _order(session, employer_id: int, occupation_id: int) -> TrainingOrder:
    factories.level(session, "so_cap")
    order = TrainingOrder(
        employer_id=employer_id,
        occupation_id=occupation_id,
        level_code="so_cap",
        quantity=10,
        needed_by=date(2026, 9, 1),
    )
    session.add(order)
    session.flush()
    return order


def test_only_consenting_graduates_become_profiles(session):
    sewing = factories.occupation(session, key="MAY_CONG_NGHIEP", aliases=["may", "cắt may"])
    course = factories.course(session, occupation_id=sewing.id, level_code="so_cap")
    mai = _graduate(
        session,
        course,
        full_name="Lò Thị Mai",
        sex="nu",
        skills=["cắt vải"],
        willing_to_work=["province", "somewhere-unknown"],
        expected_wage=6_000_000,
        available_from=date(2026, 7, 15),
    )
    _graduate(session, course, full_name="Quàng Văn Hùng", consent_to_employers=False)
    studying = factories.person(session, full_name="Tòng Văn Sơn", consent_to_employers=True)
    factories.enrolment(session, person_id=studying.id, course_id=course.id)  # still studying
    session.commit()

    profiles = graduate_profiles(session)

    assert [p.id for p in profiles] == [str(mai.id)]
    profile = profiles[0]
    assert profile.occupation == "May công nghiệp"
    assert profile.occupation_code == "MAY_CONG_NGHIEP"
    assert profile.level == "so_cap"
    assert profile.skills == ("cắt vải",)
    assert profile.commune_code == mai.commune_code
    assert profile.birth_year == mai.birth_date.year
    assert profile.willing_to_work == ("province",)  # unknown scopes are dropped
    assert profile.expected_wage == 6_000_000
    assert profile.available_from == date(2026, 7, 15)
    assert profile.order_id is None


def test_a_graduate_without_skills_gets_the_occupation_aliases(session):
    sewing = factories.occupation(session, key="MAY_CONG_NGHIEP", aliases=["may", "cắt may"])
    course = factories.course(session, occupation_id=sewing.id)
    _graduate(session, course)
    session.commit()

    assert graduate_profiles(session)[0].skills == ("may", "cắt may")


def test_the_training_order_of_the_course_is_carried(session):
    employer = factories.employer(session)
    sewing = factories.occupation(session)
    order = _order(session, employer.id, sewing.id)
    course = factories.course(session, occupation_id=sewing.id, training_order_id=order.id)
    _graduate(session, course)
    vacancy = factories.vacancy(
        session, employer_id=employer.id, occupation_id=sewing.id, training_order_id=order.id
    )
    session.commit()

    (graduate,) = graduate_profiles(session)
    (vacancy_profile,) = vacancy_profiles(session)
    assert graduate.order_id == str(order.id)
    assert vacancy_profile.order_id == str(order.id)
    assert vacancy_profile.id == str(vacancy.id)


def test_the_latest_graduation_decides_trade_and_level(session):
    person = factories.person(session, consent_to_employers=True)
    older = factories.course(session, occupation_id=factories.occupation(session, name="Hàn").id)
    newer = factories.course(
        session,
        occupation_id=factories.occupation(session, name="Điện dân dụng").id,
        level_code="trung_cap",
    )
    for course, day in ((newer, date(2026, 5, 1)), (older, date(2024, 5, 1))):
        factories.enrolment(
            session,
            person_id=person.id,
            course_id=course.id,
            status="tot_nghiep",
            graduated_on=day,
        )
    session.commit()

    (profile,) = graduate_profiles(session)
    assert (profile.occupation, profile.level) == ("Điện dân dụng", "trung_cap")


def test_people_who_took_a_job_since_graduating_are_left_out(session):
    course = factories.course(session)
    hired = _graduate(session, course, full_name="Lò Văn Hải")
    working = _graduate(session, course, full_name="Cầm Thị Hoa")
    earlier_job = _graduate(session, course, full_name="Vì Văn Toán")
    job_ended = _graduate(session, course, full_name="Lường Thị Xuân")
    vacancy = factories.vacancy(session)
    referral = Referral(person_id=hired.id, vacancy_id=vacancy.id, status="hired")
    session.add(referral)
    session.flush()
    spells = [
        (hired.id, date(2026, 7, 1), None, referral.id),
        (working.id, date(2026, 8, 1), None, None),  # found a job on their own
        (earlier_job.id, date(2025, 1, 1), None, None),  # a job held before graduating
        (job_ended.id, date(2026, 7, 1), date(2026, 9, 1), None),
    ]
    for person_id, start, end, referral_id in spells:
        session.add(
            EmploymentSpell(
                person_id=person_id,
                start_date=start,
                end_date=end,
                referral_id=referral_id,
                kind="wage",
                channel="dn_trong_tinh",
            )
        )
    session.commit()

    ids = {p.id for p in graduate_profiles(session)}
    assert ids == {str(earlier_job.id), str(job_ended.id)}


def test_a_hired_referral_keeps_a_person_out_until_the_job_ends(session):
    course = factories.course(session)
    person = _graduate(session, course)
    vacancy = factories.vacancy(session)
    referral = Referral(person_id=person.id, vacancy_id=vacancy.id, status="hired")
    session.add(referral)
    session.commit()
    assert graduate_profiles(session) == []

    session.add(
        EmploymentSpell(
            person_id=person.id,
            referral_id=referral.id,
            start_date=date(2026, 7, 1),
            end_date=date(2026, 8, 1),
            kind="wage",
            channel="dn_trong_tinh",
        )
    )
    session.commit()
    assert [p.id for p in graduate_profiles(session)] == [str(person.id)]


def test_only_open_vacancies_with_places_left_become_profiles(session):
    sewing = factories.occupation(session, key="MAY_CONG_NGHIEP")
    factories.level(session, "trung_cap")
    local = factories.vacancy(
        session,
        occupation_id=sewing.id,
        required_level_code="trung_cap",
        skills=["cắt vải"],
        quantity=5,
        age_min=18,
        age_max=35,
        start_date=date(2026, 9, 1),
    )
    local.filled = 2
    abroad = factories.vacancy(
        session, location_kind="abroad", commune_code=None, country_code="KR", quantity=3
    )
    elsewhere = factories.vacancy(
        session, location_kind="other_province", commune_code=None, province_code="01"
    )
    factories.vacancy(session, status="closed")
    full = factories.vacancy(session, quantity=1)
    full.filled = 1
    session.commit()

    profiles = {p.id: p for p in vacancy_profiles(session)}

    assert set(profiles) == {str(local.id), str(abroad.id), str(elsewhere.id)}
    first = profiles[str(local.id)]
    assert (first.occupation_code, first.required_level) == ("MAY_CONG_NGHIEP", "trung_cap")
    assert first.quantity == 3  # places still to fill
    assert (first.location.kind, first.location.commune_code) == ("commune", "03127")
    assert (first.age_min, first.age_max, first.start_date) == (18, 35, date(2026, 9, 1))
    assert first.skills == ("cắt vải",)
    assert (first.wage_min, first.wage_max) == (5_000_000, 7_000_000)
    assert profiles[str(abroad.id)].location.kind == "abroad"
    assert profiles[str(abroad.id)].location.country == "KR"
    assert profiles[str(elsewhere.id)].location.province == "01"
    assert [p.id for p in vacancy_profiles(session, [local.id, 99999])] == [str(local.id)]
