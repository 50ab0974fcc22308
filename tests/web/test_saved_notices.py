"""After a form saves, the page it leads to says what was saved, once: a reload does not say
it again, a refused form says nothing, and the address carries no trace of it (the notice
travels in a short-lived cookie that names the step, never what the user typed).

Uses the world of test_courses.py (two institutions, an employer, an account per role).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from models.i18n import catalogue
from tests.html import find_all, one, parse, text
from tests.web import test_courses as shared
from tests.web.test_courses import course_form, signed_in, vi
from tests.web.test_targets import _edit_form, _target
from tests.web.test_users import account_form
from tests.web.test_vacancies import valid_form as vacancy_form
from web.notices import COOKIE, NOTICES, Saved

world = shared.world  # the fixture


def notice(html: str) -> str | None:
    found = find_all(parse(html), "#saved-notice")
    return text(one(parse(html), "#saved-notice")) if found else None


def post_and_follow(client: TestClient, path: str, form: dict) -> tuple[str, str]:
    """(where the form led, the text of the notice there) after a successful post."""
    response = client.post(path, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    assert "saved" not in location
    landed = client.get(location)
    assert landed.status_code == 200
    return location, notice(landed.text) or ""


def test_a_new_course_is_confirmed_once(client, world):
    signed_in(client, world, "staff_a")
    location, said = post_and_follow(client, "/courses/new", course_form(world))
    assert said == vi("The course was created.")
    assert notice(client.get(location).text) is None  # a reload does not say it again
    assert COOKIE not in client.cookies


def test_editing_a_course_and_its_results_are_confirmed(client, world):
    signed_in(client, world, "staff_a")
    form = course_form(world, code="MAY-01", name="May công nghiệp lớp 1A")
    _path, said = post_and_follow(client, f"/courses/{world.course}/edit", form)
    assert said == vi("The changes to the course were saved.")
    _path, said = post_and_follow(client, f"/courses/{world.course}/results", {"rows": []})
    assert said == vi("The results were saved.")


def test_a_refused_form_says_nothing_was_saved(client, world):
    signed_in(client, world, "staff_a")
    response = client.post("/courses/new", data=course_form(world, capacity="-1"))
    assert response.status_code == 400
    assert notice(response.text) is None
    assert COOKIE not in client.cookies


def test_a_new_user_and_a_changed_target_are_confirmed(client, world):
    signed_in(client, world, "admin")
    _path, said = post_and_follow(
        client, "/users/new", account_form(institution_id=str(world.institution_a))
    )
    assert said == vi("The user was created.")
    target = _target(world)
    form = _edit_form(client, target.id, value_min="8.100", reason="Theo kế hoạch điều chỉnh")
    location, said = post_and_follow(client, f"/targets/{target.id}/edit", form)
    assert (location, said) == ("/targets?year=2025", vi("The target was saved."))


def test_a_new_vacancy_is_confirmed_in_english_too(client, world):
    signed_in(client, world, "employer")
    client.post("/lang/en", data={"next": "/"})
    _path, said = post_and_follow(
        client, "/vacancies/new", vacancy_form(occupation_id=str(world.occupation_id))
    )
    assert said == "The vacancy was created."


def test_an_unknown_step_in_the_cookie_shows_nothing(client, world):
    signed_in(client, world, "official")
    client.cookies.set(COOKIE, "<script>")
    assert notice(client.get("/courses").text) is None


@pytest.mark.parametrize("saved", list(Saved))
def test_every_notice_reads_in_vietnamese(saved):
    translation = catalogue("vi").get(NOTICES[saved], "")
    assert translation.strip() and translation != NOTICES[saved]
