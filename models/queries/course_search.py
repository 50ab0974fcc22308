"""Finding a course by what people remember of it: its code, words of its name, or its
occupation. Words are whole syllables compared without tone marks or case ("may cong
nghiep", "May công nghiệp" and "MAY" all find "May công nghiệp lớp 1"); a code may also be
typed from its start ("HAN-2" finds "HAN-2026-03").

Course names carry no stored search key, so the keys are built here from the rows (one
institution has a few hundred courses, the province a few thousand: a narrow query of
three text columns, folded in Python, well under the time of a page).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import false
from sqlmodel import Session, col, select

from matching.text import cached_search_key, search_key
from models.tables import Course, TrainingOccupation

MAX_WORDS = 12  # more words than any course has: nothing can match


def query_words(text: str | None) -> list[str]:
    return search_key(text).split()


def course_matches(words: Sequence[str], text: str, code: str, *fields: str) -> bool:
    """Every word is a whole word of the code, the name or another field; or the whole
    text starts the code."""
    if not words:
        return True
    if len(words) <= MAX_WORDS:
        have = {word for each in (code, *fields) for word in cached_search_key(each).split()}
        if all(word in have for word in words):
            return True
    typed = search_key(text).replace(" ", "")
    return bool(typed) and cached_search_key(code).replace(" ", "").startswith(typed)


def matching_course_ids(session: Session, text: str, conditions: Iterable[Any]) -> list[int]:
    """The ids of the courses meeting `conditions` that the text finds."""
    words = query_words(text)
    rows = session.exec(
        select(col(Course.id), col(Course.code), col(Course.name), col(TrainingOccupation.name))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .where(*conditions)
    ).all()
    return [
        int(course_id or 0)
        for course_id, code, name, occupation in rows
        if course_matches(words, text, code, name, occupation)
    ]


def text_condition(session: Session, text: str | None, conditions: list[Any]) -> list[Any]:
    """The WHERE condition that narrows `conditions` to the courses the text finds (none
    for a blank text)."""
    if not query_words(text):
        return []
    ids = matching_course_ids(session, text or "", conditions)
    return [col(Course.id).in_(ids)] if ids else [false()]
