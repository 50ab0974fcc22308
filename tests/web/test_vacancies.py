"""Employers' vacancies in the browser: who may open which page, the form's errors next to its
fields, the wage below the regional minimum refused with the minimum shown, and a freely typed
title turned into a catalogue occupation the employer confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from starlette.routing import NoMatchFound

from models.i18n import translate
from models.tables import AuditEntry, TrainingOccupation, Vacancy
from seed.reference import load_reference_data
from tests import factories
from tests.html import attr, body_rows, field_errors, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in
from web.services import vacancies as vacancy_service
from web.services.vacancy_form import NO_OCCUPATION


@dataclass(frozen=True)
class World:
    garment_id: int
    employer_a: int
    employer_b: int
    vacancy_a: int
    vacancy_b: int

    def sign_in(self, client: TestClient, session: Session, who: str | None) -> None:
        sign_in_as(client, session, who, employer_a=self.employer_a, employer_b=self.employer_b)


def garment_occupation(session: Session, key: str = "MAY_CONG_NGHIEP") -> TrainingOccupation:
    return session.exec(select(TrainingOccupation).where(TrainingOccupation.key == key)).one()


def sign_in_as(
    client: TestClient, session: Session, who: str | None, *, employer_a: int, employer_b: int
) -> None:
    """Sign in as a persona, made on demand (hashing a password is slow on purpose): admin,
    official, emp_a (staff of employer A), emp_b (of employer B), inst (of some institution);
    None stays an anonymous visitor."""
    if who is None:
        return
    role = {"emp_a": "employer", "emp_b": "employer", "inst": "institution"}.get(who, who)
    binding = {"emp_a": {"employer_id": employer_a}, "emp_b": {"employer_id": employer_b}}
    make_account(session, role, who, **binding.get(who, {}))
    sign_in(client, who)


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    garment = garment_occupation(session)
    employer_a = factories.employer(session, name="Công ty May Mường Thanh")
    employer_b = factories.employer(session, name="Công ty Cơ khí Tuần Giáo")
    vacancy_a = factories.vacancy(
        session, employer_id=employer_a.id, occupation_id=garment.id, quantity=5, filled=2
    )
    vacancy_b = factories.vacancy(session, employer_id=employer_b.id, title="Thợ hàn")
    session.commit()
    return World(
        garment.id or 0,
        employer_a.id or 0,
        employer_b.id or 0,
        vacancy_a.id or 0,
        vacancy_b.id or 0,
    )


def done_reading(session: Session) -> None:
    """End the test's read transaction: on SQLite it holds the write lock (BEGIN IMMEDIATE),
    which the app's own session would otherwise wait for."""
    session.commit()


def vacancy_count(session: Session) -> int:
    session.expire_all()
    count = session.exec(select(func.count()).select_from(Vacancy)).one()
    done_reading(session)
    return count


def valid_form(**overrides: str) -> dict[str, str]:
    form = {
        "title": "Công nhân may",
        "occupation_id": "",
        "description": "Làm việc tại xưởng may",
        "skills": "may công nghiệp, vắt sổ\nđóng gói",
        "quantity": "10",
        "required_level_code": "",
        "wage_min": "5.000.000",
        "wage_max": "7000000",
        "age_min": "18",
        "age_max": "35",
        "location_kind": "commune",
        "commune_code": "03127",  # Phường Điện Biên Phủ: region III, 4.140.000 ₫ from 2026
        "start_date": "",
        "deadline": "",
        "form_token": "token-1",
    }
    form.update(overrides)
    return form


# (path template, method, expected status per user); None is an anonymous visitor, whom
# every page sends to the sign-in form (303).
ROLES = ("admin", "official", "emp_a", "emp_b", "inst", None)
MATRIX = {
    ("/vacancies", "get"): (200, 200, 200, 200, 403, 303),
    ("/vacancies/new", "get"): (200, 403, 200, 200, 403, 303),
    # Another employer's vacancy is answered as missing (404).
    ("/vacancies/{a}", "get"): (200, 200, 200, 404, 403, 303),
    ("/vacancies/{a}/edit", "get"): (200, 403, 200, 404, 403, 303),
    ("/vacancies/{a}/edit", "post"): (303, 403, 303, 404, 403, 303),
    ("/vacancies/{a}/close", "post"): (303, 403, 303, 404, 403, 303),
}


@pytest.mark.parametrize("user", ROLES)
def test_each_role_gets_the_expected_answer_on_each_vacancy_page(
    client: TestClient, session: Session, world: World, user: str | None
):
    world.sign_in(client, session, user)
    index = ROLES.index(user)
    for (template, method), expected in MATRIX.items():
        path = template.format(a=world.vacancy_a)
        if method == "get":
            response = client.get(path, follow_redirects=False)
        else:
            data = valid_form(occupation_id=str(world.garment_id)) if "edit" in path else {}
            response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == expected[index], (user, method, path)
        if expected[index] == 303 and user is None:
            assert response.headers["location"].startswith("/login")
    session.expire_all()
    status = session.get(Vacancy, world.vacancy_a).status  # type: ignore[union-attr]
    assert status == ("closed" if user in ("admin", "emp_a") else "open")


def test_an_employer_lists_only_its_own_vacancies_with_places_filled(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    rows = body_rows(parse(client.get("/vacancies").text), "table")
    assert [row.attributes.get("data-vacancy") for row in rows] == [str(world.vacancy_a)]
    cell = one(rows[0], "td[data-filled]")
    shown = (cell.attributes.get("data-filled"), cell.attributes.get("data-quantity"), text(cell))
    assert shown == ("2", "5", "2 / 5")


def test_an_official_lists_every_employers_vacancies_and_can_filter(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "official")
    rows = find_all(parse(client.get("/vacancies").text), "tr[data-vacancy]")
    assert {row.attributes.get("data-vacancy") for row in rows} == {
        str(world.vacancy_a),
        str(world.vacancy_b),
    }
    found = parse(client.get("/vacancies", params={"q": "tho han"}).text)
    assert [r.attributes.get("data-vacancy") for r in find_all(found, "tr[data-vacancy]")] == [
        str(world.vacancy_b)
    ]
    page = parse(client.get("/vacancies").text)
    assert find_all(page, 'a[href="/vacancies/new"]') == []  # officials do not post


def test_a_wage_below_the_regional_minimum_is_refused_with_the_minimum_and_nothing_saved(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    before = vacancy_count(session)
    response = client.post(
        "/vacancies/new",
        data=valid_form(wage_min="3.000.000", wage_max="", occupation_id=str(world.garment_id)),
    )
    assert response.status_code == 400
    errors = field_errors(parse(response.text))
    assert "4.140.000 ₫" in errors["wage_min"]
    assert "3.000.000 ₫" in errors["wage_min"]
    assert vacancy_count(session) == before


def test_every_bad_field_is_reported_next_to_it_at_once(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    before = vacancy_count(session)
    form = valid_form(
        title="  ",
        quantity="mười",
        wage_min="7000000",
        wage_max="5000000",
        age_min="12",
        location_kind="other_province",
        province_code="",
        deadline="31/02/2027",
    )
    response = client.post("/vacancies/new", data=form)
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert set(errors) == {"title", "quantity", "wage_max", "age_min", "province_code", "deadline"}
    assert errors["title"] == translate("This field is required.", "vi")
    assert attr(page, "input#quantity", "aria-invalid") == "true"
    assert attr(page, "input#quantity", "value") == "mười"  # what was typed stays
    assert vacancy_count(session) == before


@pytest.mark.parametrize("title", ["cong nhan may", "thợ may"])
def test_a_freely_typed_title_gets_the_garment_occupation_suggested_before_saving(
    client: TestClient, session: Session, world: World, title: str
):
    world.sign_in(client, session, "emp_a")
    before = vacancy_count(session)
    response = client.post("/vacancies/new", data=valid_form(title=title))
    assert response.status_code == 200
    page = parse(response.text)
    radios = find_all(one(page, 'fieldset[data-step="confirm"]'), 'input[type="radio"]')
    suggested = [r.attributes for r in radios if r.attributes.get("value") != NO_OCCUPATION]
    assert suggested, "no occupation suggested"
    first = session.get(TrainingOccupation, int(suggested[0].get("value") or 0))
    assert first is not None and first.group == "may"  # the garment trades
    assert float(suggested[0].get("data-confidence") or 0) >= 0.75
    assert "checked" in suggested[0]
    if title == "cong nhan may":
        assert first.key == "MAY_CONG_NGHIEP"
    assert vacancy_count(session) == before  # nothing saved before the employer confirms


@pytest.mark.parametrize(
    "title",
    [
        "May công nghiệp",
        "Công nhân may công nghiệp",
        "Thực tập sinh may mặc Nhật Bản (tiếng Nhật N5)",
    ],
)
def test_a_sewing_title_suggests_no_electrical_trade(
    client: TestClient, session: Session, world: World, title: str
):
    # "công nghiệp" qualifies the trade; it does not make a sewing job "Điện công nghiệp";
    # nor does the language a programme abroad asks for make it a language course.
    world.sign_in(client, session, "emp_a")
    response = client.post("/vacancies/new", data=valid_form(title=title))
    page = parse(response.text)
    radios = find_all(one(page, 'fieldset[data-step="confirm"]'), 'input[type="radio"]')
    suggested = [r.attributes for r in radios if r.attributes.get("value") != NO_OCCUPATION]
    groups = [
        session.get(TrainingOccupation, int(r.get("value") or 0)).group  # type: ignore[union-attr]
        for r in suggested
    ]
    assert groups and set(groups) == {"may"}


def test_confirming_a_suggestion_saves_the_vacancy_once_even_when_sent_twice(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    before = vacancy_count(session)
    form = valid_form(title="cong nhan may", occupation_id=str(world.garment_id))
    first = client.post("/vacancies/new", data=form, follow_redirects=False)
    second = client.post("/vacancies/new", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert vacancy_count(session) == before + 1
    vacancy_id = int(first.headers["location"].rsplit("/", 1)[1])
    saved = session.get(Vacancy, vacancy_id)
    assert saved is not None
    assert (saved.employer_id, saved.occupation_id) == (world.employer_a, world.garment_id)
    assert (saved.title_key, saved.wage_min, saved.quantity) == ("cong nhan may", 5_000_000, 10)
    assert saved.skills == ["may công nghiệp", "vắt sổ", "đóng gói"]
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "vacancy", AuditEntry.action == "create")
    ).all()
    assert [e.entity_id for e in entries] == [str(vacancy_id)]


def test_choosing_none_of_the_suggestions_saves_without_an_occupation(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    form = valid_form(title="Bảo vệ ca đêm", occupation_id=NO_OCCUPATION)
    response = client.post("/vacancies/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    vacancy_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert session.get(Vacancy, vacancy_id).occupation_id is None  # type: ignore[union-attr]


def test_the_other_occupation_list_wins_over_the_suggestion_radios(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    fashion = garment_occupation(session, "MAY_THOI_TRANG")
    done_reading(session)
    form = valid_form(occupation_id=str(world.garment_id), occupation_other=str(fashion.id))
    response = client.post("/vacancies/new", data=form, follow_redirects=False)
    vacancy_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert session.get(Vacancy, vacancy_id).occupation_id == fashion.id  # type: ignore[union-attr]


def test_the_fitted_normaliser_is_reused_between_requests(session: Session, world: World):
    vacancy_service._fitted_normaliser.cache_clear()
    on = date(2026, 6, 1)
    vacancy_service.suggest_occupations(session, "thợ may", on=on)
    vacancy_service.suggest_occupations(session, "thợ hàn", on=on)
    info = vacancy_service._fitted_normaliser.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_the_detail_page_shows_places_filled_and_links_candidates_only_if_that_page_exists(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    page = parse(client.get(f"/vacancies/{world.vacancy_a}").text)
    assert text(one(page, 'dd[data-fact="filled"]')) == "2 / 5"
    assert text(one(page, 'dd[data-fact="place"]')) == "Phường Điện Biên Phủ"
    assert text(one(page, 'dd[data-fact="wage"]')) == "5.000.000 ₫ – 7.000.000 ₫"
    try:
        client.app.url_path_for("vacancy_candidates", vacancy_id=world.vacancy_a)  # type: ignore[attr-defined]
        candidates_page = True
    except NoMatchFound:
        candidates_page = False
    link = find_all(page, f'a[href="/vacancies/{world.vacancy_a}/candidates"]')
    assert bool(link) == candidates_page
    assert find_all(page, f'a[href="/vacancies/{world.vacancy_a}/edit"]') != []


def test_editing_keeps_the_quantity_above_the_places_filled(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    path = f"/vacancies/{world.vacancy_a}/edit"
    form = one(parse(client.get(path).text), "form.vacancy-form")
    assert attr(form, "input#title", "value") == "Công nhân may"
    refused = client.post(path, data=valid_form(quantity="1", occupation_id=str(world.garment_id)))
    assert refused.status_code == 400
    assert "2" in field_errors(parse(refused.text))["quantity"]
    saved = client.post(
        path,
        data=valid_form(
            title="Công nhân may mẫu", quantity="2", occupation_id=str(world.garment_id)
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    session.expire_all()
    vacancy = session.get(Vacancy, world.vacancy_a)
    assert vacancy is not None
    assert (vacancy.title, vacancy.quantity, vacancy.status) == ("Công nhân may mẫu", 2, "filled")


def test_a_closed_vacancy_cannot_be_edited_and_closing_twice_changes_nothing(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    assert (
        client.post(f"/vacancies/{world.vacancy_a}/close", follow_redirects=False).status_code
        == 303
    )
    assert (
        client.post(f"/vacancies/{world.vacancy_a}/close", follow_redirects=False).status_code
        == 303
    )
    assert client.get(f"/vacancies/{world.vacancy_a}/edit").status_code == 409
    closes = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "vacancy", AuditEntry.action == "close")
    ).all()
    assert len(closes) == 1
    done_reading(session)
    page = parse(client.get(f"/vacancies/{world.vacancy_a}").text)
    assert find_all(page, f'form[action="/vacancies/{world.vacancy_a}/close"]') == []


def test_an_administrator_posts_for_a_chosen_employer(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "admin")
    page = parse(client.get("/vacancies/new").text)
    assert one(page, "select#employer_id")
    missing = client.post("/vacancies/new", data=valid_form(occupation_id=str(world.garment_id)))
    assert missing.status_code == 400
    assert "employer_id" in field_errors(parse(missing.text))
    form = valid_form(occupation_id=str(world.garment_id), employer_id=str(world.employer_b))
    saved = client.post("/vacancies/new", data=form, follow_redirects=False)
    vacancy_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert session.get(Vacancy, vacancy_id).employer_id == world.employer_b  # type: ignore[union-attr]


def test_a_job_abroad_names_its_country_and_another_province_its_province(
    client: TestClient, session: Session, world: World
):
    world.sign_in(client, session, "emp_a")
    abroad = valid_form(
        occupation_id=str(world.garment_id),
        location_kind="abroad",
        country_code="JP",
        commune_code="",
        form_token="abroad",
    )
    response = client.post("/vacancies/new", data=abroad, follow_redirects=False)
    vacancy = session.get(Vacancy, int(response.headers["location"].rsplit("/", 1)[1]))
    assert vacancy is not None
    assert (vacancy.location_kind, vacancy.country_code, vacancy.commune_code) == (
        "abroad",
        "JP",
        None,
    )
    done_reading(session)
    page = parse(client.get(response.headers["location"]).text)
    assert text(one(page, 'dd[data-fact="place"]')) == "Nhật Bản"
    unknown = valid_form(
        occupation_id=str(world.garment_id), location_kind="other_province", province_code="11"
    )
    refused = client.post("/vacancies/new", data=unknown)
    assert refused.status_code == 400  # Điện Biên itself is not "another province"
    assert "province_code" in field_errors(parse(refused.text))
