"""Work abroad: a commune officer opens a departure from its register line and records the
orientation, the loan and the return (every bad field named, a double click one record); the
list filters and sums departures by country for officials and exports them as CSV with
neutralised cells; employers find returnees who agreed, masked; a returnee's new job is a
new line of the register, counted in the year it starts; each role reaches only its own."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.monitoring.read import figure_table
from models.monitoring.store import refresh_year
from models.tables import AbroadDeparture, AuditEntry, NewJobLine, Person
from seed.reference import load_reference_data
from tests.html import attrs, body_rows, cells, field_errors, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in
from tests.web.test_courses import count, fresh
from tests.web.test_register import GIÀNG_THỊ_B, LÒ_VĂN_A, signed_in_as, upload, workbook

pytestmark = pytest.mark.today("2027-03-10")
CID_B = "011301000202"  # Giàng Thị B's ID number, never shown to employers nor in URLs
PHONE = "+84912345678"


@pytest.fixture
def world(session: Session) -> dict[str, str]:
    load_reference_data(session)
    session.commit()
    return {
        "commune": make_account(session, "commune", "xa.sin.thau", commune_code="03158"),
        "other_commune": make_account(session, "commune", "xa.nam.ke", commune_code="03162"),
        "centre": make_account(session, "job_centre", "trung.tam"),
        "official": make_account(session, "official", "can.bo"),
        "employer": make_account(session, "employer", "doanh.nghiep"),
        "institution": make_account(session, "institution", "giao.vu"),
    }


def _departure(client: TestClient, world: dict[str, str], session: Session) -> int:
    """Giàng Thị B leaves for Japan on 20/03/2026 (the commune's March report)."""
    sign_in(client, world["commune"])
    assert upload(client, workbook([LÒ_VĂN_A, GIÀNG_THỊ_B])).status_code == 303
    line = (
        fresh(session)
        .exec(select(NewJobLine).where(NewJobLine.channel == "xuat_khau_lao_dong"))
        .one()
    )
    session.rollback()
    return line.id or 0


GOOD = {
    "orientation_attended": "yes",
    "orientation_date": "2026-03-02",
    "orientation_provider": "Trung tâm Dịch vụ việc làm",
    "support_kind": "policy_bank_loan",
    "support_amount": "100.000.000 đ",
    "support_source": "Ngân hàng Chính sách xã hội huyện",
    "planned_return": "2029-03-20",
    "actual_return": "",
    "languages": "",
    "skills_learned": "",
}
RETURNED = {
    **GOOD,
    "actual_return": "2027-01-15",
    "languages": "Tiếng Nhật N3",
    "skills_learned": "Điều dưỡng, chế biến thực phẩm",
    "consent": "1",
}


def test_the_register_line_leads_to_the_form_and_a_double_click_saves_one_record(
    client, world, session
):
    line_id = _departure(client, world, session)
    report = parse(
        client.get(f"/new-jobs/reports/{fresh(session).get(NewJobLine, line_id).report_id}").text
    )
    session.rollback()
    (link,) = find_all(report, "a.abroad-care")
    assert attrs(link)["href"] == f"/abroad/departures/{line_id}"
    first = client.post(f"/abroad/departures/{line_id}", data=GOOD, follow_redirects=False)
    assert first.status_code == 303
    second = client.post(f"/abroad/departures/{line_id}", data=GOOD, follow_redirects=False)
    assert second.status_code == 303
    (care,) = fresh(session).exec(select(AbroadDeparture)).all()
    assert (care.orientation_attended, care.orientation_date) == (True, date(2026, 3, 2))
    assert (care.support_kind, care.support_amount) == ("policy_bank_loan", 100_000_000)
    assert (care.planned_return, care.actual_return) == (date(2029, 3, 20), None)
    session.rollback()
    page = parse(client.get(first.headers["location"]).text)
    assert attrs(one(page, "#support_amount"))["value"] == "100000000"
    listing = parse(client.get("/abroad").text)
    (row,) = body_rows(listing, "#departures")
    assert "Giàng Thị B" in cells(row)[0]
    assert not find_all(listing, "#abroad-figures")  # figures are for officials
    audited = (
        fresh(session).exec(select(AuditEntry).where(AuditEntry.entity == "abroad_departure")).all()
    )
    assert {a.action for a in audited} >= {"create", "update"}
    assert CID_B not in str([a.details for a in audited])


def test_every_bad_field_is_named_and_nothing_is_written(client, world, session):
    line_id = _departure(client, world, session)
    bad = {
        "orientation_attended": "maybe",
        "orientation_date": "2026-04-01",  # after the departure
        "support_kind": "",
        "support_amount": "một trăm",
        "planned_return": "2026-03-01",  # before the departure
        "actual_return": "2027-12-01",  # in the future
        "languages": "Tiếng Nhật",
        "orientation_provider": "x" * 201,
    }
    response = client.post(f"/abroad/departures/{line_id}", data=bad)
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert set(errors) >= {
        "orientation_attended",
        "orientation_date",
        "support_amount",
        "planned_return",
        "actual_return",
        "orientation_provider",
    }
    assert "trước ngày xuất cảnh 20/03/2026" in errors["orientation_date"]
    assert attrs(one(page, "#support_amount"))["value"] == "một trăm"  # nothing typed is lost
    assert count(session, AbroadDeparture) == 0
    amount_only = client.post(f"/abroad/departures/{line_id}", data={"support_amount": "5000000"})
    assert amount_only.status_code == 400
    assert set(field_errors(parse(amount_only.text))) == {"support_kind"}
    assert count(session, AbroadDeparture) == 0


def test_each_role_reaches_only_the_departures_of_its_relation(client, world, session, app):
    line_id = _departure(client, world, session)
    url = f"/abroad/departures/{line_id}"
    expected = {
        "other_commune": 404,
        "institution": 403,
        "employer": 403,
        "centre": 200,
        "official": 200,
    }
    for who, status in expected.items():
        with signed_in_as(app, world, who) as other:
            assert other.get(url).status_code == status, who
            posted = other.post(url, data=GOOD, follow_redirects=False)
            assert posted.status_code == (303 if status == 200 else status), who
            if who == "other_commune":
                assert one(parse(other.get("/abroad").text), "#no-departures")
    assert client.get("/abroad/departures/987654").status_code == 404


def _returned(client: TestClient, line_id: int, **changes: str) -> None:
    response = client.post(f"/abroad/departures/{line_id}", data={**RETURNED, **changes})
    assert response.status_code in (200, 303), response.text[:300]


def test_employers_find_returnees_who_agreed_with_their_data_masked(client, world, session, app):
    line_id = _departure(client, world, session)
    person = fresh(session).exec(select(Person).where(Person.full_name == "Giàng Thị B")).one()
    person.phone = PHONE
    session.add(person)
    session.commit()
    _returned(client, line_id, consent="")
    with signed_in_as(app, world, "employer") as employer:
        page = parse(employer.get("/abroad/returnees").text)
        assert one(page, "#no-returnees")  # not agreed: not shown
    _returned(client, line_id)  # agrees at return
    with signed_in_as(app, world, "employer") as employer:
        response = employer.get("/abroad/returnees", params={"words": "tieng nhat"})
        page = parse(response.text)
    (row,) = body_rows(page, "#returnees")
    assert attrs(row)["data-masked"] == "1"
    assert text(one(row, '[data-field="languages"]')) == "Tiếng Nhật N3"
    assert text(one(row, '[data-field="country"]')) == "Nhật Bản"
    assert text(one(row, '[data-field="years"]')) == "0.8"
    shown_phone = text(one(row, '[data-field="phone"]'))
    assert shown_phone.endswith("678") and "912345" not in shown_phone
    assert "912345" not in response.text and CID_B not in response.text
    with signed_in_as(app, world, "employer") as employer:
        page = parse(employer.get("/abroad/returnees", params={"words": "tieng han"}).text)
        assert one(page, "#no-returnees")
    with signed_in_as(app, world, "official") as official:
        page = parse(official.get("/abroad/returnees").text)
    (row,) = body_rows(page, "#returnees")
    assert attrs(row)["data-masked"] == "0"
    assert text(one(row, '[data-field="phone"]')).replace(" ", "") == "0912345678"
    views = (
        fresh(session).exec(select(AuditEntry).where(AuditEntry.entity == "abroad_returnees")).all()
    )
    assert len(views) == 2  # the employer's list with a row, the official's


def test_a_returnee_who_takes_a_job_is_a_new_line_counted_in_its_year(client, world, session, app):
    line_id = _departure(client, world, session)
    _returned(client, line_id)
    new_job = [*LÒ_VĂN_A[:1], *GIÀNG_THỊ_B[1:6], *LÒ_VĂN_A[6:11], "01/02/2027"]
    new_job[0] = "Giàng Thị B"
    response = upload(client, workbook([new_job]), period="2027-02")
    assert response.status_code == 303, response.text[:500]
    lines = fresh(session).exec(select(NewJobLine).order_by(NewJobLine.id)).all()
    mine = [line for line in lines if line.full_name == "Giàng Thị B"]
    assert [line.channel for line in mine] == ["xuat_khau_lao_dong", "dn_trong_tinh"]
    assert len({line.person_id for line in mine}) == 1
    session.rollback()
    for year, channel in ((2026, "xuat_khau_lao_dong"), (2027, "dn_trong_tinh")):
        refresh_year(session.get_bind(), year)  # type: ignore[arg-type]
        figures = figure_table(fresh(session), year)
        by_channel = figures.get("new_jobs", "people", "channel", channel)
        assert by_channel is not None and by_channel.value == 1, year
        session.rollback()
    with signed_in_as(app, world, "official") as official:
        page = parse(official.get("/abroad").text)
    total = one(page, '#abroad-figures tr[data-country="total"]')
    figures = {attrs(cell)["data-figure"]: text(cell) for cell in find_all(total, "[data-figure]")}
    assert figures == {
        "departures": "1",
        "oriented": "1",
        "supported": "1",
        "returned": "1",
        "working": "1",
    }
    (japan,) = body_rows(page, "#abroad-figures")
    assert "Nhật Bản" in cells(japan)[0]


def test_the_csv_holds_the_filtered_departures_with_neutralised_cells(client, world, session, app):
    line_id = _departure(client, world, session)
    _returned(client, line_id, support_source='=HYPERLINK("http://x")')
    response = client.get("/abroad/departures.csv", params={"status": "returned", "country": "JP"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Họ tên"
    (row,) = rows[1:]
    assert row[0] == "Giàng Thị B" and row[2] == "Nhật Bản"
    assert row[11] == '\'=HYPERLINK("http://x")'
    assert row[13] == "15/01/2027"
    listed = parse(client.get("/abroad", params={"status": "returned", "commune": "03158"}).text)
    assert [attrs(row)["data-returned"] for row in body_rows(listed, "#departures")] == ["1"]
    assert one(parse(client.get("/abroad", params={"status": "abroad"}).text), "#no-departures")
    assert one(parse(client.get("/abroad", params={"country": "KR"}).text), "#no-departures")
    abroad_only = client.get("/abroad/departures.csv", params={"status": "abroad"})
    assert len(list(csv.reader(io.StringIO(abroad_only.content.decode("utf-8-sig"))))) == 1
    assert CID_B not in response.content.decode("utf-8-sig")
    assert (
        fresh(session)
        .exec(select(AuditEntry).where(AuditEntry.entity == "abroad_departures_csv"))
        .all()
    )
    session.rollback()


def test_withdrawing_the_report_takes_the_departure_and_its_record_out(client, world, session):
    line_id = _departure(client, world, session)
    _returned(client, line_id)
    report_id = fresh(session).get(NewJobLine, line_id).report_id
    session.rollback()
    assert client.post(f"/new-jobs/reports/{report_id}/withdraw").status_code in (200, 303)
    assert count(session, AbroadDeparture) == 0
    assert client.get(f"/abroad/departures/{line_id}").status_code == 404


def test_only_a_consent_box_the_clerk_changed_changes_the_persons_consent(client, world, session):
    """A form left open while the person withdrew their consent elsewhere does not give it
    back on saving; unticking a box that was shown ticked withdraws it."""
    line_id = _departure(client, world, session)
    _returned(client, line_id)  # ticked at return: the person agrees
    person_id = (
        fresh(session).exec(select(Person).where(Person.full_name == "Giàng Thị B")).one().id
    )
    session.rollback()
    form = parse(client.get(f"/abroad/departures/{line_id}").text)
    assert attrs(one(form, 'input[name="consent_was"]'))["value"] == "1"
    person = fresh(session).get(Person, person_id)
    person.consent_to_employers = False  # withdrawn meanwhile, from /my-applications
    session.add(person)
    session.commit()
    stale = {**RETURNED, "consent": "1", "consent_was": "1", "languages": "Tiếng Nhật N2"}
    assert client.post(f"/abroad/departures/{line_id}", data=stale).status_code in (200, 303)
    assert fresh(session).get(Person, person_id).consent_to_employers is False
    session.rollback()
    # Ticked again on purpose (shown unticked): the person agrees again.
    again = {**RETURNED, "consent": "1", "consent_was": ""}
    client.post(f"/abroad/departures/{line_id}", data=again)
    assert fresh(session).get(Person, person_id).consent_to_employers is True
    session.rollback()
    # Unticked a box shown ticked: withdrawn.
    withdrawn = {**RETURNED, "consent": "", "consent_was": "1"}
    client.post(f"/abroad/departures/{line_id}", data=withdrawn)
    assert fresh(session).get(Person, person_id).consent_to_employers is False
