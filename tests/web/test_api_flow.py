"""Training orders, new-jobs reports and follow-up outcomes through the API: each token
acts only within its organisation (another organisation's record is 404 and leaks nothing),
with the pages' own checks and messages as problem details in the client's language; a batch
with one bad row writes nothing and points at the row; retries are safe by Idempotency-Key,
lost updates are stopped by ETags, and lists page by cursor."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from matching.kpi.dates import add_months
from models.clock import today, utcnow
from models.enums import ApiScope, OrganisationKind
from models.i18n import translate
from models.queries.api_tokens import TOKEN_PREFIX, token_digest
from models.tables import ApiToken, AuditEntry, FollowUp, NewJobLine, NewJobReport, TrainingOrder
from seed.reference import load_reference_data
from tests import factories
from tests.web.api_world import bearer, make_token

PROBLEM = "application/problem+json"
ORDERS, REPORTS, FOLLOW_UPS = (
    "/api/v1/training-orders",
    "/api/v1/new-jobs-reports",
    "/api/v1/follow-ups",
)
pytestmark = pytest.mark.today("2026-04-10")


def org_token(
    session: Session, kind: OrganisationKind, scopes: list[ApiScope], **org: object
) -> str:
    """A commune's or the Employment Service Centre's token."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        ApiToken(
            name="test",
            token_hash=token_digest(secret),
            prefix=secret[:10],
            org_kind=kind.value,
            scopes=[scope.value for scope in scopes],
            created_at=now,
            expires_at=now + timedelta(days=30),
            **org,
        )
    )
    session.commit()
    return secret


@dataclass(frozen=True)
class World:
    employer_a: int
    institution_a: int
    occupation_id: int
    order_a: int  # employer A to institution A
    order_b: int  # employer B to institution B
    graduate_a: int  # enrolment of institution A, 3-month follow-up due
    graduate_b: int  # enrolment of institution B, due too
    employer_token_a: str
    employer_token_b: str
    institution_token_a: str
    institution_token_b: str
    centre_token: str
    commune_token: str
    other_commune_token: str


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    employer_a, employer_b = factories.employer(session), factories.employer(session)
    inst_a, inst_b = factories.institution(session), factories.institution(session)
    occupation = factories.occupation(session)
    order_a = factories.training_order(
        session, employer_id=employer_a.id, institution_id=inst_a.id, occupation_id=occupation.id
    )
    order_b = factories.training_order(
        session, employer_id=employer_b.id, institution_id=inst_b.id, note="bí mật của B"
    )
    graduated = add_months(today() - timedelta(days=5), -3)
    graduates = []
    for institution, citizen_id in ((inst_a, "011201000001"), (inst_b, "011201000002")):
        course = factories.course(session, institution_id=institution.id)
        person = factories.person(session, citizen_id=citizen_id)
        enrolment = factories.enrolment(
            session, person_id=person.id, course_id=course.id, status="tot_nghiep",
            graduated_on=graduated,
        )  # fmt: skip
        graduates.append(enrolment.id or 0)
    session.commit()
    orders = (ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE)
    institution = (*orders, ApiScope.FOLLOW_UPS_WRITE)
    reports = [ApiScope.NEW_JOBS_WRITE, ApiScope.ORDERS_READ]
    return World(
        employer_a.id or 0,
        inst_a.id or 0,
        occupation.id or 0,
        order_a.id or 0,
        order_b.id or 0,
        graduates[0],
        graduates[1],
        make_token(session, employer_id=employer_a.id, scopes=orders),
        make_token(session, employer_id=employer_b.id, scopes=orders),
        make_token(session, institution_id=inst_a.id, scopes=institution),
        make_token(session, institution_id=inst_b.id, scopes=institution),
        org_token(session, OrganisationKind.JOB_CENTRE, [*reports]),
        org_token(session, OrganisationKind.COMMUNE, reports, commune_code="03158"),
        org_token(session, OrganisationKind.COMMUNE, reports, commune_code="03162"),
    )


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def keyed(secret: str, lang: str | None = None) -> dict[str, str]:
    return bearer(secret, lang) | {"Idempotency-Key": str(uuid.uuid4())}


def count(session: Session, model: type) -> int:
    session.expire_all()
    found = session.exec(select(func.count()).select_from(model)).one()
    session.rollback()
    return found


def order_json(world: World, **overrides: object) -> dict[str, object]:
    return {
        "institution_id": world.institution_a,
        "occupation_id": world.occupation_id,
        "level_code": "so_cap",
        "quantity": 12,
        "needed_by": "2026-12-31",
        "hiring_commitment": 10,
        "committed_wage": 5_500_000,
        "commune_code": "03127",
    } | overrides


# --- training orders ------------------------------------------------------------------------


def test_each_organisation_reads_only_its_orders_and_the_centre_reads_all(client, world):
    def listed(secret: str) -> list[int]:
        response = client.get(ORDERS, headers=bearer(secret))
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert listed(world.employer_token_a) == [world.order_a]
    assert listed(world.institution_token_b) == [world.order_b]
    assert sorted(listed(world.centre_token)) == sorted([world.order_a, world.order_b])
    # A commune officer sees no training orders on the pages either.
    assert_problem(client.get(ORDERS, headers=bearer(world.commune_token)), 403)


def test_another_organisations_order_is_404_like_one_that_does_not_exist(client, world):
    for secret in (world.employer_token_a, world.institution_token_a):
        hidden = client.get(f"{ORDERS}/{world.order_b}", headers=bearer(secret, "en"))
        problem = assert_problem(hidden, 404)
        assert "bí mật" not in hidden.text
        assert problem["detail"] == "This training order does not exist."
        missing = client.get(f"{ORDERS}/999999", headers=bearer(secret, "en"))
        assert missing.json()["detail"] == problem["detail"]
        step = client.patch(
            f"{ORDERS}/{world.order_b}",
            json={"status": "closed", "reason": "x"},
            headers=bearer(secret) | {"If-Match": "*"},
        )
        assert_problem(step, 404)


def test_an_employer_requests_an_order_once_however_often_it_retries(client, session, world):
    headers = keyed(world.employer_token_a)
    first = client.post(ORDERS, json=order_json(world), headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "requested" and first.json()["employer_id"] == world.employer_a
    again = client.post(ORDERS, json=order_json(world), headers=headers)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert count(session, TrainingOrder) == 3
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "training_order")).one()
    assert entry.user_id is None and entry.details["api_token_id"]
    assert (
        client.get(first.headers["Location"], headers=bearer(world.institution_token_a)).status_code
        == 200
    )


def test_an_order_gets_the_forms_checks_in_the_clients_language(client, session, world):
    bad = order_json(world, quantity=0, needed_by="2020-01-01")
    for lang in ("vi", "en"):
        problem = assert_problem(
            client.post(ORDERS, json=bad, headers=keyed(world.employer_token_a, lang)), 422
        )
        pointers = {each["pointer"]: each["detail"] for each in problem["errors"]}
        assert pointers["/needed_by"] == translate(
            "The date the workers are needed by must be in the future.", lang
        )
        assert "/quantity" in pointers
    assert count(session, TrainingOrder) == 2
    # Only an employer requests orders.
    assert_problem(
        client.post(ORDERS, json=order_json(world), headers=keyed(world.institution_token_a)), 403
    )


def test_the_institution_moves_the_status_with_the_current_etag(client, session, world):
    url = f"{ORDERS}/{world.order_a}"
    read = client.get(url, headers=bearer(world.institution_token_a))
    etag = read.headers["ETag"]
    assert_problem(
        client.patch(url, json={"status": "accepted"}, headers=bearer(world.institution_token_a)),
        428,
    )
    accepted = client.patch(
        url,
        json={"status": "accepted"},
        headers=bearer(world.institution_token_a) | {"If-Match": etag},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    stale = client.patch(
        url, json={"status": "closed", "reason": "hết kinh phí"},
        headers=bearer(world.institution_token_a, "en") | {"If-Match": etag},
    )  # fmt: skip
    problem = assert_problem(stale, 412)
    assert (
        problem["detail"] == "This record was changed since you read it: read it again, then retry."
    )
    # A step the page does not offer now is the page's conflict.
    again = client.patch(
        url,
        json={"status": "accepted"},
        headers=bearer(world.institution_token_a, "en") | {"If-Match": accepted.headers["ETag"]},
    )
    assert assert_problem(again, 409)["detail"] == "This order has already been answered."
    # The employer may not accept for the institution.
    mine = client.get(url, headers=bearer(world.employer_token_a)).headers["ETag"]
    declined = client.patch(
        url,
        json={"status": "declined", "reason": "x"},
        headers=bearer(world.employer_token_a) | {"If-Match": mine},
    )
    assert_problem(declined, 403)


def test_a_decline_without_a_reason_names_the_field(client, world):
    url = f"{ORDERS}/{world.order_a}"
    etag = client.get(url, headers=bearer(world.institution_token_a)).headers["ETag"]
    response = client.patch(
        url,
        json={"status": "declined"},
        headers=bearer(world.institution_token_a, "vi") | {"If-Match": etag},
    )
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["pointer"] == "/reason"
    assert problem["errors"][0]["detail"] == translate(
        "Give the reason for declining the order.", "vi"
    )


def test_orders_page_by_cursor_and_updated_since(client, session, world):
    for _ in range(3):
        assert (
            client.post(
                ORDERS, json=order_json(world), headers=keyed(world.employer_token_a)
            ).status_code
            == 201
        )
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get(ORDERS, params=params, headers=bearer(world.employer_token_a)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 4 == len(set(seen))
    later = (utcnow() + timedelta(hours=1)).isoformat()
    assert (
        client.get(
            ORDERS, params={"updated_since": later}, headers=bearer(world.employer_token_a)
        ).json()["items"]
        == []
    )
    assert_problem(
        client.get(ORDERS, params={"cursor": "nonsense"}, headers=bearer(world.employer_token_a)),
        422,
    )


# --- new-jobs reports -----------------------------------------------------------------------


def line(**overrides: object) -> dict[str, object]:
    return {
        "full_name": "Lò Văn A",
        "citizen_id": "011098000101",
        "birth_date": "04/05/1998",
        "sex": "Nam",
        "ethnicity": "Thái",
        "commune": "Xã Sín Thầu",
        "job": "Công nhân may",
        "employer": "Công ty May Điện Biên",
        "channel": "Doanh nghiệp trong tỉnh",
        "place": "Trong tỉnh",
        "start_date": "10/03/2026",
    } | overrides


def test_a_commune_sends_a_period_once_and_a_retry_is_safe(client, session, world):
    body = {"period": "2026-03", "lines": [line()]}
    headers = keyed(world.commune_token)
    first = client.post(REPORTS, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["person_lines"] == 1 and first.json()["commune_code"] == "03158"
    assert "011098000101" not in first.text  # no personal data comes back
    replay = client.post(REPORTS, json=body, headers=headers)
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    twice = client.post(REPORTS, json=body, headers=keyed(world.commune_token, "en"))
    assert assert_problem(twice, 409)["detail"] == (
        "This file was already imported for this period: nothing was written twice."
    )
    assert count(session, NewJobLine) == 1 and count(session, NewJobReport) == 1


def test_a_bad_row_refuses_the_whole_batch_and_points_at_it(client, session, world):
    body = {"period": "2026-03", "lines": [line(), line(citizen_id="12", full_name="Giàng Thị B")]}
    for lang in ("vi", "en"):
        problem = assert_problem(
            client.post(REPORTS, json=body, headers=keyed(world.commune_token, lang)), 422
        )
        pointers = [each["pointer"] for each in problem["errors"]]
        assert pointers and all(each.startswith("/lines/1/") for each in pointers)
        assert "/lines/1/citizen_id" in pointers
    assert count(session, NewJobLine) == 0 and count(session, NewJobReport) == 0


def test_reports_are_read_and_withdrawn_only_by_their_reporter(client, session, world):
    created = client.post(
        REPORTS, json={"period": "2026-03", "lines": [line()]}, headers=keyed(world.commune_token)
    )
    report_id = created.json()["id"]
    url = f"{REPORTS}/{report_id}"
    for secret in (world.other_commune_token, world.centre_token):
        hidden = client.get(url, headers=bearer(secret, "en"))
        assert assert_problem(hidden, 404)["detail"] == "This report does not exist."
        assert client.get(REPORTS, headers=bearer(secret)).json()["items"] == []
        assert_problem(client.post(f"{url}/withdraw", headers=keyed(secret)), 404)
    listed = client.get(REPORTS, headers=bearer(world.commune_token)).json()
    assert [item["id"] for item in listed["items"]] == [report_id]
    withdrawn = client.post(f"{url}/withdraw", headers=keyed(world.commune_token))
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert count(session, NewJobLine) == 0
    # An institution keeps no register: its token is refused whatever its scopes.
    institution = make_token(
        session, institution_id=world.institution_a, scopes=[ApiScope.NEW_JOBS_WRITE]
    )
    assert_problem(client.get(REPORTS, headers=bearer(institution)), 403)


def test_reports_need_their_scope(client, world):
    problem = assert_problem(client.get(REPORTS, headers=bearer(world.employer_token_a, "en")), 403)
    assert "new-jobs:write" in problem["detail"]


# --- follow-up outcomes ---------------------------------------------------------------------


def outcome(enrolment_id: int, **overrides: object) -> dict[str, object]:
    return {
        "enrolment_id": enrolment_id,
        "months_after": 3,
        "status": "wage",
        "in_trained_occupation": "yes",
        "income": 5_000_000,
        "source": "phone",
        "observed_on": today().isoformat(),
    } | overrides


def test_an_institution_records_its_graduates_outcomes_once(client, session, world):
    body = {"outcomes": [outcome(world.graduate_a)]}
    headers = keyed(world.institution_token_a)
    first = client.post(FOLLOW_UPS, json=body, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json() == {"recorded": 1}
    assert (
        client.post(FOLLOW_UPS, json=body, headers=headers).headers["Idempotent-Replayed"] == "true"
    )
    # Sent again without the key: what is stored already counts as done.
    assert client.post(FOLLOW_UPS, json=body, headers=keyed(world.institution_token_a)).json() == {
        "recorded": 0
    }
    assert count(session, FollowUp) == 1
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "follow_up")).one()
    assert entry.details["api_token_id"]


def test_another_institutions_graduate_refuses_the_batch_and_leaks_nothing(client, session, world):
    body = {"outcomes": [outcome(world.graduate_a), outcome(world.graduate_b)]}
    for lang in ("vi", "en"):
        response = client.post(
            FOLLOW_UPS, json=body, headers=keyed(world.institution_token_a, lang)
        )
        problem = assert_problem(response, 422)
        assert [each["pointer"] for each in problem["errors"]] == ["/outcomes/1/status"]
        missing = {"outcomes": [outcome(999_999)]}
        unknown = client.post(
            FOLLOW_UPS, json=missing, headers=keyed(world.institution_token_a, lang)
        ).json()
        assert unknown["errors"][0]["detail"] == problem["errors"][0]["detail"]
        assert problem["errors"][0]["detail"] == translate(
            "This graduate is no longer on the list: reload the page.", lang
        )
    assert count(session, FollowUp) == 0


def test_a_bad_outcome_points_at_its_cell(client, session, world):
    body = {"outcomes": [outcome(world.graduate_a, status="no such status")]}
    problem = assert_problem(
        client.post(FOLLOW_UPS, json=body, headers=keyed(world.institution_token_a, "en")), 422
    )
    assert problem["errors"][0]["pointer"] == "/outcomes/0/status"
    assert count(session, FollowUp) == 0


def test_follow_ups_need_their_scope_and_an_institution(client, session, world):
    body = {"outcomes": [outcome(world.graduate_a)]}
    assert_problem(client.post(FOLLOW_UPS, json=body, headers=keyed(world.employer_token_a)), 403)
    no_scope = make_token(
        session, institution_id=world.institution_a, scopes=[ApiScope.ORDERS_READ]
    )
    assert_problem(client.post(FOLLOW_UPS, json=body, headers=keyed(no_scope)), 403)
    assert count(session, FollowUp) == 0


COUNTS = "/api/v1/new-jobs-counts"


def test_a_commune_adds_a_count_without_names_to_its_month(client, session, world):
    body = {"month": "2026-03", "channel": "Doanh nghiệp trong tỉnh", "people": 7}
    headers = keyed(world.commune_token)
    first = client.post(COUNTS, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["aggregate_people"] == 7 and first.json()["commune_code"] == "03158"
    replay = client.post(COUNTS, json=body, headers=headers)
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    more = client.post(COUNTS, json=body | {"people": 3}, headers=keyed(world.commune_token))
    assert more.json()["aggregate_people"] == 10 and more.json()["id"] == first.json()["id"]
    # The form's checks and messages, in the client's language, each at its field.
    bad = client.post(
        COUNTS,
        json={"month": "2026-09", "channel": "Đi chợ", "people": 2},
        headers=keyed(world.commune_token, "en"),
    )
    errors = {e["field"]: e["detail"] for e in assert_problem(bad, 422)["errors"]}
    assert errors["month"] == "This month has not started yet."
    assert "channel" in errors
    # A count belongs to its reporter: another commune does not see the report.
    url = f"{REPORTS}/{first.json()['id']}"
    assert_problem(client.get(url, headers=bearer(world.other_commune_token)), 404)
    assert client.get(url, headers=bearer(world.commune_token)).json()["aggregate_people"] == 10
    assert count(session, NewJobReport) == 1
