"""The drill-down: the records behind a stored figure, one page at a time (each page asks the
database for its own ids only) or all of them as CSV in chunks; rows carry the names an
official reads."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.monitoring.drill import csv_lines, record_chunks, records_page
from models.monitoring.read import figure_ids, figure_table
from models.monitoring.store import refresh_year
from seed.reference import load_reference_data
from tests import factories

YEAR = 2025


def _trainees(session: Session, count: int) -> list[int]:
    course = factories.course(
        session, code="MAY", start_date=date(2025, 3, 1), end_date=date(2025, 6, 30)
    )
    return [
        factories.enrolment(
            session,
            person_id=factories.person(
                session, full_name=f"Lò Văn Học {n}", citizen_id=f"0112010{n:05d}"
            ).id,
            course_id=course.id,
            enrolled_on=date(2025, 3, 1),
        ).id
        for n in range(count)
    ]  # type: ignore[misc]


@pytest.fixture
def trainees(session: Session, engine: Engine) -> list[int]:
    load_reference_data(session)
    ids = _trainees(session, 120)
    session.commit()
    refresh_year(engine, YEAR)
    return ids


def _statements(engine: Engine) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    return seen


def test_a_page_lists_its_records_and_queries_only_its_ids(trainees, session, engine) -> None:
    figure = figure_table(session, YEAR).get("trained", "trained")
    assert figure is not None and figure.value == 120
    ids = figure_ids(session, figure.id)
    assert ids.tolist() == sorted(trainees)

    statements = _statements(engine)
    last = records_page(session, "enrolment", ids, page=3)
    assert (last.total, last.pages, last.page, len(last.rows), last.first) == (120, 3, 3, 20, 101)
    assert [row["id"] for row in last.rows] == sorted(trainees)[100:]
    records_page(session, "enrolment", ids, page=2)
    sizes = [len(parameters) for _, parameters in statements]
    assert max(sizes) == 50  # the second page's 50 ids, never the figure's 120
    assert 20 in sizes

    beyond = records_page(session, "enrolment", ids, page=99)
    assert beyond.page == 3  # clamped to the last page
    first = records_page(session, "enrolment", ids, page=1, page_size=50)
    row = first.rows[0]
    assert row["person"] == "Lò Văn Học 0" and row["sex"] == "nam"
    assert row["commune"] == "Xã Tuần Giáo" and row["ethnicity"] == "Thái"
    assert row["level"] and row["course_code"] == "MAY" and row["birth_year"] == 2001
    assert row["enrolled_on"] == date(2025, 3, 1)


def test_an_empty_figure_is_one_empty_page(session) -> None:
    page = records_page(session, "spell", [], page=4)
    assert (page.total, page.pages, page.page, page.rows, page.first) == (0, 1, 1, [], 0)


def test_the_csv_reads_every_record_in_chunks(trainees, session) -> None:
    figure = figure_table(session, YEAR).get("trained", "trained")
    assert figure is not None
    ids = figure_ids(session, figure.id)
    pieces = list(
        csv_lines(
            session,
            "enrolment",
            ids,
            header=lambda column: column.label,
            cell=lambda _column, value: "" if value is None else str(value),
            chunk=50,
        )
    )
    assert len(pieces) == 1 + 3  # the header, then one piece per chunk of 50
    rows = list(csv.reader(io.StringIO("".join(pieces))))
    assert rows[0][0] == "Full name" and len(rows) == 121
    assert sum(len(chunk) for chunk in record_chunks(session, "enrolment", ids, chunk=7)) == 120


def test_each_kind_of_record_reads_its_names(session: Session) -> None:
    load_reference_data(session)
    employer = factories.employer(session, name="Công ty May Điện Biên")
    occupation = factories.occupation(session, name="Hàn điện")
    institution = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    person = factories.person(session, full_name="Lò Thị Lan", sex="nu")
    abroad = factories.employment_spell(
        session, person_id=person.id, employer_id=employer.id, kind="abroad",
        channel="xuat_khau_lao_dong", location_kind="abroad", commune_code=None,
        country_code="JP", occupation_id=occupation.id, start_date=date(2025, 10, 1),
    )  # fmt: skip
    order = factories.training_order(
        session, employer_id=employer.id, institution_id=institution.id,
        occupation_id=occupation.id, requested_at=datetime(2025, 1, 9, 20, tzinfo=UTC),
    )  # fmt: skip
    vacancy = factories.vacancy(
        session, employer_id=employer.id, title="Thợ hàn", quantity=3, filled=1,
        created_at=datetime(2025, 2, 1, 18, tzinfo=UTC),
    )  # fmt: skip
    session.commit()

    spell_row = records_page(session, "spell", [abroad.id]).rows[0]
    assert spell_row["person"] == "Lò Thị Lan" and spell_row["employer"] == employer.name
    assert spell_row["place"] == "Nhật Bản" and spell_row["occupation"] == "Hàn điện"
    assert spell_row["channel"] == "xuat_khau_lao_dong"
    order_row = records_page(session, "order", [order.id]).rows[0]
    assert order_row["institution"] == institution.name
    assert order_row["requested_on"] == date(2025, 1, 10)  # 03:00 on 10/01 in Vietnam
    vacancy_row = records_page(session, "vacancy", [vacancy.id]).rows[0]
    assert (vacancy_row["title"], vacancy_row["quantity"], vacancy_row["filled"]) == (
        "Thợ hàn",
        3,
        1,
    )
    assert vacancy_row["posted_on"] == date(2025, 2, 2) and vacancy_row["filled_on"] is None
    with pytest.raises(ValueError, match="no records of kind"):
        records_page(session, "person", [person.id])


def test_after_training_rows_show_the_answer_at_the_window(session: Session) -> None:
    load_reference_data(session)
    graduate = factories.enrolment(
        session, status="tot_nghiep", graduated_on=date(2025, 6, 30), enrolled_on=date(2025, 3, 1)
    )
    factories.follow_up(session, enrolment_id=graduate.id, months_after=6, status="military")
    factories.follow_up(session, enrolment_id=graduate.id, months_after=12, status="wage")
    session.commit()
    at_six = records_page(session, "enrolment", [graduate.id], window=6)
    assert at_six.columns[-1].name == "follow_up" and at_six.rows[0]["follow_up"] == "military"
    at_three = records_page(session, "enrolment", [graduate.id], window=3)
    assert at_three.rows[0]["follow_up"] is None
    plain = records_page(session, "enrolment", [graduate.id])
    assert "follow_up" not in plain.rows[0]
