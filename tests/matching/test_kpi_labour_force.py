"""K4 trained share, K5 certified share and K6 labour structure from imported figures. The
trained shares divide by the employed (the resolution's "lao động đang làm việc trong nền kinh
tế"), not by the labour force."""

from __future__ import annotations

import pytest

from matching.kpi import certified_share, labour_structure, trained_share
from tests.matching.kpi_factories import figure


def test_shares_come_from_the_province_row_with_its_source() -> None:
    # labour force 1,000, employed 950, trained 600, certified 300 (the factory's figures)
    province = figure(id=1)
    commune = figure(id=2, commune_code="03127", labour_force=100, employed=80, trained=30)

    trained = trained_share([province, commune], 2025, by="commune")
    certified = certified_share([province, commune], 2025)

    assert (trained.share.numerator, trained.share.denominator) == (600, 950)
    assert trained.share.value == pytest.approx(600 / 950)  # 63.2 %, not 60 % of 1,000
    assert (certified.share.numerator, certified.share.denominator) == (300, 950)
    assert certified.share.value == pytest.approx(300 / 950)  # 31.6 %
    assert (trained.source, trained.basis, trained.figure_ids) == (
        "Cung lao động 2025",
        "province",
        (1,),
    )
    assert trained.groups["03127"].value == pytest.approx(30 / 80)


def test_the_denominator_is_the_employed_not_the_labour_force() -> None:
    # 2,000 in the labour force, 1,300 employed, 845 of them trained, 520 certified:
    # 845 / 1,300 = 65 % meets the 65 % target; over the labour force it would be 42.25 %.
    row = figure(
        id=1,
        labour_force=2000,
        employed=1300,
        employed_nlts=800,
        employed_cnxd=200,
        employed_dv=300,
        trained=845,
        trained_certified=520,
    )

    assert trained_share([row], 2025).share.value == pytest.approx(0.65)
    assert certified_share([row], 2025).share.value == pytest.approx(0.40)


def test_without_a_province_row_the_communes_are_added_up() -> None:
    rows = [
        figure(
            id=1, commune_code="03127", labour_force=300, employed=250, trained=150,
            trained_certified=60,
        ),
        figure(
            id=2, commune_code="03100", labour_force=700, employed=650, trained=560,
            trained_certified=340,
        ),
    ]  # fmt: skip

    trained = trained_share(rows, 2025)
    certified = certified_share(rows, 2025)

    assert trained.basis == "communes"
    assert (trained.share.numerator, trained.share.denominator) == (710, 900)
    assert trained.share.value == pytest.approx(710 / 900)
    assert certified.share.value == pytest.approx(400 / 900)


def test_two_sources_for_one_year_must_be_told_apart() -> None:
    rows = [figure(id=1), figure(id=2, source="Điều tra LĐVL (GSO)", trained=380)]

    with pytest.raises(ValueError, match="several sources"):
        trained_share(rows, 2025)
    assert trained_share(rows, 2025, source="Điều tra LĐVL (GSO)").share.value == 0.4


def test_nothing_imported_gives_no_share_rather_than_zero() -> None:
    result = trained_share([figure(year=2024)], 2025)

    assert (result.basis, result.source, result.share.value) == ("none", None, None)


def test_no_one_employed_gives_no_share_rather_than_a_division_by_zero() -> None:
    row = figure(
        id=1, employed=0, employed_nlts=0, employed_cnxd=0, employed_dv=0, trained=0,
        trained_certified=0,
    )  # fmt: skip

    assert trained_share([row], 2025).share.value is None


def test_labour_structure_from_imported_figures() -> None:
    result = labour_structure([figure(id=1)], 2025)

    assert result.kind == "imported"
    assert result.source == "Cung lao động 2025"
    assert {g: r.numerator for g, r in result.shares.items()} == {
        "nlts": 650,
        "cnxd": 120,
        "dv": 180,
    }
    assert result.shares["nlts"].value == pytest.approx(650 / 950)
    assert sum(r.value or 0 for r in result.shares.values()) == pytest.approx(1.0)
