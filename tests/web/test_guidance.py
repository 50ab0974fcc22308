"""Career guidance for one person, on the world of tests/web/test_outcomes.py (Thêu ren thổ cẩm
at Trường X: 25 graduates, 80 % employed at 6 months, median wage 6.000.000 ₫), plus
an open vacancy of 5 sewing places in commune 03253. Counsellors: the job centre (every
commune) and commune officers (their own commune only)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.tables import AuditEntry, GuidanceSession
from tests import factories
from tests.html import attrs, field_errors, find_all, one, parse, text
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import csrf_token, make_account, sign_in
from tests.web.test_courses import count, fresh
from tests.web.test_outcomes import TODAY, world  # noqa: F401  (the fixture)
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER

pytestmark = pytest.mark.today(TODAY.isoformat())
HOME = "03253"


@pytest.fixture
def refreshed(session: Session, engine: Engine, world: dict[str, int]) -> dict[str, int]:  # noqa: F811
    from models.monitoring.store import refresh_year
    from models.tables import TrainingOccupation

    may = session.execute(
        select(TrainingOccupation).where(col(TrainingOccupation.key) == "MAY_T")
    ).scalar_one()
    factories.vacancy(session, occupation_id=may.id, quantity=5, commune_code=HOME)
    session.commit()
    refresh_year(engine, TODAY.year, as_of=TODAY)
    return world


def _centre(client: TestClient, session: Session) -> TestClient:
    sign_in(client, make_account(session, "job_centre", "g_centre"))
    return client


def _form(client: TestClient, **values: str) -> dict[str, str]:
    page = parse(client.get("/guidance").text)
    key = attrs(one(page, "input[name=form_key]"))["value"]
    fields = {
        "csrf_token": csrf_token(client, "/guidance"),
        "form_key": key,
        "age": "19",
        "commune": HOME,
        "education": "upper_secondary",
        "interests": "thêu thổ cẩm",
        "action": "suggest",
    }
    fields.update(values)
    return fields


def test_the_form_reports_each_bad_answer_next_to_its_field(
    client: TestClient, session: Session, refreshed: dict[str, int]
) -> None:
    _centre(client, session)
    response = client.post(
        "/guidance", data=_form(client, age="abc", commune="99999", education="phd")
    )
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert errors["age"] == "Tuổi là số nguyên từ 15 đến 64."
    assert errors["commune"] == "Chọn một xã, phường trong danh sách."
    assert errors["education"] == "Chọn trình độ học vấn trong danh sách."
    assert attrs(one(page, "input#age"))["value"] == "abc"  # nothing typed is lost
    assert text(one(page, "textarea#interests")) == "thêu thổ cẩm"
    empty = client.post("/guidance", data=_form(client, age=""))
    assert field_errors(parse(empty.text))["age"] == "Nhập tuổi của người được tư vấn."


def test_trades_are_suggested_with_their_reasons_and_figures(
    client: TestClient, session: Session, refreshed: dict[str, int]
) -> None:
    _centre(client, session)
    response = client.post("/guidance", data=_form(client))
    assert response.status_code == 200
    page = parse(response.text)
    trades = find_all(page, "li[data-trade]")
    assert attrs(trades[0])["data-trade"] == "MAY_T"
    reasons = [text(li) for li in find_all(trades[0], "ul.reasons li")]
    assert "80 % người tốt nghiệp nghề này có việc làm sau 6 tháng (25 người)." in reasons
    assert "5 chỗ làm việc đang tuyển trong xã." in reasons
    assert "Thu nhập trung vị được báo: 6.000.000 ₫ (20 người)." in reasons
    assert [attrs(li)["data-course"] for li in find_all(trades[0], "li[data-course]")] == [
        str(refreshed["here"])
    ]


def test_without_consent_nothing_personal_is_stored(
    client: TestClient, session: Session, refreshed: dict[str, int]
) -> None:
    _centre(client, session)
    refused = client.post(
        "/guidance", data=_form(client, action="record", advice="Học may", consent="")
    )
    assert refused.status_code == 400
    assert "consent" in field_errors(parse(refused.text))
    assert count(session, GuidanceSession) == 0
    saved = client.post("/guidance", data=_form(client, action="record"), follow_redirects=False)
    assert saved.status_code == 303
    row = fresh(session).execute(select(GuidanceSession)).scalar_one()
    assert row.commune_code == HOME and row.advised_occupations[0] == "MAY_T"
    assert (row.age, row.interests, row.education, row.consent) == (None, None, None, False)


def test_a_session_with_consent_is_recorded_once_and_its_view_audited(
    client: TestClient, session: Session, refreshed: dict[str, int]
) -> None:
    _centre(client, session)
    data = _form(
        client,
        action="record",
        consent="1",
        advice="Học may công nghiệp khóa tháng 1",
        follow_up_on="15/01/2027",
        follow_up_note="Gọi lại",
    )
    first = client.post("/guidance", data=data, follow_redirects=False)
    again = client.post("/guidance", data=data, follow_redirects=False)  # a double click
    assert first.headers["location"] == again.headers["location"]
    assert count(session, GuidanceSession) == 1
    page = parse(client.get(first.headers["location"]).text)
    assert text(one(page, '[data-field="age"]')) == "19"
    assert text(one(page, '[data-field="follow_up_on"]')) == "15/01/2027"
    row = fresh(session).execute(select(GuidanceSession)).scalar_one()
    assert row.follow_up_on == date(2027, 1, 15)
    audits = fresh(session).execute(
        select(AuditEntry).where(col(AuditEntry.entity) == "guidance_session")
    )
    assert [a.entity_id for a in audits.scalars()] == [str(row.id)]
    assert "19" not in first.headers["location"]  # nothing personal in the URL


def test_a_commune_officer_sees_only_their_own_communes_sessions(
    client: TestClient, app: FastAPI, session: Session, refreshed: dict[str, int]
) -> None:
    with TestClient(app) as centre:
        centre.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        centre.headers[CSRF_HEADER] = VISITOR_TOKEN
        _centre(centre, session)
        centre.post("/guidance", data=_form(centre, action="record", commune="03127"))
    other_id = fresh(session).execute(select(GuidanceSession.id)).scalar_one()
    session.rollback()
    sign_in(client, make_account(session, "commune", "g_officer", commune_code=HOME))
    assert client.get(f"/guidance/{other_id}").status_code == 404
    # Their form is for their commune whatever is posted.
    saved = client.post(
        "/guidance", data=_form(client, action="record", commune="03127"), follow_redirects=False
    )
    assert saved.status_code == 303
    assert client.get(saved.headers["location"]).status_code == 200
    page = parse(client.get("/guidance").text)
    assert not find_all(page, "#sessions-per-commune")
    assert len(find_all(page, "li[data-session]")) == 1
    assert [attrs(o)["value"] for o in find_all(page, "select#commune option[value]")] == [
        "",
        HOME,
    ]


def test_the_job_centre_sees_sessions_per_commune(
    client: TestClient, session: Session, refreshed: dict[str, int]
) -> None:
    _centre(client, session)
    for commune in (HOME, HOME, "03127"):
        client.post("/guidance", data=_form(client, action="record", commune=commune))
    page = parse(client.get("/guidance").text)
    counts = {
        attrs(row)["data-commune"]: text(one(row, "td[data-count]"))
        for row in find_all(page, "#sessions-per-commune tr[data-commune]")
    }
    assert counts == {HOME: "2", "03127": "1"}


def test_the_page_in_english(
    client: TestClient, session: Session, refreshed: dict[str, int]
) -> None:
    _centre(client, session)
    client.cookies.set("lang", "en")
    response = client.post("/guidance", data=_form(client, age="7"))
    assert field_errors(parse(response.text))["age"] == "The age is a whole number from 15 to 64."
