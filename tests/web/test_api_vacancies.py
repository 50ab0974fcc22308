"""Vacancies through the API: anyone reads the public ones, an employer's token its own
others too and writes only its own (another employer's is 404 and leaks nothing), with the
vacancy form's checks and messages as problem details in the client's language, retries made
safe by Idempotency-Key, lost updates stopped by ETags, and a partner's sync by cursor."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models.clock import today, utcnow
from models.enums import ApiScope, VacancyStatus
from models.i18n import translate
from models.placement import claim_place
from models.settings import Settings
from models.tables import ApiRateWindow, ApiToken, AuditEntry, Vacancy
from seed.reference import load_reference_data
from tests import factories
from tests.web.api_world import bearer, make_token, vacancy_json
from tests.web.helpers import make_account, sign_in
from web.app import create_app

API = "/api/v1/vacancies"
PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class World:
    employer_a: int
    employer_b: int
    open_a: int
    closed_a: int
    closed_b: int
    token_a: str  # employer A: vacancies read and write
    token_b: str  # employer B: vacancies read and write


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    employer_a = factories.employer(session, name="Công ty May Mường Thanh").id or 0
    employer_b = factories.employer(session, name="Công ty Cơ khí Tuần Giáo").id or 0
    open_a = factories.vacancy(session, employer_id=employer_a, title="Thợ may")
    closed_a = factories.vacancy(
        session, employer_id=employer_a, title="Thợ cắt", status=VacancyStatus.CLOSED.value
    )
    closed_b = factories.vacancy(
        session, employer_id=employer_b, title="Thợ hàn bí mật", status=VacancyStatus.CLOSED.value
    )
    session.commit()
    return World(
        employer_a,
        employer_b,
        open_a.id or 0,
        closed_a.id or 0,
        closed_b.id or 0,
        make_token(session, employer_id=employer_a),
        make_token(session, employer_id=employer_b),
    )


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    return problem


# Reading -------------------------------------------------------------------------------


def test_anyone_reads_the_public_vacancies_and_an_employer_also_its_own(client, world):
    assert ids(client.get(API)) == [world.open_a]
    own = ids(client.get(API, headers=bearer(world.token_a)))
    assert sorted(own) == sorted([world.open_a, world.closed_a])
    assert world.closed_b not in own


def test_one_vacancy_carries_its_etag_and_another_employers_private_one_is_404(client, world):
    response = client.get(f"{API}/{world.open_a}")
    assert response.status_code == 200 and response.headers["ETag"].startswith('"')
    assert response.json()["title"] == "Thợ may"
    hidden = client.get(f"{API}/{world.closed_b}", headers=bearer(world.token_a))
    problem = assert_problem(hidden, 404)
    assert "Thợ hàn" not in hidden.text and problem["detail"] == translate(
        "This vacancy does not exist.", "vi"
    )
    # Exactly what an id that does not exist gets: nothing tells them apart.
    missing = client.get(f"{API}/999999", headers=bearer(world.token_a))
    assert missing.json()["detail"] == problem["detail"]
    assert client.get(f"{API}/{world.closed_b}", headers=bearer(world.token_b)).status_code == 200


# Who may call ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["unknown", "expired", "revoked", "basic"])
def test_a_bad_token_is_401_with_www_authenticate(client, session, world, kind):
    secret = {
        "unknown": "dbj_nothing-like-this",
        "expired": make_token(session, employer_id=world.employer_a, lives=timedelta(days=-1)),
        "revoked": make_token(session, employer_id=world.employer_a, revoked=True),
        "basic": "",
    }[kind]
    headers = bearer(secret) if secret else {"Authorization": "Basic dXNlcjpwYXNz"}
    response = client.get(API, headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_writing_needs_a_token_and_its_scope(client, session, world):
    response = client.post(API, json=vacancy_json())
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    reader = make_token(session, employer_id=world.employer_a, scopes=[ApiScope.VACANCIES_READ])
    problem = assert_problem(client.post(API, json=vacancy_json(), headers=bearer(reader)), 403)
    assert "vacancies:write" in problem["detail"]
    college = make_token(
        session,
        institution_id=factories.institution(session).id,
        scopes=[ApiScope.VACANCIES_WRITE],
    )
    assert_problem(client.post(API, json=vacancy_json(), headers=bearer(college)), 403)
    assert session.exec(select(func.count()).select_from(Vacancy)).one() == 3


def test_a_browser_session_gives_no_authority_over_the_api(client, session, world):
    make_account(session, "employer", "emp_a", employer_id=world.employer_a)
    sign_in(client, "emp_a")
    assert_problem(client.post(API, json=vacancy_json()), 401)


# Writing -----------------------------------------------------------------------------------


def test_an_employer_posts_a_vacancy_of_its_own_and_it_is_audited(client, session, world):
    response = client.post(API, json=vacancy_json(), headers=bearer(world.token_a))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["employer_id"] == world.employer_a and body["status"] == "open"
    assert body["skills"] == ["may công nghiệp", "đóng gói"]
    assert response.headers["Location"] == f"{API}/{body['id']}"
    assert response.headers["ETag"] == client.get(f"{API}/{body['id']}").headers["ETag"]
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "vacancy", AuditEntry.action == "create")
    ).one()
    token_id = session.exec(select(ApiToken.id).where(ApiToken.employer_id == world.employer_a))
    assert entry.entity_id == str(body["id"]) and entry.details["api_token_id"] in set(token_id)


@pytest.mark.parametrize(
    ("lang", "header"), [("vi", None), ("vi", "vi-VN,vi;q=0.9"), ("en", "en-US,en;q=0.8")]
)
def test_the_forms_checks_come_back_as_problem_details_in_the_clients_language(
    client, world, lang, header
):
    sent = vacancy_json(title="  ", quantity=0, wage_min=9_000_000, wage_max=1_000_000)
    response = client.post(API, json=sent, headers=bearer(world.token_a, header))
    problem = assert_problem(response, 422)
    by_pointer = {each["pointer"]: each["detail"] for each in problem["errors"]}
    assert by_pointer["/title"] == translate("This field is required.", lang)
    assert by_pointer["/quantity"] == translate("The quantity must be at least 1.", lang)
    assert "/wage_min" in by_pointer or "/wage_max" in by_pointer
    assert problem["title"] == translate("Invalid data", lang)


def test_a_malformed_request_is_a_problem_detail_never_a_500(client, world):
    wrong_type = client.post(
        API, json=vacancy_json(quantity="mười", surprise=1), headers=bearer(world.token_a)
    )
    pointers = {each["pointer"] for each in assert_problem(wrong_type, 422)["errors"]}
    assert {"/quantity", "/surprise"} <= pointers
    not_json = client.post(
        API,
        content=b"{not json",
        headers={**bearer(world.token_a), "Content-Type": "application/json"},
    )
    assert_problem(not_json, 422)
    bad_query = client.get(API, params={"limit": "0", "updated_since": "yesterday"})
    parameters = {each["parameter"] for each in assert_problem(bad_query, 422)["errors"]}
    assert parameters == {"limit", "updated_since"}
    english = client.get(API, params={"cursor": "!!"}, headers={"Accept-Language": "en"})
    assert assert_problem(english, 422)["detail"] == translate(
        "This cursor is not valid: start again without it.", "en"
    )


def test_html_pages_keep_their_html_errors(client):
    response = client.get("/vacancies/abc")
    assert response.headers["content-type"].startswith("text/html")


# Idempotency -------------------------------------------------------------------------------


def count_vacancies(session: Session) -> int:
    session.commit()
    return session.exec(select(func.count()).select_from(Vacancy)).one()


def test_a_retried_post_returns_the_first_record_and_writes_nothing(client, session, world):
    headers = {**bearer(world.token_a), "Idempotency-Key": "order-17"}
    first = client.post(API, json=vacancy_json(), headers=headers)
    again = client.post(API, json=vacancy_json(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert count_vacancies(session) == 4
    other = client.post(API, json=vacancy_json(quantity=3), headers=headers)
    assert_problem(other, 422)
    # The same key sent by another token names another request.
    other_token = {**bearer(world.token_b), "Idempotency-Key": "order-17"}
    assert client.post(API, json=vacancy_json(), headers=other_token).status_code == 201
    assert count_vacancies(session) == 5


def test_a_failed_post_stores_nothing_and_its_key_can_be_used_again(client, session, world):
    headers = {**bearer(world.token_a), "Idempotency-Key": "k-1"}
    assert_problem(client.post(API, json=vacancy_json(quantity=0), headers=headers), 422)
    assert client.post(API, json=vacancy_json(quantity=0), headers=headers).status_code == 422
    assert client.post(API, json=vacancy_json(), headers=headers).status_code == 201


def test_concurrent_duplicates_create_one_vacancy(app, session, world):
    headers = {**bearer(world.token_a), "Idempotency-Key": "same-moment"}
    start = threading.Barrier(4)
    answers: list[tuple[int, int]] = []

    def post() -> None:
        with TestClient(app) as own_client:
            start.wait()
            response = own_client.post(API, json=vacancy_json(), headers=headers)
            answers.append((response.status_code, response.json().get("id", 0)))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in answers} == {201}, answers
    assert len({record for _, record in answers}) == 1
    assert count_vacancies(session) == 4


# ETags -------------------------------------------------------------------------------------


def test_a_change_needs_the_current_etag(client, session, world):
    url = f"{API}/{world.open_a}"
    first = client.get(url)
    etag = first.headers["ETag"]
    headers = bearer(world.token_a)
    assert_problem(client.patch(url, json={"quantity": 4}, headers=headers), 428)
    changed = client.patch(url, json={"quantity": 4}, headers={**headers, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["quantity"] == 4 and changed.json()["title"] == "Thợ may"
    assert changed.headers["ETag"] != etag
    # The vacancy service (the pages' own) moved its update time: partners sync it.
    assert changed.json()["updated_at"] > first.json()["updated_at"]
    stale = client.patch(url, json={"quantity": 6}, headers={**headers, "If-Match": etag})
    assert_problem(stale, 412)
    session.commit()
    assert session.get(Vacancy, world.open_a).quantity == 4  # type: ignore[union-attr]


def test_another_employers_vacancy_cannot_be_changed_or_closed(client, session, world):
    url = f"{API}/{world.closed_b}"
    headers = {**bearer(world.token_a), "If-Match": "*"}
    assert_problem(client.patch(url, json={"quantity": 4}, headers=headers), 404)
    assert_problem(client.post(f"{url}/close", headers=headers), 404)


def test_closing_is_audited_and_honours_if_match(client, session, world):
    url = f"{API}/{world.open_a}"
    headers = bearer(world.token_a)
    assert_problem(client.post(f"{url}/close", headers={**headers, "If-Match": '"old"'}), 412)
    closed = client.post(f"{url}/close", headers=headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert ids(client.get(API)) == []
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.entity == "vacancy"))
    assert list(actions) == ["close"]


def test_a_patch_gets_the_forms_checks(client, world):
    url = f"{API}/{world.open_a}"
    etag = client.get(url).headers["ETag"]
    headers = {**bearer(world.token_a, "en"), "If-Match": etag}
    problem = assert_problem(client.patch(url, json={"quantity": 0}, headers=headers), 422)
    assert problem["errors"] == [
        {
            "field": "quantity",
            "pointer": "/quantity",
            "detail": translate("The quantity must be at least 1.", "en"),
        }
    ]


# Sync by cursor ----------------------------------------------------------------------------


def test_a_partner_syncs_page_by_page_and_then_only_what_changed(client, session, world):
    # After every vacancy of the world, whatever the day the test runs.
    base = utcnow().replace(microsecond=0) + timedelta(days=1)
    made = [
        factories.vacancy(session, employer_id=world.employer_a, updated_at=base).id
        for _ in range(4)
    ]
    later = factories.vacancy(
        session, employer_id=world.employer_b, updated_at=base + timedelta(hours=1)
    ).id
    session.commit()
    seen: list[int] = []
    params: dict[str, str | int] = {"limit": 2, "updated_since": base.isoformat()}
    while True:
        page = client.get(API, params=params).json()
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {**params, "cursor": page["next_cursor"]}
    assert seen == [*sorted(made), later]  # same moment: by id; later ones after
    since = (base + timedelta(minutes=30)).isoformat()
    assert ids(client.get(API, params={"updated_since": since})) == [later]


def test_every_write_of_a_vacancy_moves_its_update_time(session, world):

    def updated() -> datetime:
        session.expire_all()
        row = session.get(Vacancy, world.open_a)
        assert row is not None
        return row.updated_at

    before = updated()
    claim_place(session, world.open_a, on=today())
    session.commit()
    assert updated() > before


# Rate limit --------------------------------------------------------------------------------


@pytest.fixture
def tight_app(engine: Engine):
    settings = Settings(
        database_url=str(engine.url), embedded_worker=False, api_requests_per_minute=3
    )
    return create_app(settings, engine=engine)


def test_past_the_limit_a_token_gets_429_with_retry_after(tight_app, session, world):
    with TestClient(tight_app) as tight:
        answers = [tight.get(API, headers=bearer(world.token_a)) for _ in range(4)]
        assert [each.status_code for each in answers[:3]] == [200, 200, 200]
        assert_problem(answers[3], 429)
        assert 1 <= int(answers[3].headers["Retry-After"]) <= 60
        # Anonymous reading is not counted against the token.
        assert tight.get(API).status_code == 200
    session.commit()
    token = session.exec(select(ApiToken).where(ApiToken.employer_id == world.employer_a)).one()
    assert token.last_used_at is not None
    windows = session.exec(select(ApiRateWindow).where(ApiRateWindow.token_id == token.id))
    assert [window.count for window in windows] == [4]


HOSTILE_VALUES = [
    None,
    "",
    "\x00",
    "a\u202eb",
    "😀" * 50,
    "x" * 20_000,
    -1,
    0,
    2**31,
    10**40,
    1.5,
    True,
    [],
    {"nested": [1, 2]},
    "9" * 5000,
    "2026-02-30",
    "31/12/2026",
]


@pytest.mark.parametrize("name", ["title", "quantity", "wage_min", "commune_code", "deadline"])
def test_hostile_values_never_give_a_server_error(client, world, name):
    headers = bearer(world.token_a)
    etag = client.get(f"{API}/{world.open_a}").headers["ETag"]
    for value in HOSTILE_VALUES:
        created = client.post(API, json=vacancy_json(**{name: value}), headers=headers)
        # 400: a NUL anywhere in a request is refused before it is read (web/security.py).
        assert created.status_code in (201, 400, 422), (name, value, created.text)
        changed = client.patch(
            f"{API}/{world.open_a}", json={name: value}, headers={**headers, "If-Match": etag}
        )
        assert changed.status_code in (200, 400, 412, 422), (name, value, changed.text)
        if changed.status_code == 200:
            etag = changed.headers["ETag"]
        listed = client.get(API, params={"cursor": str(value), "updated_since": str(value)})
        assert listed.status_code in (200, 400, 422), (value, listed.text)
        for response in (created, changed, listed):
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith(PROBLEM)
