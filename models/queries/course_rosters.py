"""Course rosters and the lists a workbook names, read for the Excel import and export: who is
enrolled in a course, who already exists by ID number, the certificate numbers in use, the
courses and institutions to choose from, a course's trainees and results in the sheet's terms,
and the reference lists. An import of 10,000 rows asks the database a handful of questions,
never one per row: reference lists are loaded once, existing people are fetched by ID number in
chunks, a course's enrolments in one query. Nothing commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select as sa_select
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select

from matching.text import name_sort_key, search_key
from models.excel.values import (
    CERTIFICATE_LABELS,
    HOUSEHOLD_LABELS,
    RESULT_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    yes_no,
)
from models.queries.course_search import text_condition
from models.queries.people import citizen_id_hashes
from models.tables import (
    AdminUnit,
    CommuneZone,
    Course,
    Enrolment,
    Ethnicity,
    Institution,
    Person,
)
from models.validation import display_phone

CHUNK = 900  # values per IN (...) list: under SQLite's old limit of 999 parameters


def _chunks(values: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class EthnicGroups:
    """The 54 groups by code, and every key a group is written by (name, aliases, code)."""

    names: dict[str, str]  # code -> official name
    minority: dict[str, bool]
    by_key: dict[str, str]  # search key of a name or alias -> code

    def resolve(self, text: str) -> str | None:
        """ "Thái", "thai", "Mông", "H'Mông", "03" and "3" all find their group."""
        text = text.strip()
        if text.isdigit():
            code = text.zfill(2)
            return code if code in self.names else None
        return self.by_key.get(search_key(text))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        found = process.extract(
            search_key(text), list(self.by_key), scorer=fuzz.ratio, limit=limit, score_cutoff=60
        )
        return list(dict.fromkeys(self.names[self.by_key[key]] for key, _s, _i in found))


def ethnic_groups(session: Session) -> EthnicGroups:
    rows = session.exec(select(Ethnicity)).all()
    by_key: dict[str, str] = {}
    for row in rows:
        for name in (row.name, *row.aliases):
            by_key.setdefault(search_key(name), row.code)
    return EthnicGroups(
        names={row.code: row.name for row in rows},
        minority={row.code: row.is_minority for row in rows},
        by_key=by_key,
    )


def zones_on(session: Session, on: date) -> dict[str, str]:
    """Khu vực (I/II/III) of each commune on a date."""
    rows = session.exec(
        select(CommuneZone)
        .where(col(CommuneZone.valid_from) <= on)
        .where(col(CommuneZone.valid_to).is_(None) | (col(CommuneZone.valid_to) >= on))
        .order_by(col(CommuneZone.valid_from))
    ).all()
    return {row.commune_code: row.zone for row in rows}


@dataclass(frozen=True)
class KnownPerson:
    """What an import compares against an existing person with the same ID number."""

    id: int
    birth_date: date
    name_key: str


def people_by_citizen_id(session: Session, numbers: Iterable[str]) -> dict[str, KnownPerson]:
    """The people already registered under these full IDs, by ID: found through the keyed
    hashes of the IDs (the IDs themselves are encrypted), in chunks."""
    by_hash: dict[str, str] = {}
    for number in set(numbers):
        for digest in citizen_id_hashes(number):
            by_hash[digest] = number
    found: dict[str, KnownPerson] = {}
    for chunk in _chunks(sorted(by_hash)):
        rows = session.exec(
            select(
                col(Person.id),
                col(Person.citizen_id_hash),
                col(Person.birth_date),
                col(Person.name_key),
            ).where(col(Person.citizen_id_hash).in_(chunk))
        ).all()
        for person_id, stored_hash, birth_date, name_key in rows:
            found[by_hash[stored_hash or ""]] = KnownPerson(
                int(person_id or 0), birth_date, name_key
            )
    return found


@dataclass(frozen=True)
class EnrolledPerson:
    """An enrolment of a course with the person's identifying fields."""

    enrolment_id: int
    person_id: int
    status: str
    citizen_id: str | None
    name_key: str
    birth_date: date
    enrolled_on: date


def course_enrolments(session: Session, course_id: int) -> list[EnrolledPerson]:
    rows = session.execute(
        sa_select(
            col(Enrolment.id),
            col(Enrolment.person_id),
            col(Enrolment.status),
            col(Person.citizen_id),
            col(Person.name_key),
            col(Person.birth_date),
            col(Enrolment.enrolled_on),
        )
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .where(col(Enrolment.course_id) == course_id)
    ).all()
    return [EnrolledPerson(int(e or 0), p, s, c, k, b, d) for e, p, s, c, k, b, d in rows]


def certificate_numbers_in_use(
    session: Session, institution_id: int, numbers: Iterable[str], *, besides: set[int]
) -> set[str]:
    """Which of `numbers` the institution already gave to enrolments not in `besides`."""
    wanted = sorted(set(numbers))
    used: set[str] = set()
    for chunk in _chunks(wanted):
        rows = session.exec(
            select(col(Enrolment.id), col(Enrolment.certificate_number))
            .join(Course, col(Course.id) == col(Enrolment.course_id))
            .where(col(Course.institution_id) == institution_id)
            .where(col(Enrolment.certificate_number).in_(chunk))
        ).all()
        used |= {str(number) for enrolment_id, number in rows if enrolment_id not in besides}
    return used


@dataclass(frozen=True)
class CourseChoice:
    """A course offered by the import and export forms."""

    id: int
    code: str
    name: str
    institution_id: int
    institution_name: str
    start_date: date
    status: str


def course_choices(
    session: Session, institution_id: int | None, limit: int = 500, *, text: str | None = None
) -> list[CourseChoice]:
    """Courses of the institution (all when None), newest first; only those whose code, name
    or occupation has the words of `text`, when given."""
    conditions: list[Any] = []
    if institution_id is not None:
        conditions.append(col(Course.institution_id) == institution_id)
    conditions += text_condition(session, text, conditions)
    query = (
        select(Course, Institution.name)
        .join(Institution, col(Institution.id) == col(Course.institution_id))
        .where(*conditions)
        .order_by(col(Course.start_date).desc(), col(Course.id).desc())
        .limit(limit)
    )
    return [
        CourseChoice(course.id or 0, course.code, course.name, course.institution_id, name,
                     course.start_date, course.status)
        for course, name in session.exec(query).all()
    ]  # fmt: skip


def institution_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.exec(select(Institution).order_by(col(Institution.name_key))).all()
    return [(row.id or 0, row.name) for row in rows]


def _current_commune_names(session: Session) -> dict[str, str]:
    rows = session.exec(
        select(AdminUnit).where(col(AdminUnit.level) != "tinh").order_by(col(AdminUnit.valid_from))
    ).all()
    return {unit.code: unit.name for unit in rows}  # the latest unit of a reused code wins


def _trainee_cells(
    person: Person, communes: dict[str, str], groups: dict[str, str]
) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "sex": SEX_LABELS.get(person.sex, person.sex),
        "ethnicity": groups.get(person.ethnicity_code or "", person.ethnicity_code or ""),
        "citizen_id": person.citizen_id,
        "phone": display_phone(person.phone) if person.phone else None,
        "commune": communes.get(person.commune_code, person.commune_code),
        "village": person.village or None,
        "household": HOUSEHOLD_LABELS.get(person.household_status or ""),
        "disability": yes_no(person.has_disability),
        "consent": yes_no(person.consent_to_employers),
    }


@dataclass(frozen=True)
class ExportRows:
    """The cells of an export, by column key, and the people they show (for the audit)."""

    rows: list[dict[str, Any]]
    person_ids: list[int]


@dataclass
class ExportStream:
    """The cells of an export, read from the database a batch at a time as they are written
    (constant memory whatever the size), and the people they showed, filled in as they go."""

    rows: Iterator[dict[str, Any]]
    person_ids: set[int] = field(default_factory=set)


EXPORT_BATCH = 1000  # rows fetched from the database at a time
# What the trainee sheet shows of a person: the rest (skills, wishes, sealed contact...) is
# left unread, as decoding it cost most of the export's time.
EXPORTED_PERSON = (
    "full_name", "birth_date", "sex", "ethnicity_code", "citizen_id", "phone", "commune_code",
    "village", "household_status", "has_disability", "consent_to_employers",
)  # fmt: skip


def trainee_export_stream(
    session: Session, *, course_id: int | None = None, institution_id: int | None = None
) -> ExportStream:
    """Enrolments of one course, or of every course of an institution, with the trainee's
    data; by course (newest first), then in Vietnamese name order (the stored sort key), sorted
    by the database and read in batches."""
    query = (
        select(Enrolment, Person, Course)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .options(load_only(*(getattr(Person, name) for name in EXPORTED_PERSON)))
        .order_by(
            col(Course.start_date).desc(),
            col(Course.id).desc(),
            col(Person.sort_key),
            col(Enrolment.id),
        )
        .execution_options(yield_per=EXPORT_BATCH)
    )
    if course_id is not None:
        query = query.where(col(Enrolment.course_id) == course_id)
    if institution_id is not None:
        query = query.where(col(Course.institution_id) == institution_id)
    communes = _current_commune_names(session)
    groups = ethnic_groups(session).names
    stream = ExportStream(iter(()))

    def rows() -> Iterator[dict[str, Any]]:
        for enrolment, person, course in session.exec(query):
            stream.person_ids.add(person.id or 0)
            yield _trainee_cells(person, communes, groups) | {
                "course_code": course.code,
                "course_name": course.name,
                "enrolled_on": enrolment.enrolled_on,
                "support_amount": enrolment.support_amount or None,
                "status": STATUS_LABELS.get(enrolment.status, enrolment.status),
                "result": RESULT_LABELS.get(enrolment.result or ""),
                "graduated_on": enrolment.graduated_on,
                "certificate_number": enrolment.certificate_number,
            }

    stream.rows = rows()
    return stream


def trainee_export(
    session: Session, *, course_id: int | None = None, institution_id: int | None = None
) -> ExportRows:
    """The whole export at once (small exports and tests); see trainee_export_stream."""
    stream = trainee_export_stream(session, course_id=course_id, institution_id=institution_id)
    rows = list(stream.rows)
    return ExportRows(rows, sorted(stream.person_ids))


def result_export(session: Session, *, course_id: int) -> ExportRows:
    """A course's enrolments in the layout of the result import, in Vietnamese name order."""
    found = session.exec(
        select(Enrolment, Person)
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .where(col(Enrolment.course_id) == course_id)
    ).all()
    found = sorted(found, key=lambda r: name_sort_key(r[1].full_name))
    rows = [
        {
            "citizen_id": person.citizen_id,
            "full_name": person.full_name,
            "birth_date": person.birth_date,
            "result": RESULT_LABELS.get(enrolment.result or ""),
            "status": STATUS_LABELS.get(enrolment.status, enrolment.status),
            "graduated_on": enrolment.graduated_on,
            "certificate_kind": CERTIFICATE_LABELS.get(enrolment.certificate_kind or ""),
            "certificate_number": enrolment.certificate_number,
        }
        for enrolment, person in found
    ]
    return ExportRows(rows, sorted({person.id or 0 for _e, person in found}))


def reference_lists(session: Session) -> dict[str, list[tuple[str, str]]]:
    """(code, name) of the province's current communes and of the 54 ethnic groups, for the
    lists sheet of the trainee template."""
    communes = session.exec(
        select(AdminUnit)
        .where(col(AdminUnit.province_code) == "11")
        .where(col(AdminUnit.level).in_(("xa", "phuong", "thi_tran", "dac_khu")))
        .where(col(AdminUnit.valid_to).is_(None))
        .order_by(col(AdminUnit.code))
    ).all()
    groups = session.exec(select(Ethnicity).order_by(col(Ethnicity.code))).all()
    return {
        "communes": [(unit.code, unit.name) for unit in communes],
        "ethnic_groups": [(row.code, row.name) for row in groups],
    }
