"""Weights learned from referral outcomes, as the platform keeps and uses them: outcomes read
as graded pairs, a fit stored with its day and metrics, adopting and reverting (each once,
however often clicked, and in the audit log), the candidates ranking using the adopted
weights, and that ranking unchanged when the graduates' sex and ethnicity change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from matching.learning import HIRED, INTERVIEWED, REFUSED
from matching.score import ALL_COMPONENTS, COMPONENTS, Weights
from models.db import unit_of_work
from models.errors import ConflictError, NotFoundError
from models.learned_weights import (
    adopt,
    adopted_weights,
    fit_proposal,
    referral_outcomes,
    revert,
)
from models.queries.candidates import CandidateFilters
from models.ranking import rank_candidates
from models.tables import AuditEntry, Person, Referral, WeightProposal
from tests import factories
from tests.test_cli import run, url_of

ON = date(2026, 11, 27)
START = date(2027, 1, 15)
PLACE_HEAVY = {
    "occupation": 0.05,
    "skills": 0.01,
    "level": 0.01,
    "place": 0.7,
    "wage": 0.01,
    "timing": 0.01,
    "order": 0.1,
}


@pytest.fixture
def sewing(session: Session) -> dict[str, int]:
    factories.level(session, "so_cap")
    trade = factories.occupation(session, key="MAY_CN", name="May công nghiệp")
    return {"course": factories.course(session, occupation_id=trade.id).id, "trade": trade.id}


def graduate(session: Session, sewing: dict[str, int], **person) -> int:
    values = {"consent_to_employers": True, "commune_code": "03127", **person}
    row = factories.person(session, **values)
    factories.enrolment(
        session,
        person_id=row.id,
        course_id=sewing["course"],
        status="tot_nghiep",
        graduated_on=date(2026, 6, 30),
    )
    assert row.id is not None
    return row.id


def job(session: Session, sewing: dict[str, int]):
    return factories.vacancy(session, occupation_id=sewing["trade"], start_date=START)


def refer(session: Session, person_id: int, vacancy_id: int, status: str, reason: str = ""):
    session.add(
        Referral(
            person_id=person_id,
            vacancy_id=vacancy_id,
            status=status,
            reason=reason,
            created_at=datetime(2026, 9, 1, 3, tzinfo=UTC),
        )
    )
    session.flush()


def test_outcomes_become_graded_pairs(session: Session, sewing) -> None:
    vacancy = job(session, sewing)
    outcomes = {
        "hired": graduate(session, sewing),
        "interview": graduate(session, sewing),
        "rejected": graduate(session, sewing),
        "withdrawn": graduate(session, sewing),
        "proposed": graduate(session, sewing),
        "filled": graduate(session, sewing),
    }
    for status, person_id in outcomes.items():
        if status == "filled":
            refer(session, person_id, vacancy.id, "rejected", "Doanh nghiệp đã tuyển đủ người")
        else:
            refer(session, person_id, vacancy.id, status, "Không đạt yêu cầu phỏng vấn")
    session.commit()
    data = referral_outcomes(session, on=ON)
    assert sorted(data.grade.tolist()) == sorted([HIRED, INTERVIEWED, REFUSED, REFUSED])
    assert data.components.shape == (4, len(COMPONENTS))
    assert set(data.group.tolist()) == {vacancy.id}
    assert set(data.when.tolist()) == {date(2026, 9, 1).toordinal()}


def test_a_fit_is_stored_with_its_day_and_metrics_and_too_few_outcomes_never_win(
    session: Session, sewing
) -> None:
    for _ in range(3):
        vacancy = job(session, sewing)
        refer(session, graduate(session, sewing), vacancy.id, "hired")
        refer(session, graduate(session, sewing), vacancy.id, "rejected", "Không đạt")
    session.commit()
    proposal = fit_proposal(session, on=ON)
    stored = session.get(WeightProposal, proposal.id)
    assert stored is not None and stored.fitted_on == ON and stored.state == "proposed"
    assert set(stored.weights) == set(COMPONENTS)
    assert stored.metrics["hand"]["vacancies"] < 5
    assert not stored.beats_hand
    with pytest.raises(ConflictError):
        adopt(session, proposal_id=stored.id or 0, user_id=None)
    assert adopted_weights(session) == Weights()


def _proposal(session: Session, weights: dict[str, float]) -> int:
    with unit_of_work(session):
        row = WeightProposal(fitted_on=ON, weights=weights, hand_weights={}, beats_hand=True)
        session.add(row)
    assert row.id is not None
    return row.id


def _audits(session: Session, action: str) -> int:
    query = select(func.count()).where(
        AuditEntry.entity == "weight_proposal", AuditEntry.action == action
    )
    return int(session.execute(query).scalar_one())


def test_adopt_and_revert_once_however_often_clicked(session: Session) -> None:
    first = _proposal(session, PLACE_HEAVY)
    second = _proposal(session, {**PLACE_HEAVY, "place": 0.5})
    assert adopt(session, proposal_id=first, user_id=None)
    assert not adopt(session, proposal_id=first, user_id=None)  # a double click
    assert adopted_weights(session) == Weights(**PLACE_HEAVY)
    assert adopt(session, proposal_id=second, user_id=None)
    assert adopted_weights(session).place == 0.5
    assert revert(session, proposal_id=second, user_id=None)
    assert not revert(session, proposal_id=second, user_id=None)  # a double click
    assert adopted_weights(session) == Weights(**PLACE_HEAVY)  # the previous ones again
    assert revert(session, proposal_id=first, user_id=None)
    assert adopted_weights(session) == Weights()  # the hand weights
    assert (_audits(session, "adopt"), _audits(session, "revert")) == (2, 2)
    with pytest.raises(NotFoundError):
        adopt(session, proposal_id=987654, user_id=None)


def _ranked(session: Session, vacancy) -> list[tuple[int, float, tuple[str, ...], str]]:
    page = rank_candidates(session, vacancy, on=ON, filters=CandidateFilters())
    return [(p.person_id, p.score, tuple(sorted(p.components)), p.reason) for p in page.people]


def test_the_ranking_uses_the_adopted_weights_and_ignores_sex_and_ethnicity(
    session: Session, sewing
) -> None:
    # Near but expecting more than the offer, against further away and happy with it.
    near = graduate(session, sewing, expected_wage=12_000_000, sex="nam")
    away = graduate(session, sewing, commune_code="03253", sex="nu", ethnicity_code="01")
    vacancy = job(session, sewing)
    session.commit()
    assert [row[0] for row in _ranked(session, vacancy)] == [away, near]
    adopt(session, proposal_id=_proposal(session, PLACE_HEAVY), user_id=None)
    before = _ranked(session, vacancy)
    assert [row[0] for row in before] == [near, away]
    assert all(row[2] == tuple(sorted(ALL_COMPONENTS)) and row[3] for row in before)
    factories.ethnicity(session, "04", "Mông")
    with unit_of_work(session):
        for person in session.scalars(select(Person)):
            person.sex = "nu" if person.sex == "nam" else "nam"
            person.ethnicity_code = "04" if person.ethnicity_code != "04" else "01"
    assert _ranked(session, vacancy) == before


def test_the_fit_weights_command_prints_the_comparison_and_stores_the_proposal(
    engine, session: Session, sewing
) -> None:
    vacancy = job(session, sewing)
    refer(session, graduate(session, sewing), vacancy.id, "hired")
    refer(session, graduate(session, sewing), vacancy.id, "rejected", "Không đạt")
    session.commit()
    result = run(url_of(engine), "fit-weights", lang="en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Outcomes: 0 earlier ones fit the weights, 2 later ones judge them."
    assert lines[1].split() == ["hand", "fitted"]
    table = {" ".join(line.split()[:-2]): line.split()[-2:] for line in lines[2:11]}
    assert set(table) == {"Occupation", "Skills", "Level", "Place", "Wage", "Timing"} | {
        "Training order",
        "NDCG",
        "AUC",
    }
    assert table["Occupation"][0] == "0.350"
    assert lines[-1] == "Proposal 1 does not beat the hand weights: it cannot be adopted."
    stored = session.execute(select(WeightProposal)).scalar_one()
    assert stored.metrics["test_outcomes"] == 2 and not stored.beats_hand
