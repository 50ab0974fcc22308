"""The yearly report's exports: the workbook's numbers equal the CSV files' numbers, which equal
the KPI functions computed straight from the records; the printable page shows the same
numbers; only officials and administrators get them, and every export is audited."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from models.i18n import translate
from models.monitoring.read import snapshot_info
from models.monitoring.targets import targets
from models.tables import AuditEntry
from tests import factories
from tests.html import find_all, links, parse, table_rows
from tests.report_expected import (
    Rows,
    expected_tables,
    numbers_only,
    report_labels,
    significant,
)
from tests.report_world import AS_OF, SOURCE, YEAR, build_world, year_input
from tests.web.helpers import make_account, sign_in
from web.services.reports import table_index

pytestmark = pytest.mark.today(AS_OF)

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
HTML_DIGITS = 3  # the page shows shares as percentages with one decimal


@pytest.fixture
def official(client: TestClient, session: Session) -> TestClient:
    build_world(session)
    sign_in(client, make_account(session, "official"))
    return client


def expected(session: Session, lang: str = "vi") -> dict[str, Rows]:
    data = year_input(session)
    found = expected_tables(data, targets(session, YEAR), report_labels(session), lang)
    session.rollback()
    return found


def _label(value: Any) -> str:
    return str(int(value)) if isinstance(value, int | float) else str(value)


def sheet_rows(sheet: Any) -> Rows:
    """A table sheet's rows (title on row 1, header on row 2) up to the blank row."""
    rows: Rows = {}
    for values in sheet.iter_rows(min_row=3, values_only=True):
        if values[0] is None:
            break
        rows[_label(values[0])] = numbers_only(values[1:])
    return rows


def csv_rows(content: bytes) -> tuple[list[str], Rows]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header = next(reader)
    return header, {row[0]: numbers_only(row[1:]) for row in reader}


def test_workbook_csv_and_kpi_functions_agree(official: TestClient, session: Session):
    response = official.get(f"/reports/{YEAR}.xlsx")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert f'filename="bao-cao-lao-dong-viec-lam-{YEAR}.xlsx"' in disposition
    workbook = load_workbook(io.BytesIO(response.content))
    tables = table_index()
    # A cover, one sheet per table, and the review over the years last (tests/web/test_review.py)
    assert len(workbook.sheetnames) == len(tables) + 2
    assert workbook.sheetnames[0] == "Thông tin chung"
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    kpis = expected(session)
    for number, ((table_id, title), name) in enumerate(
        zip(tables, workbook.sheetnames[1:-1], strict=True), 1
    ):
        sheet = workbook[name]
        assert sheet["A1"].value == f"Biểu {number}. {translate(title, 'vi')}"
        assert sheet.freeze_panes == "A3"
        header, from_csv = csv_rows(official.get(f"/reports/{YEAR}/{table_id}.csv").content)
        assert [cell.value for cell in sheet[2]][: len(header)] == header
        assert significant(sheet_rows(sheet)) == significant(from_csv), table_id
        if table_id in kpis:
            assert significant(from_csv) == significant(kpis[table_id]), table_id
    assert set(kpis) <= {table_id for table_id, _ in tables}


def test_workbook_formats_and_cover(official: TestClient, session: Session):
    workbook = load_workbook(io.BytesIO(official.get(f"/reports/{YEAR}.xlsx").content))
    info = snapshot_info(session, YEAR)
    session.rollback()
    assert info is not None

    level = workbook["Đào tạo theo trình độ"]
    assert level["B3"].number_format == "#,##0"
    after = workbook["Việc làm sau đào tạo"]
    assert after["D5"].value == pytest.approx(0.75)  # the response rate at 6 months
    assert after["D5"].number_format == "0.0%"
    cover = {row[0]: row[1:] for row in workbook["Thông tin chung"].iter_rows(values_only=True)}
    assert cover["Năm"][0] == YEAR
    as_of = cover["Số liệu tính đến ngày"][0]
    assert isinstance(as_of, datetime) and as_of.date() == info.as_of
    assert cover["Nguồn số liệu nhập"][0] == SOURCE
    assert cover["Số người được đào tạo (mọi trình độ)"][:2] == (8000, 8300)
    targets = next(row for row in workbook["Thông tin chung"].iter_rows() if row[1].value == 8000)
    # Whole targets show no trailing decimal separator ("8.000", not "8.000,").
    assert [c.number_format for c in targets[1:3]] == ["#,##0", "#,##0"]
    cell = next(
        c for row in workbook["Thông tin chung"].iter_rows() for c in row if c.value == as_of
    )
    assert cell.number_format == "DD/MM/YYYY"


def test_the_zip_holds_every_table_as_its_own_csv(official: TestClient):
    response = official.get(f"/reports/{YEAR}.zip")

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = [f"bao-cao-lao-dong-viec-lam-{YEAR}-{table_id}.csv" for table_id, _ in table_index()]
    assert archive.namelist() == names
    one = official.get(f"/reports/{YEAR}/trained-by-level.csv")
    assert (
        'filename="bao-cao-lao-dong-viec-lam-2026-trained-by-level.csv"'
        in (one.headers["content-disposition"])
    )
    assert archive.read(names[1]) == one.content


def shown_number(text: str) -> Any:
    """8.300 -> 8300, 66,7% -> 0.667, 20,0 -> 20.0, — -> None; other text as it is."""
    if text == "—":
        return None
    plain = text.replace(".", "").replace(",", ".")
    if re.fullmatch(r"-?\d+(\.\d+)?%", plain):
        return float(plain[:-1]) / 100
    if re.fullmatch(r"-?\d+(\.\d+)?", plain):
        return float(plain)
    return text


def test_the_printable_page_shows_the_same_numbers(official: TestClient, session: Session):
    response = official.get(f"/reports/{YEAR}/print")

    assert response.status_code == 200
    page = parse(response.text)
    tables = [table.attributes["data-table"] for table in find_all(page, "table[data-table]")]
    assert [table_id for table_id, _ in table_index()] == tables
    for table_id, wanted in expected(session).items():
        shown = {
            row[0]: numbers_only(shown_number(text) for text in row[1:])
            for row in table_rows(page, f"table[data-table={table_id}]")
        }
        assert significant(shown, HTML_DIGITS) == significant(wanted, HTML_DIGITS), table_id
    assert "/static/report.css" in links(page, "link[rel=stylesheet]")
    assert find_all(page, "[style], style") == []


def test_the_print_stylesheet_makes_a4_pages_without_the_menus():
    css = (STATIC / "report.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    assert "size: A4" in printed
    assert "break-before: page" in printed
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", printed)
    assert hidden is not None
    for selector in (".site-header", ".site-footer", ".site-menu", ".no-print"):
        assert selector in hidden.group(1)


def test_the_reports_page_links_every_export(official: TestClient):
    hrefs = links(parse(official.get(f"/reports?year={YEAR}").text))

    assert f"/reports/{YEAR}.xlsx" in hrefs
    assert f"/reports/{YEAR}/print" in hrefs
    assert f"/reports/{YEAR}.zip" in hrefs
    tables = [m[1] for h in hrefs if (m := re.fullmatch(rf"/reports/{YEAR}/([a-z-]+)\.csv", h))]
    assert tables == [table_id for table_id, _ in table_index()]
    assert "/reports" in links(parse(official.get("/").text), "nav.site-menu a")  # the menu entry


def test_an_export_after_a_change_carries_the_new_figures(official: TestClient, session: Session):
    def trained_total() -> tuple[Any, ...]:
        _, rows = csv_rows(official.get(f"/reports/{YEAR}/trained-by-level.csv").content)
        return rows[translate("Total", "vi")]

    before = trained_total()
    factories.enrolment(session, enrolled_on=date(YEAR, 4, 1))  # a new trainee marks it stale
    session.commit()

    assert trained_total()[0] == before[0] + 1


@pytest.mark.parametrize("role", ["employer", "institution"])
def test_employers_and_institutions_are_refused(client: TestClient, session: Session, role: str):
    sign_in(client, make_account(session, role))

    for path in (
        "/reports",
        f"/reports/{YEAR}.xlsx",
        f"/reports/{YEAR}.zip",
        f"/reports/{YEAR}/print",
        f"/reports/{YEAR}/progress.csv",
    ):
        assert client.get(path).status_code == 403, path


def test_unknown_tables_and_years_are_not_found(official: TestClient):
    assert official.get(f"/reports/{YEAR}/no-such-table.csv").status_code == 404
    assert official.get("/reports/1850.xlsx").status_code == 404
    assert official.get("/reports/abc/print").status_code == 404


def test_every_export_is_in_the_audit_log(official: TestClient, session: Session):
    official.get(f"/reports/{YEAR}.xlsx")
    official.get(f"/reports/{YEAR}/vacancies.csv")
    official.get(f"/reports/{YEAR}/print")

    query = select(AuditEntry).where(AuditEntry.entity == "report").order_by(col(AuditEntry.id))
    entries = session.exec(query).all()
    session.rollback()
    assert [(e.action, e.entity_id, e.details["export_kind"]) for e in entries] == [
        ("export", str(YEAR), "xlsx"),
        ("export", str(YEAR), "csv"),
        ("export", str(YEAR), "print"),
    ]
    assert entries[1].details["table"] == "vacancies"


def test_the_english_workbook_has_english_sheets(official: TestClient):
    official.cookies.set("lang", "en")
    workbook = load_workbook(io.BytesIO(official.get(f"/reports/{YEAR}.xlsx").content))

    assert workbook.sheetnames[:3] == ["Cover", "Progress", "Trained by level"]
    assert workbook["Trained by level"]["A2"].value == "Level"


def test_a_target_with_a_fraction_keeps_it_and_a_whole_one_has_no_separator() -> None:
    from web.services.reports_xlsx import target_format

    assert [target_format(v) for v in (8700, 8700.0, 65.5, None)] == [
        "#,##0",
        "#,##0",
        "#,##0.0#",
        "#,##0",
    ]
