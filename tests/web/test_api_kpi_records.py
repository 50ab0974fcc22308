"""The ids behind a KPI figure, a page at a time (`GET /api/v1/kpi/figures/{id}/records`):
in id order with the next page's `after`, at most 1,000 a page; ids of people only under
personal-data:read, each page audited; a commune's token reads those of its own commune's
figures only, any other figure about people is 404 like one that does not exist."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from models.enums import ApiScope
from tests.web import dashboard_world
from tests.web.api_world import bearer, make_token
from tests.web.test_api_reads import api_audits, assert_problem, kpi, kpi_world, total

__all__ = ["kpi_world"]  # the fixture, imported for these tests

S = ApiScope


def records_path(figure_id: int) -> str:
    return f"/api/v1/kpi/figures/{figure_id}/records"


def records(client, secret: str, figure_id: int, **query) -> dict:
    response = client.get(records_path(figure_id), params=query, headers=bearer(secret))
    assert response.status_code == 200, response.text
    return response.json()


def figure_of(client, secret: str, kpi_id: str, measure: str, group: str | None = None) -> dict:
    body = kpi(client, secret, cut="commune")
    return next(
        f
        for f in body["figures"]
        if (f["kpi"], f["measure"], f["group"]) == (kpi_id, measure, group)
    )


def people_reader(session: Session) -> str:
    return make_token(session, job_centre=True, scopes=[S.KPI_READ, S.PERSONAL_DATA_READ])


def test_the_ids_of_a_figure_come_page_by_page_in_id_order(client, session, kpi_world):
    centre = people_reader(session)
    trained = figure_of(client, centre, "trained", "trained")
    first = records(client, centre, trained["id"], limit=4)
    assert first["figure_id"] == trained["id"] and first["year"] == dashboard_world.YEAR
    assert first["record_kind"] == "enrolment" and first["record_count"] == 6
    assert len(first["record_ids"]) == 4 and first["record_ids"] == sorted(first["record_ids"])
    assert first["next_after"] == first["record_ids"][-1]
    last = records(client, centre, trained["id"], limit=4, after=first["next_after"])
    assert len(last["record_ids"]) == 2 and last["next_after"] is None
    every = first["record_ids"] + last["record_ids"]
    assert len(set(every)) == 6 and set(every) <= set(kpi_world.enrolments.values())
    # One page holding them all is the last one; past the last id nothing is left.
    whole = records(client, centre, trained["id"])
    assert whole["record_ids"] == every and whole["next_after"] is None
    beyond = records(client, centre, trained["id"], after=every[-1])
    assert beyond["record_ids"] == [] and beyond["next_after"] is None


def test_a_page_that_ends_exactly_at_the_last_id_has_no_next(client, session, kpi_world):
    centre = people_reader(session)
    trained = figure_of(client, centre, "trained", "trained")
    page = records(client, centre, trained["id"], limit=6)
    assert len(page["record_ids"]) == 6 and page["next_after"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"after": -1}, "after")],
)
def test_a_limit_beyond_1000_or_below_1_is_422_naming_it(
    client, session, kpi_world, query, parameter
):
    centre = people_reader(session)
    trained = figure_of(client, centre, "trained", "trained")
    response = client.get(records_path(trained["id"]), params=query, headers=bearer(centre, "en"))
    problem = assert_problem(response, 422)
    assert [each.get("parameter") or each.get("field") for each in problem["errors"]] == [parameter]
    assert records(client, centre, trained["id"], limit=1000)["record_count"] == 6


def test_peoples_ids_need_personal_data_read(client, session, kpi_world):
    centre = make_token(session, job_centre=True, scopes=[S.KPI_READ])
    trained = figure_of(client, centre, "trained", "trained")
    assert trained["ids_withheld"] is True
    problem = assert_problem(
        client.get(records_path(trained["id"]), headers=bearer(centre, "en")), 403
    )
    assert "personal-data:read" in problem["detail"] and "record_ids" not in problem
    # Vacancies are not people: their ids come without it, and nothing is audited.
    posted = total(kpi(client, centre), "vacancies", "places_offered")
    page = records(client, centre, posted["id"])
    assert page["record_kind"] == "vacancy" and len(page["record_ids"]) == posted["record_count"]
    assert api_audits(session, "kpi_figures") == []


def test_each_page_of_peoples_ids_is_audited(client, session, kpi_world):
    centre = people_reader(session)
    trained = figure_of(client, centre, "trained", "trained")
    first = records(client, centre, trained["id"], limit=4)
    records(client, centre, trained["id"], limit=4, after=first["next_after"])
    entries = api_audits(session, "kpi_figures")
    assert [entry.details["records"] for entry in entries] == [4, 2]
    for entry in entries:
        assert entry.action == "view_personal_data" and entry.user_id is None
        assert entry.entity_id == str(dashboard_world.YEAR) and entry.details["api_token_id"]
        assert entry.details["figure_id"] == trained["id"]


def test_a_communes_token_reads_the_ids_of_its_own_communes_figures_only(
    client, session, kpi_world
):
    commune = make_token(session, commune_code="03127", scopes=[S.KPI_READ, S.PERSONAL_DATA_READ])
    own = figure_of(client, commune, "trained", "trained", "03127")
    assert records(client, commune, own["id"])["record_count"] == own["record_count"]
    other = figure_of(client, commune, "trained", "trained", "03253")
    province = figure_of(client, commune, "trained", "trained")
    for figure in (other, province):
        assert figure["ids_withheld"] is True
        assert_problem(client.get(records_path(figure["id"]), headers=bearer(commune)), 404)
    (entry,) = api_audits(session, "kpi_figures")
    assert entry.details["figure_id"] == own["id"]


def test_an_unknown_figure_is_404_and_other_tokens_are_refused(client, session, kpi_world):
    centre = people_reader(session)
    trained = figure_of(client, centre, "trained", "trained")
    assert_problem(client.get(records_path(trained["id"] + 100_000), headers=bearer(centre)), 404)
    employer = make_token(session, employer_id=kpi_world.employer_id, scopes=[S.KPI_READ])
    assert_problem(client.get(records_path(trained["id"]), headers=bearer(employer)), 403)
    assert_problem(client.get(records_path(trained["id"])), 401)
