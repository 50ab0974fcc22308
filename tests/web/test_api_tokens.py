"""Tokens for machines, on their pages: an administrator issues one for any organisation and
chooses which scopes each institution's and employer's staff may grant; staff issue tokens
for their own organisation within those scopes. The secret is shown once and only its hash is
kept; a revoked or expired token stops working at once; the list shows when each was last
used. Another organisation's token is answered as missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.clock import utcnow
from models.enums import ApiScope
from models.i18n import translate
from models.queries.api_tokens import token_digest
from models.tables import ApiScopeAllowance, ApiToken, AuditEntry
from seed.reference import load_reference_data
from tests import factories
from tests.html import body_rows, field_errors, find_all, one, parse, text
from tests.web.api_world import bearer, make_token
from tests.web.helpers import CSRF_HEADER, make_account, sign_in

API = "/api/v1/vacancies"


@pytest.fixture
def employers(session: Session) -> tuple[int, int]:
    load_reference_data(session)
    own = factories.employer(session, name="Công ty May Mường Thanh").id or 0
    other = factories.employer(session, name="Công ty Cơ khí Tuần Giáo").id or 0
    session.commit()
    return own, other


def allow(session: Session, employer_id: int, *scopes: ApiScope) -> None:
    session.add(
        ApiScopeAllowance(
            org_kind="employer", employer_id=employer_id, scopes=[s.value for s in scopes]
        )
    )
    session.commit()


def issue(client: TestClient, **form: object) -> object:
    return client.post("/api-tokens", data={"name": "Phần mềm nhân sự", "days": "30", **form})


def secret_on(page_html: str) -> str:
    return text(one(parse(page_html), "#token-secret"))


def test_staff_issue_a_token_shown_once_and_stored_hashed(client, session, employers):
    own, _ = employers
    allow(session, own, ApiScope.VACANCIES_READ, ApiScope.VACANCIES_WRITE)
    make_account(session, "employer", "emp", employer_id=own)
    sign_in(client, "emp")
    response = issue(client, scopes=["vacancies:read", "vacancies:write"])
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    secret = secret_on(response.text)
    assert secret.startswith("dbj_") and len(secret) > 40
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == token_digest(secret) and secret not in stored.model_dump_json()
    assert stored.employer_id == own and stored.scopes == ["vacancies:read", "vacancies:write"]
    assert stored.expires_at - utcnow() <= timedelta(days=30)
    # Shown once: the list never shows it again, only its first characters.
    listing = client.get("/api-tokens")
    assert secret not in listing.text and stored.prefix in listing.text
    assert client.get(API, headers=bearer(secret)).status_code == 200
    assert session.exec(select(AuditEntry).where(AuditEntry.entity == "api_token")).one()


def test_staff_grant_only_the_scopes_an_administrator_allowed(client, session, employers):
    own, other = employers
    make_account(session, "employer", "emp", employer_id=own)
    sign_in(client, "emp")
    page = parse(client.get("/api-tokens").text)
    assert find_all(page, "#api-token-form") == [] and find_all(page, "#no-scopes")
    allow(session, own, ApiScope.VACANCIES_READ)
    offered = {node.attributes["value"] for node in find_all(
        parse(client.get("/api-tokens").text), "input[name=scopes]"
    )}  # fmt: skip
    assert offered == {"vacancies:read"}
    refused = issue(client, scopes=["vacancies:read", "personal-data:read"])
    assert refused.status_code == 400
    assert field_errors(parse(refused.text))["scopes"] == translate(
        "Your organisation may not grant this scope.", "vi"
    )
    # Staff cannot name another organisation: the token is always their own.
    issue(client, scopes=["vacancies:read"], organisation=f"employer:{other}")
    assert [t.employer_id for t in session.exec(select(ApiToken))] == [own]


def test_an_administrator_issues_for_any_organisation_and_sets_allowances(
    client, session, employers
):
    own, _ = employers
    make_account(session, "admin", "adm")
    sign_in(client, "adm")
    centre = issue(client, organisation="job_centre", scopes=["kpi:read"])
    assert centre.status_code == 201
    errors = field_errors(parse(issue(client, organisation="employer:999999", scopes=[]).text))
    assert set(errors) == {"organisation", "scopes"}
    saved = client.post(
        "/admin/api-scopes",
        data={"organisation": f"employer:{own}", "scopes": ["vacancies:read"]},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    row = session.exec(select(ApiScopeAllowance)).one()
    assert row.employer_id == own and row.scopes == ["vacancies:read"]
    rows = body_rows(parse(client.get("/admin/api-scopes").text), "#api-scope-allowances")
    assert "Công ty May Mường Thanh" in text(rows[0])
    token = session.exec(select(ApiToken)).one()
    assert token.org_kind == "job_centre" and token.scopes == ["kpi:read"]


def test_a_revoked_token_stops_at_once_and_anothers_token_is_missing(client, session, employers):
    own, other = employers
    mine = make_token(session, employer_id=own)
    theirs = make_token(session, employer_id=other)
    make_account(session, "employer", "emp", employer_id=own)
    sign_in(client, "emp")
    ids = {t.employer_id: t.id for t in session.exec(select(ApiToken))}
    assert client.post(f"/api-tokens/{ids[other]}/revoke").status_code == 404
    assert client.get(API, headers=bearer(theirs)).status_code == 200
    listed = body_rows(parse(client.get("/api-tokens").text), "#api-tokens")
    assert [row.attributes["data-token-id"] for row in listed] == [str(ids[own])]
    assert client.get(API, headers=bearer(mine)).status_code == 200
    done = client.post(f"/api-tokens/{ids[own]}/revoke", follow_redirects=False)
    assert done.status_code == 303
    assert client.get(API, headers=bearer(mine)).status_code == 401


def test_the_list_shows_when_each_token_was_last_used_in_each_language(client, session, employers):
    own, _ = employers
    secret = make_token(session, employer_id=own)
    make_account(session, "employer", "emp", employer_id=own)
    sign_in(client, "emp")
    cell = one(parse(client.get("/api-tokens").text), "td[data-last-used]")
    assert text(cell) == translate("Never", "vi")
    client.get(API, headers=bearer(secret))
    client.post("/lang/en")
    english = parse(client.get("/api-tokens").text)
    assert text(one(english, "h1")) == "API tokens"
    assert text(one(english, "td[data-last-used]")) not in ("Never", "")


def signed_out(client: TestClient) -> None:
    client.cookies.clear()
    client.headers.pop(CSRF_HEADER, None)


def test_narrowing_an_allowance_takes_the_scope_from_staff_tokens_at_once(
    client, session, employers
):
    own, _ = employers
    allow(session, own, ApiScope.VACANCIES_READ, ApiScope.VACANCIES_WRITE)
    make_account(session, "employer", "emp", employer_id=own)
    sign_in(client, "emp")
    staff_secret = secret_on(issue(client, scopes=["vacancies:read", "vacancies:write"]).text)
    make_account(session, "admin", "adm")
    signed_out(client)
    sign_in(client, "adm")
    admin_secret = secret_on(
        issue(client, organisation=f"employer:{own}", scopes=["vacancies:write"]).text
    )
    client.post(
        "/admin/api-scopes",
        data={"organisation": f"employer:{own}", "scopes": ["vacancies:read"]},
        follow_redirects=False,
    )
    signed_out(client)
    session.expire_all()
    by_secret = {t.token_hash: t for t in session.exec(select(ApiToken))}
    # The staff token lost the scope the allowance no longer grants: its next write is
    # refused, its reads go on; the administrator's own token keeps what it was given.
    assert by_secret[token_digest(staff_secret)].scopes == ["vacancies:read"]
    assert by_secret[token_digest(admin_secret)].scopes == ["vacancies:write"]
    write = client.post(API, json={"title": "Thợ may"}, headers=bearer(staff_secret))
    assert write.status_code == 403
    assert client.get(API, headers=bearer(staff_secret)).status_code == 200
    narrowed = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "api_token", AuditEntry.action == "update")
    ).one()
    assert narrowed.details["reason"] == "allowance_narrowed"
