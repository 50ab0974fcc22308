"""Suggestions are the engine's ranking stored per open vacancy: computed, replaced whole,
read back best first, recomputed when the vacancy changed; the reason line states the facts
behind a rank in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from matching.score import place_component
from models import audit
from models.clock import utcnow
from models.i18n import translate
from models.queries.candidates import latest_trainings, training_levels
from models.suggestions import (
    MAX_AGE,
    compute_suggestions,
    explain,
    reason_line,
    suggestions_for,
    suggestions_stale,
)
from models.tables import Person, TrainingOrder, VacancySuggestion
from tests import factories

SKILLS = ["cắt vải", "vắt sổ", "may máy một kim"]


def _graduate(session, course, name, *, skills=(), commune="03127", consent=True):
    person = factories.person(
        session,
        full_name=name,
        skills=list(skills),
        commune_code=commune,
        consent_to_employers=consent,
    )
    factories.enrolment(
        session,
        person_id=person.id,
        course_id=course.id,
        status="tot_nghiep",
        graduated_on=date(2026, 6, 30),
    )
    return person


@pytest.fixture
def world(session):
    """A sewing vacancy, three sewing graduates (one with the skills asked), one electrician
    and one sewing graduate who did not consent; a second, electrical vacancy."""
    sewing = factories.occupation(session, key="MAY_CONG_NGHIEP", name="May công nghiệp")
    electric = factories.occupation(
        session, key="DIEN_DAN_DUNG", name="Điện dân dụng", group="dien"
    )
    sewing_course = factories.course(session, occupation_id=sewing.id)
    electric_course = factories.course(session, occupation_id=electric.id)
    people = {
        "mai": _graduate(session, sewing_course, "Lò Thị Mai", skills=SKILLS[:2]),
        "hung": _graduate(session, sewing_course, "Quàng Văn Hùng", commune="03160"),
        "lan": _graduate(session, electric_course, "Cà Thị Lan", commune="03160"),
        "tu": _graduate(session, sewing_course, "Lường Văn Tú", consent=False),
    }
    employer = factories.employer(session)
    vacancy = factories.vacancy(
        session,
        employer_id=employer.id,
        title="Công nhân may",
        occupation_id=sewing.id,
        skills=SKILLS,
        start_date=date(2026, 9, 1),
    )
    other = factories.vacancy(
        session, employer_id=employer.id, title="Thợ điện", occupation_id=electric.id
    )
    session.commit()
    return {"people": people, "vacancy": vacancy, "other": other, "sewing": sewing}


def _rows(session):
    return session.execute(select(func.count()).select_from(VacancySuggestion)).scalar_one()


def test_suggestions_are_stored_best_first_for_every_open_vacancy(session, world):
    count = compute_suggestions(session, on=date(2026, 8, 1))

    assert count == _rows(session) > 0
    stored = suggestions_for(session, world["vacancy"].id)
    people = world["people"]
    assert [s.rank for s in stored] == list(range(1, len(stored) + 1))
    assert [s.score for s in stored] == sorted((s.score for s in stored), reverse=True)
    assert stored[0].person_id == people["mai"].id
    assert people["tu"].id not in {s.person_id for s in stored}  # no consent
    best = stored[0]
    assert best.matched_skills == SKILLS[:2]
    assert best.missing_skills == SKILLS[2:]
    assert set(best.components) >= {"occupation", "skills", "level", "place"}
    assert best.reason  # the engine's own sentence is kept too
    assert suggestions_for(session, world["other"].id)[0].person_id == people["lan"].id


def test_top_k_bounds_each_vacancy(session, world):
    compute_suggestions(session, top_k=1, on=date(2026, 8, 1))
    assert len(suggestions_for(session, world["vacancy"].id)) == 1
    assert len(suggestions_for(session, world["other"].id)) == 1


def test_computing_again_replaces_the_rows(session, world):
    compute_suggestions(session, on=date(2026, 8, 1))
    before = _rows(session)
    mai = session.get(Person, world["people"]["mai"].id)
    mai.consent_to_employers = False  # she withdraws her consent
    session.add(mai)
    session.commit()

    compute_suggestions(session, on=date(2026, 8, 1))

    stored = suggestions_for(session, world["vacancy"].id)
    assert mai.id not in {s.person_id for s in stored}
    assert _rows(session) < before
    assert [s.rank for s in stored] == list(range(1, len(stored) + 1))


def test_one_vacancy_is_replaced_without_touching_the_others(session, world):
    compute_suggestions(session, on=date(2026, 8, 1))
    other_before = [
        (s.person_id, s.computed_at) for s in suggestions_for(session, world["other"].id)
    ]

    count = compute_suggestions(session, vacancy_ids=[world["vacancy"].id], on=date(2026, 8, 1))

    assert count == len(suggestions_for(session, world["vacancy"].id))
    other_after = [
        (s.person_id, s.computed_at) for s in suggestions_for(session, world["other"].id)
    ]
    assert other_after == other_before


def test_a_closed_vacancy_keeps_no_suggestions(session, world):
    compute_suggestions(session, on=date(2026, 8, 1))
    vacancy = world["vacancy"]
    vacancy.status = "closed"
    session.add(vacancy)
    session.commit()

    compute_suggestions(session, on=date(2026, 8, 1))
    assert suggestions_for(session, vacancy.id) == []
    assert compute_suggestions(session, vacancy_ids=[vacancy.id]) == 0


def test_nothing_to_rank_stores_nothing(session):
    assert compute_suggestions(session) == 0
    factories.vacancy(session)
    session.commit()
    assert compute_suggestions(session) == 0


def test_suggestions_go_stale_when_the_vacancy_changes_or_they_age(session, world):
    vacancy = world["vacancy"]
    assert suggestions_stale(session, vacancy, [])
    compute_suggestions(session, vacancy_ids=[vacancy.id])
    stored = suggestions_for(session, vacancy.id)
    assert not suggestions_stale(session, vacancy, stored)
    assert suggestions_stale(session, vacancy, stored, now=utcnow() + MAX_AGE + timedelta(1))

    audit.record(session, user_id=None, action="update", entity="vacancy", entity_id=vacancy.id)
    session.commit()
    assert suggestions_stale(session, vacancy, stored)


def test_the_reason_line_names_skills_level_place_and_order(session, world):
    vacancy = world["vacancy"]
    factories.level(session, "trung_cap")
    vacancy.required_level_code = "trung_cap"
    order = TrainingOrder(
        employer_id=vacancy.employer_id,
        occupation_id=world["sewing"].id,
        level_code="so_cap",
        quantity=5,
        needed_by=date(2026, 9, 1),
    )
    session.add(order)
    session.flush()
    vacancy.training_order_id = order.id
    session.add(vacancy)
    session.commit()
    compute_suggestions(session, on=date(2026, 8, 1))
    best = suggestions_for(session, vacancy.id)[0]
    mai = world["people"]["mai"]
    training = latest_trainings(session, [mai.id])[mai.id]
    required = next(level for level in training_levels(session) if level.code == "trung_cap")

    reason = explain(
        best,
        vacancy,
        training=training,
        person_commune=mai.commune_code,
        person_wishes=[],
        commune_name="Mường Thanh",
        required_level=required,
    )
    line = reason_line(reason, "en")

    assert line.split("; ") == [
        "Trained in May công nghiệp, the occupation of the job",
        "has cắt vải, vắt sổ",
        "lacks may máy một kim",
        "level so_cap, below the trung_cap asked",
        "lives in the commune of the job",
        "graduated on 30/06/2026",  # evidence that orders equal scores
    ]
    assert reason_line(reason, "vi").startswith(
        translate(
            "Trained in {occupation}, the occupation of the job", "vi", occupation="May công nghiệp"
        )
    )
    linked = explain(
        best,
        vacancy,
        training=training.__class__(**{**training.__dict__, "training_order_id": order.id}),
        person_commune="03160",
        person_wishes=["commune"],
        commune_name="Thanh Nưa",
        required_level=None,
    )
    parts = reason_line(linked, "en").split("; ")
    assert parts[-3:] == [
        "lives in Thanh Nưa, in the province",
        "trained under this vacancy's training order",
        "graduated on 30/06/2026",
    ]
    assert "level so_cap" in parts


def test_stored_rows_are_only_for_graduates_and_open_vacancies(session, world):
    compute_suggestions(session, on=date(2026, 8, 1))
    vacancy_ids = set(
        session.execute(select(col(VacancySuggestion.vacancy_id)).distinct()).scalars()
    )
    assert vacancy_ids == {world["vacancy"].id, world["other"].id}


def test_the_reason_line_names_the_language_a_job_abroad_asks_for(session, world):
    vacancy = world["vacancy"]
    vacancy.title = "Công nhân may Nhật Bản - tiếng Nhật N4"
    vacancy.location_kind = "abroad"
    vacancy.commune_code = None
    vacancy.country_code = "JP"
    session.add(vacancy)
    people = world["people"]
    people["hung"].skills = ["JLPT N5"]
    people["mai"].skills = [*SKILLS[:2], "tiếng Nhật N4"]
    for person in (people["hung"], people["mai"]):
        person.willing_to_work = ["abroad"]
        session.add(person)
    session.commit()
    compute_suggestions(session, on=date(2026, 8, 1))
    lines = {}
    for suggestion in suggestions_for(session, vacancy.id):
        person = session.get(type(people["mai"]), suggestion.person_id)
        training = latest_trainings(session, [person.id])[person.id]
        reason = explain(
            suggestion,
            vacancy,
            training=training,
            person_commune=person.commune_code,
            person_wishes=person.willing_to_work,
            commune_name="Mường Thanh",
            required_level=None,
        )
        lines[person.id] = (suggestion.score, reason_line(reason, "en").split("; "))
    mai, hung = lines[people["mai"].id], lines[people["hung"].id]
    assert "holds the JLPT N4 asked" in mai[1]
    assert "one level below the JLPT N4 asked" in hung[1]
    assert mai[0] > hung[0]


def test_the_reason_line_names_the_distance_and_the_wage_room_that_order_equal_fits(session, world):
    vacancy = world["vacancy"]
    vacancy.wage_min, vacancy.wage_max = 6_000_000, 7_500_000
    compute_suggestions(session, on=date(2026, 8, 1))
    best = suggestions_for(session, vacancy.id)[0]
    mai = world["people"]["mai"]
    training = latest_trainings(session, [mai.id])[mai.id]
    # 40 km from the job, as the engine's place component counts it for someone who would
    # work anywhere in the province.
    best.components = {**best.components, "place": place_component(1, ("province",), 40.0)}

    def line(expected_wage: int | None, wishes: list[str]) -> list[str]:
        reason = explain(
            best,
            vacancy,
            training=training,
            person_commune="03160",
            person_wishes=wishes,
            commune_name="Thanh Nưa",
            required_level=None,
            expected_wage=expected_wage,
        )
        return reason_line(reason, "en").split("; ")

    parts = line(6_000_000, ["commune", "province"])
    assert "lives in Thanh Nưa, in the province, about 40 km from the job" in parts
    assert "offer 25 % above the wage asked" in parts
    assert "cách nơi làm việc khoảng 40 km" in reason_line(
        explain(
            best,
            vacancy,
            training=training,
            person_commune="03160",
            person_wishes=["province"],
            commune_name="Thanh Nưa",
            required_level=None,
        ),
        "vi",
    )
    # An expectation the offer does not exceed, or none, claims no room.
    assert not [p for p in line(7_500_000, ["province"]) if p.startswith("offer")]
    assert not [p for p in line(None, ["province"]) if p.startswith("offer")]
    # Nearness is claimed only where the place was scored by it: not in the job's commune.
    best.components = {**best.components, "place": 1.0}
    assert not [p for p in line(6_000_000, ["province"]) if "km" in p]
