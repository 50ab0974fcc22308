"""The machine API and the public feed under attack: a forged cursor or an `updated_since` at
the ends of the calendar is refused with a message naming the parameter (never a 500), a sync
reads the same vacancies whatever offset its moment is written in, and one Idempotency-Key
sent by two tokens writes each one's own record. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from models.clock import utcnow
from models.enums import ApiScope
from models.i18n import translate
from tests import factories
from tests.web import test_api_vacancies as shared
from tests.web.api_world import bearer, make_token, vacancy_json
from tests.web.test_api_vacancies import assert_problem, ids
from web.services.cursors import BAD_CURSOR, BAD_SINCE, SINCE_EXAMPLE

API = "/api/v1/vacancies"
FEED = "/api/v1/feeds/vacancies"
LISTS = (API, FEED)
world = shared.world


def forged(text: str) -> str:
    """A cursor as a client could write one: base64 of any JSON."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


FORGED_CURSORS = [
    '{"u": "2026-01-01T00:00:00+00:00", "i": Infinity}',
    '{"u": "2026-01-01T00:00:00+00:00", "i": NaN}',
    '{"u": "0001-01-01T00:00:00+14:00", "i": 1}',
    '{"u": "9999-12-31T23:59:59-14:00", "i": 1}',
    '{"u": "2026-01-01T00:00:00", "i": 1}',
    '["2026-01-01T00:00:00+00:00", 1]',
]


@pytest.mark.parametrize("raw", FORGED_CURSORS)
def test_a_forged_cursor_is_refused_on_the_cursor_parameter(client, world, raw):
    for url in LISTS:
        response = client.get(
            url, params={"cursor": forged(raw)}, headers={"Accept-Language": "en"}
        )
        problem = assert_problem(response, 422)
        assert problem["errors"] == [
            {"field": "cursor", "parameter": "cursor", "detail": translate(BAD_CURSOR, "en")}
        ], (url, raw)


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01"]
)
def test_an_updated_since_without_a_utc_time_is_refused_with_a_message(client, world, moment):
    # The feed reads a moment without offset on Vietnam's clock: 0001-01-01 has no UTC time.
    urls = LISTS if "T" in moment else (FEED,)
    for url in urls:
        response = client.get(url, params={"updated_since": moment})
        problem = assert_problem(response, 422)
        assert problem["errors"] == [
            {
                "field": "updated_since",
                "parameter": "updated_since",
                "detail": translate(BAD_SINCE, "vi", example=SINCE_EXAMPLE),
            }
        ], (url, moment)


def test_a_sync_reads_the_same_vacancies_whatever_offset_its_moment_has(client, session, world):
    base = utcnow().replace(microsecond=0) + timedelta(days=1)
    changed = factories.vacancy(session, employer_id=world.employer_a, updated_at=base).id
    session.commit()
    for zone in ("UTC", "Asia/Ho_Chi_Minh", "America/New_York"):
        since = base.astimezone(ZoneInfo(zone)).isoformat()
        assert ids(client.get(API, params={"updated_since": since})) == [changed], zone


def test_one_idempotency_key_of_two_tokens_writes_each_ones_own_record(client, world):
    key = {"Idempotency-Key": "2f1c7a52-0d7e-4bb0-9d4e-5b0c1f3e8a11"}
    first = client.post(API, json=vacancy_json(), headers={**bearer(world.token_a), **key})
    second = client.post(API, json=vacancy_json(), headers={**bearer(world.token_b), **key})
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert [first.json()["employer_id"], second.json()["employer_id"]] == [
        world.employer_a,
        world.employer_b,
    ]
    # The key of a post cannot close a vacancy: another request.
    closing = client.post(
        f"{API}/{first.json()['id']}/close", headers={**bearer(world.token_a), **key}
    )
    assert_problem(closing, 422)


def test_every_list_refuses_an_updated_since_without_a_utc_time(client, session, world):
    # Each list of the API takes the same cursor and moment: each refuses them the same way.
    institution = factories.institution(session).id or 0
    course = factories.course(session, institution_id=institution).id or 0
    session.commit()
    own_school = make_token(session, institution_id=institution, scopes=[ApiScope.COURSES_WRITE])
    orders = make_token(session, employer_id=world.employer_a, scopes=[ApiScope.ORDERS_READ])
    commune = make_token(session, commune_code="03158", scopes=[ApiScope.NEW_JOBS_WRITE])
    lists = {
        "/api/v1/courses": own_school,
        f"/api/v1/courses/{course}/enrolments": own_school,
        "/api/v1/training-orders": orders,
        "/api/v1/new-jobs-reports": commune,
        API: world.token_a,
    }
    for url, secret in lists.items():
        assert client.get(url, headers=bearer(secret)).status_code == 200, url
        for params in (
            {"updated_since": "9999-12-31T23:59:59-14:00"},
            {"cursor": "not-a-cursor"},
        ):
            response = client.get(url, params=params, headers=bearer(secret))
            [error] = assert_problem(response, 422)["errors"]
            assert error["parameter"] == next(iter(params)), (url, params)
