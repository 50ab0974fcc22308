"""A commune officer imports a month of new jobs from the Excel sheet the commune keeps; the
labour official then sees them in the year's new jobs on the dashboard and drills down to the
merged record of a person the Employment Service Centre had reported too."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlmodel import Session

from models.accounts import create_user
from models.tables import AuthSession
from web.auth import Principal
from web.services.register import import_lines

pytestmark = pytest.mark.today("2026-04-10")
PASSWORD = "mat-khau-demo-2026"
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
    "Ngày bắt đầu làm việc (dd/mm/yyyy)",
]
LÒ_VĂN_A = ["Lò Văn A", "011098000101", "04/05/1998", "Nam", "Thái", "Xã Sín Thầu",
            "Công nhân may", "Công ty May Điện Biên", "Doanh nghiệp trong tỉnh",
            "10/03/2026"]  # fmt: skip
GIÀNG_THỊ_B = ["Giàng Thị B", "011301000202", "01/02/2001", "Nữ", "Mông", "Xã Sín Thầu",
               "Nuôi lợn", "Tự tạo việc làm", "Vay vốn tạo việc làm", "20/03/2026"]  # fmt: skip


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


def _prepare(engine) -> None:
    """Accounts, and the centre's March report that already names Lò Văn A."""
    with Session(engine, expire_on_commit=False) as session:
        create_user(session, username="xa.sin.thau", password=PASSWORD,
                    full_name="Cán bộ xã Sín Thầu", role="commune",
                    commune_code="03158")  # fmt: skip
        create_user(session, username="can.bo.lao.dong", password=PASSWORD,
                    full_name="Cán bộ Sở Nội vụ", role="official")  # fmt: skip
        centre = create_user(session, username="trung.tam", password=PASSWORD,
                             full_name="Trung tâm DVVL", role="job_centre")  # fmt: skip
        session.commit()
        auth = AuthSession(token_hash="x", user_id=centre.id or 0, csrf_token="x",
                           expires_at=datetime.now(UTC))  # fmt: skip
        outcome = import_lines(
            session, principal=Principal(user=centre, auth=auth), period="2026-03",
            on_behalf_of=None, filename="trung-tam-thang-3.xlsx", data=workbook([LÒ_VĂN_A]),
        )  # fmt: skip
        assert outcome.report is not None, outcome.checks.errors


def _sign_in(page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:3000]


def test_a_commune_month_reaches_the_dashboard_and_its_merged_record(live_server, page) -> None:
    _prepare(live_server.engine)

    # 1. The commune officer imports March.
    _sign_in(page, live_server.url, "xa.sin.thau")
    page.goto(live_server.url + "/new-jobs")
    page.select_option("#import-form #period", "2026-03")
    page.set_input_files(
        "#import-form #file",
        files=[
            {
                "name": "xa-sin-thau-thang-3.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": workbook([LÒ_VĂN_A, GIÀNG_THỊ_B]),
            }
        ],
    )
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    assert "/new-jobs/reports/" in page.url, page.content()[:3000]
    assert page.locator("#lines tbody tr").count() == 2
    merged = page.locator('#lines tbody tr[data-linked="1"]')
    assert merged.count() == 1 and "Lò Văn A" in merged.inner_text()
    if page.locator("label.menu-button").is_visible():  # the phone's folded menu
        page.click("label.menu-button")
    page.click("form[action='/logout'] button")
    page.wait_for_load_state()

    # 2. The official sees two new jobs (Lò Văn A once) and drills down to the merged record.
    _sign_in(page, live_server.url, "can.bo.lao.dong")
    page.goto(live_server.url + "/dashboard?year=2026")
    total = page.locator('a[data-kpi="new_jobs"][data-measure="people"][data-dimension=""]').first
    assert total.get_attribute("data-value") == "2"
    total.click()
    page.wait_for_load_state()
    assert "/dashboard/figures/" in page.url
    rows = page.locator("#records tbody tr")
    assert rows.count() == 2
    person = rows.filter(has_text="Lò Văn A")
    assert person.count() == 1
    assert "Báo cáo của xã" in person.inner_text() and "Trung tâm" in person.inner_text()
