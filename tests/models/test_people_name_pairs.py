"""Each pair of a name's distinct syllables is a row of `person_name_word` too ("thi+van"),
kept by the database as people are added, renamed, re-sorted and removed however they are
written: a search of two syllables walks the pair's rows, exactly the people holding both, in
list order, however many people hold each syllable alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy import delete, event, insert, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matching.text import name_sort_key, search_key
from models.db import make_engine
from models.migrate import downgrade, upgrade
from models.people import name_fields
from models.queries.people import PageAt, list_trainees, search_people
from models.tables import Enrolment, Person, PersonNameWord
from models.tables.person_names import POSTGRES_TRIGGERS, SQLITE_TRIGGERS, pair_key
from tests import factories
from tests.models.test_migrations import empty_database_url  # noqa: F401  (the fixture)


def _expected_rows(person: Person) -> set[tuple[str, str]]:
    """A person's rows as the triggers should keep them: each distinct syllable and each
    pair of distinct syllables, with the person's sort key."""
    syllables = sorted(set(person.name_key.split()))
    pairs = [pair_key(a, b) for a, b in combinations(syllables, 2)]
    return {(word, person.sort_key) for word in [*syllables, *pairs]}


def _stored_rows(session: Session, person_id: int) -> set[tuple[str, str]]:
    rows = session.exec(
        select(PersonNameWord.word, PersonNameWord.sort_key).where(
            col(PersonNameWord.person_id) == person_id
        )
    )
    return set(rows.all())


def _held(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    session.refresh(person)
    return person


def test_pairs_follow_people_added_renamed_resorted_and_removed_by_the_orm(
    session: Session,
) -> None:
    person = factories.person(session, full_name="Lò Văn An Bình")
    session.commit()
    rows = _stored_rows(session, person.id)
    assert rows == _expected_rows(person)
    assert {word for word, _ in rows if "+" in word} == {
        "an+binh",
        "an+lo",
        "an+van",
        "binh+lo",
        "binh+van",
        "lo+van",
    }

    for field, value in name_fields("Quàng Thị Xuân").items():
        setattr(person, field, value)
    session.commit()
    assert _stored_rows(session, person.id) == _expected_rows(_held(session, person.id))
    assert not {word for word, _ in _stored_rows(session, person.id)} & {"lo+van", "an"}

    person.sort_key = "zzz " + person.sort_key
    session.commit()
    assert _stored_rows(session, person.id) == _expected_rows(_held(session, person.id))

    session.delete(person)
    session.commit()
    assert _stored_rows(session, person.id) == set()


def test_a_repeated_syllable_makes_no_pair_with_itself(session: Session) -> None:
    person = factories.person(session, full_name="Văn Thị Văn")
    session.commit()

    assert {word for word, _ in _stored_rows(session, person.id)} == {"thi", "van", "thi+van"}


def test_pairs_follow_people_written_with_core_statements(session: Session) -> None:
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
    people = list(session.exec(select(Person).order_by(col(Person.id))))
    for person in people:
        assert _stored_rows(session, person.id) == _expected_rows(person)

    lo, ca, tong = people
    session.execute(
        update(Person).where(col(Person.id) == lo.id).values(name_key="lo thi xuan mai")
    )
    session.execute(update(Person).where(col(Person.id) == ca.id).values(sort_key="a"))
    session.execute(delete(Person).where(col(Person.id) == tong.id))
    session.commit()

    assert _stored_rows(session, lo.id) == _expected_rows(_held(session, lo.id))
    assert ("mai+xuan", lo.sort_key) in _stored_rows(session, lo.id)
    assert _stored_rows(session, ca.id) == _expected_rows(_held(session, ca.id))
    assert {sort_key for _, sort_key in _stored_rows(session, ca.id)} == {"a"}
    assert _stored_rows(session, tong.id) == set()


def test_a_pair_is_ordered_the_same_by_the_database_and_the_search(session: Session) -> None:
    # "!z" sorts before "a" byte by byte, after it under a language's collation: the
    # database must join the pair as Python does, whatever its collation.
    person = factories.person(session, full_name="A !Z Páo")
    session.commit()

    assert ("!z+a", person.sort_key) in _stored_rows(session, person.id)
    for first, second in combinations(search_key(person.full_name).split(), 2):
        found = search_people(session, f"{second} {first}")
        assert [p.id for p in found] == [person.id], (first, second)


# Each name holds "văn" and "thị" or one of them; a few hold one of them twice.
BOTH = [
    "Lò Văn Thị",
    "Văn Thị Lan",
    "Cà Thị Văn Anh",
    "Văn Thị Văn",
    "Thị Văn Thị",
    "Tòng Văn Thị Bình",
    "Lường Thị Văn Chi",
    "Vàng Văn Thị Dũng",
]
ONE_ONLY = ["Lò Văn An", "Lò Thị Lan", "Văn Văn", "Cà Thị Mai", "Vàng Văn Páo", "Thị Hà"]


def test_a_two_word_search_lists_exactly_the_people_holding_both(session: Session) -> None:
    course = factories.course(session)
    for name in BOTH + ONE_ONLY:
        person = factories.person(session, full_name=name)
        factories.enrolment(session, person_id=person.id, course_id=course.id)
    session.commit()
    expected = sorted(BOTH, key=name_sort_key)

    assert [p.full_name for p in search_people(session, "van thi", limit=100)] == expected
    page = list_trainees(session, text="THỊ văn", per_page=3)
    assert (page.total, page.pages) == (8, 3)
    walked = [[row.person.full_name for row in page.rows]]
    while page.next_after is not None:
        at = PageAt(page.page + 1, after=page.next_after)
        page = list_trainees(session, text="van thi", per_page=3, at=at)
        walked.append([row.person.full_name for row in page.rows])
    assert walked == [expected[0:3], expected[3:6], expected[6:8]]

    assert page.previous_before is not None
    back = list_trainees(
        session, text="van thi", per_page=3, at=PageAt(2, before=page.previous_before)
    )
    assert [row.person.full_name for row in back.rows] == expected[3:6]
    assert list_trainees(session, text="van van thi", per_page=3).total == 8


def test_a_repeated_syllable_is_found_by_that_syllable(session: Session) -> None:
    for name in ("Văn Văn", "Lò Văn An"):
        factories.person(session, full_name=name)
    session.commit()

    assert [p.full_name for p in search_people(session, "van")] == ["Lò Văn An", "Văn Văn"]
    assert [p.full_name for p in search_people(session, "van van")] == [
        "Lò Văn An",
        "Văn Văn",
    ]
    assert search_people(session, "van lo lo") == search_people(session, "lo van")


@contextmanager
def _walked_words(engine: Engine) -> Iterator[list[Any]]:
    """The words the searches' statements walk (their `walked.word = ?` parameter), and the
    syllables they probe, as the database receives them."""
    seen: list[Any] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if "walked" in statement:
            values = list(params.values()) if isinstance(params, dict) else list(params)
            seen.append((statement.count("probe_") > 0, [v for v in values if isinstance(v, str)]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_two_word_search_walks_the_rows_of_the_pair(session: Session, engine: Engine) -> None:
    course = factories.course(session)
    for name in BOTH + ONE_ONLY:
        person = factories.person(session, full_name=name)
        factories.enrolment(session, person_id=person.id, course_id=course.id)
    session.commit()

    with _walked_words(engine) as seen:
        search_people(session, "van thi")
        list_trainees(session, text="thi van", per_page=3)
    assert len(seen) >= 3  # the search, the count and the page
    for probed, words in seen:
        assert not probed and "thi+van" in words and not {"thi", "van"} & set(words)


def test_a_longer_search_walks_the_pair_of_its_two_rarest_syllables(
    session: Session, engine: Engine
) -> None:
    for name in ("Lò Văn Thị An", "Lò Văn An", "Lò Văn Bình", "Lò Thị Chi", "Lò Văn Thị"):
        factories.person(session, full_name=name)
    session.commit()

    with _walked_words(engine) as seen:
        found = search_people(session, "lo van thi an")
    assert [p.full_name for p in found] == ["Lò Văn Thị An"]
    # "an" (2 people) and "thi" (3) are the rarest: their pair is walked, "lo" and "van" probed.
    assert [(probed, words[0]) for probed, words in seen] == [(True, "an+thi")]
    assert set(seen[0][1][1:]) == {"lo", "van"}


def test_the_migration_fills_the_pairs_of_people_already_stored(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url, "0025")
    engine = make_engine(empty_database_url)
    try:
        with Session(engine) as session:
            course = factories.course(session)
            for name in ("Lò Văn Thị", "Văn Thị Văn", "Cà Thị Xuân", "Lò Văn An"):
                person = factories.person(session, full_name=name)
                session.add(
                    Enrolment(
                        person_id=person.id, course_id=course.id, enrolled_on=date(2026, 3, 1)
                    )
                )
            session.commit()
            people = list(session.exec(select(Person)))
            before = {p.id: _stored_rows(session, p.id) for p in people}
            assert not any("+" in word for rows in before.values() for word, _ in rows)

        upgrade(empty_database_url)

        with Session(engine) as session:
            for person in people:
                assert _stored_rows(session, person.id) == _expected_rows(person)
            factories.person(session, full_name="Tòng Thị Văn")
            session.commit()
            assert [p.full_name for p in search_people(session, "thi van")] == [
                "Lò Văn Thị",
                "Tòng Thị Văn",
                "Văn Thị Văn",
            ]
            page = list_trainees(session, text="van lo")
            assert [row.person.full_name for row in page.rows] == ["Lò Văn An", "Lò Văn Thị"]
            session.execute(text("DELETE FROM person WHERE full_name = 'Tòng Thị Văn'"))
            session.commit()

        downgrade(empty_database_url, "0025")

        with Session(engine) as session:
            for person in people:
                assert _stored_rows(session, person.id) == before[person.id]
            added = factories.person(session, full_name="Quàng Văn Thị")
            session.commit()
            assert {word for word, _ in _stored_rows(session, added.id)} == {"quang", "van", "thi"}
            session.delete(added)
            session.commit()
            assert _stored_rows(session, added.id) == set()

        upgrade(empty_database_url)
        with Session(engine) as session:
            assert [p.full_name for p in search_people(session, "thi van")] == [
                "Lò Văn Thị",
                "Văn Thị Văn",
            ]
    finally:
        engine.dispose()


def test_the_migrations_create_the_triggers_the_models_create(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                stored = conn.execute(
                    text(
                        "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND name LIKE 'person_name_word%'"
                    )
                )
                assert sorted(row[0] for row in stored) == sorted(SQLITE_TRIGGERS)
            else:
                bodies = conn.execute(
                    text("SELECT prosrc FROM pg_proc WHERE proname LIKE 'person_name_word%'")
                )
                held = [row[0] for row in bodies]
                assert len(held) == 2
                assert all(any(body in each for each in POSTGRES_TRIGGERS) for body in held)
    finally:
        engine.dispose()
