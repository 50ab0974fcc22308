"""Finding a course by what people remember of it: its code, words of its name, or its
occupation. Words are whole syllables compared without tone marks or case ("may cong
nghiep", "May công nghiệp" and "MAY" all find "May công nghiệp lớp 1"); a code may also be
typed from its start ("HAN-2" finds "HAN-2026-03").

Course names carry no stored search key, so the keys are built here from the rows (one
institution has a few hundred courses, the province a few thousand: a narrow query of
three text columns, folded in Python, well under the time of a page).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import false, func, select
from sqlmodel import Session, col

from matching.text import cached_search_key, search_key
from models.kept import Kept
from models.tables import Course, TrainingOccupation

MAX_WORDS = 12  # more words than any course has: nothing can match


def query_words(text: str | None) -> list[str]:
    return search_key(text).split()


@dataclass(frozen=True)
class CourseWords:
    """A course as a search reads it: the folded syllables of its code, name and occupation,
    and its code without spaces (a code may be typed from its start)."""

    words: frozenset[str]
    code: str
    start: date  # the lists' order: newest start first


def _folded(code: str, name: str, occupation: str, start: date) -> CourseWords:
    words = frozenset(
        word for each in (code, name, occupation) for word in cached_search_key(each).split()
    )
    return CourseWords(words, cached_search_key(code).replace(" ", ""), start)


# Every course's words, kept per database (models/kept.py): a search compares the text with
# every course in its scope, and reading and folding their names was most of its time (200 ms
# at 100 times the province's size). Dropped at once when this process writes a course or an
# occupation; a course another process adds is read on its own, one renamed there shows its
# new name within COURSE_WORD_SECONDS.
COURSE_WORD_SECONDS = 60.0
_COURSE_WORDS = Kept(("course", "training_occupation"), seconds=COURSE_WORD_SECONDS, size=2)


def _words_of(session: Session, ids: Iterable[int] | None = None) -> dict[int, CourseWords]:
    """The words of these courses (every course when None), read from the database."""
    query = select(
        col(Course.id),
        col(Course.code),
        col(Course.name),
        col(TrainingOccupation.name),
        col(Course.start_date),
    ).join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
    if ids is not None:
        query = query.where(col(Course.id).in_(list(ids)))
    return {
        int(course_id): _folded(code, name, occupation, start)
        for course_id, code, name, occupation, start in session.execute(query)
    }


def _holds_every_course(session: Session, kept: dict[int, CourseWords]) -> bool:
    """Whether the kept words are of exactly the courses stored now: ids only grow, so the
    same highest id and the same count mean none was added or removed since."""
    highest, count = session.execute(select(func.max(col(Course.id)), func.count())).one()
    return count == len(kept) and (highest or 0) == max(kept, default=0)


def course_words(session: Session, ids: list[int]) -> dict[int, CourseWords]:
    """The words of these courses: kept for all, and read now for those added since."""
    kept = _COURSE_WORDS.get(session, ("all",), lambda: _words_of(session))
    missing = [course_id for course_id in ids if course_id not in kept]
    return {**kept, **_words_of(session, missing)} if missing else kept


@dataclass(frozen=True)
class CourseQuery:
    """What a search text asks, folded once for every course it is compared with."""

    words: frozenset[str]
    typed: str  # the whole text without spaces, which may start a code

    @classmethod
    def of(cls, text: str | None) -> CourseQuery:
        words = query_words(text)
        kept = frozenset(words) if len(words) <= MAX_WORDS else frozenset({" "})  # unmatchable
        return cls(kept, "".join(words))

    def finds(self, course: CourseWords) -> bool:
        """Every word is a whole word of the code, the name or the occupation; or the whole
        text starts the code."""
        if self.words <= course.words:
            return True
        return bool(self.typed) and course.code.startswith(self.typed)


def matching_courses(
    session: Session, text: str, conditions: Iterable[Any]
) -> list[tuple[int, date]]:
    """The courses meeting `conditions` that the text finds: (id, start date), newest start
    first, then the higher id, as the course lists show them. The database gives the ids of
    the courses in scope (those another process added or removed included); their words and
    start days come from `course_words`."""
    asked = CourseQuery.of(text)
    conditions = list(conditions)
    kept = _COURSE_WORDS.get(session, ("all",), lambda: _words_of(session))
    if not conditions and _holds_every_course(session, kept):
        ids, words = list(kept), kept
    else:
        query = select(col(Course.id)).where(*conditions)
        ids = [int(each) for each in session.execute(query).scalars()]
        words = course_words(session, ids)
    wanted, typed = asked.words, asked.typed
    found = [
        (course_id, course.start)
        for course_id in ids
        if wanted <= (course := words[course_id]).words or (typed and course.code.startswith(typed))
    ]
    found.sort(key=lambda pair: (pair[1], pair[0]), reverse=True)
    return found


def matching_course_ids(session: Session, text: str, conditions: Iterable[Any]) -> list[int]:
    """The ids of the courses meeting `conditions` that the text finds, newest start first."""
    return [course_id for course_id, _ in matching_courses(session, text, conditions)]


def text_condition(session: Session, text: str | None, conditions: list[Any]) -> list[Any]:
    """The WHERE condition that narrows `conditions` to the courses the text finds (none
    for a blank text)."""
    if not query_words(text):
        return []
    ids = matching_course_ids(session, text or "", conditions)
    return [col(Course.id).in_(ids)] if ids else [false()]
