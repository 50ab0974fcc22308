"""The trainee export reads its rows from the database in batches, sorted there, straight into
a write-only workbook: the file holds the same rows, in the same order, as sorting every
enrolment in Python did (by course, newest first, then the Vietnamese name order)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from matching.text import name_sort_key
from models.excel import read_table
from models.excel.columns import TRAINEE_EXPORT_COLUMNS
from models.queries import course_rosters
from models.queries.course_rosters import trainee_export, trainee_export_stream
from models.tables import Course, Enrolment, Person
from tests import factories
from tests.models.test_person_sort_key import NAMES
from tests.web import test_courses as shared
from tests.web.test_courses import World, signed_in

world = shared.world  # the fixture: two institutions, a course at A, an account per role


def _old_order(session: Session, institution_id: int) -> list[tuple[str, str]]:
    """(course code, full name) in the order the export had when Python sorted the rows."""
    found = session.exec(
        select(Enrolment, Person, Course)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(col(Course.institution_id) == institution_id)
    ).all()
    found = sorted(found, key=lambda r: name_sort_key(r[1].full_name))
    found = sorted(found, key=lambda r: (r[2].start_date, r[2].id or 0), reverse=True)
    return [(course.code, person.full_name) for _e, person, course in found]


def _fill(session: Session, institution_id: int) -> None:
    newer = factories.course(session, institution_id=institution_id, start_date=date(2026, 3, 1))
    older = factories.course(session, institution_id=institution_id, start_date=date(2025, 9, 1))
    for n, name in enumerate(NAMES):
        person = factories.person(session, full_name=name)
        for course in (newer, older) if n % 3 == 0 else ((newer, older)[n % 2],):
            factories.enrolment(session, person_id=person.id, course_id=course.id)
    session.commit()


def test_the_streamed_export_holds_the_rows_of_the_whole_list_sort(
    session: Session, monkeypatch
) -> None:
    institution = factories.institution(session)
    assert institution.id is not None
    _fill(session, institution.id)
    monkeypatch.setattr(course_rosters, "EXPORT_BATCH", 3)  # several batches
    stream = trainee_export_stream(session, institution_id=institution.id)
    rows = [(row["course_code"], row["full_name"]) for row in stream.rows]
    assert rows == _old_order(session, institution.id)
    assert len(rows) == len(NAMES) + len(range(0, len(NAMES), 3))
    every = trainee_export(session, institution_id=institution.id)
    assert stream.person_ids == set(every.person_ids) and len(every.person_ids) == len(NAMES)


def test_the_downloaded_workbook_is_the_streamed_rows(client, world: World) -> None:
    _fill(world.session, world.institution_a)
    signed_in(client, world, "official")
    response = client.get(f"/exports/trainees?institution_id={world.institution_a}")
    assert response.status_code == 200
    assert response.headers["server-timing"].startswith("write;dur=")
    exported = read_table(response.content, TRAINEE_EXPORT_COLUMNS).rows
    shown = [(row.values["course_code"], row.values["full_name"]) for row in exported]
    assert shown == _old_order(world.session, world.institution_a)
