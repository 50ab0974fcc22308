"""Finding employers by what an administrator remembers of them: words of the name or the
tax code. Name words are whole syllables compared without tone marks or case ("xay dung",
"Xây dựng" and "XÂY" all find "Công ty Xây dựng Mường Ảng"), matched with LIKE on the stored
folded name (`name_key`), the same on SQLite and PostgreSQL; a tax code is typed whole or
from its start ("0101" finds "0101234567").

Only the columns a list shows are read: whole rows would open every employer's sealed
contact details. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, literal, or_
from sqlmodel import Session, col, select

from matching.syllables import folded_pattern
from matching.text import search_key
from models.queries import counting
from models.tables import Employer

MAX_WORDS = 12  # more words than any employer's name has: nothing can match
PER_PAGE = 50


@dataclass(frozen=True)
class EmployerRow:
    """One line of the administrator's list of employers."""

    id: int | None  # the column's type; never None once read
    name: str
    tax_code: str | None
    is_active: bool


@dataclass(frozen=True)
class EmployerPage:
    """One page of employers by name. `total` is a capped count (`more` when it stopped);
    `pages` is None when the count stopped, `has_next` says whether a further page holds
    any employer."""

    rows: list[EmployerRow]
    total: int
    page: int
    pages: int | None
    has_next: bool

    @property
    def more(self) -> bool:
        return counting.is_more(self.total)


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def employer_search(text: str | None) -> list[Any]:
    """The WHERE conditions that keep the employers the text finds (none for a blank text):
    every typed word a whole syllable of the folded name, or the text the start of the tax
    code."""
    words = search_key(text).split()
    if not words:
        return []
    if len(words) > MAX_WORDS:
        return [false()]
    padded = literal(" ") + col(Employer.name_key) + literal(" ")
    by_name = and_(*(padded.like(folded_pattern(_escaped(w)), escape="\\") for w in words))
    typed = "".join((text or "").split())
    by_tax_code = col(Employer.tax_code).startswith(typed, autoescape=True)
    return [or_(by_name, by_tax_code)]


def _columns() -> Any:
    return select(
        col(Employer.id), col(Employer.name), col(Employer.tax_code), col(Employer.is_active)
    )


def list_employers(
    session: Session, *, text: str | None = None, page: int = 1, per_page: int = PER_PAGE
) -> EmployerPage:
    """One page of the employers the text finds (all for a blank text), active or not, by
    folded name then id, with a count that stops at COUNT_LIMIT. A page past the last shows
    the last; when the count stopped, pages go as deep as it counted (OFFSET, no further)."""
    conditions = employer_search(text)
    total = counting.capped_count(session, select(col(Employer.id)).where(*conditions))
    pages = None if counting.is_more(total) else max(1, -(-total // per_page))
    last = pages or -(-(counting.COUNT_LIMIT + 1) // per_page)  # as deep as the count saw
    number = min(max(1, page), last)
    query = (
        _columns()
        .where(*conditions)
        .order_by(col(Employer.name_key), col(Employer.id))
        .offset((number - 1) * per_page)
        .limit(per_page + 1)  # one more tells whether a next page holds anyone
    )
    found = [EmployerRow(*row) for row in session.exec(query).all()]
    has_next = len(found) > per_page and number < last
    return EmployerPage(found[:per_page], total, number, pages, has_next)
