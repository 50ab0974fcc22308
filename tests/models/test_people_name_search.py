"""A search by name reads the syllables of people's names (`person_name_word`), which the
database keeps as people are added, renamed and removed however they are written (the ORM, a
Core bulk insert, plain SQL), including in a database built by the migrations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, text, update
from sqlmodel import Session, col, select

from matching.text import name_sort_key, search_key
from models.db import make_engine
from models.migrate import upgrade
from models.people import name_fields
from models.queries.people import PageAt, list_trainees, search_people
from models.tables import Enrolment, Person
from tests import factories
from tests.models.test_migrations import empty_database_url  # noqa: F401  (the fixture)

NAMES = [
    "Lò Văn An",
    "Lò Thị Lan",
    "Cà Văn Anh",
    "Quàng Văn Toàn",
    "Lò Văn Ấn",
    "Điêu Chính Bình",
    "Lường Văn Ánh",
    "Giàng A Páo",
    "Lò Văn An Bình",
    "Tòng Thị Ánh",
    "Lò Văn Xuân",
    "Vàng Văn Lò",
]


def _found(session: Session, typed: str) -> list[str]:
    return [p.full_name for p in search_people(session, typed, limit=100)]


def _expected(typed: str, names: list[str]) -> list[str]:
    """What the search should give: every typed syllable whole in the name, in list order."""
    words = set(search_key(typed).split())
    held = [name for name in names if words <= set(search_key(name).split())]
    return sorted(held, key=name_sort_key)


def test_syllables_are_matched_whole_in_any_order_without_tones(session: Session) -> None:
    for name in NAMES:
        factories.person(session, full_name=name)
    session.commit()

    for typed in ("lo van", "van lo", "LÒ VĂN", "an", "an binh", "xuan lo", "lo", "thi", "a"):
        assert _found(session, typed) == _expected(typed, NAMES), typed
    assert _found(session, "lo oan") == []
    assert _found(session, "xuan thi") == []


def test_a_rare_syllable_typed_with_a_common_one_is_found_and_counted(session: Session) -> None:
    course = factories.course(session)
    for n in range(30):
        person = factories.person(
            session, full_name=f"Lò Văn {['Anh', 'Bình', 'Cường', 'Dũng'][n % 4]}"
        )
        factories.enrolment(session, person_id=person.id, course_id=course.id)
    rare = factories.person(session, full_name="Lò Văn Xuân")
    factories.enrolment(session, person_id=rare.id, course_id=course.id)
    session.commit()

    assert [row.person.id for row in list_trainees(session, text="xuan lo van").rows] == [rare.id]
    common = list_trainees(session, text="van lo", per_page=10)
    assert (common.total, common.pages) == (31, 4)
    walked = [row.person.full_name for row in common.rows]
    while common.next_after is not None:
        at = PageAt(common.page + 1, after=common.next_after)
        common = list_trainees(session, text="van lo", per_page=10, at=at)
        walked += [row.person.full_name for row in common.rows]
    assert walked == sorted(walked, key=name_sort_key)
    assert len(walked) == 31 and walked[-1] == "Lò Văn Xuân"


def test_a_renamed_person_is_found_by_the_new_name_only(session: Session) -> None:
    person = factories.person(session, full_name="Lò Văn Minh")
    session.commit()

    for field, value in name_fields("Quàng Thị Xuân").items():
        setattr(person, field, value)
    session.commit()

    assert _found(session, "quang xuan") == ["Quàng Thị Xuân"]
    assert _found(session, "minh") == [] and _found(session, "lo van") == []


def test_people_inserted_in_bulk_are_found_and_removed_ones_are_not(session: Session) -> None:
    factories.ethnicity(session, "03")
    rows = [
        {
            **name_fields(name),
            "birth_date": date(2000, 1, 1),
            "sex": "nu",
            "ethnicity_code": "03",
            "commune_code": "03253",
        }
        for name in ("Lò Thị Xuân", "Cà Thị Xuân", "Tòng Văn Páo")
    ]
    session.execute(insert(Person), rows)
    session.commit()
    assert _found(session, "xuan") == ["Cà Thị Xuân", "Lò Thị Xuân"]

    session.execute(delete(Person).where(col(Person.full_name) == "Cà Thị Xuân"))
    gone = session.exec(select(Person).where(col(Person.full_name) == "Tòng Văn Páo")).one()
    session.delete(gone)
    session.commit()

    assert _found(session, "xuan") == ["Lò Thị Xuân"]
    assert _found(session, "pao") == [] and _found(session, "ca") == []


def test_a_name_changed_by_plain_sql_is_found_by_its_new_syllables(session: Session) -> None:
    person = factories.person(session, full_name="Lò Văn Minh")
    session.commit()

    session.execute(
        update(Person).where(col(Person.id) == person.id).values(name_key="lo van minh chau")
    )
    session.commit()

    assert _found(session, "chau minh") == ["Lò Văn Minh"]


def test_trainees_of_another_institution_are_not_found(session: Session) -> None:
    ours, theirs = factories.course(session), factories.course(session)
    assert ours.institution_id != theirs.institution_id
    mine = factories.person(session, full_name="Lò Văn Xuân")
    other = factories.person(session, full_name="Lò Thị Xuân")
    factories.enrolment(session, person_id=mine.id, course_id=ours.id)
    factories.enrolment(session, person_id=other.id, course_id=theirs.id)
    session.commit()

    page = list_trainees(session, text="xuan lo", institution_id=ours.institution_id)
    assert [row.person.id for row in page.rows] == [mine.id] and page.total == 1
    found = search_people(session, "xuan", institution_id=ours.institution_id)
    assert [p.id for p in found] == [mine.id]
    everyone = list_trainees(session, text="xuan lo")
    assert [row.person.full_name for row in everyone.rows] == ["Lò Thị Xuân", "Lò Văn Xuân"]


def test_the_migration_fills_the_syllables_of_people_already_stored(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url, "0023")
    engine = make_engine(empty_database_url)
    try:
        with Session(engine) as session:
            course = factories.course(session)
            for name in ("Lò Văn Xuân", "Cà Thị Xuân", "Lò Văn An"):
                person = factories.person(session, full_name=name)
                session.add(
                    Enrolment(
                        person_id=person.id, course_id=course.id, enrolled_on=date(2026, 3, 1)
                    )
                )
            session.commit()

        upgrade(empty_database_url)

        with Session(engine) as session:
            factories.person(session, full_name="Tòng Thị Xuân")
            session.commit()
            assert _found(session, "xuan") == ["Cà Thị Xuân", "Tòng Thị Xuân", "Lò Văn Xuân"]
            page = list_trainees(session, text="lo van")
            assert [row.person.full_name for row in page.rows] == ["Lò Văn An", "Lò Văn Xuân"]
            session.execute(text("DELETE FROM person WHERE full_name = 'Tòng Thị Xuân'"))
            assert _found(session, "xuan") == ["Cà Thị Xuân", "Lò Văn Xuân"]
    finally:
        engine.dispose()


def test_a_search_of_punctuation_only_lists_every_trainee_as_before(session: Session) -> None:
    course = factories.course(session)
    for name in ("Lò Văn Xuân", "Cà Thị Lan"):
        person = factories.person(session, full_name=name)
        factories.enrolment(session, person_id=person.id, course_id=course.id)
    session.commit()

    page = list_trainees(session, text=" - ")
    assert [row.person.full_name for row in page.rows] == ["Cà Thị Lan", "Lò Văn Xuân"]
    assert search_people(session, " - ") == []
