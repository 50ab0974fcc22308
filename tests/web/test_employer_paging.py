"""Employers listed a page at a time: the administrator's list shows 50 by name with a
count and links to the next and previous pages, finds employers by words of the name
(with or without tone marks) or by tax code, disabled ones included; the account form's
employer drop-down lists at most 50, narrowed by a search beside it, and always holds the
employer already chosen. Any existing employer may still be posted."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlmodel import col, select

from matching.text import search_key
from models.queries import counting
from models.tables import Employer, UserAccount
from tests import factories
from tests.html import attr, body_rows, find_all, one, options, parse, selected, text
from tests.web import test_courses as shared
from tests.web.test_courses import World, fresh, signed_in, vi
from tests.web.test_users import account_form

world = shared.world  # two institutions, an employer, an account per role

BUILDERS = 60  # "Công ty Xây dựng 000" ... "059": more than a page


def _employers(world: World) -> dict[str, int]:
    """60 builders, a disabled cooperative and an active hotel: name -> id."""
    session = world.session
    made = [
        factories.employer(session, name=f"Công ty Xây dựng {n:03d}", tax_code=f"01{n:08d}")
        for n in range(BUILDERS)
    ]
    made.append(
        factories.employer(
            session, name="Hợp tác xã Mường Ảng", tax_code="5600123456", is_active=False
        )
    )
    made.append(factories.employer(session, name="Khách sạn Mường Thanh", tax_code="5600999001"))
    ids = {row.name: row.id or 0 for row in made}
    session.commit()
    return ids


def _rows(client, **params: str) -> tuple[list[tuple[int, str, str, str]], object]:
    page = parse(client.get("/admin/employers?" + urlencode(params)).text)
    rows = (
        [
            (
                int(row.attributes["data-employer-id"] or 0),
                *(text(cell) for cell in find_all(row, "td")),
            )
            for row in body_rows(page, "table#employers")
        ]
        if find_all(page, "table#employers")
        else []
    )
    return rows, page  # type: ignore[return-value]


def _all_names(world: World) -> list[tuple[str, int]]:
    rows = fresh(world.session).exec(select(Employer.name, Employer.id)).all()
    world.session.rollback()
    return sorted((search_key(name), employer_id or 0) for name, employer_id in rows)


def test_the_list_shows_fifty_by_name_and_the_next_page_the_rest(client, world):
    _employers(world)
    expected = [employer_id for _, employer_id in _all_names(world)]
    signed_in(client, world, "admin")
    first, page_one = _rows(client)
    second, page_two = _rows(client, page="2")
    assert len(first) == 50
    assert [row[0] for row in first + second] == expected  # by name, none twice, none left
    assert attr(page_one, "p.result-count", "data-total") == str(len(expected))
    assert text(one(page_one, "p.result-count")) == vi("{count} employers", count=len(expected))
    assert attr(page_one, "a[rel=next]", "href") == "/admin/employers?page=2"
    assert find_all(page_one, "a[rel=prev]") == []
    assert attr(page_two, "a[rel=prev]", "href") == "/admin/employers?page=1"
    assert find_all(page_two, "a[rel=next]") == []
    assert _rows(client, page="99")[0] == second  # past the last page: the last


def test_employers_are_found_by_name_words_and_by_tax_code(client, world):
    ids = _employers(world)
    signed_in(client, world, "admin")

    def found(q: str) -> list[str]:
        return [row[1] for row in _rows(client, q=q)[0]]

    builders, page = _rows(client, q="xay DUNG")
    assert len(builders) == 50 and all("Xây dựng" in row[1] for row in builders)
    assert attr(page, "p.result-count", "data-total") == str(BUILDERS)
    assert attr(page, "a[rel=next]", "href") == "/admin/employers?" + urlencode(
        {"q": "xay DUNG", "page": 2}
    )
    assert len(_rows(client, q="xay DUNG", page="2")[0]) == BUILDERS - 50
    assert found("Mường") == ["Hợp tác xã Mường Ảng", "Khách sạn Mường Thanh"]
    assert found("muong ang") == ["Hợp tác xã Mường Ảng"]
    assert found("dung 007") == ["Công ty Xây dựng 007"]
    assert found("xay dun") == []  # whole syllables only
    assert found("5600") == ["Hợp tác xã Mường Ảng", "Khách sạn Mường Thanh"]  # prefix
    assert found("5600999001") == ["Khách sạn Mường Thanh"]  # exact
    assert found("56%") == [] and found("5_") == []  # wildcards are letters
    cooperative, page = _rows(client, q="Hợp tác xã")
    assert cooperative == [(ids["Hợp tác xã Mường Ảng"], "Hợp tác xã Mường Ảng", "5600123456",
                            vi("Disabled"))]  # fmt: skip
    assert attr(page, "input#q", "value") == "Hợp tác xã"
    nothing = parse(client.get("/admin/employers?q=zzz").text)
    assert text(one(nothing, "p.empty")) == vi("No employer matches these words.")


def test_a_count_that_stops_says_more_than(client, world, monkeypatch):
    _employers(world)
    monkeypatch.setattr(counting, "COUNT_LIMIT", 55)
    monkeypatch.setattr("web.routes.organisations.COUNT_LIMIT", 55)
    signed_in(client, world, "admin")
    first, page = _rows(client)
    assert attr(page, "p.result-count", "data-more") == "1"
    assert text(one(page, "p.result-count")) == vi("More than {count} employers", count=55)
    assert text(one(page, ".pager-position")) == vi("Page {page}", page=1)
    second, page = _rows(client, page="2")
    assert len(first) == 50 and len(second) == 2 + BUILDERS + 1 - 50
    assert find_all(page, "a[rel=next]") == []


# --- the account form -----------------------------------------------------------------------


def _employer_options(page: object) -> list[tuple[str, str]]:
    return [pair for pair in options(page, "select#employer_id") if pair[0]]  # type: ignore[arg-type]


def test_the_account_form_lists_at_most_fifty_employers_narrowed_by_a_search(client, world):
    _employers(world)
    signed_in(client, world, "admin")
    page = parse(client.get("/users/new").text)
    assert len(_employer_options(page)) == 50
    assert find_all(page, "#employer-more")
    page = parse(client.get("/users/new?employer_q=muong").text)
    # active employers only: the disabled cooperative is not offered
    assert [name for _, name in _employer_options(page)] == ["Khách sạn Mường Thanh"]
    assert selected(page, "select#employer_id") == [
        _employer_options(page)[0][0]
    ]  # the one found is chosen
    assert attr(page, "input[name=employer_q][type=hidden]", "value") == "muong"
    assert find_all(page, "#employer-more") == []


def test_the_chosen_employer_stays_among_the_options(client, world):
    ids = _employers(world)
    last = ids[f"Công ty Xây dựng {BUILDERS - 1:03d}"]  # beyond the first 50 by name
    signed_in(client, world, "admin")
    form = account_form(
        username="tuyen.dung.moi", role="employer", employer_id=str(last), password_repeat="x"
    )
    response = client.post("/users/new", data=form | {"employer_q": ""})
    assert response.status_code == 400
    page = parse(response.text)
    values = [value for value, _ in _employer_options(page)]
    assert str(last) in values and len(values) == 51
    assert selected(page, "select#employer_id") == [str(last)]


def test_an_account_is_created_for_an_employer_found_by_search(client, world):
    ids = _employers(world)
    hotel = ids["Khách sạn Mường Thanh"]
    signed_in(client, world, "admin")
    page = parse(client.get("/users/new?employer_q=5600999").text)
    assert _employer_options(page) == [(str(hotel), "Khách sạn Mường Thanh")]
    form = account_form(username="tuyen.dung.moi", role="employer", employer_id=str(hotel))
    response = client.post(
        "/users/new", data=form | {"employer_q": "5600999"}, follow_redirects=False
    )
    assert response.status_code == 303
    user = (
        fresh(world.session)
        .exec(select(UserAccount).where(col(UserAccount.username) == "tuyen.dung.moi"))
        .one()
    )
    assert user.employer_id == hotel
    world.session.rollback()


@pytest.mark.parametrize("q", ["", "a" * 500, "%", "\\"])
def test_odd_searches_are_answered(client, world, q):
    signed_in(client, world, "admin")
    assert client.get("/admin/employers?" + urlencode({"q": q, "page": "x"})).status_code == 200
    assert client.get("/users/new?" + urlencode({"employer_q": q})).status_code == 200
