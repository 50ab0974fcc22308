"""Supply and demand by occupation against a small world whose figures are computed by hand
(docs/kpi.md, "Supply and demand"). Period: the calendar year 2027; "today" is 10/01/2027.

Garment (A):
- demand: V1 open 5 places, 2 filled, in commune 03127 -> 3; V5 open, 2 places, another
  province -> 2; draft, closed and expired vacancies -> 0; order O1 for 10 in 03127, needed
  by 30/06/2027, with 3 people in its course (and one drop-out) -> 7; V7 advertises O1's
  jobs -> not counted again; declined order O2 -> 0. Demand 3 + 2 + 7 = 12.
- supply: institution I1 (sơ cấp) has history 8 graduates / 10 known outcomes = 0.8 (a
  student still marked studying in a finished course is no outcome); C1 (I1, venue 03253)
  has 3 studying -> 2.4; I2 has no history, so C2 (venue 03127) counts its 5 students at the
  default 0.9 -> 4.5; C3 ends after the period and C5 is cancelled -> 0. Expected
  2.4 + 4.5 = 6.9 -> 7. Available now: 6 of H1's graduates graduated in the last 12 months,
  2 of them hold a job today (one job ended, one starts next month: both stay available)
  -> 4. Supply 11, gap 1.
Welding (B):
- demand: V8 (3 places, 1 filled, in 03127) advertises order O3, needed only in 2028, so V8
  counts -> 2; order O4 for 3 has 5 people in training -> 0.
- supply: C4 (I1, venue 03127) 5 studying x 0.8 -> 4. Gap 2 - 4 = -2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session

from models.queries.supply_demand import (
    Period,
    balance_by_occupation,
    balance_by_place,
    lowest_employment,
    total,
)
from models.tables import TrainingOrder, Vacancy
from tests import factories

PERIOD = Period.calendar_year(2027)
TODAY = date(2027, 1, 10)


@dataclass(frozen=True)
class World:
    garment: int
    welding: int
    order_o1: int
    vacancy_v1: int


def _students(session: Session, course_id: int | None, count: int, status: str = "dang_hoc"):
    return [factories.enrolment(session, course_id=course_id, status=status) for _ in range(count)]


def _demand(session: Session, garment: int, welding: int) -> tuple[int, int]:
    vacancy = factories.vacancy
    v1 = vacancy(session, occupation_id=garment, quantity=5, filled=2)
    vacancy(session, occupation_id=garment, quantity=4, status="draft")
    vacancy(session, occupation_id=garment, quantity=4, status="closed")
    vacancy(session, occupation_id=garment, quantity=4, deadline=date(2026, 12, 31))
    vacancy(
        session,
        occupation_id=garment,
        deadline=date(2027, 3, 1),
        location_kind="other_province",
        commune_code=None,
        province_code="01",
    )
    order = factories.training_order
    o1 = order(
        session,
        occupation_id=garment,
        quantity=10,
        needed_by=date(2027, 6, 30),
        status="accepted",
        commune_code="03127",
    )
    vacancy(session, occupation_id=garment, quantity=10, training_order_id=o1.id)
    order(session, occupation_id=garment, needed_by=date(2027, 6, 30), status="declined")
    o3 = order(session, occupation_id=welding, needed_by=date(2028, 2, 1))
    vacancy(session, occupation_id=welding, quantity=3, filled=1, training_order_id=o3.id)
    return o1.id or 0, v1.id or 0


def _supply(session: Session, garment: int, welding: int, order_o1: int) -> None:
    course = factories.course
    i1 = factories.institution(session).id
    i2 = factories.institution(session).id
    history = course(
        session,
        institution_id=i1,
        occupation_id=garment,
        status="finished",
        start_date=date(2025, 9, 1),
        end_date=date(2026, 5, 31),
        venue_commune_code="03253",
    )
    _students(session, history.id, 1, "bo_hoc")
    _students(session, history.id, 1, "hoan_thanh")
    graduates = [
        factories.enrolment(
            session,
            course_id=history.id,
            status="tot_nghiep",
            graduated_on=date(2026, 6, 30) if n < 6 else date(2025, 12, 1),
        )
        for n in range(8)
    ]
    _students(session, history.id, 1, "dang_hoc")  # no outcome: not in the rate
    _jobs(session, [g.person_id for g in graduates[:4]])
    c1 = course(
        session,
        institution_id=i1,
        occupation_id=garment,
        status="running",
        end_date=date(2027, 5, 31),
        venue_commune_code="03253",
        training_order_id=order_o1,
    )
    _students(session, c1.id, 3)
    _students(session, c1.id, 1, "bo_hoc")
    c2 = course(
        session,
        institution_id=i2,
        occupation_id=garment,
        status="planned",
        start_date=date(2027, 2, 1),
        end_date=date(2027, 9, 30),
        venue_commune_code="03127",
    )
    _students(session, c2.id, 5)
    c3 = course(
        session,
        institution_id=i1,
        occupation_id=garment,
        status="running",
        end_date=date(2028, 3, 1),
    )
    _students(session, c3.id, 4)
    c5 = course(
        session,
        institution_id=i1,
        occupation_id=garment,
        status="cancelled",
        end_date=date(2027, 4, 1),
    )
    _students(session, c5.id, 4)
    o4 = factories.training_order(
        session, occupation_id=welding, quantity=3, needed_by=date(2027, 5, 1)
    )
    c4 = course(
        session,
        institution_id=i1,
        occupation_id=welding,
        status="running",
        end_date=date(2027, 4, 30),
        venue_commune_code="03127",
        training_order_id=o4.id,
    )
    _students(session, c4.id, 5)


def _jobs(session: Session, person_ids: list[int]) -> None:
    """Two graduates work today; one's job ended, one's starts next month."""
    starts_ends = [
        (date(2026, 8, 1), None),
        (date(2026, 7, 1), date(2027, 12, 31)),
        (date(2026, 7, 1), date(2026, 10, 1)),
        (date(2027, 2, 1), None),
    ]
    for person_id, (start, end) in zip(person_ids, starts_ends, strict=True):
        factories.employment_spell(session, person_id=person_id, start_date=start, end_date=end)


def build_world(session: Session) -> World:
    """The world of the module's docstring, committed."""
    garment = factories.occupation(session, key="SD_MAY", name="May công nghiệp", group="may").id
    welding = factories.occupation(session, key="SD_HAN", name="Hàn", group="co_khi").id
    assert garment is not None and welding is not None
    order_o1, vacancy_v1 = _demand(session, garment, welding)
    _supply(session, garment, welding, order_o1)
    session.commit()
    return World(garment, welding, order_o1, vacancy_v1)


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def _figures(row) -> tuple[int, ...]:
    return (
        row.vacancy_places,
        row.order_places,
        row.demand,
        row.studying,
        row.expected_graduates,
        row.default_rate_studying,
        row.available_now,
        row.supply,
        row.gap,
    )


def test_demand_and_supply_by_occupation(session: Session, world: World) -> None:
    rows = balance_by_occupation(session, PERIOD, as_of=TODAY)
    assert [(row.occupation_id, row.occupation_name, row.occupation_group) for row in rows] == [
        (world.garment, "May công nghiệp", "may"),
        (world.welding, "Hàn", "co_khi"),
    ]
    assert [_figures(row) for row in rows] == [
        (5, 7, 12, 8, 7, 5, 4, 11, 1),
        (2, 0, 2, 5, 4, 0, 0, 4, -2),
    ]
    assert _figures(total(rows)) == (7, 7, 14, 13, 11, 5, 4, 15, -1)


def test_a_commune_keeps_the_demand_located_there_and_the_courses_taught_there(
    session: Session, world: World
) -> None:
    rows = balance_by_occupation(session, PERIOD, as_of=TODAY, commune="03127")
    assert [(row.occupation_id, *_figures(row)) for row in rows] == [
        (world.garment, 3, 7, 10, 5, 5, 5, 0, 5, 5),  # C2: 4.5 -> 5
        (world.welding, 2, 0, 2, 5, 4, 0, 0, 4, -2),
    ]
    elsewhere = balance_by_occupation(session, PERIOD, as_of=TODAY, commune="other_province")
    assert [(row.occupation_id, *_figures(row)) for row in elsewhere] == [
        (world.garment, 2, 0, 2, 0, 0, 0, 0, 0, 2),
    ]


def test_one_occupation_place_by_place(session: Session, world: World) -> None:
    rows = balance_by_place(session, PERIOD, as_of=TODAY, occupation_id=world.garment)
    assert [(row.place, *_figures(row)) for row in rows] == [
        ("03127", 3, 7, 10, 5, 5, 5, 0, 5, 5),
        ("other_province", 2, 0, 2, 0, 0, 0, 0, 0, 2),
        ("03253", 0, 0, 0, 3, 2, 0, 4, 6, -6),  # C1 2.4 -> 2, H1's graduates
    ]


def test_demand_counts_only_the_places_left(session: Session, world: World) -> None:
    session.get(Vacancy, world.vacancy_v1).filled = 4  # type: ignore[union-attr]
    session.commit()
    rows = balance_by_place(session, PERIOD, as_of=TODAY, occupation_id=world.garment)
    assert rows[0].place == "03127" and rows[0].vacancy_places == 1


def test_people_enrolled_for_an_order_reduce_its_demand(session: Session, world: World) -> None:
    course_id = factories.course(session, training_order_id=world.order_o1).id
    _students(session, course_id, 2)
    _students(session, course_id, 3, "bo_hoc")  # drop-outs fill nothing
    session.commit()
    garment = balance_by_occupation(session, PERIOD, as_of=TODAY)[0]
    assert (garment.occupation_id, garment.order_places) == (world.garment, 5)


def test_a_vacancy_of_an_order_counts_once_the_order_no_longer_does(
    session: Session, world: World
) -> None:
    session.get(TrainingOrder, world.order_o1).status = "closed"  # type: ignore[union-attr]
    session.commit()
    garment = balance_by_occupation(session, PERIOD, as_of=TODAY)[0]
    # O1's 7 leave; V7's 10 open places come back.
    assert (garment.vacancy_places, garment.order_places) == (15, 0)


def test_drafts_and_closed_vacancies_are_no_demand(session: Session) -> None:
    occupation = factories.occupation(session).id
    for status in ("draft", "closed", "filled"):
        factories.vacancy(session, occupation_id=occupation, quantity=3, status=status)
    session.commit()
    assert balance_by_occupation(session, PERIOD, as_of=TODAY) == []


def test_completion_rate_comes_from_the_same_institution_and_level(session: Session) -> None:
    occupation = factories.occupation(session).id
    institution = factories.institution(session).id
    past = factories.course(
        session,
        institution_id=institution,
        occupation_id=occupation,
        status="finished",
        end_date=date(2026, 6, 30),
    )
    _students(session, past.id, 3, "tot_nghiep")
    _students(session, past.id, 1, "bo_hoc")  # 3 of 4: 0.75
    _students(session, past.id, 1)  # still marked studying: no outcome, not in the rate
    other_level = factories.course(
        session,
        institution_id=institution,
        occupation_id=occupation,
        level_code="trung_cap",
        status="finished",
        end_date=date(2026, 6, 30),
    )
    _students(session, other_level.id, 4, "bo_hoc")  # another level: not this history
    running = factories.course(
        session,
        institution_id=institution,
        occupation_id=occupation,
        status="running",
        end_date=date(2027, 6, 30),
    )
    _students(session, running.id, 8)
    session.commit()
    [row] = balance_by_occupation(session, PERIOD, as_of=TODAY)
    assert (row.studying, row.expected_graduates, row.default_rate_studying) == (8, 6, 0)


def test_without_history_the_default_rate_and_the_page_is_told(session: Session) -> None:
    course = factories.course(session, status="running", end_date=date(2027, 6, 30))
    _students(session, course.id, 10)
    session.commit()
    [row] = balance_by_occupation(session, PERIOD, as_of=TODAY)
    assert (row.studying, row.expected_graduates, row.default_rate_studying) == (10, 9, 10)


def test_the_coming_twelve_months_start_today() -> None:
    period = Period.coming_twelve_months(date(2026, 5, 15))
    assert (period.first, period.last, period.year) == (date(2026, 5, 15), date(2027, 5, 14), None)
    assert Period.calendar_year(2027) == Period(date(2027, 1, 1), date(2027, 12, 31), 2027)


def test_lowest_employment_first_and_small_groups_flagged(session: Session) -> None:
    garment = factories.occupation(session, key="SD_MAY", name="May công nghiệp", group="may")
    welding = factories.occupation(session, key="SD_HAN", name="Hàn", group="co_khi")
    cooking = factories.occupation(session, key="NAU", name="Nấu ăn", group="du_lich")
    session.commit()
    rows = [
        ("SD_HAN", 15, 20),
        ("SD_MAY", 3, 20),
        (cooking.id, 0, 4),  # an id works as well as a key
        ("GONE", 5, 10),  # not in the register: shown without a name
    ]
    merged = lowest_employment(session, rows)
    assert [
        (row.occupation_name, row.occupation_group, row.rate, row.too_few) for row in merged
    ] == [
        (garment.name, "may", 0.15, False),
        (None, None, 0.5, False),
        (welding.name, "co_khi", 0.75, False),
        (cooking.name, "du_lich", 0.0, True),
    ]
    assert lowest_employment(session, []) == []
