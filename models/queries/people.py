"""Finding people: by citizen ID, by name typed with or without diacritics, and the people an
institution has enrolled. Reads only; nothing here commits.

Citizen IDs are stored encrypted: a person is found by the keyed hash of the whole ID
(`citizen_id_hash`), so only a full 12-digit ID finds anyone, and part of one finds no one.

A name is found by its folded syllables, whole and in any order, through `person_name_word`
(models/tables/person_names.py): one typed syllable walks its rows, two walk the rows of their
pair (exactly the people whose name holds both, in list order), more walk the pair of the two
rarest and probe the others. What a search reads grows with the matches it shows and counts,
not with the people held.

`find_by_citizen_id` and `search_people` are used by the Excel import as well: keep their
signatures stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, false, func, literal, tuple_
from sqlalchemy import select as sa_select  # sqlmodel's select takes at most 4 columns
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from matching.text import search_key
from models.encryption import PERSON_CITIZEN_ID, keys
from models.queries import counting, keyset
from models.queries.reference import all_commune_names
from models.tables import Course, Enrolment, Ethnicity, Institution, Person, PersonNameWord
from models.tables.person_names import pair_key
from models.validation.rules import max_length

_ID_SEPARATORS = re.compile(r"[\s.\-]+")
CITIZEN_ID_LENGTH = 12


def compact_citizen_id(text: str | None) -> str:
    """The digits of an ID as people type it: "011 201 000 123" -> "011201000123"."""
    return _ID_SEPARATORS.sub("", text or "")


def citizen_id_hashes(number: str) -> list[str]:
    """The keyed hashes a stored ID can carry: under the current hash key, and under an older
    one while `dbjobs rotate-key` has not yet re-hashed every row."""
    return keys().blind_indexes(number, PERSON_CITIZEN_ID)


def is_full_citizen_id(number: str) -> bool:
    return len(number) == CITIZEN_ID_LENGTH and number.isdigit()


def find_by_citizen_id(session: Session, citizen_id: str | None) -> Person | None:
    """The person holding this 12-digit ID (spaces, dots and hyphens ignored), or None."""
    number = compact_citizen_id(citizen_id)
    if not is_full_citizen_id(number):
        return None
    hashes = citizen_id_hashes(number)
    return session.exec(select(Person).where(col(Person.citizen_id_hash).in_(hashes))).first()


def find_registered(session: Session, citizen_id: str | None, birth_date: date) -> Person | None:
    """The registered person whose full citizen ID and birth date are both these, or None:
    what an institution must know of a person to enrol someone it has never trained."""
    person = find_by_citizen_id(session, citizen_id)
    return person if person is not None and person.birth_date == birth_date else None


def find_by_name_and_birth_date(session: Session, full_name: str, birth_date: date) -> list[Person]:
    """People whose name matches without diacritics ("Lo Van Minh" finds "Lò Văn Minh") and
    who were born that day: the likely duplicates of a new registration."""
    key = search_key(full_name)
    if not key:
        return []
    rows = session.exec(
        select(Person)
        .where(col(Person.name_key) == key)
        .where(col(Person.birth_date) == birth_date)
        .order_by(col(Person.id))
    )
    return list(rows)


def enrolled_at(institution_id: int) -> SelectOfScalar[int]:
    """Ids of the people with an enrolment in a course of the institution (a subquery)."""
    return (
        select(col(Enrolment.person_id))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(col(Course.institution_id) == institution_id)
    )


NAME_KEY_MAX = max_length(Person, "name_key")
# How far the rows of each typed syllable are counted to choose the one a search walks: an
# index range read without probes (about 10 ms for 100,000 rows on SQLite at 10x), so far
# enough to tell a common family name ("lo": 34,000 at 10x) from a middle one ("van": 104,000).
RARITY_LIMIT = 10 * counting.COUNT_LIMIT
NAME_WORDS: Table = PersonNameWord.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Walk:
    """What a list of people reads: its rows (`source`), each row's person id, the rows'
    order (sort key, person id) and the conditions on them."""

    source: Any
    person_id: Any
    order: tuple[Any, Any]
    conditions: list[Any]

    def where(self, *more: Any) -> _Walk:
        return _Walk(self.source, self.person_id, self.order, [*self.conditions, *more])

    def ids(self) -> Any:
        return sa_select(self.person_id).select_from(self.source).where(*self.conditions)


def _everyone(*conditions: Any) -> _Walk:
    """People in the list's order, read from the name order's index on `person`."""
    return _Walk(Person, col(Person.id), (col(Person.sort_key), col(Person.id)), [*conditions])


def _walk(session: Session, text: str) -> _Walk:
    """The people a search text finds: digits find the person holding exactly that full
    citizen ID (part of an ID finds no one: only its keyed hash is searchable), anything else
    the diacritics-free name, every word whole in any order. Empty text finds everyone."""
    if not text.strip():
        return _everyone()
    number = compact_citizen_id(text)
    if number.isdigit():
        if is_full_citizen_id(number):
            return _everyone(col(Person.citizen_id_hash).in_(citizen_id_hashes(number)))
        return _everyone(false())
    words = sorted(set(search_key(text).split()))
    if not words:  # only punctuation: no name to match, as an empty search
        return _everyone()
    if len(" ".join(words)) > NAME_KEY_MAX:
        # The shortest name holding every word is longer than any stored name: no one.
        return _everyone(false())
    return _name_walk(*_walked(session, words))


def _walked(session: Session, words: list[str]) -> tuple[str, list[str]]:
    """The word whose rows a search walks, and the syllables each walked row is probed for:
    one syllable walks its rows; two walk their pair's rows, exactly the people holding both;
    more walk the pair of the two rarest and probe the others."""
    if len(words) == 1:
        return words[0], []
    first, second = _rarest(session, words) if len(words) > 2 else words
    return pair_key(first, second), [w for w in words if w not in (first, second)]


def _name_walk(walked_word: str, probed: list[str]) -> _Walk:
    """Whole syllables only ("an" finds "An" and "Ấn", never "Lan" or "Toàn"): the rows of
    one syllable or pair in the list's order, each probed for the other syllables by primary
    key."""
    walked = NAME_WORDS.alias("walked")
    conditions = [walked.c.word == walked_word]
    for number, word in enumerate(probed):
        probe = NAME_WORDS.alias(f"probe_{number}")
        held = sa_select(literal(1)).where(
            probe.c.word == word,
            probe.c.sort_key == walked.c.sort_key,
            probe.c.person_id == walked.c.person_id,
        )
        # A probe per row walked, written so that no planner turns it into a join: PostgreSQL
        # took an EXISTS for a semi-join, guessed one row out of two syllables (it treats
        # them as unrelated), and hashed both syllables' rows whole before sorting.
        conditions.append(held.limit(1).scalar_subquery().is_not(None))
    return _Walk(walked, walked.c.person_id, (walked.c.sort_key, walked.c.person_id), conditions)


def _rarest(session: Session, words: list[str]) -> tuple[str, str]:
    """The two typed syllables fewest people's names hold (counted up to RARITY_LIMIT; among
    equals the longest): walking their pair reads the fewest rows that cannot match."""
    held = [
        sa_select(func.count())
        .select_from(
            sa_select(literal(1)).where(NAME_WORDS.c.word == word).limit(RARITY_LIMIT).subquery()
        )
        .scalar_subquery()
        for word in words
    ]
    counts = session.execute(sa_select(*held)).one()
    ranked = sorted(zip(counts, words, strict=True), key=lambda each: (each[0], -len(each[1])))
    return ranked[0][1], ranked[1][1]


def search_people(
    session: Session, text: str, *, institution_id: int | None = None, limit: int = 20
) -> list[Person]:
    """People matching a name (with or without diacritics) or a citizen ID, in Vietnamese
    name order; only those enrolled at `institution_id` when given. Empty text finds no one."""
    if not search_key(text):
        return []
    walk = _walk(session, text)
    if institution_id is not None:
        walk = walk.where(walk.person_id.in_(enrolled_at(institution_id)))
    ids = [
        int(each)
        for each in session.execute(walk.ids().order_by(*walk.order).limit(limit)).scalars()
    ]
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}
    return [people[each] for each in ids]


@dataclass(frozen=True)
class TraineeRow:
    """One line of the trainee list."""

    person: Person
    commune_name: str
    enrolments: int


@dataclass(frozen=True)
class TraineePage:
    """One page of the trainee list. `total` is exact up to the count limit; beyond it the list
    says "more than" (`more`) and `pages` is 0 (unknown). `next_after` / `previous_before`
    are the person ids the links to the next and previous pages start from (keyset paging:
    a deep page costs what the first one does)."""

    rows: list[TraineeRow]
    total: int
    page: int
    pages: int
    next_after: int | None = None
    previous_before: int | None = None

    @property
    def more(self) -> bool:
        return counting.is_more(self.total)


@dataclass(frozen=True)
class PageAt:
    """Where a page starts: a page number (read with OFFSET, as deep as the count goes),
    or after / before the person with this id (keyset), `page` then being only its label."""

    page: int = 1
    after: int | None = None
    before: int | None = None


def list_trainees(
    session: Session,
    *,
    text: str = "",
    institution_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
    at: PageAt | None = None,
) -> TraineePage:
    """People with at least one enrolment (at `institution_id` when given), filtered by the
    search text, sorted the Vietnamese way (given name first) and cut into pages. The database
    counts the matches (up to its count limit) and walks the stored sort key's order; whole
    rows are loaded for one page."""
    at = at or PageAt(page)
    # Without a search the database walks the name order's index and checks each person's
    # membership, stopping at the page, instead of sorting every trainee at each view; a
    # search by name walks one typed syllable's (or pair's) rows in that order instead
    # (`_name_walk`).
    walk = _walk(session, text)
    walk = walk.where(_trainee_of(institution_id, walk.person_id))
    total = counting.capped_count(session, _matches(text, walk, institution_id))
    pages = 0 if counting.is_more(total) else max(1, -(-total // per_page))
    deepest = pages or max(1, counting.COUNT_LIMIT // per_page)
    ids, number, links = _page_ids(session, walk, at, deepest, per_page)
    rows = _trainee_rows(session, ids, institution_id)
    return TraineePage(rows, total, number, pages, *links)


def _page_ids(
    session: Session, walk: _Walk, at: PageAt, last: int, per_page: int
) -> tuple[list[int], int, tuple[int | None, int | None]]:
    """The ids of one page, its number, and the ids the next and previous links start from."""
    order, query = walk.order, walk.ids()
    if at.before is not None and (start := _position(session, walk, at.before)) is not None:
        backwards = query.where(tuple_(*order) < start).order_by(*(c.desc() for c in order))
        found = _ids(session, backwards, per_page)
        if (page := keyset.page_before(found, per_page, at.page)) is not None:
            return page
    elif at.after is not None and (start := _position(session, walk, at.after)) is not None:
        found = _ids(session, query.where(tuple_(*order) > start).order_by(*order), per_page)
        return keyset.page_after(found, per_page, at.page)
    number = min(max(1, at.page), last)
    found = _ids(session, query.order_by(*order).offset((number - 1) * per_page), per_page)
    return keyset.page_numbered(found, per_page, number)


def _ids(session: Session, query: Any, per_page: int) -> list[int]:
    """Up to one more id than a page holds, to know whether another page follows."""
    return [int(each) for each in session.execute(query.limit(per_page + 1)).scalars()]


def _position(session: Session, walk: _Walk, person_id: int | None) -> Any:
    """The (sort key, id) a keyset page starts from; None for no person, or one outside the
    list (another organisation's person must not tell where their name sorts)."""
    if person_id is None:
        return None
    key = session.execute(
        sa_select(walk.order[0])
        .select_from(walk.source)
        .where(walk.person_id == person_id, *walk.conditions)
    ).scalar()
    return None if key is None else tuple_(literal(key), literal(person_id))


def _matches(text: str, walk: _Walk, institution_id: int | None) -> Any:
    """What the count reads: without a search, the people of the enrolments (at the
    institution), read from the enrolments' person index and stopping at the count limit;
    an institution's few trainees are not looked for among everyone held."""
    if text.strip():
        return sa_select(literal(1)).select_from(walk.source).where(*walk.conditions)
    people = sa_select(col(Enrolment.person_id)).distinct()
    if institution_id is None:
        return people
    return people.join(Course, col(Course.id) == col(Enrolment.course_id)).where(
        col(Course.institution_id) == institution_id
    )


def _trainee_of(institution_id: int | None, person_id: Any) -> Any:
    """Condition: the person has an enrolment (at `institution_id` when given)."""
    # SELECT 1, not SELECT *: SQLite then reads the probe from the covering index on
    # (person_id, course_id) instead of each enrolment's row.
    held = sa_select(literal(1)).where(col(Enrolment.person_id) == person_id)
    if institution_id is None:
        return held.exists()
    # A probe per person walked (their enrolments, then each course's institution), not the
    # institution's whole membership list built first at every page.
    return held.where(
        col(Course.id) == col(Enrolment.course_id), col(Course.institution_id) == institution_id
    ).exists()


def _trainee_rows(
    session: Session, person_ids: list[int], institution_id: int | None
) -> list[TraineeRow]:
    if not person_ids:
        return []
    counted = (
        select(col(Enrolment.person_id), func.count().label("n"))
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .where(col(Enrolment.person_id).in_(person_ids))
        .group_by(col(Enrolment.person_id))
    )
    if institution_id is not None:
        counted = counted.where(col(Course.institution_id) == institution_id)
    counts = dict(session.exec(counted).all())
    people = {p.id: p for p in session.exec(_listed_people().where(col(Person.id).in_(person_ids)))}
    communes = commune_names(session, {p.commune_code for p in people.values()})
    return [
        TraineeRow(people[pid], communes.get(people[pid].commune_code, ""), counts.get(pid, 0))
        for pid in person_ids
    ]


def _listed_people() -> Any:
    """People with what a list line shows loaded, and the rest (skills, wishes, sealed
    phone...) left unread: a list of 50 spent most of its time decoding those."""
    shown = ("full_name", "birth_date", "sex", "citizen_id", "commune_code")
    return select(Person).options(load_only(*(getattr(Person, name) for name in shown)))


def commune_names(session: Session, codes: set[str]) -> dict[str, str]:
    """Current names of communes by code (a code reused after 2025 names the current unit)."""
    names = all_commune_names(session)
    return {code: names[code] for code in codes if code in names}


def is_enrolled_at(session: Session, person_id: int, institution_id: int) -> bool:
    found = session.exec(
        enrolled_at(institution_id).where(col(Enrolment.person_id) == person_id).limit(1)
    ).first()
    return found is not None


@dataclass(frozen=True)
class PersonEnrolment:
    """An enrolment of a person with its course and institution, for the person page."""

    enrolment: Enrolment
    course: Course
    institution: Institution


@dataclass(frozen=True)
class PersonRecord:
    person: Person
    ethnicity_name: str
    commune_name: str
    enrolments: list[PersonEnrolment]


def person_record(session: Session, person_id: int) -> PersonRecord | None:
    """A person with every enrolment (newest course first), or None."""
    person = session.get(Person, person_id)
    if person is None:
        return None
    rows = session.exec(
        select(Enrolment, Course, Institution)
        .join(Course, col(Course.id) == col(Enrolment.course_id))
        .join(Institution, col(Institution.id) == col(Course.institution_id))
        .where(col(Enrolment.person_id) == person_id)
        .order_by(col(Course.start_date).desc(), col(Enrolment.id).desc())
    ).all()
    code = person.ethnicity_code
    ethnicity = session.get(Ethnicity, code) if code else None
    return PersonRecord(
        person=person,
        ethnicity_name=ethnicity.name if ethnicity else (code or "—"),
        commune_name=commune_names(session, {person.commune_code}).get(person.commune_code, ""),
        enrolments=[PersonEnrolment(*row) for row in rows],
    )


def ethnicity_choices(session: Session) -> list[Ethnicity]:
    """The 54 groups by their official code (Kinh 01, Tày 02, Thái 03, ...)."""
    return list(session.exec(select(Ethnicity).order_by(col(Ethnicity.code))).all())
