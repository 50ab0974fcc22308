"""The API's reads for officials and employers: a year's KPI figures with how many records
are behind each (officials' tokens only; their ids are paged in test_api_kpi_records.py), the
ranked candidates of a vacancy as its candidates page ranks them (another employer's vacancy
is 404; ID numbers, phones and ethnicity only under personal-data:read, audited), and the
placement plan over vacancies, which never fills a vacancy beyond its places and writes
nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.enums import ApiScope
from models.i18n import translate
from models.monitoring.store import refresh_year
from models.tables import AuditEntry, Referral, Vacancy
from models.validation import display_phone
from seed.reference import load_reference_data
from tests import factories
from tests.web import dashboard_world
from tests.web.api_world import bearer, make_token
from tests.web.test_candidates import build_world as build_candidates_world

PROBLEM = "application/problem+json"
KPI = "/api/v1/kpi"
PLAN = "/api/v1/placement-plan"
S = ApiScope


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def api_audits(session: Session, entity: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(col(AuditEntry.entity) == entity).order_by(AuditEntry.id)
    found = list(session.exec(query.execution_options(populate_existing=True)).all())
    session.commit()
    return found


# --- KPI figures ---------------------------------------------------------------------------


@pytest.fixture
def kpi_world(session: Session, engine: Engine) -> dashboard_world.World:
    load_reference_data(session)
    built = dashboard_world.build_world(session)
    refresh_year(engine, dashboard_world.YEAR)
    session.commit()
    return built


def kpi(client, secret: str, **query) -> dict:
    response = client.get(
        KPI, params={"year": dashboard_world.YEAR, **query}, headers=bearer(secret)
    )
    assert response.status_code == 200, response.text
    return response.json()


def total(body: dict, kpi_id: str, measure: str) -> dict:
    return next(
        f
        for f in body["figures"]
        if (f["kpi"], f["measure"], f["group"]) == (kpi_id, measure, None)
    )


def test_an_official_token_reads_the_dashboards_figures_without_peoples_ids(
    client, session, kpi_world
):
    centre = make_token(session, job_centre=True, scopes=[S.KPI_READ])
    body = kpi(client, centre)
    assert body["year"] == dashboard_world.YEAR and body["cut"] is None
    trained = total(body, "trained", "trained")
    assert trained["value"] == 6 and trained["record_kind"] == "enrolment"
    # The people behind it are counted and their ids withheld; a vacancy figure's are not.
    assert trained["record_count"] == 6 and trained["ids_withheld"] is True
    assert "record_ids" not in trained
    posted = total(body, "vacancies", "places_offered")
    assert posted["value"] == 5 and posted["ids_withheld"] is False
    assert posted["record_count"] >= 1
    assert all(f["group"] is None for f in body["figures"])
    assert api_audits(session, "kpi_figures") == []


def test_the_figures_carry_counts_and_no_ids_even_with_personal_data_read(
    client, session, kpi_world
):
    centre = make_token(session, job_centre=True, scopes=[S.KPI_READ, S.PERSONAL_DATA_READ])
    body = kpi(client, centre, cut="commune")
    trained = total(body, "trained", "trained")
    assert trained["record_count"] == 6 and trained["ids_withheld"] is False
    assert all("record_ids" not in f for f in body["figures"])
    # No id of a person left, so nothing is audited.
    assert api_audits(session, "kpi_figures") == []


def test_a_cut_gives_one_figure_per_group_with_its_name(client, session, kpi_world):
    centre = make_token(session, job_centre=True, scopes=[S.KPI_READ])
    body = kpi(client, centre, cut="commune")
    groups = [f for f in body["figures"] if f["kpi"] == "trained" and f["measure"] == "trained"]
    by_commune = {f["group"]: f for f in groups if f["group"] is not None}
    assert "03127" in by_commune and by_commune["03127"]["cut"] == "commune"
    assert by_commune["03127"]["group_label"]  # the commune's name, not its code
    assert sum(f["value"] for f in by_commune.values()) == 6
    sexes = kpi(client, centre, cut="sex")
    women = [f for f in sexes["figures"] if (f["kpi"], f["measure"], f["group"]) == (
        "trained", "trained", "nu")]  # fmt: skip
    assert women and women[0]["value"] == 3  # Lan, Hoa and Nga


def test_a_communes_token_gets_peoples_ids_of_its_own_commune_only(client, session, kpi_world):
    commune = make_token(session, commune_code="03127", scopes=[S.KPI_READ, S.PERSONAL_DATA_READ])
    body = kpi(client, commune, cut="commune")
    trained = [f for f in body["figures"] if (f["kpi"], f["measure"]) == ("trained", "trained")]
    own = next(f for f in trained if f["group"] == "03127")
    assert own["record_count"] and not own["ids_withheld"]
    others = [f for f in trained if f["group"] != "03127"]
    assert others and all(f["ids_withheld"] for f in others)


@pytest.mark.parametrize("who", ["employer", "institution", "no_scope"])
def test_only_officials_tokens_with_kpi_read_read_the_figures(client, session, kpi_world, who):
    secret = {
        "employer": lambda: make_token(
            session, employer_id=kpi_world.employer_id, scopes=[S.KPI_READ]
        ),
        "institution": lambda: make_token(
            session, institution_id=factories.institution(session).id, scopes=[S.KPI_READ]
        ),
        "no_scope": lambda: make_token(session, job_centre=True, scopes=[S.CANDIDATES_READ]),
    }[who]()
    problem = assert_problem(client.get(KPI, headers=bearer(secret)), 403)
    assert "figures" not in problem
    assert_problem(client.get(KPI), 401)


@pytest.mark.parametrize(
    ("query", "field"),
    [({"cut": "village"}, "cut"), ({"year": "2015"}, "year"), ({"year": "2099"}, "year")],
)
def test_a_bad_year_or_cut_is_422_naming_it(client, session, kpi_world, query, field):
    centre = make_token(session, job_centre=True, scopes=[S.KPI_READ])
    problem = assert_problem(client.get(KPI, params=query, headers=bearer(centre, "en")), 422)
    assert [each.get("parameter") or each.get("field") for each in problem["errors"]] == [field]


# --- ranked candidates -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hiring:
    vacancy_id: int
    other_id: int  # another employer's vacancy
    employer_id: int
    other_employer_id: int
    people: dict[str, int]


def hiring_world(session: Session, quantity: int = 2) -> Hiring:
    built = build_candidates_world(session, quantity=quantity)
    employer_id = session.get(Vacancy, built.vacancy_id).employer_id  # type: ignore[union-attr]
    other_employer = session.get(Vacancy, built.other_id).employer_id  # type: ignore[union-attr]
    session.commit()
    return Hiring(built.vacancy_id, built.other_id, employer_id, other_employer, built.people)


@pytest.fixture
def hiring(session: Session) -> Hiring:
    return hiring_world(session)


def candidates(client, secret: str, vacancy_id: int, **query):
    return client.get(
        f"/api/v1/vacancies/{vacancy_id}/candidates", params=query, headers=bearer(secret)
    )


def test_the_employer_reads_its_candidates_ranked_with_scores_and_reasons(client, session, hiring):
    token = make_token(session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ])
    response = candidates(client, token, hiring.vacancy_id)
    assert response.status_code == 200, response.text
    body = response.json()
    people = hiring.people
    ids = [item["person_id"] for item in body["items"]]
    assert ids[0] == people["mai"] and set(ids) == {people["mai"], people["hung"], people["hoa"]}
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    first = body["items"][0]
    assert first["rank"] == 1 and first["reason"] and first["full_name"] == "Lò Thị Mai"
    assert set(first["components"]) >= {"occupation", "skills"}
    assert first["matched_skills"] and first["missing_skills"]
    # No personal data without personal-data:read.
    assert all(
        item["phone"] is None and item["citizen_id"] is None and item["ethnicity_code"] is None
        for item in body["items"]
    )
    (entry,) = api_audits(session, "vacancy_candidates")
    assert entry.details["api_token_id"] and sorted(entry.details["person_ids"]) == sorted(ids)


def test_candidates_page_like_the_candidates_page(client, session, hiring):
    token = make_token(session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ])
    whole = [i["person_id"] for i in candidates(client, token, hiring.vacancy_id).json()["items"]]
    second = candidates(client, token, hiring.vacancy_id, page=2, limit=1).json()
    assert second["pages"] == 3 and second["total"] == 3 and second["page"] == 2
    assert [i["person_id"] for i in second["items"]] == whole[1:2]


def test_an_employer_sees_only_the_phones_of_people_in_contact_under_personal_data_read(
    client, session, hiring
):
    session.add(Referral(person_id=hiring.people["mai"], vacancy_id=hiring.vacancy_id))
    session.commit()
    plain = make_token(session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ])
    items = candidates(client, plain, hiring.vacancy_id).json()["items"]
    assert all(item["phone"] is None for item in items)
    assert api_audits(session, "vacancy_contacts") == []
    personal = make_token(
        session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ, S.PERSONAL_DATA_READ]
    )
    items = candidates(client, personal, hiring.vacancy_id).json()["items"]
    by_id = {item["person_id"]: item for item in items}
    assert by_id[hiring.people["mai"]]["phone"] == display_phone("+84912345678")
    assert by_id[hiring.people["hung"]]["phone"] is None
    # An employer never gets ID numbers or ethnicity, even masked.
    assert all(item["citizen_id"] is None and item["ethnicity_code"] is None for item in items)
    (entry,) = api_audits(session, "vacancy_contacts")
    assert entry.details["person_ids"] == [hiring.people["mai"]]
    assert entry.details["api_token_id"]


def test_the_employment_service_centre_reads_full_records_under_personal_data_read(
    client, session, hiring
):
    centre = make_token(session, job_centre=True, scopes=[S.CANDIDATES_READ, S.PERSONAL_DATA_READ])
    items = candidates(client, centre, hiring.vacancy_id).json()["items"]
    mai = next(item for item in items if item["person_id"] == hiring.people["mai"])
    assert mai["citizen_id"] == "011301012345" and mai["phone"] == "+84912345678"
    assert api_audits(session, "vacancy_candidates")[0].details["api_token_id"]


def test_another_employers_vacancy_is_404_like_one_that_does_not_exist(client, session, hiring):
    token = make_token(session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ])
    hidden = assert_problem(candidates(client, token, hiring.other_id), 404)
    missing = assert_problem(candidates(client, token, 999_999), 404)
    assert hidden["detail"] == missing["detail"] == translate("This vacancy does not exist.", "vi")
    assert "Thợ điện" not in str(hidden)
    assert api_audits(session, "vacancy_candidates") == []


@pytest.mark.parametrize("who", ["institution", "commune", "no_scope"])
def test_candidates_need_candidates_read_and_an_employer_or_official(client, session, hiring, who):
    secret = {
        "institution": lambda: make_token(
            session, institution_id=factories.institution(session).id, scopes=[S.CANDIDATES_READ]
        ),
        "commune": lambda: make_token(session, commune_code="03127", scopes=[S.CANDIDATES_READ]),
        "no_scope": lambda: make_token(
            session, employer_id=hiring.employer_id, scopes=[S.VACANCIES_READ]
        ),
    }[who]()
    assert_problem(candidates(client, secret, hiring.vacancy_id), 403)
    assert_problem(
        client.post(PLAN, json={"vacancy_ids": [hiring.vacancy_id]}, headers=bearer(secret)), 403
    )


# --- the placement plan ----------------------------------------------------------------------


def plan(client, secret: str, vacancy_ids: list[int]):
    return client.post(PLAN, json={"vacancy_ids": vacancy_ids}, headers=bearer(secret))


def test_the_plan_never_fills_a_vacancy_beyond_its_places_and_writes_nothing(client, session):
    world = hiring_world(session, quantity=1)
    centre = make_token(session, job_centre=True, scopes=[S.CANDIDATES_READ])
    response = plan(client, centre, [world.vacancy_id, world.other_id, world.vacancy_id])
    assert response.status_code == 200, response.text
    body = response.json()
    planned = {each["vacancy_id"]: each for each in body["vacancies"]}
    assert set(planned) == {world.vacancy_id, world.other_id}
    sewing = [a for a in body["assignments"] if a["vacancy_id"] == world.vacancy_id]
    assert planned[world.vacancy_id]["places_left"] == 1 and len(sewing) == 1
    assert sewing[0]["person_id"] == world.people["mai"]  # the best of three for one place
    for each in body["vacancies"]:
        mine = [a for a in body["assignments"] if a["vacancy_id"] == each["vacancy_id"]]
        assert each["assigned"] == len(mine) <= each["places_left"]
    people = [a["person_id"] for a in body["assignments"]]
    assert len(people) == len(set(people)) == body["places_filled"]
    assert session.exec(select(func.count()).select_from(Referral)).one() == 0
    assert session.get(Vacancy, world.vacancy_id, populate_existing=True).filled == 0  # type: ignore[union-attr]
    session.commit()
    (entry,) = api_audits(session, "placement_plan")
    assert entry.details["person_ids"] == sorted(people)


def test_a_full_vacancy_gets_nobody(client, session, hiring):
    vacancy = session.get(Vacancy, hiring.vacancy_id)
    assert vacancy is not None
    vacancy.filled = vacancy.quantity
    session.add(vacancy)
    session.commit()
    token = make_token(session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ])
    body = plan(client, token, [hiring.vacancy_id]).json()
    assert body["vacancies"] == [{"vacancy_id": hiring.vacancy_id, "places_left": 0, "assigned": 0}]
    assert body["assignments"] == [] and body["places_filled"] == 0


def test_an_employer_plans_over_its_own_vacancies_only(client, session, hiring):
    token = make_token(session, employer_id=hiring.employer_id, scopes=[S.CANDIDATES_READ])
    mine = plan(client, token, [hiring.vacancy_id])
    assert mine.status_code == 200 and mine.json()["places_filled"] == 2
    problem = assert_problem(plan(client, token, [hiring.vacancy_id, hiring.other_id]), 404)
    assert problem["detail"] == translate("This vacancy does not exist.", "vi")
    assert len(api_audits(session, "placement_plan")) == 1


@pytest.mark.parametrize(
    "body", [{}, {"vacancy_ids": []}, {"vacancy_ids": [0]}, {"vacancy_ids": list(range(1, 60))}]
)
def test_a_bad_plan_request_is_422(client, session, hiring, body):
    token = make_token(session, job_centre=True, scopes=[S.CANDIDATES_READ])
    problem = assert_problem(client.post(PLAN, json=body, headers=bearer(token)), 422)
    assert problem["errors"]
