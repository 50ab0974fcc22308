"""K4 trained share, K5 certified share and K6 labour structure from imported figures."""

from __future__ import annotations

import pytest

from matching.kpi import certified_share, labour_structure, trained_share
from tests.matching.kpi_factories import figure


def test_shares_come_from_the_province_row_with_its_source() -> None:
    province = figure(id=1)
    commune = figure(id=2, commune_code="03127", labour_force=100, trained=30)

    trained = trained_share([province, commune], 2025, by="commune")
    certified = certified_share([province, commune], 2025)

    assert (trained.share.numerator, trained.share.denominator) == (600, 1000)
    assert trained.share.value == 0.6
    assert certified.share.value == 0.3
    assert (trained.source, trained.basis, trained.figure_ids) == (
        "Cung lao động 2025",
        "province",
        (1,),
    )
    assert trained.groups["03127"].value == 0.3


def test_without_a_province_row_the_communes_are_added_up() -> None:
    rows = [
        figure(id=1, commune_code="03127", labour_force=300, trained=150, trained_certified=60),
        figure(id=2, commune_code="03100", labour_force=700, trained=560, trained_certified=340),
    ]

    trained = trained_share(rows, 2025)
    certified = certified_share(rows, 2025)

    assert trained.basis == "communes"
    assert trained.share.value == pytest.approx(710 / 1000)
    assert certified.share.value == pytest.approx(0.4)


def test_two_sources_for_one_year_must_be_told_apart() -> None:
    rows = [figure(id=1), figure(id=2, source="Điều tra LĐVL (GSO)", trained=400)]

    with pytest.raises(ValueError, match="several sources"):
        trained_share(rows, 2025)
    assert trained_share(rows, 2025, source="Điều tra LĐVL (GSO)").share.value == 0.4


def test_nothing_imported_gives_no_share_rather_than_zero() -> None:
    result = trained_share([figure(year=2024)], 2025)

    assert (result.basis, result.source, result.share.value) == ("none", None, None)


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
