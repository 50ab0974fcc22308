"""A labour official opens the dashboard, follows a number to the records behind it (the list
has as many rows as the number says) and downloads the yearly report."""

from __future__ import annotations

from sqlmodel import Session

from models.accounts import create_user
from tests.web.dashboard_world import YEAR, build_world

PASSWORD = "mat-khau-demo-2026"


def _prepare(engine) -> None:
    with Session(engine) as session:
        build_world(session)
        create_user(
            session,
            username="can.bo.lao.dong",
            password=PASSWORD,
            full_name="Cán bộ Sở Nội vụ",
            role="official",
        )
        session.commit()


def test_official_follows_a_number_to_its_records_and_downloads_the_report(
    live_server, page
) -> None:
    _prepare(live_server.engine)

    page.goto(live_server.url + "/login")
    page.fill("#username", "can.bo.lao.dong")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:3000]

    # The year was never computed: the first visit computes it.
    page.goto(f"{live_server.url}/dashboard?year={YEAR}")
    assert page.locator("h1").inner_text() == f"Bảng theo dõi năm {YEAR}"
    trained = page.locator('a[data-kpi="trained"][data-measure="trained"][data-dimension=""]').first
    value = int(trained.get_attribute("data-value") or "-1")
    assert value == 6 and trained.inner_text() == "6"

    trained.click()
    page.wait_for_load_state()
    assert "/dashboard/figures/" in page.url
    assert page.locator("#records tbody tr").count() == value
    assert page.locator("#record-count").get_attribute("data-total") == str(value)
    assert page.locator("#records").get_by_text("Lò Thị Lan").count() == 1

    page.go_back()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.click("#report-link")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as workbook:
        assert workbook.read(2) == b"PK"  # an Office Open XML file is a zip
