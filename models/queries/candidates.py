"""What the candidates and referrals pages of a vacancy read: the ranked people of a page
(models.ranking) with their training, their referral here, and whether they have meanwhile
been employed elsewhere; and who an employer may act on for a vacancy. A few bounded queries
per page, never one per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Integer,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased, load_only
from sqlmodel import Session, col

from models.clock import today
from models.enums import ACTIVE_REFERRAL_STATUSES, EnrolmentStatus, ReferralStatus
from models.queries.eligible import eligible_person
from models.queries.reference import all_commune_names
from models.tables import (
    Application,
    Course,
    EmploymentSpell,
    Enrolment,
    JobFairMatch,
    JobFairStep,
    JobFairVacancy,
    Person,
    Referral,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
    Vacancy,
    VacancySuggestion,
)


def employed_since(
    person_id: Any, since: Any = None, *, except_vacancy: Any = None
) -> ColumnElement[bool]:
    """Whether a person holds a job taken since `since` (a date, a date column, or None for
    any time): an open employment spell that started then or later, or a hired referral whose
    job has not been recorded as ended. Spells and hires of `except_vacancy` (an id or a bound
    parameter) do not count."""
    spell_conditions = [
        col(EmploymentSpell.person_id) == person_id,
        col(EmploymentSpell.end_date).is_(None),
    ]
    if isinstance(since, date):
        spell_conditions.append(col(EmploymentSpell.start_date) >= since)
    elif since is not None:
        spell_conditions.append(or_(since.is_(None), col(EmploymentSpell.start_date) >= since))
    ended = aliased(EmploymentSpell)
    hire_conditions = [
        col(Referral.person_id) == person_id,
        col(Referral.status) == ReferralStatus.HIRED.value,
        # person_id first: employment_spell is indexed on it, not on referral_id.
        ~exists().where(
            col(ended.person_id) == col(Referral.person_id),
            col(ended.referral_id) == col(Referral.id),
            col(ended.end_date).is_not(None),
        ),
    ]
    if except_vacancy is not None:
        spell_conditions.append(
            or_(
                col(EmploymentSpell.vacancy_id).is_(None),
                col(EmploymentSpell.vacancy_id) != except_vacancy,
            )
        )
        hire_conditions.append(col(Referral.vacancy_id) != except_vacancy)
    return or_(exists().where(*spell_conditions), exists().where(*hire_conditions))


def employed_elsewhere(session: Session, person_ids: Iterable[int], vacancy_id: int) -> set[int]:
    """The people among `person_ids` employed since their latest graduation in a job other
    than this vacancy's: shown as such, and not to be hired here."""
    ids = list(person_ids)
    if not ids:
        return set()
    rows = session.execute(_employed_elsewhere_query(), {"ids": ids, "vacancy_id": vacancy_id})
    return set(rows.scalars().all())


# The statements of a page's rows are built once, with their values bound at each request:
# building them anew cost more than running them (a fifth of the candidates page's time).
_IDS = "ids"


@cache
def _employed_elsewhere_query() -> Executable:
    ids: BindParameter[list[int]] = bindparam(_IDS, expanding=True)
    vacancy = bindparam("vacancy_id", type_=Integer())
    graduated = (
        select(
            col(Enrolment.person_id).label("person_id"),
            func.max(Enrolment.graduated_on).label("since"),
        )
        .where(
            col(Enrolment.person_id).in_(ids),
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
        )
        .group_by(col(Enrolment.person_id))
        .subquery()
    )
    return (
        select(col(Person.id))
        .outerjoin(graduated, graduated.c.person_id == col(Person.id))
        .where(
            col(Person.id).in_(ids),
            employed_since(Person.id, graduated.c.since, except_vacancy=vacancy),
        )
    )


@dataclass(frozen=True)
class Training:
    """The graduation a candidacy rests on: the person's latest graduated enrolment."""

    enrolment_id: int
    occupation_id: int
    occupation_name: str
    level_code: str
    level_name: str
    level_rank: int
    training_order_id: int | None
    graduated_on: date | None
    certified: bool = False  # a certificate number is on record


def latest_trainings(session: Session, person_ids: Iterable[int]) -> dict[int, Training]:
    """Each person's latest graduated enrolment, with its occupation and level."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = session.execute(_latest_trainings_query(), {_IDS: ids}).all()
    return {row[0]: Training(*row[1:]) for row in rows}


@cache
def _latest_trainings_query() -> Executable:
    query = (
        select(
            col(Enrolment.person_id),
            col(Enrolment.id),
            col(Course.occupation_id),
            col(TrainingOccupation.name),
            col(Course.level_code),
            col(TrainingLevel.name),
            col(TrainingLevel.rank),
            col(Course.training_order_id),
            col(Enrolment.graduated_on),
            col(Enrolment.certificate_number).is_not(None),
        )
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .join(TrainingLevel, col(TrainingLevel.code) == col(Course.level_code))
        .where(
            col(Enrolment.person_id).in_(bindparam(_IDS, expanding=True)),
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
        )
        .order_by(col(Enrolment.graduated_on).asc().nulls_first(), col(Enrolment.id))
    )
    return query


def latest_referrals(
    session: Session, vacancy_id: int, person_ids: Iterable[int]
) -> dict[int, Referral]:
    """Each person's latest referral to this vacancy (an active one if there is one)."""
    ids = list(person_ids)
    if not ids:
        return {}
    query = (
        select(Referral)
        .where(col(Referral.vacancy_id) == vacancy_id, col(Referral.person_id).in_(ids))
        .order_by(col(Referral.id))
    )
    return {referral.person_id: referral for referral in session.execute(query).scalars()}


def commune_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """Names of communes by code, the unit in force winning over former ones."""
    names = all_commune_names(session)
    return {code: names[code] for code in codes if code and code in names}


@dataclass(frozen=True)
class Candidate:
    """One ranked graduate as the candidates page shows them (before access rules)."""

    person: Person
    suggestion: VacancySuggestion  # the engine's result, computed for this view, not stored
    training: Training | None
    referral: Referral | None
    employed_elsewhere: bool
    commune_name: str


def candidates_for(
    session: Session, vacancy: Vacancy, ranked: Sequence[VacancySuggestion]
) -> list[Candidate]:
    """The ranked people of a page (the engine's results, in their order), with everything a
    row shows. Four bounded queries, whatever the page's size."""
    ids = [suggestion.person_id for suggestion in ranked]
    people = {
        person.id: person for person in session.execute(_people_query(), {_IDS: ids}).scalars()
    }
    assert vacancy.id is not None
    trainings = latest_trainings(session, ids)
    referrals = latest_referrals(session, vacancy.id, ids)
    elsewhere = employed_elsewhere(session, ids, vacancy.id)
    names = commune_names(session, (person.commune_code for person in people.values()))
    return [
        Candidate(
            person=person,
            suggestion=suggestion,
            training=trainings.get(suggestion.person_id),
            referral=referrals.get(suggestion.person_id),
            employed_elsewhere=suggestion.person_id in elsewhere,
            commune_name=names.get(person.commune_code, person.commune_code),
        )
        for suggestion in ranked
        if (person := people.get(suggestion.person_id)) is not None
    ]


@cache
def _people_query() -> Executable:
    """Only the columns a row shows or decides on: loading the whole person (skills, wishes
    as JSON, birth date, household...) was a tenth of the page. Any other column read from
    these objects raises, so a template cannot quietly add one query per row."""
    columns = (
        "id",
        "full_name",
        "citizen_id",
        "phone",
        "ethnicity_code",
        "consent_to_employers",
        "commune_code",
        "willing_to_work",
        "expected_wage",  # the reason names the room the offer leaves above it
    )
    shown = load_only(*(getattr(Person, name) for name in columns), raiseload=True)
    return select(Person).options(shown).where(col(Person.id).in_(bindparam(_IDS, expanding=True)))


@dataclass(frozen=True)
class ReferralRow:
    """A referral to the vacancy with its person, for the referrals list."""

    referral: Referral
    person: Person
    training: Training | None
    employed_elsewhere: bool
    commune_name: str = ""


def referrals_for(session: Session, vacancy_id: int) -> list[ReferralRow]:
    """Every referral to a vacancy, newest first."""
    query = (
        select(Referral, Person)
        .join(Person, col(Person.id) == col(Referral.person_id))
        .where(col(Referral.vacancy_id) == vacancy_id)
        .order_by(col(Referral.id).desc())
    )
    rows = session.execute(query).all()
    ids = {person.id for _, person in rows if person.id is not None}
    trainings = latest_trainings(session, ids)
    elsewhere = employed_elsewhere(session, ids, vacancy_id)
    names = commune_names(session, (person.commune_code for _, person in rows))
    return [
        ReferralRow(
            referral,
            person,
            trainings.get(person.id or 0),
            person.id in elsewhere,
            names.get(person.commune_code, person.commune_code),
        )
        for referral, person in rows
    ]


def related_to_vacancy(
    session: Session, vacancy: Vacancy, person_id: int, *, on: date | None = None
) -> bool:
    """Whether an employer may act on this person for this vacancy: they are eligible for it
    (the rules by which the candidates page ranks, models.queries.eligible), they applied to
    it (an open application), they were already referred to it (any status), or they were
    enrolled in a course trained for one of the vacancy's employer's training orders (its
    cohort), or a job fair ties them to this vacancy (matched to it, or a step of the day was
    recorded for it).
    Anyone else is, to the employer, nobody: ids cannot be tried in turn."""
    ranked = eligible_person(vacancy, person_id, on or today())
    referred = exists().where(
        col(Referral.vacancy_id) == vacancy.id, col(Referral.person_id) == person_id
    )
    applied = exists().where(
        col(Application.vacancy_id) == vacancy.id,
        col(Application.person_id) == person_id,
        col(Application.status) == "open",
    )
    cohort = (
        exists()
        .where(col(Enrolment.person_id) == person_id)
        .where(col(Course.id) == col(Enrolment.course_id))
        .where(col(TrainingOrder.id) == col(Course.training_order_id))
        .where(col(TrainingOrder.employer_id) == vacancy.employer_id)
    )
    # A fair relates a person to this vacancy only through the vacancy's own rows there:
    # matched (invited) for it, or a step of the day recorded for it (hires and walk-ins
    # included). Being a guest of a fair the vacancy was brought to is not enough.
    matched = (
        exists()
        .where(col(JobFairMatch.person_id) == person_id)
        .where(col(JobFairMatch.vacancy_id) == vacancy.id)
        .where(col(JobFairVacancy.fair_id) == col(JobFairMatch.fair_id))
        .where(col(JobFairVacancy.vacancy_id) == vacancy.id)
    )
    stepped = exists().where(
        col(JobFairStep.person_id) == person_id, col(JobFairStep.vacancy_id) == vacancy.id
    )
    related = or_(ranked, applied, referred, cohort, matched, stepped)
    return bool(session.execute(select(related)).scalar())


def active_referral(session: Session, vacancy_id: int, person_id: int) -> Referral | None:
    """The referral of this person to this vacancy still in progress or hired, if any."""
    query = select(Referral).where(
        col(Referral.vacancy_id) == vacancy_id,
        col(Referral.person_id) == person_id,
        col(Referral.status).in_([status.value for status in ACTIVE_REFERRAL_STATUSES]),
    )
    return session.execute(query).scalars().first()


@dataclass(frozen=True)
class CandidateFilters:
    """What the employer narrowed the list to (None: no filter), applied to every eligible
    person before the list is cut into pages (models.ranking)."""

    min_score: int | None = None  # percent
    min_level_rank: int | None = None
    commune_code: str | None = None
    order_only: bool = False
    recent: bool = False  # graduated in the last six months


def order_linked(training: Training | None, vacancy: Vacancy) -> bool:
    """Trained in a course of the training order this vacancy belongs to."""
    return (
        training is not None
        and vacancy.training_order_id is not None
        and training.training_order_id == vacancy.training_order_id
    )


def training_levels(session: Session) -> list[TrainingLevel]:
    """Every training level, lowest first (for the level filter and the reason line)."""
    query = select(TrainingLevel).order_by(col(TrainingLevel.rank))
    return list(session.execute(query).scalars().all())
