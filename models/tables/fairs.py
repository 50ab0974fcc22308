"""Job fairs and online job sessions (phiên giao dịch việc làm) of the Employment Service
Centre: the session, the communes it serves, the vacancies employers register for it, the
people invited (or who walked in) with the vacancies the engine matched them to, and what
happened on the day between a person and a vacancy (interview, offer, hire)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class JobFair(SQLModel, table=True):
    """One session: where and when it is held (a place, or a link when online), made by
    the centre's staff or an official; cancelled sessions stay, marked."""

    __tablename__ = "job_fair"
    __table_args__ = (Index("ix_job_fair_held_on", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    held_on: date
    online: bool = False
    place: str = Field(default="", max_length=300)  # an address, or the link of an online one
    created_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})
    cancelled_at: datetime | None = None
    invitations_at: datetime | None = None  # when the invitation lists were last made
    # The new-jobs register report that holds the session's hires (made by the first hire).
    report_id: int | None = Field(default=None, foreign_key="new_job_report.id")


class JobFairCommune(SQLModel, table=True):
    """A commune the session serves: its people are matched and invited."""

    __tablename__ = "job_fair_commune"
    fair_id: int = Field(foreign_key="job_fair.id", primary_key=True)
    commune_code: str = Field(max_length=5, primary_key=True)


class JobFairVacancy(SQLModel, table=True):
    """A vacancy its employer brought to the session (withdrawn: the row is deleted)."""

    __tablename__ = "job_fair_vacancy"
    __table_args__ = (UniqueConstraint("fair_id", "vacancy_id", name="uq_job_fair_vacancy_once"),)
    id: int | None = Field(default=None, primary_key=True)
    fair_id: int = Field(foreign_key="job_fair.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    registered_by_id: int = Field(foreign_key="user_account.id")
    registered_at: datetime = Field(default_factory=utcnow)


class JobFairGuest(SQLModel, table=True):
    """A person invited to the session (by the matching) or who walked in on the day, and
    when they came."""

    __tablename__ = "job_fair_guest"
    __table_args__ = (UniqueConstraint("fair_id", "person_id", name="uq_job_fair_guest_once"),)
    id: int | None = Field(default=None, primary_key=True)
    fair_id: int = Field(foreign_key="job_fair.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    commune_code: str | None = Field(default=None, max_length=5)
    invited: bool = True  # False: walked in
    attended_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class JobFairMatch(SQLModel, table=True):
    """A vacancy of the session the engine matched an invited person to, with its score."""

    __tablename__ = "job_fair_match"
    fair_id: int = Field(foreign_key="job_fair.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", primary_key=True)
    score: float = 0.0
    rank: int = 1  # 1: the person's best vacancy of the session


class JobFairStep(SQLModel, table=True):
    """What happened on the day between one person and one vacancy: each step is stamped
    once (a second click finds it stamped and changes nothing)."""

    __tablename__ = "job_fair_step"
    __table_args__ = (
        UniqueConstraint("fair_id", "person_id", "vacancy_id", name="uq_job_fair_step_once"),
    )
    id: int | None = Field(default=None, primary_key=True)
    fair_id: int = Field(foreign_key="job_fair.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    interviewed_at: datetime | None = None
    offered_at: datetime | None = None
    hired_at: datetime | None = None
    employment_spell_id: int | None = Field(default=None, foreign_key="employment_spell.id")
    recorded_by_id: int = Field(foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})
