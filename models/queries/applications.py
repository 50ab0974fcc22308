"""What the candidates page reads about the people who applied to a vacancy from the public
board, and which people an employer may now call (they applied, or were referred)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, union
from sqlmodel import Session, col

from models.queries.candidates import (
    Training,
    commune_names,
    employed_elsewhere,
    latest_referrals,
    latest_trainings,
)
from models.tables import Application, Person, Referral, TrainingOccupation, Vacancy


@dataclass(frozen=True)
class Applicant:
    """One open application with everything its row shows (before access rules)."""

    application: Application
    person: Person
    occupation: TrainingOccupation | None  # the occupation chosen on the form
    training: Training | None
    referral: Referral | None
    employed_elsewhere: bool
    commune_name: str


def applicants_for(session: Session, vacancy: Vacancy) -> list[Applicant]:
    """The open applications to a vacancy, oldest first."""
    assert vacancy.id is not None
    rows = session.execute(
        select(Application, Person, TrainingOccupation)
        .join(Person, col(Person.id) == col(Application.person_id))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Application.occupation_id))
        .where(col(Application.vacancy_id) == vacancy.id, col(Application.status) == "open")
        .order_by(col(Application.created_at), col(Application.id))
    ).all()
    ids = [person.id for _, person, _ in rows if person.id is not None]
    trainings = latest_trainings(session, ids)
    referrals = latest_referrals(session, vacancy.id, ids)
    elsewhere = employed_elsewhere(session, ids, vacancy.id)
    names = commune_names(session, (person.commune_code for _, person, _ in rows))
    return [
        Applicant(
            application=application,
            person=person,
            occupation=occupation,
            training=trainings.get(person.id or 0),
            referral=referrals.get(person.id),
            employed_elsewhere=person.id in elsewhere,
            commune_name=names.get(person.commune_code, person.commune_code),
        )
        for application, person, occupation in rows
    ]


def in_contact(session: Session, vacancy_id: int, person_ids: Iterable[int]) -> set[int]:
    """The people among `person_ids` who applied to this vacancy or were referred to it: its
    employer may see their phone to call them."""
    ids = list(person_ids)
    if not ids:
        return set()
    applied = select(col(Application.person_id)).where(
        col(Application.vacancy_id) == vacancy_id,
        col(Application.status) == "open",
        col(Application.person_id).in_(ids),
    )
    referred = select(col(Referral.person_id)).where(
        col(Referral.vacancy_id) == vacancy_id, col(Referral.person_id).in_(ids)
    )
    return set(session.execute(union(applied, referred)).scalars().all())
