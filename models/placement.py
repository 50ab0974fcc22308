"""Claiming a vacancy's places: the one write that must hold under concurrent hires."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, case, or_, update
from sqlmodel import Session, col

from models.clock import utcnow
from models.errors import ConflictError
from models.tables import Vacancy


def claim_place(session: Session, vacancy_id: int, *, on: date) -> None:
    """Take one place of an open vacancy inside the caller's transaction, or raise
    ConflictError. A single conditional UPDATE, never read-check-then-write: on PostgreSQL the
    row lock serialises concurrent claims; on SQLite the transaction began IMMEDIATE. A
    vacancy whose deadline is before `on` is closed and takes nobody."""
    result = session.execute(
        update(Vacancy)
        .where(col(Vacancy.id) == vacancy_id)
        .where(col(Vacancy.status) == "open")
        .where(col(Vacancy.filled) < col(Vacancy.quantity))
        .where(or_(col(Vacancy.deadline).is_(None), col(Vacancy.deadline) >= on))
        .values(filled=col(Vacancy.filled) + 1)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise ConflictError("vacancy", "This vacancy has no place left.")
    # Mark it filled in the same transaction when that was the last place.
    session.execute(
        update(Vacancy)
        .where(col(Vacancy.id) == vacancy_id)
        .where(col(Vacancy.filled) >= col(Vacancy.quantity))
        .values(status="filled", filled_at=utcnow())
    )


def release_place(session: Session, vacancy_id: int) -> None:
    """Give a place back (a hire undone); reopens a vacancy that was full."""
    session.execute(
        update(Vacancy)
        .where(col(Vacancy.id) == vacancy_id)
        .where(col(Vacancy.filled) > 0)
        .values(
            filled=col(Vacancy.filled) - 1,
            status=case((col(Vacancy.status) == "filled", "open"), else_=col(Vacancy.status)),
            filled_at=None,
        )
    )
