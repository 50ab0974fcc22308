"""The regional minimum wage at a work location, and refusing vacancies that offer less.
Each test inserts the reference rows it relies on (Decree 74/2024 for 2025, Decree 293/2025
for 2026) and runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from models.errors import InvalidError
from models.i18n import message_for
from models.tables import AdminUnit, MinimumWage, WageRegionAssignment
from models.wages import MinimumWageInfo, check_vacancy_wage, minimum_wage_for

# Monthly and hourly minimums by region (VND).
DECREE_74 = {1: (4_960_000, 23_800), 2: (4_410_000, 21_200), 3: (3_860_000, 18_600),
             4: (3_450_000, 16_600)}  # fmt: skip
DECREE_293 = {1: (5_310_000, 25_500), 2: (4_730_000, 22_700), 3: (4_140_000, 20_000),
              4: (3_700_000, 17_800)}  # fmt: skip

MUONG_NHE = "03160"  # a commune with its own row: region IV
DIEN_BIEN_PHU = "03127"  # a ward with its own row: region III (test data)
TUAN_GIAO = "03253"  # no row of its own: falls back to the province
IN_2025 = date(2025, 9, 1)
IN_2026 = date(2026, 3, 1)


def _add_minimum_wages(session: Session) -> None:
    for region, (monthly, hourly) in DECREE_74.items():
        session.add(
            MinimumWage(
                region=region,
                monthly=monthly,
                hourly=hourly,
                decree="74/2024/NĐ-CP",
                valid_from=date(2024, 7, 1),
                valid_to=date(2025, 12, 31),
            )
        )
    for region, (monthly, hourly) in DECREE_293.items():
        session.add(
            MinimumWage(
                region=region,
                monthly=monthly,
                hourly=hourly,
                decree="293/2025/NĐ-CP",
                valid_from=date(2026, 1, 1),
            )
        )


def _assign(session: Session, unit_code: str, region: int, **dates: date) -> None:
    values = {"valid_from": date(2024, 7, 1), **dates}
    session.add(WageRegionAssignment(unit_code=unit_code, region=region, **values))


@pytest.fixture
def wages(session: Session) -> Session:
    _add_minimum_wages(session)
    _assign(session, "11", 4)  # Điện Biên province
    _assign(session, MUONG_NHE, 4)
    _assign(session, DIEN_BIEN_PHU, 3)
    _assign(session, "01", 1)  # Hà Nội
    session.flush()
    return session


def _check(session: Session, wage_min: int | None, wage_max: int | None = None, **place):
    where = {"location_kind": "commune", "commune_code": MUONG_NHE, "province_code": None}
    where.update(place)
    where.setdefault("on", IN_2026)
    check_vacancy_wage(session, wage_min=wage_min, wage_max=wage_max, **where)


def test_a_wage_below_the_minimum_in_a_region_iv_commune_is_refused(wages):
    with pytest.raises(InvalidError) as caught:
        _check(wages, 3_600_000, 4_000_000)
    error = caught.value
    assert error.field == "wage_min"
    assert error.params == {"wage": 3_600_000, "minimum": 3_700_000, "region": "IV"}
    assert message_for(error, "vi") == (
        "Mức lương đưa ra 3.600.000 ₫ thấp hơn mức lương tối thiểu vùng 3.700.000 ₫ "
        "(vùng IV) tại nơi làm việc."
    )
    assert message_for(error, "en") == (
        "The offered wage VND 3,600,000 is below the regional minimum wage VND 3,700,000 "
        "(region IV) at the work location."
    )


@pytest.mark.parametrize("offered", [3_700_000, 3_700_001, 6_000_000])
def test_a_wage_at_or_above_the_minimum_is_accepted(wages, offered):
    _check(wages, offered)


def test_decree_74_applies_in_2025_and_decree_293_in_2026(wages):
    _check(wages, 3_600_000, on=IN_2025)  # above 3,450,000 in 2025
    with pytest.raises(InvalidError) as in_2026:
        _check(wages, 3_600_000, on=IN_2026)
    assert in_2026.value.params["minimum"] == 3_700_000
    with pytest.raises(InvalidError) as in_2025:
        _check(wages, 3_400_000, on=IN_2025)
    assert in_2025.value.params["minimum"] == 3_450_000
    last_day = minimum_wage_for(
        wages, location_kind="commune", commune_code=MUONG_NHE, on=date(2025, 12, 31)
    )
    first_day = minimum_wage_for(
        wages, location_kind="commune", commune_code=MUONG_NHE, on=date(2026, 1, 1)
    )
    assert last_day is not None and last_day.decree == "74/2024/NĐ-CP"
    assert first_day is not None and first_day.decree == "293/2025/NĐ-CP"


def test_a_commune_row_wins_over_its_province(wages):
    info = minimum_wage_for(wages, location_kind="commune", commune_code=DIEN_BIEN_PHU, on=IN_2026)
    assert info == MinimumWageInfo(
        region=3,
        monthly=4_140_000,
        hourly=20_000,
        decree="293/2025/NĐ-CP",
        region_known=True,
        unit_code=DIEN_BIEN_PHU,
    )
    with pytest.raises(InvalidError) as caught:
        _check(wages, 4_000_000, commune_code=DIEN_BIEN_PHU)
    assert caught.value.params["region"] == "III"


def test_a_commune_without_its_own_row_takes_the_province_region(wages):
    info = minimum_wage_for(wages, location_kind="commune", commune_code=TUAN_GIAO, on=IN_2026)
    assert info is not None
    assert (info.region, info.unit_code, info.region_known) == (4, "11", True)


def test_with_no_region_recorded_the_lowest_region_is_the_floor(session):
    _add_minimum_wages(session)
    session.flush()
    info = minimum_wage_for(session, location_kind="commune", commune_code=TUAN_GIAO, on=IN_2026)
    assert info is not None
    assert (info.region, info.monthly, info.region_known, info.unit_code) == (
        4,
        3_700_000,
        False,
        None,
    )
    with pytest.raises(InvalidError):
        _check(session, 3_000_000, commune_code=TUAN_GIAO)


def test_a_job_abroad_is_not_checked(wages):
    assert minimum_wage_for(wages, location_kind="abroad", on=IN_2026) is None
    _check(wages, 1_000_000, location_kind="abroad", commune_code=None)


def test_a_job_in_another_province_uses_that_province(wages):
    with pytest.raises(InvalidError) as caught:
        _check(wages, 5_000_000, location_kind="other_province", commune_code=None,
               province_code="01")  # fmt: skip
    assert caught.value.params["minimum"] == 5_310_000
    _check(wages, 5_310_000, location_kind="other_province", commune_code=None, province_code="01")


def test_the_province_of_a_commune_elsewhere_comes_from_the_admin_register(wages):
    wages.add(
        AdminUnit(
            code="00004",
            name="Phường Ba Đình",
            name_key="phuong ba dinh",
            level="phuong",
            province_code="01",
            valid_from=date(2025, 7, 1),
        )
    )
    wages.flush()
    info = minimum_wage_for(wages, location_kind="other_province", commune_code="00004", on=IN_2026)
    assert info is not None
    assert (info.region, info.unit_code) == (1, "01")


def test_only_the_highest_wage_given_is_checked_and_reported_on_its_field(wages):
    with pytest.raises(InvalidError) as caught:
        _check(wages, None, 3_000_000)
    assert caught.value.field == "wage_max"
    _check(wages, None, None)  # negotiable: nothing to compare


def test_an_hourly_wage_is_compared_with_the_hourly_minimum(wages):
    _check(wages, 17_800, per_hour=True)
    with pytest.raises(InvalidError) as caught:
        _check(wages, 17_000, per_hour=True)
    assert caught.value.params["minimum"] == 17_800


def test_an_assignment_that_has_ended_no_longer_applies(session):
    _add_minimum_wages(session)
    _assign(session, TUAN_GIAO, 3, valid_to=date(2025, 12, 31))
    _assign(session, TUAN_GIAO, 4, valid_from=date(2026, 1, 1))
    session.flush()
    before = minimum_wage_for(session, location_kind="commune", commune_code=TUAN_GIAO, on=IN_2025)
    after = minimum_wage_for(session, location_kind="commune", commune_code=TUAN_GIAO, on=IN_2026)
    assert before is not None and after is not None
    assert (before.region, after.region) == (3, 4)


def test_without_a_minimum_wage_for_the_date_nothing_is_refused(wages):
    early = date(2020, 1, 1)
    assert (
        minimum_wage_for(wages, location_kind="commune", commune_code=MUONG_NHE, on=early) is None
    )
    _check(wages, 1_000_000, on=early)


def test_the_check_writes_nothing(wages):
    wages.commit()
    with pytest.raises(InvalidError):
        _check(wages, 1_000_000)
    assert not wages.new and not wages.dirty and not wages.deleted
