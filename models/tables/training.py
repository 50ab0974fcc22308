"""Training institutions, their courses, the people they train and each enrolment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Index,
    String,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlmodel import Field, SQLModel

from matching.text import name_sort_text
from models.clock import utcnow
from models.encryption import (
    HASH_LENGTH,
    INSTITUTION_PHONE,
    PERSON_CITIZEN_ID,
    PERSON_PHONE,
    SealedString,
    hash_of,
    keys,
)


class Institution(SQLModel, table=True):
    """A vocational training institution: college, centre, or an enterprise that trains."""

    __tablename__ = "institution"
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=30)
    managing_agency: str = Field(default="", max_length=200)
    commune_code: str | None = Field(default=None, max_length=5)
    address: str = Field(default="", max_length=300)
    phone: str | None = Field(default=None, max_length=16, sa_type=SealedString(INSTITUTION_PHONE))
    is_active: bool = True
    id: int | None = Field(default=None, primary_key=True)
    name_key: str = Field(max_length=200, index=True)


class CourseBase(SQLModel):
    institution_id: int = Field(foreign_key="institution.id", index=True)
    occupation_id: int = Field(foreign_key="training_occupation.id", index=True)
    level_code: str = Field(foreign_key="training_level.code", max_length=20, index=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    hours: int | None = None
    start_date: date = Field(index=True)
    end_date: date
    capacity: int
    venue_commune_code: str | None = Field(default=None, max_length=5, index=True)
    mobile: bool = False  # taught in the village (lưu động) rather than at the centre
    funding_source: str = Field(max_length=30)
    training_order_id: int | None = Field(default=None, foreign_key="training_order.id")
    status: str = Field(default="planned", max_length=12, index=True)


class Course(CourseBase, table=True):
    """One class of an occupation at a level; may train the cohort of a training order."""

    __tablename__ = "course"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        Index("ix_course_training_order", "training_order_id"),
        Index("ix_course_updated_at_id", "updated_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Moved by every write of the row: an institution's system syncs what changed by it.
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})


class CourseCreate(CourseBase):
    """A course as its form checks it: the table's columns, and the bounds of its numbers."""

    hours: int | None = Field(default=None, ge=1, le=5000)
    capacity: int = Field(ge=1, le=500)


class PersonBase(SQLModel):
    full_name: str = Field(max_length=120)
    birth_date: date
    sex: str = Field(max_length=3)
    # None only for someone who applied from the job board: ethnicity is never asked there.
    ethnicity_code: str | None = Field(
        default=None, foreign_key="ethnicity.code", max_length=2, index=True
    )
    commune_code: str = Field(max_length=5, index=True)
    village: str = Field(default="", max_length=120)
    # Encrypted at rest (models/encryption); found through citizen_id_hash.
    phone: str | None = Field(default=None, max_length=16, sa_type=SealedString(PERSON_PHONE))
    citizen_id: str | None = Field(
        default=None, max_length=12, sa_type=SealedString(PERSON_CITIZEN_ID)
    )
    household_status: str | None = Field(default=None, max_length=10)  # ngheo | can_ngheo
    has_disability: bool = False
    in_difficult_village: bool = False  # thôn/bản đặc biệt khó khăn
    consent_to_employers: bool = False
    # What the person looks for, used by matching.
    willing_to_work: list[str] = Field(default_factory=list, sa_type=JSON)
    expected_wage: int | None = None
    available_from: date | None = None
    skills: list[str] = Field(default_factory=list, sa_type=JSON)


SORT_KEY_LENGTH = 270
SORT_KEY_TYPE = String(SORT_KEY_LENGTH).with_variant(
    String(SORT_KEY_LENGTH, collation="C"), "postgresql"
)
NAME_PARTS = ("given_name", "middle_name", "family_name", "full_name")


class SortKeyDefault:
    """A column default: the sort key of the name parts being inserted (ORM inserts, Core
    bulk inserts and PostgreSQL's COPY through `stored_rows` alike)."""

    def __call__(self, context: Any) -> str:
        return self.from_row(context.get_current_parameters())

    def from_row(self, row: Mapping[str, Any]) -> str:
        return name_sort_text(*(str(row.get(part) or "") for part in NAME_PARTS))


class Person(PersonBase, table=True):
    """A trainee, graduate or worker. One row per citizen ID, kept unique through its keyed
    hash (the ID and the phone are encrypted); the name is stored in NFC with a
    diacritics-free key. Derived flags are kept on the row so KPIs never recompute them."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("citizen_id_hash", name="uq_person_citizen_id_hash"),
        CheckConstraint("sex IN ('nam','nu')", name="sex_value"),
        CheckConstraint(
            "(citizen_id IS NULL) = (citizen_id_hash IS NULL)", name="citizen_id_hashed"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    # HMAC-SHA256 of the citizen ID: computed on insert, by the ORM and by bulk inserts alike.
    citizen_id_hash: str | None = Field(
        default=None,
        max_length=HASH_LENGTH,
        sa_column_kwargs={"default": hash_of("citizen_id", PERSON_CITIZEN_ID)},
    )
    # HMAC-SHA256 of the phone (E.164): how an applicant is found again by their phone.
    phone_hash: str | None = Field(
        default=None,
        max_length=HASH_LENGTH,
        index=True,
        sa_column_kwargs={"default": hash_of("phone", PERSON_PHONE)},
    )
    family_name: str = Field(default="", max_length=40)
    middle_name: str = Field(default="", max_length=60)
    given_name: str = Field(default="", max_length=40)
    name_key: str = Field(max_length=120, index=True)
    # The Vietnamese list order (given, middle, family name) as one string, compared byte by
    # byte ("C" collation on PostgreSQL), so lists sort and page in the database.
    # None until inserted: the column default computes it then (the ORM leaves a None out).
    sort_key: str | None = Field(
        default=None,
        nullable=False,
        index=True,
        sa_type=SORT_KEY_TYPE,
        sa_column_kwargs={"default": SortKeyDefault()},
    )
    is_ethnic_minority: bool = Field(default=True, index=True)  # derived from ethnicity
    in_zone_iii: bool = False  # derived from the commune's zone when recorded
    consent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # The Excel import that registered this person (undone within a day), no foreign key:
    # the import's summary is purged after a while, its rows stay.
    import_id: int | None = Field(default=None, index=True)


@event.listens_for(Person, "before_update")
def _resort_changed_name(_mapper: Any, _connection: Any, person: Person) -> None:
    """A name changed through the ORM gets its new sort key."""
    state = inspect(person)
    if any(state.attrs[part].history.has_changes() for part in NAME_PARTS):
        person.sort_key = name_sort_text(*(getattr(person, part) or "" for part in NAME_PARTS))


@event.listens_for(Person, "before_update")
def _rehash_changed_citizen_id(_mapper: Any, _connection: Any, person: Person) -> None:
    """An ID changed through the ORM gets its new hash (an insert computes it as a default)."""
    if inspect(person).attrs.citizen_id.history.has_changes():
        number = person.citizen_id
        person.citizen_id_hash = (
            None if number is None else keys().blind_index(number, PERSON_CITIZEN_ID)
        )


@event.listens_for(Person, "before_update")
def _rehash_changed_phone(_mapper: Any, _connection: Any, person: Person) -> None:
    """A phone changed through the ORM gets its new hash (an insert computes it as a default)."""
    if inspect(person).attrs.phone.history.has_changes():
        number = person.phone
        person.phone_hash = None if number is None else keys().blind_index(number, PERSON_PHONE)


class PersonCreate(PersonBase):
    """A person as the enrol form and the trainee import check them: the table's columns."""


class Enrolment(SQLModel, table=True):
    """A person in a course: status, result, graduation and the credential earned, and the
    learner support paid. Support under a once-only policy (QĐ 46/2015) names the policy in
    `support_policy`; a partial unique index lets each person hold it once, even when two
    clerks record it at the same moment (models/learner_support.py)."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("person_id", "course_id"),
        Index(
            "uq_enrolment_support_once",
            "person_id",
            "support_policy",
            unique=True,
            sqlite_where=text("support_policy IS NOT NULL"),
            postgresql_where=text("support_policy IS NOT NULL"),
        ),
        Index("ix_enrolment_updated_at_id", "updated_at", "id"),
        # The follow-up list walks the last year's graduations by date and checks each one's
        # status and the person's jobs: all three in the index spare a row fetch per graduation.
        Index("ix_enrolment_graduated_on_status_person_id", "graduated_on", "status", "person_id"),
    )
    person_id: int = Field(foreign_key="person.id", index=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    enrolled_on: date
    status: str = Field(default="dang_hoc", max_length=12)
    result: str | None = Field(default=None, max_length=12)  # dat | khong_dat
    graduated_on: date | None = Field(default=None, index=True)
    certificate_kind: str | None = Field(default=None, max_length=30)
    certificate_number: str | None = Field(default=None, max_length=40)
    support_amount: int = 0  # VND of learner support received (QĐ 46/2015)
    support_policy: str | None = Field(default=None, max_length=30)  # once-only policy paid
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Moved by every write of the row (bulk result updates too): synced by it through the API.
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})
    import_id: int | None = Field(default=None, index=True)  # the Excel import that made it
