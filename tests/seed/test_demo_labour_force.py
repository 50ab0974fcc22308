"""Demo labour-force figures: a province row and a row per current commune for each year, marked
as illustrative, plausible for Điện Biên by the KPI functions themselves, valid by the import's
own checks, reproducible, and replaced (not added to) when written again."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from matching.kpi.labour_force import certified_share, labour_structure, trained_share
from models.excel import SheetRow
from models.queries.admin_units import commune_index
from models.queries.labour_force import FIGURES, to_record
from models.tables import LabourForceFigure
from seed.demo.labour_force import (
    DEMO_SOURCE,
    allocate,
    current_communes,
    demo_labour_force_rows,
    write_demo_labour_force,
)
from seed.reference import load_reference_data
from web.services.labour_force_rows import FigureRow, check_row

YEARS = (2023, 2024, 2025, 2026)


@pytest.fixture
def figures(session: Session) -> list[LabourForceFigure]:
    load_reference_data(session)
    written = write_demo_labour_force(session, YEARS)
    session.commit()
    rows = list(session.exec(select(LabourForceFigure).order_by(col(LabourForceFigure.id))))
    assert written == len(rows)
    return rows


def test_each_year_has_a_province_row_and_one_row_per_commune(session, figures):
    communes = {code for code, _level in current_communes(session)}
    assert len(communes) == 45
    for year in YEARS:
        rows = [f for f in figures if f.year == year]
        assert [f.commune_code for f in rows].count(None) == 1
        assert {f.commune_code for f in rows} - {None} == communes
        assert len(rows) == 46
    assert {f.source for f in figures} == {DEMO_SOURCE}


def test_the_communes_add_up_to_the_province_row(figures):
    for year in YEARS:
        province = next(f for f in figures if f.year == year and f.commune_code is None)
        communes = [f for f in figures if f.year == year and f.commune_code is not None]
        for name in FIGURES:
            assert getattr(province, name) == sum(getattr(f, name) for f in communes), name


def test_the_kpis_read_plausible_and_trending_shares(figures):
    records = [to_record(f) for f in figures]
    trained, structure = [], []
    for year in YEARS:
        share = trained_share(records, year)
        assert share.basis == "province" and share.source == DEMO_SOURCE
        assert 355_000 <= share.share.denominator <= 390_000
        trained.append(share.share.value)
        assert 0.28 <= (certified_share(records, year).share.value or 0) <= 0.32
        shares = {g: r.value or 0 for g, r in labour_structure(records, year).shares.items()}
        assert 0.60 <= shares["nlts"] <= 0.66
        assert 0.12 <= shares["cnxd"] <= 0.16
        assert 0.20 <= shares["dv"] <= 0.25
        structure.append(shares["nlts"])
    assert all(0.60 <= (value or 0) <= 0.66 for value in trained)
    assert trained == sorted(trained) and len(set(trained)) == len(trained)  # rising yearly
    assert structure == sorted(structure, reverse=True)  # agriculture falling slowly
    by_commune = trained_share(records, 2025, by="commune").groups
    assert len(by_commune) == 45
    assert all(0 < (rate.value or 0) < 1 for rate in by_commune.values())


def test_every_row_passes_the_import_checks(session, figures):
    communes = commune_index(session)
    for number, figure in enumerate(figures, 2):
        values = {"year": figure.year, "commune": figure.commune_code}
        values |= {name: getattr(figure, name) for name in FIGURES}
        checked = check_row(SheetRow(number, values), communes)
        assert isinstance(checked, FigureRow), checked


def test_writing_again_replaces_the_demo_rows_only(session, figures):
    first = [(f.year, f.commune_code, *(getattr(f, n) for n in FIGURES)) for f in figures]
    session.add(
        LabourForceFigure(
            year=2025, labour_force=1, trained=0, trained_certified=0, employed=0,
            employed_nlts=0, employed_cnxd=0, employed_dv=0, source="Cục Thống kê",
        )
    )  # fmt: skip
    session.commit()
    write_demo_labour_force(session, YEARS)
    session.commit()
    again = session.exec(select(LabourForceFigure).order_by(col(LabourForceFigure.id))).all()
    demo = [f for f in again if f.source == DEMO_SOURCE]
    assert [(f.year, f.commune_code, *(getattr(f, n) for n in FIGURES)) for f in demo] == first
    assert [f.source for f in again].count("Cục Thống kê") == 1

    write_demo_labour_force(session, (2025,))
    session.commit()
    years = session.exec(
        select(LabourForceFigure.year).where(col(LabourForceFigure.source) == DEMO_SOURCE)
    ).all()
    assert set(years) == {2025} and len(years) == 46


def test_rows_are_reproducible_and_differ_with_the_seed():
    units = [(f"03{n:03d}", "phuong" if n < 3 else "xa") for n in range(45)]
    assert demo_labour_force_rows(units, YEARS) == demo_labour_force_rows(units, YEARS)
    assert demo_labour_force_rows(units, YEARS, seed=1) != demo_labour_force_rows(units, YEARS)


@pytest.mark.parametrize(("total", "weights"), [(10, [1, 1, 1]), (370_000, [0.3, 2.5, 1, 7])])
def test_allocate_splits_a_total_exactly(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(abs(p - total * w / sum(weights)) < 1 for p, w in zip(parts, weights, strict=True))
