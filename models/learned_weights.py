"""Component weights learned from the platform's referral outcomes: reading the outcomes as
graded pairs, storing a fitted proposal with its metrics, adopting one or reverting to the
previous weights, and the weights the engine uses now (the adopted ones, else the hand ones).

The fitting itself is :mod:`matching.learning`, on plain arrays; this module only turns rows
into those arrays and keeps the proposals."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, cast

import numpy as np
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from matching.engine import Matcher
from matching.learning import OutcomeSet, compare, outcome_grade
from matching.profiles import GraduateProfile, VacancyProfile
from matching.score import COMPONENTS, Weights
from models import audit
from models.clock import utcnow
from models.db import unit_of_work
from models.enums import EnrolmentStatus, ReferralStatus
from models.errors import ConflictError, NotFoundError
from models.ids import out_of_range
from models.profiles import profiles_of_rows, vacancy_profile
from models.queries.eligible import graduate_columns
from models.tables import Course, Enrolment, Person, Referral, Vacancy, WeightProposal

GRADED = (
    ReferralStatus.HIRED.value,
    ReferralStatus.INTERVIEW.value,
    ReferralStatus.REJECTED.value,
    ReferralStatus.WITHDRAWN.value,
)
TRAIN_SHARE = 0.7  # the earliest 70 % of the vacancies train; the latest 30 % test
COMPONENT_LABELS = {  # msgids, shown on the weights page and by `dbjobs fit-weights`
    "occupation": "Occupation",
    "skills": "Skills",
    "level": "Level",
    "place": "Place",
    "wage": "Wage",
    "timing": "Timing",
    "order": "Training order",
}


def _graded_referrals(session: Session) -> list[tuple[int, int, int, date]]:
    """(person, vacancy, grade, day the vacancy's first referral was made) of every referral
    whose outcome teaches something, oldest vacancy first."""
    rows = session.execute(
        select(
            col(Referral.person_id),
            col(Referral.vacancy_id),
            col(Referral.status),
            col(Referral.reason),
            col(Referral.created_at),
        )
        .where(col(Referral.status).in_(GRADED))
        .order_by(col(Referral.vacancy_id), col(Referral.id))
    ).all()
    first: dict[int, date] = {}
    for _, vacancy_id, _, _, created in rows:
        day = created.date()
        first[vacancy_id] = min(first.get(vacancy_id, day), day)
    graded = []
    for person_id, vacancy_id, status, reason, _ in rows:
        grade = outcome_grade(status, reason or "")
        if grade is not None:
            graded.append((person_id, vacancy_id, grade, first[vacancy_id]))
    return graded


def _graduates(session: Session, person_ids: set[int]) -> dict[int, GraduateProfile]:
    """Each person's profile from their latest graduation (what the engine ranked them by)."""
    query = (
        select(*graduate_columns())
        .join(Enrolment, col(Enrolment.person_id) == col(Person.id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
            col(Person.id).in_(sorted(person_ids)),
        )
        .order_by(
            col(Person.id), col(Enrolment.graduated_on).asc().nulls_first(), col(Enrolment.id)
        )
    )
    latest = {row[0]: row for row in session.execute(query).all()}
    return {int(p.id): p for p in profiles_of_rows(session, latest.values())}


def referral_outcomes(session: Session, *, on: date) -> OutcomeSet:
    """The graded referral outcomes as the engine's components of each pair (scored with the
    profiles as they are now; `on` stands for a vacancy's missing start date)."""
    graded = _graded_referrals(session)
    graduates = _graduates(session, {person for person, *_ in graded})
    graded = [row for row in graded if row[0] in graduates]
    vacancies: dict[int, VacancyProfile] = {}
    has_order: dict[int, bool] = {}
    for vacancy in session.scalars(
        select(Vacancy).where(col(Vacancy.id).in_(sorted({row[1] for row in graded})))
    ):
        assert vacancy.id is not None
        vacancies[vacancy.id] = vacancy_profile(session, vacancy)
        has_order[vacancy.id] = vacancy.training_order_id is not None
    if not graded:
        empty = np.zeros(0, dtype=np.int64)
        return OutcomeSet(np.zeros((0, len(COMPONENTS))), empty.astype(bool), empty, empty, empty)
    pairs = [(graduates[person], vacancies[vacancy]) for person, vacancy, *_ in graded]
    matches = Matcher(today=on).score_pairs(pairs)
    return OutcomeSet(
        components=np.array([[m.components[name] for name in COMPONENTS] for m in matches]),
        has_order=np.array([has_order[vacancy] for _, vacancy, *_ in graded]),
        grade=np.array([grade for _, _, grade, _ in graded], dtype=np.int64),
        group=np.array([vacancy for _, vacancy, *_ in graded], dtype=np.int64),
        when=np.array([day.toordinal() for *_, day in graded], dtype=np.int64),
    )


def fit_proposal(session: Session, *, on: date) -> WeightProposal:
    """Fit weights on the earlier outcomes, judge them and the hand weights on the later
    ones, and store the proposal (not adopted)."""
    result = compare(referral_outcomes(session, on=on), hand=Weights(), train_share=TRAIN_SHARE)
    metrics = {
        "hand": asdict(result.hand),
        "fitted": asdict(result.fitted),
        "train_outcomes": result.train_outcomes,
        "test_outcomes": result.test_outcomes,
        "confidence": result.confidence,
    }
    proposal = WeightProposal(
        fitted_on=on,
        weights=result.fitted_weights.as_dict(),
        hand_weights=result.hand_weights.as_dict(),
        metrics=metrics,
        beats_hand=result.beats_hand,
    )
    with unit_of_work(session):
        session.add(proposal)
    return proposal


def proposals(session: Session, *, limit: int = 50) -> list[WeightProposal]:
    """The newest proposals first."""
    query = select(WeightProposal).order_by(col(WeightProposal.id).desc()).limit(limit)
    return list(session.scalars(query))


def adopted_proposal(session: Session) -> WeightProposal | None:
    query = select(WeightProposal).where(col(WeightProposal.state) == "adopted")
    return session.scalars(query).first()


def adopted_weights(session: Session) -> Weights:
    """The weights the engine uses: the adopted proposal's, else the hand weights."""
    values = session.execute(
        select(col(WeightProposal.weights)).where(col(WeightProposal.state) == "adopted")
    ).scalar()
    if not values:
        return Weights()
    return Weights(**{name: float(values[name]) for name in COMPONENTS})


def _set_state(session: Session, proposal_id: int, old: str, new: str, **values: Any) -> bool:
    """Move one proposal from state `old` to `new` with one conditional write (a second click
    finds it moved already and changes nothing)."""
    result = session.execute(
        update(WeightProposal)
        .where(col(WeightProposal.id) == proposal_id, col(WeightProposal.state) == old)
        .values(state=new, **values)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _proposal(session: Session, proposal_id: int) -> WeightProposal:
    proposal = None if out_of_range(proposal_id) else session.get(WeightProposal, proposal_id)
    if proposal is None:
        raise NotFoundError(None, "No such weight proposal.")
    return proposal


def adopt(session: Session, *, proposal_id: int, user_id: int | None) -> bool:
    """Adopt a proposal that beat the hand weights; the one adopted before is retired and
    remembered for a revert. False when it is adopted already (a double click)."""
    with unit_of_work(session):
        proposal = _proposal(session, proposal_id)
        if proposal.state == "adopted":
            return False
        if not proposal.beats_hand:
            raise ConflictError(
                None, "These weights did not rank the later outcomes better than the hand weights."
            )
        before = adopted_proposal(session)
        if before is not None:
            _set_state(session, before.id or 0, "adopted", "retired")
        try:
            moved = _set_state(
                session,
                proposal_id,
                proposal.state,
                "adopted",
                replaced_id=before.id if before else None,
                adopted_at=utcnow(),
                adopted_by_id=user_id,
            )
        except IntegrityError as error:  # another administrator adopted one at this moment
            raise ConflictError(
                None, "The weights were changed by someone else at the same moment. Try again."
            ) from error
        if not moved:
            return False
        audit.record(
            session,
            user_id=user_id,
            action="adopt",
            entity="weight_proposal",
            entity_id=proposal_id,
            replaced=before.id if before else None,
        )
    return True


def revert(session: Session, *, proposal_id: int, user_id: int | None) -> bool:
    """Stop using the adopted proposal `proposal_id` and go back to the weights adopted
    before it (the hand weights when none was). False when it is not adopted (any more)."""
    with unit_of_work(session):
        proposal = _proposal(session, proposal_id)
        if not _set_state(session, proposal_id, "adopted", "retired"):
            return False
        previous = proposal.replaced_id
        if previous is not None:
            _set_state(session, previous, "retired", "adopted")
        audit.record(
            session,
            user_id=user_id,
            action="revert",
            entity="weight_proposal",
            entity_id=proposal_id,
            back_to=previous,
        )
    return True
