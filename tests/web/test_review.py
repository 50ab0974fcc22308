"""The review over the years, hand-computed: two years of records on the platform (2025 and
2026), published figures of earlier years imported from a file, a year with nothing and a year
never computed. The term total 2021–2025 of a flow is summed only when every year has a
figure; the zone cut shows records from before the zones were decided as not recorded; the
yearly workbook carries the review as its last numbered table."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.jobs.kinds import kpi_refresh_key
from models.monitoring.store import refresh_year
from models.tables import CommuneZone, Job, PublishedFigure
from tests import factories
from tests.html import body_rows, data_attrs, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in
from web.services.published_figures import COLUMNS

pytestmark = pytest.mark.today("2026-06-15")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [column.header for column in COLUMNS]
COMMUNE = "03253"
REPORT_2022 = "Báo cáo số 210/BC-UBND ngày 15/12/2022"
REPORT_2023 = "Báo cáo số 198/BC-UBND ngày 14/12/2023"


def _records(session: Session, year: int, trained: int, hired: int) -> None:
    """``trained`` people starting a course in ``year`` and ``hired`` people starting a job,
    all living in the commune whose zone starts in 2026."""
    course = factories.course(
        session, start_date=date(year, 3, 1), end_date=date(year, 6, 30), code=f"R{year}"
    )
    for n in range(trained):
        person = factories.person(session, full_name=f"Lò Văn Học {year} {n}", commune_code=COMMUNE)
        factories.enrolment(
            session, person_id=person.id, course_id=course.id, enrolled_on=date(year, 3, 1)
        )
    for n in range(hired):
        person = factories.person(session, full_name=f"Lò Thị Làm {year} {n}", commune_code=COMMUNE)
        factories.employment_spell(session, person_id=person.id, start_date=date(year, 4, 1))


@pytest.fixture
def world(session: Session, engine: Engine) -> None:
    session.add(CommuneZone(commune_code=COMMUNE, zone="II", valid_from=date(2026, 1, 1)))
    _records(session, 2025, trained=2, hired=1)
    _records(session, 2026, trained=3, hired=2)
    session.commit()
    for year in (2021, 2022, 2023, 2025, 2026):  # 2024 is never computed
        refresh_year(engine, year)


@pytest.fixture
def official(client: TestClient, session: Session) -> TestClient:
    make_account(session, "official", "can_bo")
    sign_in(client, "can_bo")
    session.rollback()
    return client


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: TestClient, rows: list[list[object]]):
    return client.post(
        "/dashboard/review/published",
        files={"file": ("so-lieu.xlsx", workbook(rows), XLSX)},
        follow_redirects=False,
    )


PUBLISHED = [
    [2022, "Số người được đào tạo (mọi trình độ)", 5_100, REPORT_2022],
    [2022, "new_jobs", "7.200", REPORT_2022],
    [2023, "trained_people", 6_000, REPORT_2023],
    [2023, "trained_share_pct", "52,3", REPORT_2023],
    [2025, "new_jobs", 1_500, "Báo cáo số 220/BC-UBND ngày 12/12/2025"],
]


def _review(client: TestClient) -> dict[str, dict[str, dict[str, str]]]:
    """indicator -> year (or 'term') -> what the cell shows."""
    response = client.get("/dashboard/review")
    assert response.status_code == 200, response.text[:2000]
    page = parse(response.text)
    found: dict[str, dict[str, dict[str, str]]] = {}
    for row in body_rows(page, "#review-table"):
        cells: dict[str, dict[str, str]] = {}
        for cell in find_all(row, "td[data-year]"):
            shown = data_attrs(cell)
            shown["text"] = text(cell)
            cells[shown["year"]] = shown
        term = one(row, "td.term")
        cells["term"] = {"text": text(term), **data_attrs(term)}
        found[data_attrs(row)["indicator"]] = cells
    return found


def test_each_year_shows_its_figures_published_ones_marked(world, official, session) -> None:
    assert upload(official, PUBLISHED).status_code == 303
    review = _review(official)
    trained, jobs = review["trained_people"], review["new_jobs"]
    # Two years of records: 2025 (2 trained, 1 hired) and 2026 (3 trained, 2 hired).
    assert (trained["2025"]["platform"], trained["2026"]["platform"]) == ("2", "3")
    assert (jobs["2025"]["platform"], jobs["2026"]["platform"]) == ("1", "2")
    # A year before the platform, from the province's report, marked as published.
    assert trained["2022"]["state"] == "published"
    assert trained["2022"]["published"] == "5.100"
    assert "đã công bố" in trained["2022"]["text"] and REPORT_2022 in trained["2022"]["text"]
    assert jobs["2022"]["published"] == "7.200"
    assert review["trained_share_pct"]["2023"]["published"] == "52,3 %"
    # Both for 2025: side by side, neither added to the other.
    assert jobs["2025"]["state"] == "both"
    assert (jobs["2025"]["platform"], jobs["2025"]["published"]) == ("1", "1.500")
    # A year with nothing computed from no record: no data, not 0.
    assert trained["2021"]["state"] == "no_data"
    assert trained["2021"]["text"] == "Không có số liệu"
    # A year never computed says so, and its refresh is queued; the page computed nothing.
    assert trained["2024"]["state"] == "not_computed"
    assert trained["2024"]["text"] == "Chưa tính"
    queued = session.execute(select(Job).where(col(Job.dedupe_key) == kpi_refresh_key(2024)))
    assert queued.first() is not None
    assert one(parse(official.get("/dashboard/review").text), "#not-computed")


def test_the_term_total_sums_flows_only_when_every_year_has_a_figure(
    world, official, engine
) -> None:
    assert upload(official, PUBLISHED).status_code == 303
    review = _review(official)
    assert review["trained_people"]["term"]["missing"] == "2021, 2024"
    assert review["trained_people"]["term"]["term"] == ""
    assert "2021, 2024" in review["trained_people"]["term"]["text"]
    assert review["new_jobs"]["term"]["missing"] == "2021, 2023, 2024"
    # Shares are not summed.
    assert review["trained_share_pct"]["term"]["missing"] == ""
    assert review["trained_share_pct"]["term"]["term"] == ""

    more = [
        [2021, "new_jobs", 6_900, "Báo cáo số 190/BC-UBND ngày 10/12/2021"],
        [2023, "new_jobs", 7_800, REPORT_2023],
        [2024, "new_jobs", 8_100, "Báo cáo số 205/BC-UBND ngày 11/12/2024"],
    ]
    assert upload(official, more).status_code == 303
    jobs = _review(official)["new_jobs"]
    # 2021 6.900 + 2022 7.200 + 2023 7.800 + 2024 8.100 (published) + 2025 1 (the platform's
    # figure: a year with records counts by its own figure, the published 1.500 beside it).
    assert jobs["term"]["term"] == "30.001"
    assert jobs["term"]["missing"] == ""


def test_zones_before_their_start_date_are_not_recorded(world, official) -> None:
    page = parse(official.get("/dashboard/review").text)
    rows = {
        (data_attrs(row)["kpi"], data_attrs(row)["zone"]): {
            data_attrs(cell)["year"]: text(cell) for cell in find_all(row, "td")
        }
        for row in body_rows(page, "#zone-table")
    }
    # Zone II starts on 1/1/2026: the 2025 records have no zone, the 2026 ones are in II.
    assert rows[("trained", "?")]["2025"] == "2"
    assert rows[("trained", "II")]["2025"] == "0"
    assert rows[("trained", "II")]["2026"] == "3"
    assert rows[("trained", "?")]["2026"] == "0"
    assert rows[("new_jobs", "?")]["2025"] == "1"
    assert rows[("new_jobs", "II")]["2026"] == "2"
    assert rows[("trained", "II")]["2021"] == "Không có số liệu"


def test_an_import_with_an_error_saves_nothing_and_names_the_row(world, official, session) -> None:
    response = upload(
        official,
        [
            [2022, "new_jobs", 7_200, REPORT_2022],
            [2022, "chỉ tiêu lạ", 10, REPORT_2022],
            [2023, "trained_share_pct", "152", REPORT_2023],
            [2022, "new_jobs", 7_300, REPORT_2022],
        ],
    )
    assert response.status_code == 400
    errors = [data_attrs(row)["row"] for row in body_rows(parse(response.text), "#row-errors")]
    assert errors == ["3", "4", "5"]
    assert session.execute(select(PublishedFigure)).first() is None


def test_the_template_downloads_with_the_columns(official) -> None:
    response = official.get("/dashboard/review/published/template")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row][: len(HEADERS)] for row in sheet.iter_rows()]
    assert HEADERS in rows


def test_the_dashboard_links_to_the_review(world, official) -> None:
    page = parse(official.get("/dashboard?year=2026").text)
    assert one(page, "#review-link").attributes["href"] == "/dashboard/review"


def test_the_yearly_workbook_carries_the_review_as_its_last_table(world, official) -> None:
    assert upload(official, PUBLISHED).status_code == 303
    response = official.get("/reports/2025.xlsx")
    assert response.status_code == 200, response.text[:500]
    book = load_workbook(io.BytesIO(response.content))
    last = book.worksheets[-1]
    numbers = [sheet["A1"].value for sheet in book.worksheets[1:]]
    assert last["A1"].value == f"Biểu {len(numbers)}. Đánh giá qua các năm"
    header = [cell.value for cell in last[2]]
    assert header[1:6] == ["2021", "2022", "2023", "2024", "2025"]
    rows = {row[0].value: [cell.value for cell in row[1:]] for row in last.iter_rows(min_row=3)}
    trained = rows["Số người được đào tạo (mọi trình độ)"]
    assert trained[:5] == ["Không có số liệu", None, None, "Chưa tính", 2]
    assert rows["Số người được đào tạo (mọi trình độ) (số liệu đã công bố)"][:3] == [
        None,
        5_100,
        6_000,
    ]
    assert "2021, 2024" in trained[5]


def test_a_csv_file_imports_too_and_the_english_page_marks_it(world, official, session) -> None:
    csv = "Năm,Chỉ tiêu,Giá trị,Nguồn\r\n2022,new_jobs,7200,Báo cáo năm 2022\r\n".encode()
    response = official.post(
        "/dashboard/review/published",
        files={"file": ("so-lieu.csv", csv, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    stored = session.execute(select(PublishedFigure)).scalars().all()
    assert [(f.year, f.indicator, f.value, f.source) for f in stored] == [
        (2022, "new_jobs", 7200.0, "Báo cáo năm 2022")
    ]
    official.cookies.set("lang", "en")
    jobs = _review(official)["new_jobs"]
    assert jobs["2022"]["published"] == "7,200"
    assert jobs["2022"]["text"] == "7,200 (published) Source: Báo cáo năm 2022"
