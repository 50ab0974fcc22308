"""Who is eligible for a vacancy, decided in SQL by the engine's own rules: where a person
said they would work, the age in the year the job starts, availability within 90 days of
the start, and the trade of their latest graduation. The ranking and the relation check
read the same answer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from models.queries.eligible import eligible_person
from models.ranking import score_of
from tests import factories

ON = date(2026, 11, 27)
START = date(2027, 1, 15)


@pytest.fixture
def trades(session: Session) -> dict[str, int]:
    factories.level(session, "so_cap")
    sewing = factories.occupation(session, key="MAY_CN", name="May công nghiệp")
    electric = factories.occupation(session, key="DIEN", name="Điện dân dụng", group="dien")
    return {
        "sewing": factories.course(session, occupation_id=sewing.id).id,
        "electric": factories.course(session, occupation_id=electric.id).id,
        "sewing_id": sewing.id,
    }


def graduate(session, trades, *, course="sewing", graduated=date(2026, 6, 30), **person) -> int:
    values = {"consent_to_employers": True, "commune_code": "03127", **person}
    row = factories.person(session, **values)
    factories.enrolment(
        session,
        person_id=row.id,
        course_id=trades[course],
        status="tot_nghiep",
        graduated_on=graduated,
    )
    return row.id


def job(session, trades, **overrides):
    values = {"occupation_id": trades["sewing_id"], "start_date": START, **overrides}
    return factories.vacancy(session, **values)


def eligible(session: Session, vacancy, person_id: int) -> bool:
    return bool(session.execute(select(eligible_person(vacancy, person_id, ON))).scalar())


@pytest.mark.parametrize(
    ("wishes", "kind", "expected"),
    [
        ([], "province", True),  # no stated wish: any place
        (["commune"], "own_commune", True),
        (["commune"], "province", False),
        (["province"], "province", True),
        (["other_province"], "province", True),  # who would go further goes nearer
        (["other_province"], "other_province", True),
        (["province"], "other_province", False),
        (["province"], "abroad", False),
        (["abroad"], "abroad", True),
    ],
)
def test_the_job_must_lie_where_the_person_would_work(session, trades, wishes, kind, expected):
    person = graduate(session, trades, willing_to_work=wishes)
    places = {
        "own_commune": {"location_kind": "commune", "commune_code": "03127"},
        "province": {"location_kind": "commune", "commune_code": "03160"},
        "other_province": {"location_kind": "other_province", "commune_code": None},
        "abroad": {"location_kind": "abroad", "commune_code": None, "country_code": "KR"},
    }
    vacancy = job(session, trades, **places[kind])
    assert eligible(session, vacancy, person) is expected


def test_age_is_counted_in_the_year_the_job_starts(session, trades):
    vacancy = job(session, trades, age_min=18, age_max=35)  # starts in 2027
    inside = [date(1992, 1, 1), date(2009, 12, 31)]  # 35 and 18 in 2027
    outside = [date(1991, 12, 31), date(2010, 1, 1)]  # 36 and 17
    for born in inside:
        assert eligible(session, vacancy, graduate(session, trades, birth_date=born))
    for born in outside:
        assert not eligible(session, vacancy, graduate(session, trades, birth_date=born))


def test_availability_within_ninety_days_of_the_start(session, trades):
    vacancy = job(session, trades)
    on_time = graduate(session, trades, available_from=date(2027, 4, 15))  # 90 days
    late = graduate(session, trades, available_from=date(2027, 4, 16))
    assert eligible(session, vacancy, on_time) and not eligible(session, vacancy, late)


def test_the_latest_graduation_decides_the_trade(session, trades):
    vacancy = job(session, trades)
    retrained = graduate(session, trades, graduated=date(2024, 6, 1))  # sewing first
    factories.enrolment(
        session,
        person_id=retrained,
        course_id=trades["electric"],
        status="tot_nghiep",
        graduated_on=date(2026, 6, 1),
    )
    electrician = graduate(session, trades, course="electric")
    assert not eligible(session, vacancy, retrained)
    assert not eligible(session, vacancy, electrician)
    no_trade = job(session, trades, occupation_id=None, title="Lao động phổ thông")
    assert eligible(session, no_trade, electrician)  # a job that asks for no trade


def test_no_consent_no_graduation_no_score(session, trades):
    vacancy = job(session, trades)
    refused = graduate(session, trades, consent_to_employers=False)
    studying = factories.person(session, consent_to_employers=True).id
    factories.enrolment(session, person_id=studying, course_id=trades["sewing"])
    fits = graduate(session, trades)
    assert not eligible(session, vacancy, refused) and not eligible(session, vacancy, studying)
    assert score_of(session, vacancy, refused, on=ON) is None
    assert 0 < (score_of(session, vacancy, fits, on=ON) or 0) <= 1


def test_a_related_group_is_a_second_choice_and_an_unrelated_one_is_not_eligible(session):
    """Machine operators and drivers are related groups (matching/data/group_relations.csv):
    a driver graduate may be ranked for a machine operator's job, behind an operator; a
    sewing graduate may not."""
    factories.level(session, "so_cap")
    courses = {}
    for key, name, group in (
        ("VAN_HANH_MAY_NONG_NGHIEP", "Vận hành máy nông nghiệp", "van_hanh_may"),
        ("LAI_XE", "Lái xe ô tô hạng B và C", "van_tai"),
        ("MAY_CONG_NGHIEP", "May công nghiệp", "may"),
    ):
        occupation = factories.occupation(session, key=key, name=name, group=group)
        courses[key] = (occupation.id, factories.course(session, occupation_id=occupation.id).id)
    trades = {key: course for key, (_, course) in courses.items()}
    vacancy = factories.vacancy(
        session,
        occupation_id=courses["VAN_HANH_MAY_NONG_NGHIEP"][0],
        title="Vận hành máy nông nghiệp",
        start_date=START,
    )
    operator = graduate(session, trades, course="VAN_HANH_MAY_NONG_NGHIEP")
    driver = graduate(session, trades, course="LAI_XE")
    sewer = graduate(session, trades, course="MAY_CONG_NGHIEP")
    assert eligible(session, vacancy, operator) and eligible(session, vacancy, driver)
    assert not eligible(session, vacancy, sewer)
    first, second = (
        score_of(session, vacancy, operator, on=ON),
        score_of(session, vacancy, driver, on=ON),
    )
    assert first is not None and second is not None and first > second
