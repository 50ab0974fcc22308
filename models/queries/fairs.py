"""Reads of job fairs: the sessions a user may list, a session's communes, vacancies, guests,
matches and steps, and the figures of its report. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.enums import EnrolmentStatus
from models.tables import (
    Application,
    Employer,
    Enrolment,
    JobFair,
    JobFairCommune,
    JobFairGuest,
    JobFairMatch,
    JobFairStep,
    JobFairVacancy,
    Person,
    Vacancy,
)


def list_fairs(
    session: Session, *, commune_code: str | None = None, limit: int = 200
) -> list[JobFair]:
    """Sessions, latest first; a commune officer's: those serving their commune."""
    query = select(JobFair).order_by(col(JobFair.held_on).desc(), col(JobFair.id).desc())
    if commune_code is not None:
        query = query.where(
            col(JobFair.id).in_(
                select(col(JobFairCommune.fair_id)).where(
                    col(JobFairCommune.commune_code) == commune_code
                )
            )
        )
    return list(session.exec(query.limit(limit)).all())


def fair_communes(session: Session, fair_id: int) -> list[str]:
    return list(
        session.exec(
            select(col(JobFairCommune.commune_code))
            .where(col(JobFairCommune.fair_id) == fair_id)
            .order_by(col(JobFairCommune.commune_code))
        ).all()
    )


@dataclass(frozen=True)
class FairVacancyRow:
    registration: JobFairVacancy
    vacancy: Vacancy
    employer_name: str


def fair_vacancies(
    session: Session, fair_id: int, *, employer_id: int | None = None
) -> list[FairVacancyRow]:
    """The vacancies registered for the session (an employer's own only, when given)."""
    query = (
        select(JobFairVacancy, Vacancy, Employer.name)
        .join(Vacancy, col(Vacancy.id) == col(JobFairVacancy.vacancy_id))
        .join(Employer, col(Employer.id) == col(JobFairVacancy.employer_id))
        .where(col(JobFairVacancy.fair_id) == fair_id)
        .order_by(col(Employer.name), col(Vacancy.title), col(Vacancy.id))
    )
    if employer_id is not None:
        query = query.where(col(JobFairVacancy.employer_id) == employer_id)
    return [FairVacancyRow(r, v, name) for r, v, name in session.exec(query).all()]


def registered(session: Session, fair_id: int, vacancy_id: int) -> JobFairVacancy | None:
    return session.exec(
        select(JobFairVacancy).where(
            col(JobFairVacancy.fair_id) == fair_id, col(JobFairVacancy.vacancy_id) == vacancy_id
        )
    ).first()


def guest_of(session: Session, fair_id: int, person_id: int) -> JobFairGuest | None:
    return session.exec(
        select(JobFairGuest).where(
            col(JobFairGuest.fair_id) == fair_id, col(JobFairGuest.person_id) == person_id
        )
    ).first()


@dataclass(frozen=True)
class GuestRow:
    guest: JobFairGuest
    person: Person
    matches: list[JobFairMatch]
    steps: dict[int, JobFairStep]  # by vacancy id


def guests(
    session: Session,
    fair_id: int,
    *,
    commune_code: str | None = None,
    vacancy_ids: Sequence[int] | None = None,
) -> list[GuestRow]:
    """The session's guests (of one commune, or those matched to or met by some vacancies),
    sorted the Vietnamese way, with their matches and steps."""
    query = (
        select(JobFairGuest, Person)
        .join(Person, col(Person.id) == col(JobFairGuest.person_id))
        .where(col(JobFairGuest.fair_id) == fair_id)
        .order_by(col(Person.sort_key), col(Person.id))
    )
    if commune_code is not None:
        query = query.where(col(JobFairGuest.commune_code) == commune_code)
    rows = session.exec(query).all()
    matches: dict[int, list[JobFairMatch]] = {}
    for match in session.exec(
        select(JobFairMatch)
        .where(col(JobFairMatch.fair_id) == fair_id)
        .order_by(col(JobFairMatch.rank))
    ).all():
        matches.setdefault(match.person_id, []).append(match)
    steps: dict[int, dict[int, JobFairStep]] = {}
    for step in session.exec(select(JobFairStep).where(col(JobFairStep.fair_id) == fair_id)).all():
        steps.setdefault(step.person_id, {})[step.vacancy_id] = step
    result = [
        GuestRow(guest, person, matches.get(person.id or 0, []), steps.get(person.id or 0, {}))
        for guest, person in rows
    ]
    if vacancy_ids is not None:
        wanted = set(vacancy_ids)
        result = [
            row for row in result if wanted & ({m.vacancy_id for m in row.matches} | set(row.steps))
        ]
    return result


GRADUATE = "graduate"
JOB_SEEKER = "job_seeker"


def guest_kinds(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    """Who each person is to the session, as the matching took them: a graduate (they
    graduated from a course here), else a job seeker (they applied to a vacancy from the
    public board); people who are neither (some walk-ins) are left out."""
    ids = list(person_ids)
    if not ids:
        return {}
    graduated = select(col(Enrolment.person_id)).where(
        col(Enrolment.person_id).in_(ids),
        col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
    )
    applied = select(col(Application.person_id)).where(col(Application.person_id).in_(ids))
    kinds = {person_id: JOB_SEEKER for person_id in session.exec(applied.distinct()).all()}
    kinds.update({person_id: GRADUATE for person_id in session.exec(graduated.distinct()).all()})
    return kinds


@dataclass(frozen=True)
class FairFigures:
    """A session's figures as its report shows them."""

    fair: JobFair
    employers: int
    vacancies: int
    places: int
    invited: int
    attended: int
    walk_ins: int
    interviews: int
    offers: int
    hired: int  # people hired (each once)

    @property
    def hire_rate(self) -> float | None:
        """Hired people per attendee."""
        return self.hired / self.attended if self.attended else None


def fair_figures(session: Session, fair: JobFair) -> FairFigures:
    fair_id = fair.id
    registrations = session.exec(
        select(
            func.count(func.distinct(col(JobFairVacancy.employer_id))),
            func.count(col(JobFairVacancy.id)),
            func.coalesce(func.sum(col(Vacancy.quantity)), 0),
        )
        .join(Vacancy, col(Vacancy.id) == col(JobFairVacancy.vacancy_id))
        .where(col(JobFairVacancy.fair_id) == fair_id)
    ).one()
    guests_row = session.exec(
        select(
            func.count(col(JobFairGuest.id)),
            func.count(col(JobFairGuest.attended_at)),
            func.count(col(JobFairGuest.id)).filter(col(JobFairGuest.invited).is_(False)),
        ).where(col(JobFairGuest.fair_id) == fair_id)
    ).one()
    invited = session.exec(
        select(func.count(col(JobFairGuest.id))).where(
            col(JobFairGuest.fair_id) == fair_id, col(JobFairGuest.invited).is_(True)
        )
    ).one()
    steps = session.exec(
        select(
            func.count(func.distinct(col(JobFairStep.person_id))).filter(
                col(JobFairStep.interviewed_at).is_not(None)
            ),
            func.count(func.distinct(col(JobFairStep.person_id))).filter(
                col(JobFairStep.offered_at).is_not(None)
            ),
            func.count(func.distinct(col(JobFairStep.person_id))).filter(
                col(JobFairStep.hired_at).is_not(None)
            ),
        ).where(col(JobFairStep.fair_id) == fair_id)
    ).one()
    return FairFigures(
        fair=fair,
        employers=int(registrations[0]),
        vacancies=int(registrations[1]),
        places=int(registrations[2]),
        invited=int(invited),
        attended=int(guests_row[1]),
        walk_ins=int(guests_row[2]),
        interviews=int(steps[0]),
        offers=int(steps[1]),
        hired=int(steps[2]),
    )


def previous_fairs(session: Session, fair: JobFair, *, limit: int = 5) -> list[JobFair]:
    """The sessions held before this one (not cancelled), latest first."""
    held: date = fair.held_on
    return list(
        session.exec(
            select(JobFair)
            .where(
                col(JobFair.cancelled_at).is_(None),
                col(JobFair.id) != fair.id,
                (col(JobFair.held_on) < held)
                | ((col(JobFair.held_on) == held) & (col(JobFair.id) < (fair.id or 0))),
            )
            .order_by(col(JobFair.held_on).desc(), col(JobFair.id).desc())
            .limit(limit)
        ).all()
    )


def open_vacancies_of(session: Session, employer_id: int, *, on: date) -> list[Vacancy]:
    """The employer's vacancies open on `on` (deadline not passed), what they may bring."""
    return list(
        session.exec(
            select(Vacancy)
            .where(
                col(Vacancy.employer_id) == employer_id,
                col(Vacancy.status) == "open",
                (col(Vacancy.deadline).is_(None)) | (col(Vacancy.deadline) >= on),
            )
            .order_by(col(Vacancy.title), col(Vacancy.id))
        ).all()
    )
