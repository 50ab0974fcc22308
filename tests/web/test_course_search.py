"""Finding a course: the course list's search box (code, words of the name or the
occupation, with or without tone marks, whole syllables) beside its filters and paging; and
the course drop-downs of the import page, grouped by institution and year, sorted by code,
narrowed by a search that needs no JavaScript.

Uses the world of test_courses.py: institution A has MAY-01 "May công nghiệp lớp 1";
`_more_courses` below gives institution B four welding courses HAN-0..HAN-3 of 2025.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, update
from sqlmodel import col, select

from models import clock
from models.queries.course_search import COURSE_WORD_SECONDS
from models.tables import Course
from tests import factories
from tests.html import attr, body_rows, find_all, first, one, options, parse, selected, text
from tests.web import test_courses as shared
from tests.web.test_courses import signed_in, vi

world = shared.world  # the fixture

HAN = {"HAN-0", "HAN-1", "HAN-2", "HAN-3"}


def _more_courses(world) -> None:
    welding = factories.occupation(world.session, name="Hàn điện")
    for n in range(4):
        factories.course(
            world.session,
            institution_id=world.institution_b,
            occupation_id=welding.id,
            code=f"HAN-{n}",
            name=f"Hàn điện lớp {n}",
            start_date=date(2025, 9, 1),
            end_date=date(2026, 6, 30),
            status="running",
        )
    world.session.commit()


def listed(client, query: str) -> set[str]:
    response = client.get(f"/courses?{query}")
    assert response.status_code == 200
    page = parse(response.text)
    if not find_all(page, "table#courses"):
        assert text(one(page, ".empty")) == vi("No course matches these filters.")
        return set()
    return {text(first(row, "a")) for row in body_rows(page, "table#courses")}


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("may", {"MAY-01"}),
        ("MAY CÔNG NGHIỆP", {"MAY-01"}),
        ("cong nghiep lop 1", {"MAY-01"}),
        ("công nghiệp lớp 1", {"MAY-01"}),
        ("HAN-2", {"HAN-2"}),
        ("han-", HAN),  # the start of a code
        ("nghie", set()),  # part of a syllable finds nothing
        ("han dien", HAN),
        ("hàn điện lớp 3", {"HAN-3"}),
        ("may han", set()),  # every word must be found in the same course
    ],
)
def test_the_search_box_finds_courses_by_code_name_or_occupation(client, world, typed, codes):
    _more_courses(world)
    signed_in(client, world, "admin")
    assert listed(client, f"q={typed}") == codes


def test_the_search_finds_a_course_by_its_occupation(client, world):
    _more_courses(world)
    signed_in(client, world, "official")
    page = parse(client.get("/courses?q=may").text)
    assert attr(page, "#course-search", "value") == "may"
    occupation = text(one(body_rows(page, "table#courses")[0], "td:nth-child(3)"))
    assert listed(client, f"q={occupation}") >= {"MAY-01"}


def test_the_search_combines_with_the_filters_and_the_institution(client, world):
    _more_courses(world)
    signed_in(client, world, "official")
    assert listed(client, "q=han&status=running") == HAN
    assert listed(client, "q=han&status=planned") == set()
    assert listed(client, f"q=han&institution={world.institution_a}") == set()
    assert listed(client, f"institution={world.institution_b}") == HAN


def test_staff_search_only_their_own_institution(client, world):
    _more_courses(world)
    signed_in(client, world, "staff_b")
    assert listed(client, "q=may") == set()
    page = parse(client.get("/courses").text)
    assert find_all(page, 'select[name="institution"]') == []  # one institution: no filter
    assert listed(client, f"q=han&institution={world.institution_a}") == HAN  # ignored


def test_search_results_are_paged_with_the_search_kept(client, world):
    for n in range(30):
        factories.course(
            world.session,
            institution_id=world.institution_a,
            code=f"D{n:02}",
            name="Điện dân dụng",
            start_date=date(2026, 1, 1) + timedelta(days=(n * 7) % 30),  # not in code order
        )
    world.session.commit()
    signed_in(client, world, "staff_a")
    page_one = parse(client.get("/courses?q=dien+dan+dung").text)
    assert len(body_rows(page_one, "table#courses")) == 25
    assert attr(page_one, ".result-count", "data-total") == "30"
    next_link = attr(page_one, 'a[rel="next"]', "href")
    assert "q=dien+dan+dung" in next_link
    page_two = parse(client.get(next_link).text)
    assert len(body_rows(page_two, "table#courses")) == 5
    # Across the pages, every match once, newest start first, as the unsearched list orders.
    shown = [
        text(first(row, "a"))
        for page in (page_one, page_two)
        for row in body_rows(page, "table#courses")
    ]
    newest_first = sorted(range(30), key=lambda n: ((n * 7) % 30, n), reverse=True)
    assert shown == [f"D{n:02}" for n in newest_first]


# --- the import page's course drop-downs -------------------------------------------------


def _courses_over_years(world) -> None:
    for code, year in (("B-2", 2025), ("A-9", 2026), ("C-1", 2024), ("A-1", 2025)):
        factories.course(
            world.session,
            institution_id=world.institution_a,
            code=code,
            name=f"Khóa {code}",
            start_date=date(year, 3, 1),
            end_date=date(year, 6, 30),
        )
    world.session.commit()


def test_the_course_drop_down_is_grouped_by_year_and_sorted_by_code(client, world):
    _courses_over_years(world)
    signed_in(client, world, "staff_a")
    page = parse(client.get("/imports").text)
    groups = find_all(one(page, "select#course_id"), "optgroup")
    labels = [group.attributes["label"] for group in groups]
    assert labels == [vi("Starting in {year}", year=y) for y in (2026, 2025, 2024)]
    codes = [[text(o).split(" – ")[0] for o in find_all(g, "option")] for g in groups]
    assert codes == [["A-9", "MAY-01"], ["A-1", "B-2"], ["C-1"]]


def test_a_search_narrows_the_drop_downs_and_one_match_is_chosen(client, world):
    _courses_over_years(world)
    signed_in(client, world, "staff_a")
    page = parse(client.get("/imports?course_q=khoa+a").text)
    assert [label for _v, label in options(page, "select#course_id")][1:] == [
        "A-9 – Khóa A-9",
        "A-1 – Khóa A-1",
    ]
    assert attr(page, "#course-search .result-count", "data-total") == "2"
    single = parse(client.get("/imports?course_q=MAY-01").text)
    chosen = selected(single, "select#course_id")
    assert len(chosen) == 1 and chosen == selected(single, "select#export_course_id")
    assert attr(single, 'form#upload-form input[name="course_q"]', "value") == "MAY-01"
    none = parse(client.get("/imports?course_q=zzz").text)
    assert text(one(none, "#exports .empty")) == vi("No course matches these words.")


def test_an_official_sees_each_institution_in_the_group_labels(client, world):
    _more_courses(world)
    signed_in(client, world, "official")
    page = parse(client.get("/imports").text)
    labels = [g.attributes["label"] for g in find_all(page, "select#export_course_id optgroup")]
    assert labels == [
        "Trung tâm GDNN-GDTX Tuần Giáo – " + vi("Starting in {year}", year=2025),
        "Trường Cao đẳng Điện Biên – " + vi("Starting in {year}", year=2026),
    ]


def test_the_kept_words_follow_this_process_at_once_and_others_within_their_time(
    client, world, monkeypatch
):
    moment = [1000.0]
    monkeypatch.setattr(clock, "steady_seconds", lambda: moment[0])
    _more_courses(world)
    signed_in(client, world, "admin")
    assert listed(client, "q=han dien lop 1") == {"HAN-1"}
    # Renamed through the ORM (this process): found by the new name at once.
    renamed = world.session.exec(select(Course).where(col(Course.code) == "HAN-1")).one()
    renamed.name = "Hàn khí lớp 1"
    world.session.commit()
    assert listed(client, "q=han khi") == {"HAN-1"}
    # Added by another process: read on its own, found at once.
    with world.session.get_bind().begin() as conn:
        conn.execute(
            insert(Course).values(
                {**renamed.model_dump(exclude={"id"}), "code": "HAN-9", "name": "Hàn ống lớp 9"}
            )
        )
        # Renamed by another process: the kept words hold the old name for a moment.
        conn.execute(update(Course).where(col(Course.code) == "HAN-2").values(name="Hàn ống lớp 2"))
    assert listed(client, "q=han ong") == {"HAN-9"}
    moment[0] += COURSE_WORD_SECONDS + 0.1
    assert listed(client, "q=han ong") == {"HAN-9", "HAN-2"}
