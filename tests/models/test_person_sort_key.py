"""Lists of people are sorted and paged by the database, in the Vietnamese order (given name,
then middle, then family name, diacritics folded, the exact spelling breaking ties), through
the stored sort key: filled on insert (ORM, bulk insert, migration) and on a rename, and
compared byte by byte on PostgreSQL whatever the database's own collation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from matching.text import name_sort_key, name_sort_text
from models.db import make_engine
from models.migrate import upgrade
from models.people import name_fields
from models.queries.people import list_trainees, search_people
from models.tables import Enrolment, Person
from tests import factories
from tests.models.test_migrations import empty_database_url  # noqa: F401  (the fixture)
from tests.models.test_personal_data_migration import _person

# Chosen so that a sort on the whole name, a locale collation ignoring the separators, or a
# sort without folding diacritics would each give another order.
NAMES = [
    "Lò Văn Ánh",
    "Quàng Thị An",
    "Cà Văn Anh",
    "Lò Thị Anh",
    "Điêu Chính Bình",
    "Lường Văn Ánh",
    "Giàng A Páo",
    "Vàng Thị Pà",
    "Lò Văn An Bình",
    "Hoàng Văn Đức",
    "Mùa A Dế",
    "Tòng Thị Ánh",
]


def _enrol(session: Session, course_id: int, name: str) -> int:
    person = factories.person(session, full_name=name)
    factories.enrolment(session, person_id=person.id, course_id=course_id)
    assert person.id is not None
    return person.id


def test_the_trainee_list_pages_people_in_the_vietnamese_order(session: Session) -> None:
    course = factories.course(session)
    assert course.id is not None
    ids = {_enrol(session, course.id, name): name for name in NAMES[:8]}
    # Four more written as the trainee import writes them: a Core bulk insert.
    ethnicity = factories.ethnicity(session, "03")
    rows = [
        {
            **name_fields(name),
            "birth_date": date(2000, 1, 1),
            "sex": "nu",
            "ethnicity_code": ethnicity.code,
            "commune_code": "03253",
        }
        for name in NAMES[8:]
    ]
    session.execute(insert(Person), rows)
    bulk = session.execute(
        select(col(Person.id), col(Person.full_name)).where(col(Person.id).not_in(ids))
    ).all()
    for person_id, name in bulk:
        session.add(
            Enrolment(person_id=person_id, course_id=course.id, enrolled_on=date(2026, 3, 1))
        )
        ids[person_id] = name
    session.commit()

    pages = [
        list_trainees(session, institution_id=course.institution_id, page=n, per_page=5)
        for n in (1, 2, 3)
    ]

    listed = [row.person.full_name for page in pages for row in page.rows]
    assert listed == sorted(NAMES, key=name_sort_key)
    assert listed[:4] == ["Quàng Thị An", "Lò Thị Anh", "Tòng Thị Ánh", "Cà Văn Anh"]
    assert [(p.total, p.pages) for p in pages] == [(12, 3)] * 3
    assert [len(p.rows) for p in pages] == [5, 5, 2]


def test_a_search_finds_the_first_matches_in_the_vietnamese_order(session: Session) -> None:
    for name in NAMES:
        factories.person(session, full_name=name)
    session.commit()

    found = [p.full_name for p in search_people(session, "anh", limit=3)]

    assert found == ["Lò Thị Anh", "Tòng Thị Ánh", "Cà Văn Anh"]


def test_a_renamed_person_moves_in_the_list(session: Session) -> None:
    course = factories.course(session)
    assert course.id is not None
    first = _enrol(session, course.id, "Lò Văn An")
    _enrol(session, course.id, "Lò Văn Bình")
    session.commit()
    person = session.get(Person, first)
    assert person is not None

    for field, value in name_fields("Lò Văn Xuân").items():
        setattr(person, field, value)
    session.commit()

    page = list_trainees(session, institution_id=course.institution_id)
    assert [row.person.full_name for row in page.rows] == ["Lò Văn Bình", "Lò Văn Xuân"]
    assert person.sort_key == name_sort_text("Xuân", "Văn", "Lò", "Lò Văn Xuân")


def test_the_migration_fills_the_sort_key_of_people_already_stored(
    empty_database_url: str,  # noqa: F811
) -> None:
    upgrade(empty_database_url, "0006")
    engine = make_engine(empty_database_url)
    try:
        with Session(engine) as session:
            factories.ethnicity(session, "03")
            session.commit()
        with engine.begin() as conn:
            rows = [_person(n, None, None) for n in range(3)]
            for row, name in zip(rows, ("Quàng Thị Ánh", "Lò Văn An", "Cà Văn Anh"), strict=True):
                row.update(name_fields(name))
            columns = ", ".join(rows[0])
            values = ", ".join(f":{key}" for key in rows[0])
            statement = text(f"INSERT INTO person ({columns}) VALUES ({values})")
            for row in rows:
                conn.execute(statement, {**row, "willing_to_work": "[]", "skills": "[]"})

        upgrade(empty_database_url)

        with engine.connect() as conn:
            stored = conn.execute(text("SELECT full_name FROM person ORDER BY sort_key")).all()
        assert [name for (name,) in stored] == ["Lò Văn An", "Quàng Thị Ánh", "Cà Văn Anh"]
    finally:
        engine.dispose()
