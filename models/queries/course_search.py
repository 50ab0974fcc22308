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
from functools import lru_cache
from typing import Any

from sqlalchemy import false, select
from sqlmodel import Session, col

from matching.text import cached_search_key, search_key
from models.tables import Course, TrainingOccupation

MAX_WORDS = 12  # more words than any course has: nothing can match


def query_words(text: str | None) -> list[str]:
    return search_key(text).split()


@lru_cache(maxsize=50_000)
def _course_words(code: str, *fields: str) -> frozenset[str]:
    """The folded syllables of a course's code and fields, kept: a search reads every course
    of its scope, and their names repeat from one search to the next."""
    return frozenset(word for each in (code, *fields) for word in cached_search_key(each).split())


@lru_cache(maxsize=50_000)
def _code_key(code: str) -> str:
    return cached_search_key(code).replace(" ", "")


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

    def finds(self, code: str, *fields: str) -> bool:
        """Every word is a whole word of the code, the name or another field; or the whole
        text starts the code."""
        if self.words <= _course_words(code, *fields):
            return True
        return bool(self.typed) and _code_key(code).startswith(self.typed)


def matching_courses(
    session: Session, text: str, conditions: Iterable[Any]
) -> list[tuple[int, date]]:
    """The courses meeting `conditions` that the text finds: (id, start date), newest start
    first, then the higher id, as the course lists show them."""
    asked = CourseQuery.of(text)
    rows = session.execute(
        select(
            col(Course.id),
            col(Course.start_date),
            col(Course.code),
            col(Course.name),
            col(TrainingOccupation.name),
        )
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .where(*conditions)
    ).all()
    found = [
        (int(course_id or 0), start)
        for course_id, start, code, name, occupation in rows
        if asked.finds(code, name, occupation)
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
