"""The trainee list pages by keyset: the next and previous links start after the last (or
before the first) person shown, by id only, and walk the same rows in the same order as page
numbers do; a list longer than the count limit says "more than" instead of counting on."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from models.queries import counting
from models.queries.people import PageAt, list_trainees
from tests import factories
from tests.html import body_rows, find_all, one, parse, text
from tests.web import test_courses as shared
from tests.web.test_courses import World, signed_in

world = shared.world  # the fixture: two institutions, a course at A, an account per role

GIVEN = ["An", "Bình", "Chi", "Dũng", "Đào", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]


def _enrol_many(world: World, count: int) -> None:
    for n in range(count):
        person = factories.person(world.session, full_name=f"Lò Văn {GIVEN[n % 11]}{n // 11}")
        factories.enrolment(world.session, person_id=person.id, course_id=world.course)
    world.session.commit()


def _ids(html: str) -> list[str]:
    return [
        row.attributes["data-person-id"] or "" for row in body_rows(parse(html), "table#trainees")
    ]


def _link(html: str, rel: str) -> str | None:
    found = find_all(parse(html), f'nav.pager a[rel="{rel}"]')
    return found[0].attributes["href"] if found else None


def test_next_and_previous_links_walk_the_list_by_the_person_shown(client, world) -> None:
    _enrol_many(world, 120)
    signed_in(client, world, "official")
    by_number = [_ids(client.get(f"/trainees?page={n}").text) for n in (1, 2, 3)]
    assert [len(ids) for ids in by_number] == [50, 50, 20]

    first = client.get("/trainees").text
    assert _link(first, "prev") is None
    second_link = _link(first, "next")
    assert second_link is not None and re.fullmatch(r"/trainees\?page=2&after=\d+", second_link)
    assert second_link.endswith(f"after={by_number[0][-1]}")  # an id, never a name
    second = client.get(second_link).text
    assert _ids(second) == by_number[1]
    third = client.get(_link(second, "next") or "").text
    assert _ids(third) == by_number[2] and _link(third, "next") is None
    assert text(one(parse(third), ".pager-position")) == "Trang 3/3"

    back = client.get(_link(third, "prev") or "").text
    assert _ids(back) == by_number[1]
    start = client.get(_link(back, "prev") or "").text
    assert _ids(start) == by_number[0] and _link(start, "prev") is None
    assert text(one(parse(start), ".pager-position")) == "Trang 1/3"


def test_a_search_pages_by_keyset_in_the_posted_form(client, world) -> None:
    _enrol_many(world, 60)
    signed_in(client, world, "official")
    first = parse(client.post("/trainees", data={"q": "lo"}).text)
    step = next(
        f for f in find_all(first, "nav.pager form") if find_all(f, 'button[data-rel="next"]')
    )
    hidden = {i.attributes["name"]: i.attributes["value"] for i in find_all(step, "input")}
    shown = [row.attributes["data-person-id"] for row in body_rows(first, "table#trainees")]
    assert (hidden["q"], hidden["page"], hidden["after"]) == ("lo", "2", shown[-1])
    second = client.post("/trainees", data=hidden).text
    assert len(_ids(second)) == 10 and not set(_ids(second)) & set(shown)


def test_a_cursor_naming_no_one_shows_the_first_page(client, world) -> None:
    _enrol_many(world, 3)
    signed_in(client, world, "official")
    first = _ids(client.get("/trainees").text)
    for junk in ("after=999999", "before=999999", "after=abc", "before=-1", "after=1e9"):
        response = client.get(f"/trainees?{junk}")
        assert response.status_code == 200 and _ids(response.text) == first


def test_beyond_the_count_limit_the_list_says_more_than(
    client, world, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enrol_many(world, 12)
    monkeypatch.setattr(counting, "COUNT_LIMIT", 10)
    signed_in(client, world, "official")
    page = parse(client.get("/trainees").text)
    count = one(page, ".result-count")
    assert text(count) == "Hơn 10 người" and count.attributes.get("data-more") == "1"
    client.cookies.set("lang", "en")
    assert text(one(parse(client.get("/trainees").text), ".result-count")) == "More than 10 people"


def test_keyset_pages_hold_the_rows_the_numbered_pages_hold(session: Session) -> None:
    course = factories.course(session)
    for n in range(23):
        person = factories.person(session, full_name=f"Quàng Thị {GIVEN[n % 11]} {n}")
        factories.enrolment(session, person_id=person.id, course_id=course.id)
    session.commit()
    numbered = [list_trainees(session, page=n, per_page=5) for n in range(1, 6)]
    walked = [numbered[0]]
    while walked[-1].next_after is not None:
        at = PageAt(walked[-1].page + 1, after=walked[-1].next_after)
        walked.append(list_trainees(session, per_page=5, at=at))
    assert [[r.person.id for r in p.rows] for p in walked] == [
        [r.person.id for r in p.rows] for p in numbered
    ]
    assert [p.page for p in walked] == [1, 2, 3, 4, 5]
    back = list_trainees(session, per_page=5, at=PageAt(2, before=walked[2].rows[0].person.id))
    assert [r.person.id for r in back.rows] == [r.person.id for r in numbered[1].rows]
    assert back.previous_before == numbered[1].rows[0].person.id


def test_a_cursor_naming_another_institutions_trainee_shows_the_first_page(client, world) -> None:
    """The cursor is looked up within the caller's own list: a person of another institution
    must not tell centre staff where their name sorts among the staff's own trainees."""
    _enrol_many(world, 60)
    elsewhere = factories.course(world.session, institution_id=world.institution_b)
    other = factories.person(world.session, full_name="Lò Văn Giang9")  # sorts mid-list
    factories.enrolment(world.session, person_id=other.id, course_id=elsewhere.id)
    world.session.commit()
    signed_in(client, world, "staff_a")
    second = _ids(client.get("/trainees?page=2").text)  # as if no cursor were given
    assert second and str(other.id) not in second
    for cursor in (f"after={other.id}", f"before={other.id}"):
        response = client.get(f"/trainees?page=2&{cursor}")
        assert response.status_code == 200 and _ids(response.text) == second
