"""Searching the board's open vacancies by whole syllables. The database narrows the
candidates with LIKE on folded syllables (the same on SQLite and PostgreSQL); Python then keeps
those that really answer the query (tone marks, all terms in one text, the trade) and ranks
them best first, then newest."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, literal, or_
from sqlmodel import Session, col

from matching.normalise import OccupationNormaliser
from matching.syllables import (
    Advert,
    Query,
    Trade,
    folded_pattern,
    parse_query,
    query_trade,
    relevance,
)
from models.queries import reference
from models.tables import Employer, TrainingOccupation, Vacancy

# Candidates read for one search, newest first; the board holds a few thousand open vacancies.
MAX_CANDIDATES = 5000


@lru_cache(maxsize=4)
def _normaliser(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> OccupationNormaliser:
    """Fitted once per version of the occupation list (the pairs are the cache key)."""
    return OccupationNormaliser().fit(pairs)


def board_query(session: Session, text: str, *, on: date) -> tuple[Query, Trade]:
    """The query typed and the trade it names (occupation ids as keys)."""
    query = parse_query(text)
    pairs = reference.occupation_label_pairs(session, on=on)
    if query.empty or not pairs:
        return query, Trade()
    return query, query_trade(query, text, _normaliser(pairs), dict(pairs))


def _holds(key: Any, query: Query, *, padded: bool) -> ColumnElement[bool]:
    """Every folded term of `query` a whole syllable of `key` (stored padded, or padded
    here)."""
    if not padded:
        key = literal(" ") + key + literal(" ")
    return and_(*(key.like(folded_pattern(term), escape="\\") for term in _escaped(query)))


def _escaped(query: Query) -> list[str]:
    return [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in query.folded]


def candidates(query: Query, trade: Trade) -> ColumnElement[bool]:
    """SQL that keeps every vacancy that may answer (Python decides)."""
    if query.empty:
        return false()
    ways = [
        _holds(col(Vacancy.search_text), query, padded=True),
        _holds(col(Employer.name_key), query.as_typed(), padded=False),
        _holds(col(TrainingOccupation.name_key), query, padded=False),
    ]
    if trade.keys:
        ids = [int(key) for key in trade.keys if key.isdigit()]
        ways.append(col(Vacancy.occupation_id).in_(ids))
    for name in trade.folded_names():
        ways.append(col(Vacancy.search_text).like(folded_pattern(name)))
    return or_(*ways)


def with_search_columns(select: Select[Any]) -> Select[Any]:
    """The board's columns and what ranking reads."""
    return select.add_columns(
        col(Vacancy.description).label("search_description"),
        col(Vacancy.skills).label("search_skills"),
        col(Vacancy.occupation_id).label("search_occupation"),
    ).limit(MAX_CANDIDATES)


def ranked(rows: list[Any], query: Query, trade: Trade) -> list[dict[str, Any]]:
    """The rows that answer, best first (rows come newest first; the sort keeps that order
    among equals)."""
    scored = []
    for row in rows:
        values = row._asdict()
        occupation = values.pop("search_occupation")
        advert = Advert(
            title=values["title"],
            description=values.pop("search_description") or "",
            skills=tuple(values.pop("search_skills") or ()),
            occupation_name=values["occupation_name"],
            employer_name=values["employer_name"],
            occupation_key=None if occupation is None else str(occupation),
        )
        answer = relevance(query, advert, trade)
        if answer.matches:
            scored.append((answer.rank, values))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [values for _, values in scored]
