"""Labour-force figures imported by officials: who may import; an Excel or CSV file is saved
whole or not at all, with an error per row; importing the same year and source again replaces
that set; the list shows each set with its province totals."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlmodel import col, select

from models.formatting import format_number
from models.tables import AuditEntry, LabourForceFigure
from tests.html import attr, body_rows, data_attrs, field_errors, find_all, one, parse, text, texts
from tests.web import test_courses as shared
from tests.web.test_courses import ROLES, count, fresh, signed_in, vi
from web.services.labour_force_rows import COLUMNS

world = shared.world  # reference data (Điện Biên's communes) and an account per role
SOURCE = "Điều tra lao động việc làm 2025, Cục Thống kê"
HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# year, commune, labour force, trained, certified, employed, nlts, cnxd, dv
PROVINCE = [2025, None, 370_000, 236_000, 111_000, 363_000, 229_000, 51_000, 83_000]
DBP = [2025, "Phường Điện Biên Phủ", 40_000, 33_000, 20_000, 39_000, 9_000, 10_000, 20_000]
SIN_THAU = [2025, 3158, 6_000, 3_000, 1_200, 5_900, 5_000, 300, 600]  # a code typed as a number


def workbook(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: TestClient, data: bytes, *, name: str = "lao-dong.xlsx", source: str = SOURCE):
    kind = "text/csv" if name.endswith(".csv") else XLSX
    return client.post(
        "/labour-force",
        data={"source": source},
        files={"file": (name, data, kind)},
        follow_redirects=False,
    )


def stored(world) -> list[tuple]:
    rows = (
        fresh(world.session)
        .exec(select(LabourForceFigure).order_by(col(LabourForceFigure.id)))
        .all()
    )
    found = [
        (r.year, r.commune_code, r.labour_force, r.trained, r.trained_certified, r.employed,
         r.employed_nlts, r.employed_cnxd, r.employed_dv, r.source)
        for r in rows
    ]  # fmt: skip
    world.session.rollback()
    return found


def imports_audited(world) -> list[dict]:
    query = select(AuditEntry).where(col(AuditEntry.entity) == "labour_force_figure")
    details = [dict(entry.details) for entry in fresh(world.session).exec(query)]
    world.session.rollback()
    return details


# --- who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_officials_and_admins_import_and_others_are_refused(client, world, role):
    signed_in(client, world, role)
    expected = {"admin": 200, "official": 200, "anonymous": 303}.get(role, 403)
    assert client.get("/labour-force", follow_redirects=False).status_code == expected
    template = client.get("/labour-force/template", follow_redirects=False)
    assert template.status_code == expected
    response = upload(client, workbook([PROVINCE]))
    assert response.status_code == (303 if expected != 403 else 403)
    assert len(stored(world)) == (1 if expected == 200 else 0)


def test_the_template_has_the_columns_and_the_communes(client, world):
    signed_in(client, world, "official")
    response = client.get("/labour-force/template")
    assert response.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    data_sheet = book.worksheets[0]
    assert [cell.value for cell in data_sheet[1]] == HEADERS
    lists = book["Danh mục"]
    codes = [row[0] for row in lists.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(codes) == 45 and "03127" in codes


# --- importing ----------------------------------------------------------------------------


def test_a_valid_workbook_is_saved_with_its_source_and_listed(client, world):
    signed_in(client, world, "official")
    response = upload(client, workbook([PROVINCE, DBP, SIN_THAU]))
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["location"]).query) == {
        "rows": ["3"],
        "replaced": ["0"],
    }
    assert stored(world) == [
        (*PROVINCE[:1], None, *PROVINCE[2:], SOURCE),
        (2025, "03127", *DBP[2:], SOURCE),
        (2025, "03158", *SIN_THAU[2:], SOURCE),
    ]
    [audit] = imports_audited(world)
    assert (audit["years"], audit["source"], audit["rows"], audit["replaced"]) == (
        [2025],
        SOURCE,
        3,
        0,
    )
    page = parse(client.get(response.headers["location"]).text)
    assert text(one(page, "#import-done")) == vi("Imported {rows} rows.", rows=3)
    [row] = body_rows(page, "table#figure-sets")
    data = data_attrs(row)
    assert (data["year"], data["source"]) == ("2025", SOURCE)
    assert data["basis"] == "province"  # the province row is the total
    cell = {n.attributes["data-field"]: text(n) for n in find_all(row, "td[data-field]")}
    assert cell["rows"] == "3"
    assert cell["labour_force"] == "370.000"
    assert cell["trained"] == "236.000 (65,0 %)"  # of the 363.000 employed, not the 370.000
    assert cell["employed_nlts"] == "229.000 (63,1 %)"


def test_a_csv_file_with_semicolons_and_plain_headers_is_read(client, world):
    signed_in(client, world, "admin")
    header = "Nam;Xa, phuong;Luc luong lao dong;Da qua dao tao;Co bang cap, chung chi;"
    header += "Co viec lam;NLTS;CNXD;DV"
    lines = [header, "2024;03127;40.000;33.000;20.000;39.000;9.000;10.000;20.000"]
    response = upload(client, "\r\n".join(lines).encode("utf-8-sig"), name="so-lieu.csv")
    assert response.status_code == 303, response.text
    assert stored(world) == [(2024, "03127", *DBP[2:], SOURCE)]


def test_a_file_with_bad_rows_is_refused_whole_with_an_error_per_row(client, world):
    rows = [
        PROVINCE,  # row 2: valid
        [2025, "Phường Điện Biên Phủ", 40_000, 41_000, 20_000, 39_000, 9_000, 10_000, 20_000],
        [2025, "Xã Sín Thầu", 6_000, 3_000, 3_500, 5_900, 5_000, 300, 600],
        [2025, "Xã Mường Chà", 6_000, 3_000, 1_000, 5_900, 5_000, 300, 500],
        [2025, "Xã Không Có", 6_000, 3_000, 1_000, 5_900, 5_000, 300, 600],
        [2025, "Phường Mường Lay", -1, 2.5, 1_000, 5_900, 5_000, 300, 600],
        [2025, None, 1, 1, 1, 1, 1, 0, 0],  # a second province row
    ]
    signed_in(client, world, "official")
    response = upload(client, workbook(rows))
    assert response.status_code == 400
    page = parse(response.text)
    found = {
        (int(r.attributes["data-row"] or ""), r.attributes["data-column"]): texts(r, "td")[2]
        for r in body_rows(page, "table#row-errors")
    }
    n = format_number
    assert found == {
        (3, "Có việc làm đã qua đào tạo"): vi(
            "Trained ({trained}) cannot be more than the employed ({employed}).",
            trained=n(41_000), employed=n(39_000)),
        (4, "Qua đào tạo có bằng cấp, chứng chỉ (từ 3 tháng)"): vi(
            "Trained with a certificate ({trained_certified}) cannot be more than trained "
            "({trained}).", trained_certified=n(3_500), trained=n(3_000)),
        (5, "Dịch vụ"): vi(
            "The three sector groups must add up to the employed: {employed_nlts} + "
            "{employed_cnxd} + {employed_dv} = {sectors}, but employed is {employed}.",
            employed_nlts=n(5_000), employed_cnxd="300", employed_dv="500",
            sectors=n(5_800), employed=n(5_900)),
        (6, "Xã, phường"): vi(
            "Unknown commune or ward “{value}”: write the name of a commune or ward of Điện "
            "Biên or its five-digit code.", value="Xã Không Có"),
        (7, "Lực lượng lao động"): vi("A figure cannot be negative."),
        (7, "Có việc làm đã qua đào tạo"): vi("Write a whole number, such as 370000."),
        (8, "Xã, phường"): vi(
            "This commune (or the whole province) already has a row for {year}: row {first}.",
            year=2025, first=2),
    }  # fmt: skip
    errors = field_errors(page)
    assert errors["file"] == vi(
        "The file has errors in {count} rows: nothing was saved. Correct them and upload the "
        "whole file again.",
        count=6,
    )
    assert attr(page, 'input[name="source"]', "value") == SOURCE  # kept for a retry
    assert stored(world) == []
    assert imports_audited(world) == []


@pytest.mark.parametrize(
    ("source", "data", "field", "msgid"),
    [
        ("", workbook([PROVINCE]), "source", "This field is required."),
        (SOURCE, b"", "file", "Choose the file to upload."),
        (SOURCE, workbook([PROVINCE], HEADERS[:-1]), "file",
         "Columns missing from the sheet: {columns}."),
    ],
)  # fmt: skip
def test_a_bad_form_is_refused_and_nothing_is_written(client, world, source, data, field, msgid):
    signed_in(client, world, "official")
    response = upload(client, data, source=source)
    assert response.status_code == 400
    message = field_errors(parse(response.text))[field]
    assert message == vi(msgid, columns=HEADERS[-1])
    assert count(world.session, LabourForceFigure) == 0


def test_importing_the_same_year_and_source_again_replaces_that_set(client, world):
    signed_in(client, world, "official")
    assert upload(client, workbook([PROVINCE, DBP, SIN_THAU])).status_code == 303
    other_source = upload(client, workbook([PROVINCE]), source="Báo cáo của Sở")
    other_year = upload(client, workbook([[2024, *PROVINCE[1:]]]))
    assert (other_source.status_code, other_year.status_code) == (303, 303)

    corrected = [2025, "Phường Điện Biên Phủ", 41_000, 33_000, 20_000, 40_000, 9_000, 11_000,
                 20_000]  # fmt: skip
    response = upload(client, workbook([corrected]))
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["location"]).query)["replaced"] == ["3"]
    rows = stored(world)
    assert [r for r in rows if r[0] == 2025 and r[-1] == SOURCE] == [
        (2025, "03127", *corrected[2:], SOURCE)
    ]
    assert len(rows) == 3  # the other source's and the other year's rows are untouched
    assert imports_audited(world)[-1]["replaced"] == 3
    page = parse(client.get(response.headers["location"]).text)
    figure_sets = [data_attrs(row) for row in body_rows(page, "table#figure-sets")]
    sets = [(row["year"], row["source"]) for row in figure_sets]
    assert sets == [("2025", "Báo cáo của Sở"), ("2025", SOURCE), ("2024", SOURCE)]
    assert figure_sets[1]["basis"] == "communes"  # no province row left: communes summed


def test_the_employed_are_required_as_the_trained_shares_denominator(client, world):
    signed_in(client, world, "official")
    employed = HEADERS.index("Có việc làm")
    without_column = workbook(
        [PROVINCE[:employed] + PROVINCE[employed + 1 :]],
        HEADERS[:employed] + HEADERS[employed + 1 :],
    )
    response = upload(client, without_column)
    assert response.status_code == 400
    message = field_errors(parse(response.text))["file"]
    assert message == vi("Columns missing from the sheet: {columns}.", columns="Có việc làm")

    blank = [*PROVINCE[:employed], None, *PROVINCE[employed + 1 :]]
    response = upload(client, workbook([blank]))
    assert response.status_code == 400
    found = {
        (int(r.attributes["data-row"] or ""), r.attributes["data-column"]): texts(r, "td")[2]
        for r in body_rows(parse(response.text), "table#row-errors")
    }
    assert found[(2, "Có việc làm")] == vi("This field is required.")
    assert count(world.session, LabourForceFigure) == 0
