"""Employers, their vacancies and training orders, referrals of graduates, employment spells
and follow-up observations after training."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import JSON, CheckConstraint, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.encryption import EMPLOYER_PHONE, SealedString


class WorkPlace(SQLModel):
    """Where an employer or a job is: a commune of the province, another province, abroad."""

    location_kind: str = Field(default="commune", max_length=16)
    commune_code: str | None = Field(default=None, max_length=5)
    province_code: str | None = Field(default=None, max_length=2)
    country_code: str | None = Field(default=None, max_length=2)


class Employer(WorkPlace, table=True):
    """An enterprise, public body or licensed labour-export company that hires."""

    __tablename__ = "employer"
    __table_args__ = (UniqueConstraint("tax_code", name="uq_employer_tax_code"),)
    name: str = Field(max_length=200)
    tax_code: str | None = Field(default=None, max_length=14)
    sector_code: str = Field(foreign_key="economic_sector.code", max_length=2)
    address: str = Field(default="", max_length=300)
    phone: str | None = Field(default=None, max_length=16, sa_type=SealedString(EMPLOYER_PHONE))
    email: str | None = Field(default=None, max_length=120)
    is_labour_export_company: bool = False
    is_active: bool = True
    id: int | None = Field(default=None, primary_key=True)
    name_key: str = Field(max_length=200, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class VacancyBase(WorkPlace):
    employer_id: int = Field(foreign_key="employer.id", index=True)
    title: str = Field(max_length=200)
    occupation_id: int | None = Field(default=None, foreign_key="training_occupation.id")
    description: str = ""
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    quantity: int
    required_level_code: str | None = Field(
        default=None, foreign_key="training_level.code", max_length=20
    )
    wage_min: int | None = None
    wage_max: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    start_date: date | None = None
    deadline: date | None = None
    status: str = Field(default="open", max_length=10, index=True)
    training_order_id: int | None = Field(default=None, foreign_key="training_order.id")


class Vacancy(VacancyBase, table=True):
    """Places an employer wants to fill. `filled` is claimed one place at a time by a
    conditional UPDATE; the CHECK makes over-filling impossible even for a buggy writer."""

    __tablename__ = "vacancy"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("filled >= 0 AND filled <= quantity", name="filled_within_quantity"),
        CheckConstraint(
            "wage_min IS NULL OR wage_max IS NULL OR wage_min <= wage_max", name="wage_ordered"
        ),
        CheckConstraint(
            "age_min IS NULL OR age_max IS NULL OR age_min <= age_max", name="age_ordered"
        ),
        Index("ix_vacancy_occupation", "occupation_id"),
        Index("ix_vacancy_status_deadline", "status", "deadline"),
        Index("ix_vacancy_updated_at_id", "updated_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    title_key: str = Field(max_length=200, index=True)
    # Folded syllables of the title, skills and description, a space at each end, for
    # whole-syllable search (matching.syllables.advert_key).
    search_text: str = Field(default="", sa_type=Text)
    filled: int = 0
    created_at: datetime = Field(default_factory=utcnow, index=True)
    filled_at: datetime | None = None
    # Moved by every write of the row, the ORM's and core UPDATEs alike (a hire's conditional
    # UPDATE too): the API's partners sync what changed since their last read by it.
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})


class VacancyCreate(VacancyBase):
    """A vacancy as its form checks it: the table's columns, and limits of the columns the
    table leaves open (text, a JSON list, a count)."""

    description: str = Field(default="", max_length=4000)
    skills: list[Annotated[str, StringConstraints(max_length=80)]] = Field(
        default_factory=list, max_length=30
    )
    quantity: int = Field(ge=1, le=10_000)


class TrainingOrderBase(WorkPlace):
    employer_id: int = Field(foreign_key="employer.id", index=True)
    institution_id: int | None = Field(default=None, foreign_key="institution.id", index=True)
    occupation_id: int = Field(foreign_key="training_occupation.id")
    level_code: str = Field(foreign_key="training_level.code", max_length=20)
    quantity: int
    needed_by: date
    unit_cost: int | None = None  # VND per learner
    hiring_commitment: int = 0  # how many the employer commits to hire
    committed_wage: int | None = None
    funding_source: str | None = Field(default=None, max_length=30)
    note: str = ""


class TrainingOrder(TrainingOrderBase, table=True):
    """Training by employer order: an employer orders trained workers from an institution."""

    __tablename__ = "training_order"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="order_quantity_positive"),
        CheckConstraint("hiring_commitment >= 0", name="commitment_non_negative"),
        Index("ix_training_order_updated_at_id", "updated_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="requested", max_length=12, index=True)
    status_reason: str = ""
    requested_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    closed_at: datetime | None = None
    # Moved by every write of the row: the API's partners sync what changed by it.
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})


class TrainingOrderCreate(TrainingOrderBase):
    """A training order as its form checks it: the table's columns, a count's bounds and the
    length of the note."""

    quantity: int = Field(ge=1, le=10_000)
    note: str = Field(default="", max_length=2000)


class Referral(SQLModel, table=True):
    """A graduate proposed for a vacancy, followed from proposal to hire or rejection. At most
    one active referral per person and vacancy (a partial unique index)."""

    __tablename__ = "referral"
    __table_args__ = (
        Index(
            "uq_referral_active",
            "person_id",
            "vacancy_id",
            unique=True,
            sqlite_where=text("status IN ('proposed','referred','interview','hired')"),
            postgresql_where=text("status IN ('proposed','referred','interview','hired')"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    status: str = Field(default="proposed", max_length=10)
    reason: str = ""  # why rejected or withdrawn
    score: float | None = None  # the matching score when proposed
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EmploymentSpell(WorkPlace, table=True):
    """A job someone holds from start_date, counted in one of the province's six new-job
    channels, with whether it uses the occupation they were trained in."""

    __tablename__ = "employment_spell"
    __table_args__ = (Index("ix_employment_person_start", "person_id", "start_date"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    vacancy_id: int | None = Field(default=None, foreign_key="vacancy.id", index=True)
    referral_id: int | None = Field(default=None, foreign_key="referral.id")
    enrolment_id: int | None = Field(default=None, foreign_key="enrolment.id", index=True)
    start_date: date = Field(index=True)
    end_date: date | None = None
    kind: str = Field(max_length=20)
    channel: str = Field(max_length=30, index=True)
    is_new_job: bool = True
    abroad_programme: str | None = Field(default=None, max_length=40)
    occupation_id: int | None = Field(default=None, foreign_key="training_occupation.id")
    in_trained_occupation: bool | None = None
    sector_code: str | None = Field(default=None, foreign_key="economic_sector.code")
    wage: int | None = None
    source: str = Field(default="platform", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class FollowUp(SQLModel, table=True):
    """What a graduate was doing some months after graduation, and how we learned it."""

    __tablename__ = "follow_up"
    __table_args__ = (UniqueConstraint("enrolment_id", "months_after"),)
    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    months_after: int
    observed_on: date = Field(index=True)
    status: str = Field(max_length=20)
    in_trained_occupation: bool | None = None
    income: int | None = None
    source: str = Field(max_length=20)
    employment_spell_id: int | None = Field(default=None, foreign_key="employment_spell.id")
    recorded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    import_id: int | None = Field(default=None, index=True)  # the Excel import that made it


class VacancySuggestion(SQLModel, table=True):
    """Ranked candidates computed by the matching engine for an open vacancy, stored so
    pages read them without recomputing."""

    __tablename__ = "vacancy_suggestion"
    vacancy_id: int = Field(foreign_key="vacancy.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    rank: int
    score: float
    components: dict[str, float] = Field(default_factory=dict, sa_type=JSON)
    matched_skills: list[str] = Field(default_factory=list, sa_type=JSON)
    missing_skills: list[str] = Field(default_factory=list, sa_type=JSON)
    reason: str = ""
    computed_at: datetime = Field(default_factory=utcnow)


class LabourForceFigure(SQLModel, table=True):
    """Labour-force figures an official imports with their source (the platform does not hold
    the whole labour force): denominators of the trained-share and structure targets."""

    __tablename__ = "labour_force_figure"
    __table_args__ = (UniqueConstraint("year", "commune_code", "source"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    commune_code: str | None = Field(default=None, max_length=5)  # None = whole province
    labour_force: int
    trained: int
    trained_certified: int
    employed: int
    employed_nlts: int
    employed_cnxd: int
    employed_dv: int
    source: str = Field(max_length=200)
    imported_at: datetime = Field(default_factory=utcnow)


class PublishedFigure(SQLModel, table=True):
    """A province-wide figure published before the platform kept the records (the province's
    yearly reports): shown beside the platform's figures and marked as published, never mixed
    into them. One per year and indicator; a count in people, a share in percent as printed."""

    __tablename__ = "published_figure"
    __table_args__ = (UniqueConstraint("year", "indicator"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    indicator: str = Field(max_length=40)  # models.enums.TargetIndicator
    value: float
    source: str = Field(max_length=200)
    imported_at: datetime = Field(default_factory=utcnow)
