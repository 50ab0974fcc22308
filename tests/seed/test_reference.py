"""The reference-data loader: what it loads, that a re-run changes nothing, that officials'
edits survive it, and that old addresses resolve to the current communes."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from matching.catalogue import load_catalogue
from models.enums import TargetIndicator
from models.tables import (
    AdminUnit,
    AdminUnitLineage,
    CommuneZone,
    Country,
    EconomicSector,
    Ethnicity,
    MinimumWage,
    Target,
    TrainingLevel,
    TrainingOccupation,
    WageRegionAssignment,
)
from seed.reference import load_reference_data, resolve_former_address

REFERENCE_TABLES: tuple[type[SQLModel], ...] = (
    AdminUnit,
    AdminUnitLineage,
    CommuneZone,
    WageRegionAssignment,
    MinimumWage,
    Ethnicity,
    TrainingLevel,
    TrainingOccupation,
    EconomicSector,
    Country,
    Target,
)
REFORM = date(2025, 7, 1)


@pytest.fixture
def loaded(session: Session) -> Session:
    load_reference_data(session)
    return session


def _snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every reference table, read past the session's identity map."""
    connection = session.connection()
    snapshot = {}
    for model in REFERENCE_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        rows = connection.execute(sa_select(table)).all()
        snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot


def _current_communes(session: Session) -> list[AdminUnit]:
    return list(
        session.exec(
            select(AdminUnit).where(
                AdminUnit.province_code == "11",
                AdminUnit.level != "tinh",
                AdminUnit.valid_from == REFORM,
            )
        )
    )


def _former_communes(session: Session) -> list[AdminUnit]:
    return list(
        session.exec(
            select(AdminUnit).where(
                AdminUnit.province_code == "11",
                AdminUnit.level != "tinh",
                AdminUnit.valid_to == date(2025, 6, 30),
            )
        )
    )


def test_current_communes_of_dien_bien(loaded: Session) -> None:
    current = _current_communes(loaded)
    assert len(current) == 45
    assert Counter(u.level for u in current) == {"xa": 42, "phuong": 3}
    assert all(len(u.code) == 5 and u.code.startswith("03") for u in current)
    assert all(u.valid_to is None for u in current)
    by_code = {u.code: u for u in current}
    assert by_code["03295"].name == "Xã Quài Tở"
    assert by_code["03295"].name_key == "xa quai to"


def test_provinces_before_and_after_the_reform(loaded: Session) -> None:
    provinces = loaded.exec(select(AdminUnit).where(AdminUnit.level == "tinh")).all()
    after = [p for p in provinces if p.valid_from == REFORM]
    before = [p for p in provinces if p.valid_to == date(2025, 6, 30)]
    assert len(after) == 34 and len(before) == 63
    assert {p.code: p.name for p in after}["11"] == "Tỉnh Điện Biên"
    # Bắc Giang's old code 24 is the merged Bắc Ninh's code now.
    assert {p.code: p.name for p in before}["24"] == "Tỉnh Bắc Giang"
    assert {p.code: p.name for p in after}["24"] == "Tỉnh Bắc Ninh"


def test_former_communes_and_lineage(loaded: Session) -> None:
    former = _former_communes(loaded)
    assert len(former) == 129
    assert Counter(u.level for u in former) == {"xa": 115, "phuong": 9, "thi_tran": 5}
    assert all(u.district_name for u in former)
    lineage = loaded.exec(select(AdminUnitLineage)).all()
    defaults = Counter(link.former_unit_id for link in lineage if link.is_default)
    assert set(defaults) == {u.id for u in former}
    assert set(defaults.values()) == {1}
    current_ids = {u.id for u in _current_communes(loaded)}
    assert {link.current_unit_id for link in lineage} == current_ids


def test_reused_code_03127_is_two_units(loaded: Session) -> None:
    units = loaded.exec(select(AdminUnit).where(AdminUnit.code == "03127")).all()
    by_period = {(u.valid_from, u.valid_to): u for u in units}
    assert len(units) == 2
    him_lam = by_period[(date(2008, 8, 1), date(2025, 6, 30))]
    dien_bien_phu = by_period[(REFORM, None)]
    assert him_lam.name == "Phường Him Lam"
    assert him_lam.district_name == "Thành phố Điện Biên Phủ"
    assert dien_bien_phu.name == "Phường Điện Biên Phủ"
    link = loaded.exec(
        select(AdminUnitLineage).where(AdminUnitLineage.former_unit_id == him_lam.id)
    ).one()
    assert link.current_unit_id == dien_bien_phu.id


def test_commune_zones(loaded: Session) -> None:
    zones = loaded.exec(select(CommuneZone)).all()
    by_zone: dict[str, set[str]] = {}
    for zone in zones:
        by_zone.setdefault(zone.zone, set()).add(zone.commune_code)
    assert by_zone["I"] == {"03127", "03334"}
    assert by_zone["II"] == {"03151", "03325", "03328", "03352", "03253"}
    assert len(by_zone["III"]) == 38
    assert set().union(*by_zone.values()) == {u.code for u in _current_communes(loaded)}
    assert {(z.valid_from, z.valid_to) for z in zones} == {(date(2026, 1, 1), date(2030, 12, 31))}
    assert all(z.source for z in zones)


def test_minimum_wages_and_regions(loaded: Session) -> None:
    wages = {(w.region, w.valid_from): w for w in loaded.exec(select(MinimumWage))}
    assert len(wages) == 8
    assert wages[(1, date(2026, 1, 1))].monthly == 5_310_000
    assert wages[(4, date(2026, 1, 1))].hourly == 17_800
    assert wages[(4, date(2024, 7, 1))].valid_to == date(2025, 12, 31)
    assignments = loaded.exec(
        select(WageRegionAssignment).where(WageRegionAssignment.valid_from == date(2026, 1, 1))
    ).all()
    communes = {a.unit_code: a.region for a in assignments if len(a.unit_code) == 5}
    assert len(communes) == 45
    assert {c for c, r in communes.items() if r == 3} == {"03127", "03334"}
    assert Counter(communes.values()) == {4: 43, 3: 2}
    provinces = {a.unit_code: a.region for a in assignments if len(a.unit_code) == 2}
    assert provinces["01"] == 1 and provinces["24"] == 2
    assert all("TẠM THỜI" in a.source for a in assignments)


def test_ethnic_groups(loaded: Session) -> None:
    groups = {g.code: g for g in loaded.exec(select(Ethnicity))}
    assert sorted(groups) == [f"{n:02d}" for n in range(1, 55)]
    assert [c for c, g in groups.items() if not g.is_minority] == ["01"]
    assert groups["01"].name == "Kinh"
    assert groups["08"].name == "H'Mông"
    assert {"Mông", "Hmông", "Hmong"} <= set(groups["08"].aliases)
    assert groups["08"].name_key == "hmong"
    assert {"Khơ Mú", "Khmu"} <= set(groups["29"].aliases)


def test_training_levels(loaded: Session) -> None:
    levels = sorted(loaded.exec(select(TrainingLevel)), key=lambda lv: lv.rank)
    assert [lv.code for lv in levels] == ["duoi_3_thang", "so_cap", "trung_cap", "cao_dang"]
    certified = {lv.code for lv in levels if lv.counts_as_certified}
    assert certified == {"so_cap", "trung_cap", "cao_dang"}
    so_cap = levels[1]
    assert (so_cap.min_months, so_cap.max_months, so_cap.min_hours) == (3, 12, 300)
    assert so_cap.credential == "Chứng chỉ sơ cấp"
    assert all("74/2014/QH13" in lv.legal_basis for lv in levels)


def test_occupations_sectors_countries_targets(loaded: Session) -> None:
    occupations = {o.key: o for o in loaded.exec(select(TrainingOccupation))}
    assert len(occupations) == len(load_catalogue()) > 0
    assert occupations["TRONG_CA_PHE"].levels == ["duoi_3_thang", "so_cap"]
    sectors = {s.code: s.sector_group for s in loaded.exec(select(EconomicSector))}
    assert len(sectors) == 21
    assert Counter(sectors.values()) == {"nlts": 1, "cnxd": 5, "dv": 15}
    countries = {c.code for c in loaded.exec(select(Country))}
    assert {"JP", "KR", "TW"} <= countries and "VN" not in countries
    targets = loaded.exec(select(Target)).all()
    assert {t.year for t in targets} == {*range(2021, 2027), 2030}
    # The flows are yearly; the shares and the structure are milestones (2025, 2030).
    years = {i: sorted(t.year for t in targets if t.indicator == i) for i in TargetIndicator}
    assert years[TargetIndicator.NEW_JOBS] == list(range(2021, 2027))
    assert years[TargetIndicator.TRAINED_SHARE] == [2025, 2030]
    placeholder = next(
        t
        for t in targets
        if t.indicator == TargetIndicator.STRUCTURE_AGRICULTURE and t.year == 2030
    )
    assert "placeholder" in placeholder.source_document
    trained_2026 = next(
        t for t in targets if t.indicator == TargetIndicator.TRAINED and t.year == 2026
    )
    assert (trained_2026.value_min, trained_2026.value_max) == (8000, 8300)
    assert "nghị quyết mới" in trained_2026.source_document


def test_second_load_changes_nothing(session: Session) -> None:
    first = load_reference_data(session)
    before = _snapshot(session)
    second = load_reference_data(session)
    assert first["admin_unit"] == 34 + 63 + 45 + 129
    assert set(second.values()) == {0}
    assert _snapshot(session) == before


def test_officials_edits_survive_a_reload(loaded: Session) -> None:
    target = loaded.exec(
        select(Target).where(Target.indicator == TargetIndicator.TRAINED, Target.year == 2025)
    ).one()
    target.value_min, target.value_max = 9000, None
    zone = loaded.exec(select(CommuneZone).where(CommuneZone.commune_code == "03295")).one()
    zone.zone = "II"
    region = loaded.exec(
        select(WageRegionAssignment).where(
            WageRegionAssignment.unit_code == "03253",
            WageRegionAssignment.valid_from == date(2026, 1, 1),
        )
    ).one()
    region.region, region.source = 3, "phụ lục NĐ 293/2025"
    loaded.add_all([target, zone, region])
    loaded.commit()
    edited = _snapshot(loaded)

    counts = load_reference_data(loaded)

    assert set(counts.values()) == {0}
    assert _snapshot(loaded) == edited
    assert ("9000.0", "None") in {row[3:5] for row in edited["target"]}


def test_package_values_win_for_fixed_lists(loaded: Session) -> None:
    group = loaded.get(Ethnicity, "08")
    assert group is not None
    group.name, group.aliases = "Mong", []
    loaded.add(group)
    loaded.commit()

    counts = load_reference_data(loaded)

    assert counts["ethnicity"] == 1
    assert sum(counts.values()) == 1
    loaded.expire_all()
    restored = loaded.get(Ethnicity, "08")
    assert restored is not None
    assert restored.name == "H'Mông" and "Hmông" in restored.aliases


@pytest.mark.parametrize(
    ("district", "commune", "code"),
    [
        ("huyện Tuần Giáo", "xã Quài Tở", "03295"),
        ("Tuan Giao", "Quai To", "03295"),
        ("H. TUẦN GIÁO", "x. quài tở", "03295"),
        (None, "Phường Him Lam", "03127"),
        ("TP Dien Bien Phu", "him lam", "03127"),
        ("huyện Điện Biên", "Thanh Xương", "03334"),
        ("Thị xã Mường Lay", "Phường Na Lay", "03151"),
        ("Mường Chà", "Sa Tổng", "03151"),
    ],
)
def test_resolve_former_address(loaded: Session, district: str | None, commune: str, code: str):
    unit = resolve_former_address(loaded, district, commune)
    assert unit is not None
    assert (unit.code, unit.valid_from, unit.valid_to) == (code, REFORM, None)


@pytest.mark.parametrize(
    ("district", "commune"),
    [("huyện Mường Nhé", "xã Quài Tở"), ("huyện Tuần Giáo", "xã Không Có"), (None, "")],
)
def test_resolve_former_address_without_a_match(
    loaded: Session, district: str | None, commune: str
) -> None:
    assert resolve_former_address(loaded, district, commune) is None


def test_resolve_former_address_knows_special_zones(session: Session) -> None:
    """A name typed with its unit type "đặc khu" meets the stored bare name, as it does in the
    import's commune index (one set of name keys for both)."""
    former = AdminUnit(
        code="99001", name="Côn Đảo", name_key="con dao", level="dac_khu", province_code="99",
        district_name="Huyện Côn Đảo", valid_from=date(2008, 1, 1), valid_to=REFORM,
    )  # fmt: skip
    current = AdminUnit(
        code="99002", name="Đặc khu Côn Đảo", name_key="dac khu con dao", level="dac_khu",
        province_code="99", valid_from=REFORM,
    )  # fmt: skip
    session.add_all([former, current])
    session.flush()
    session.add(AdminUnitLineage(former_unit_id=former.id or 0, current_unit_id=current.id or 0))
    session.flush()
    found = resolve_former_address(session, None, "Đặc khu Côn Đảo", province_code="99")
    assert found is not None and found.code == "99002"
