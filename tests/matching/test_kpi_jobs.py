"""K2 new jobs, K3 departures abroad and the sector structure of new jobs."""

from __future__ import annotations

from datetime import date

import pytest

from matching.kpi import CHANNELS, abroad, new_job_structure, new_jobs
from tests.matching.kpi_factories import spell


def _abroad(**overrides: object) -> object:
    fields: dict[str, object] = {
        "kind": "abroad",
        "channel": "xuat_khau_lao_dong",
        "location_kind": "abroad",
        "country_code": "JP",
        "abroad_programme": "tts_nhat_ban",
        "employer_id": 90,
        "sector_group": "cnxd",
    }
    fields.update(overrides)
    return spell(**fields)


def test_a_person_hired_twice_in_a_year_counts_once() -> None:
    first = spell(spell_id=1, start_date=date(2025, 2, 1), end_date=date(2025, 5, 31))
    second = spell(spell_id=2, start_date=date(2025, 7, 1), employer_id=51)

    result = new_jobs([first, second], 2025)

    assert result.total.value == 1
    assert result.total.record_ids == (1,)  # the earlier job, same channel
    assert result.channels["dn_trong_tinh"].value == 1


def test_a_person_in_two_channels_is_classified_by_the_provinces_priority() -> None:
    inside = spell(spell_id=1, channel="dn_trong_tinh", start_date=date(2025, 2, 1))
    loan = spell(spell_id=2, channel="vay_von", kind="self_employed", start_date=date(2025, 10, 1))
    other = spell(spell_id=3, person_id=2, channel="chuong_trinh_khac_tu_tao")

    result = new_jobs([inside, loan, other], 2025, by="channel")

    assert result.total.value == 2
    assert list(result.channels) == list(CHANNELS)  # all six, in the province's order
    assert {c: n.value for c, n in result.channels.items() if n.value} == {
        "vay_von": 1,
        "chuong_trinh_khac_tu_tao": 1,
    }
    assert result.channels["vay_von"].record_ids == (2,)
    assert result.channels["dn_trong_tinh"].value == 0
    assert sum(n.value for n in result.groups.values()) == result.total.value


def test_departures_count_even_when_not_marked_new_and_old_jobs_do_not() -> None:
    records = [
        _abroad(spell_id=1, is_new_job=False),  # a second contract abroad: a departure
        spell(spell_id=2, person_id=2, is_new_job=False),  # keeps the same job: not new
        spell(spell_id=3, person_id=3, start_date=date(2024, 12, 31)),  # last year
    ]

    result = new_jobs(records, 2025)

    assert result.total.person_ids == (1,)
    assert result.channels["xuat_khau_lao_dong"].value == 1


def test_an_unknown_channel_is_kept_after_the_six() -> None:
    result = new_jobs([spell(channel="hoi_cho_viec_lam")], 2025)

    assert list(result.channels)[-1] == "hoi_cho_viec_lam"
    assert result.channels["hoi_cho_viec_lam"].value == 1


def test_by_place_of_work_partitions_the_total() -> None:
    records = [
        spell(spell_id=1, person_id=1),
        spell(spell_id=2, person_id=2, location_kind="other_province", channel="dn_ngoai_tinh"),
        _abroad(spell_id=3, person_id=3),
        _abroad(spell_id=4, person_id=2, start_date=date(2025, 11, 1)),  # second job of 2
    ]

    result = new_jobs(records, 2025, by="location_kind")

    # Person 2 went abroad after a job outside the province: abroad (priority 2) beats an
    # enterprise outside the province (priority 3), so no one is left in other_province.
    assert {k: c.value for k, c in result.groups.items()} == {"abroad": 2, "commune": 1}
    assert set(result.channels["xuat_khau_lao_dong"].person_ids) == {2, 3}
    assert sum(c.value for c in result.groups.values()) == result.total.value


def test_departures_by_country_and_programme() -> None:
    records = [
        _abroad(spell_id=1, person_id=1, country_code="JP", abroad_programme="tts_nhat_ban"),
        _abroad(spell_id=2, person_id=2, country_code="KR", abroad_programme="eps_han_quoc"),
        _abroad(spell_id=3, person_id=3, country_code="JP", abroad_programme="tts_nhat_ban"),
        _abroad(spell_id=4, person_id=3, country_code="TW", start_date=date(2025, 12, 1)),
        spell(spell_id=5, person_id=4),  # a job at home is no departure
    ]

    result = abroad(records, 2025)

    assert result.total.value == 3
    assert {k: c.value for k, c in result.groups.items()} == {
        ("JP", "tts_nhat_ban"): 2,
        ("KR", "eps_han_quoc"): 1,
    }
    assert abroad(records, 2025, by="country").groups["JP"].record_ids == (1, 3)


def test_structure_of_new_jobs_leaves_unknown_sectors_out_of_the_shares() -> None:
    records = [
        spell(spell_id=1, person_id=1, sector_group="nlts", channel="vay_von"),
        spell(spell_id=2, person_id=1, sector_group="dv"),  # not deciding: loans come first
        spell(spell_id=3, person_id=2, sector_group="cnxd"),
        spell(spell_id=4, person_id=3, sector_group="dv"),
        spell(spell_id=5, person_id=4, sector_group=None),
    ]

    result = new_job_structure(records, 2025)

    assert result.kind == "new_jobs"
    assert result.unknown == 1
    assert {g: r.numerator for g, r in result.shares.items()} == {"nlts": 1, "cnxd": 1, "dv": 1}
    assert result.shares["nlts"].value == pytest.approx(1 / 3)
    assert result.shares["dv"].numerator_ids == (4,)
