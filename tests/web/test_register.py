"""The new-jobs register: a commune officer imports a month's sheet of names (all or nothing,
an error per row), adds one person or a count without names, says a month had none, and
withdraws a mistaken report; the same person reported by two sources, or also hired on the
platform, is one person counted once a year; every reporter sees only their own reports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlmodel import Session, select

from models.i18n import translate
from models.monitoring.read import figure_table
from models.monitoring.store import refresh_year
from models.queries.register import REPORT_LINES_PER_PAGE
from models.tables import (
    AuditEntry,
    EmploymentSpell,
    NewJobAggregate,
    NewJobLine,
    NewJobReport,
    Person,
)
from seed.reference import load_reference_data
from tests.html import attr, attrs, body_rows, cells, find_all, one, parse, text
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import make_account, sign_in
from tests.web.test_courses import count, fresh
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Họ và tên",
    "Số định danh cá nhân (CCCD)",
    "Ngày sinh (dd/mm/yyyy)",
    "Giới tính",
    "Dân tộc",
    "Xã/phường thường trú",
    "Công việc, nghề",
    "Đơn vị làm việc (doanh nghiệp, cơ quan)",
    "Kênh tạo việc làm",
    "Địa bàn làm việc (Trong tỉnh/Tỉnh khác/Nước ngoài)",
    "Nước (nếu nước ngoài)",
    "Ngày bắt đầu làm việc (dd/mm/yyyy)",
]
# Citizen IDs: province 011 (Điện Biên), century-and-sex digit (0 man / 1 woman born 1900s,
# 2 man / 3 woman born 2000s), two digits of the birth year, six more digits.
LÒ_VĂN_A = ["Lò Văn A", "011098000101", "04/05/1998", "Nam", "Thái", "Xã Sín Thầu",
            "Công nhân may", "Công ty May Điện Biên", "Doanh nghiệp trong tỉnh", "Trong tỉnh",
            None, "10/03/2026"]  # fmt: skip
GIÀNG_THỊ_B = ["Giàng Thị B", "011301000202", "01/02/2001", "Nữ", "Mông", "Xã Sín Thầu",
               "Thực tập sinh", "Công ty XKLĐ", "Đi làm việc ở nước ngoài theo hợp đồng",
               "Nước ngoài", "Nhật Bản", "20/03/2026"]  # fmt: skip


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


pytestmark = pytest.mark.today("2026-04-10")


@pytest.fixture
def world(session: Session) -> dict[str, str]:
    load_reference_data(session)
    session.commit()
    users = {
        "commune": make_account(session, "commune", "xa.sin.thau", commune_code="03158"),
        "other_commune": make_account(session, "commune", "xa.nam.ke", commune_code="03162"),
        "centre": make_account(session, "job_centre", "trung.tam"),
        "official": make_account(session, "official", "can.bo"),
        "employer": make_account(session, "employer", "doanh.nghiep"),
        "institution": make_account(session, "institution", "giao.vu"),
    }
    return users


def as_user(client: TestClient, world: dict[str, str], who: str) -> TestClient:
    sign_in(client, world[who])
    return client


@contextmanager
def signed_in_as(app, world: dict[str, str], who: str) -> Iterator[TestClient]:
    """Another browser, signed in as ``who``."""
    with TestClient(app) as other:
        other.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        other.headers[CSRF_HEADER] = VISITOR_TOKEN
        sign_in(other, world[who])
        yield other


def upload(client: TestClient, data: bytes, period: str = "2026-03", **extra: str):
    return client.post(
        "/new-jobs/import",
        data={"period": period, **extra},
        files={"file": ("viec-lam-thang-3.xlsx", data, XLSX)},
        follow_redirects=False,
    )


def _reload(session: Session, model: type) -> list:
    rows = list(fresh(session).exec(select(model)).all())
    session.rollback()
    return rows


# --- importing a month ----------------------------------------------------------------------


def test_a_commune_officer_imports_a_month_and_every_line_becomes_a_new_job(client, world, session):
    as_user(client, world, "commune")
    response = upload(client, workbook([LÒ_VĂN_A, GIÀNG_THỊ_B]))
    assert response.status_code == 303
    (report,) = _reload(session, NewJobReport)
    assert (report.source, report.commune_code) == ("commune_report", "03158")
    assert (report.period_start, report.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert report.person_lines == 2
    spells = {s.channel: s for s in _reload(session, EmploymentSpell)}
    assert set(spells) == {"dn_trong_tinh", "xuat_khau_lao_dong"}
    abroad = spells["xuat_khau_lao_dong"]
    assert (abroad.kind, abroad.location_kind, abroad.country_code) == ("abroad", "abroad", "JP")
    assert {s.source for s in spells.values()} == {"commune_report"}
    page = parse(client.get(response.headers["location"]).text)
    names = [cells(row)[1] for row in body_rows(page, "#lines")]
    assert names == ["Lò Văn A", "Giàng Thị B"]
    audited = _reload(session, AuditEntry)
    assert [a.action for a in audited if a.entity == "new_job_report"] == ["import"]
    assert "011098000101" not in str([a.details for a in audited])  # no ID in the log


def test_a_sheet_with_one_bad_row_writes_nothing_and_names_each_problem(client, world, session):
    as_user(client, world, "commune")
    late = [*LÒ_VĂN_A[:11], "02/04/2026"]  # April, outside the March report
    unknown = [*GIÀNG_THỊ_B[:8], "Kênh lạ", *GIÀNG_THỊ_B[9:]]
    response = upload(client, workbook([LÒ_VĂN_A, late, unknown]))
    assert response.status_code == 400
    page = parse(response.text)
    rows = {attrs(row)["data-row"] for row in body_rows(page, "#row-errors")}
    assert rows == {"3", "4"}
    assert "ngoài kỳ báo cáo" in text(one(page, '#row-errors tr[data-row="3"]'))
    assert count(session, NewJobReport) == 0
    assert count(session, EmploymentSpell) == 0
    assert count(session, Person) == 0


def test_the_same_file_twice_for_a_period_is_refused(client, world, session):
    as_user(client, world, "commune")
    data = workbook([LÒ_VĂN_A])
    assert upload(client, data).status_code == 303
    again = upload(client, data)
    assert again.status_code == 409 or again.status_code == 400
    assert "đã được nhập" in again.text
    assert count(session, NewJobLine) == 1


# --- one person, one new job a year ---------------------------------------------------------


def test_a_person_reported_by_the_commune_and_the_centre_is_one_person_counted_once(
    client, world, session, app
):
    as_user(client, world, "commune")
    assert upload(client, workbook([LÒ_VĂN_A])).status_code == 303
    same_person_by_loan = [*LÒ_VĂN_A[:8], "Vay vốn tạo việc làm", *LÒ_VĂN_A[9:]]
    with signed_in_as(app, world, "centre") as centre:
        assert upload(centre, workbook([same_person_by_loan])).status_code == 303
    people = _reload(session, Person)
    assert len(people) == 1
    lines = _reload(session, NewJobLine)
    assert {line.person_id for line in lines} == {people[0].id}
    refresh_year(session.get_bind(), 2026)  # type: ignore[arg-type]
    figures = figure_table(fresh(session), 2026)
    total = figures.get("new_jobs", "people")
    assert total is not None and total.value == 1  # counted once...
    channel = figures.get("new_jobs", "people", "channel", "vay_von")
    assert channel is not None and channel.value == 1  # ...by the loan, first in the order
    session.rollback()
    with signed_in_as(app, world, "centre") as centre:
        page = parse(centre.get(f"/new-jobs/reports/{lines[-1].report_id}").text)
    (row,) = body_rows(page, "#lines")
    assert attrs(row)["data-linked"] == "1"
    assert attr(row, ".linked-record", "data-source") == "commune_report"
    # The official drills down from the year's new jobs to the one merged record.
    with signed_in_as(app, world, "official") as official:
        drill = parse(official.get(f"/dashboard/figures/{total.id}").text)
    (record,) = body_rows(drill, "#records")
    shown = cells(record)
    assert "Lò Văn A" in shown
    assert translate("Commune report", "vi") in shown  # the other record, linked
    assert translate("Employment Service Centre report", "vi") in shown  # the counted one


# --- counts without names --------------------------------------------------------------------


def test_a_count_beside_names_of_the_same_month_adds_only_the_people_above_them(
    client, world, session, app
):
    as_user(client, world, "commune")
    assert upload(client, workbook([LÒ_VĂN_A])).status_code == 303
    loan = [*LÒ_VĂN_A[:8], "Vay vốn tạo việc làm", *LÒ_VĂN_A[9:]]
    other = ["Lò Văn C", "011095000303", "01/01/1995", "Nam", "Thái", "Xã Sín Thầu",
             "Nuôi lợn", "Tự tạo việc làm", "Vay vốn tạo việc làm", "Trong tỉnh", None,
             "15/03/2026"]  # fmt: skip
    assert upload(client, workbook([loan, other]), period="2026-03").status_code == 303
    form = {
        "month": "2026-03",
        "channel": "vay_von",
        "people": "35",
        "note": "Vay vốn quỹ việc làm",
    }
    assert client.post("/new-jobs/aggregates", data=form, follow_redirects=False).status_code == 303
    (aggregate,) = _reload(session, NewJobAggregate)
    assert (aggregate.commune_code, aggregate.people) == ("03158", 35)
    refresh_year(session.get_bind(), 2026)  # type: ignore[arg-type]
    figures = figure_table(fresh(session), 2026)
    # Two people named (A, counted by the loan, and C); the count of 35 loans names 2 of them.
    total = figures.get("new_jobs", "people")
    aggregated = figures.get("new_jobs", "aggregated")
    assert aggregated is not None and aggregated.value == 33
    assert total is not None and total.value == 2 + 33
    by_channel = figures.get("new_jobs", "people", "channel", "vay_von")
    assert by_channel is not None and by_channel.value == 35
    session.rollback()
    with signed_in_as(app, world, "official") as official:
        drill = parse(official.get(f"/dashboard/figures/{total.id}").text)
    assert attr(drill, "#aggregated", "data-people") == "33"
    assert len(body_rows(drill, "#records")) == 2  # the named people; the count has no rows


def test_a_count_with_bad_fields_names_each_and_writes_nothing(client, world, session):
    as_user(client, world, "commune")
    form = {"month": "2026-05", "channel": "", "people": "-3"}
    response = client.post("/new-jobs/aggregates", data=form)
    assert response.status_code == 400
    page = parse(response.text)
    assert {attrs(e)["data-error-for"] for e in find_all(page, "[data-error-for]")} >= {
        "month",
        "channel",
        "people",
    }
    assert count(session, NewJobAggregate) == 0


# --- the form, nothing to report, withdrawing --------------------------------------------------


def form_values(row: list[object]) -> dict[str, str]:
    keys = ["full_name", "citizen_id", "birth_date", "sex", "ethnicity", "commune", "job",
            "employer", "channel", "place", "country", "start_date"]  # fmt: skip
    return {key: "" if value is None else str(value) for key, value in zip(keys, row, strict=True)}


def test_one_person_on_the_form_and_a_double_click_records_one_line(client, world, session):
    as_user(client, world, "commune")
    values = form_values(LÒ_VĂN_A)
    first = client.post("/new-jobs/lines", data=values, follow_redirects=False)
    assert first.status_code == 303
    second = client.post("/new-jobs/lines", data=values, follow_redirects=False)
    assert second.status_code == 400
    assert "đã được" in second.text
    assert count(session, NewJobLine) == 1
    assert count(session, EmploymentSpell) == 1


def test_nothing_to_report_counts_the_period_as_reported(client, world, session):
    as_user(client, world, "commune")
    response = client.post("/new-jobs/nothing", data={"period": "2026-02"}, follow_redirects=False)
    assert response.status_code == 303
    (report,) = _reload(session, NewJobReport)
    assert (report.period_start, report.person_lines) == (date(2026, 2, 1), 0)
    page = parse(client.get(response.headers["location"]).text)
    assert one(page, "#nothing-reported")


def test_withdrawing_a_report_takes_its_jobs_out_and_lets_the_file_be_sent_again(
    client, world, session
):
    as_user(client, world, "commune")
    data = workbook([LÒ_VĂN_A, GIÀNG_THỊ_B])
    response = upload(client, data)
    report_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert client.post(f"/new-jobs/reports/{report_id}/withdraw").status_code in (200, 303)
    assert count(session, NewJobLine) == 0
    assert count(session, EmploymentSpell) == 0
    (report,) = _reload(session, NewJobReport)
    assert report.withdrawn_at is not None
    assert upload(client, data).status_code == 303  # corrected and sent again
    assert count(session, NewJobLine) == 2


# --- who sees what ----------------------------------------------------------------------------


def test_reports_are_reached_only_through_the_reporters_relation(client, world, session, app):
    as_user(client, world, "commune")
    response = upload(client, workbook([LÒ_VĂN_A]))
    report = response.headers["location"]
    expected = {
        "commune": 200,
        "other_commune": 404,
        "centre": 404,
        "employer": 404,
        "official": 200,
        "institution": 403,
    }
    for who, status in expected.items():
        with signed_in_as(app, world, who) as other:
            assert other.get(report).status_code == status, who
            withdraw = other.post(report + "/withdraw", follow_redirects=False)
            assert withdraw.status_code in ((303,) if status == 200 else (status,)), who
            if status == 200:
                break  # the official withdrew it; nothing left to try
    rows = _reload(session, NewJobReport)
    assert rows[0].withdrawn_by_id is not None


def test_the_register_page_lists_only_the_users_own_reports(client, world, session, app):
    as_user(client, world, "commune")
    assert upload(client, workbook([LÒ_VĂN_A])).status_code == 303
    with signed_in_as(app, world, "other_commune") as other:
        page = parse(other.get("/new-jobs").text)
    assert find_all(page, "#reports tbody tr") == []
    assert one(page, "#no-reports")


GIVEN = ("An", "Bình", "Chiến", "Dung", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Minh", "Nga",
         "Phong", "Quế", "Sơn", "Tâm")  # fmt: skip


def test_a_long_report_shows_its_people_a_page_at_a_time_in_the_order_of_its_file(
    client, world, session
):
    """An employer's or a commune's file can name thousands of people: the report shows
    REPORT_LINES_PER_PAGE of them at a time, in the order of the file, with links between the
    pages; a page number past the end shows the last page."""
    people = REPORT_LINES_PER_PAGE + 5
    names = [f"Lò {a} {b}" for a in GIVEN for b in GIVEN][:people]
    rows = [[name, f"011098{n:06d}", *LÒ_VĂN_A[2:]] for n, name in enumerate(names, start=1)]
    as_user(client, world, "commune")
    response = upload(client, workbook(rows))
    assert response.status_code == 303
    first = parse(client.get(response.headers["location"]).text)
    shown = [cells(row)[1] for row in body_rows(first, "#lines")]
    assert shown == [*names[:REPORT_LINES_PER_PAGE]]
    (following,) = {attrs(link)["href"] for link in find_all(first, "a[rel=next]")}
    assert "page=2" in following and "Lò" not in following

    second = parse(client.get(following).text)
    assert [cells(row)[1] for row in body_rows(second, "#lines")] == names[REPORT_LINES_PER_PAGE:]
    assert find_all(second, "a[rel=prev]") and not find_all(second, "a[rel=next]")
    (report,) = _reload(session, NewJobReport)
    beyond = parse(client.get(f"/new-jobs/reports/{report.id}?page=99").text)
    assert len(body_rows(beyond, "#lines")) == 5
    assert (
        len(body_rows(parse(client.get(f"/new-jobs/reports/{report.id}?page=x").text), "#lines"))
        == REPORT_LINES_PER_PAGE
    )
