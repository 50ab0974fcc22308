"""Writes of the machine API sent with an `Idempotency-Key`: the first request runs and its
response is stored in the same transaction as the write itself; a retry with the same key
and the same request gets the stored response and writes nothing; the same key with another
request is refused. A request that failed stores nothing (its key can be used again).

Two copies of one request at the same moment: the unique (token, key) row is inserted
before the write, so on PostgreSQL the second waits on the first's insert and then fails;
on SQLite the writers take turns and the second finds the first's row. Either way the loser
answers with the winner's stored response, and one record is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.clock import utcnow
from models.db import unit_of_work
from models.errors import InvalidError
from models.tables import ApiIdempotency

KEPT_FOR = timedelta(hours=24)
KEY_REUSED = "This Idempotency-Key was already used for a different request."


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: dict[str, Any]
    replayed: bool


def _stored(session: Session, token_id: int, key: str) -> ApiIdempotency | None:
    return session.exec(
        select(ApiIdempotency).where(
            ApiIdempotency.token_id == token_id,
            ApiIdempotency.key == key,
            col(ApiIdempotency.created_at) >= utcnow() - KEPT_FOR,
        )
    ).first()


def _replay(row: ApiIdempotency, fingerprint: str) -> StoredResponse:
    if row.fingerprint != fingerprint:
        raise InvalidError(None, KEY_REUSED)
    return StoredResponse(row.status_code, dict(row.body), replayed=True)


def run_once(
    session: Session,
    *,
    token_id: int,
    key: str | None,
    fingerprint: str,
    write: Callable[[], tuple[int, dict[str, Any]]],
) -> StoredResponse:
    """`write` (which joins this unit of work) once per key; its (status, JSON body)."""
    if key is None:
        with unit_of_work(session):
            status, body = write()
        return StoredResponse(status, body, replayed=False)
    earlier = _stored(session, token_id, key)
    if earlier is not None:
        return _replay(earlier, fingerprint)
    try:
        with unit_of_work(session):
            session.execute(
                delete(ApiIdempotency).where(
                    col(ApiIdempotency.token_id) == token_id,
                    col(ApiIdempotency.created_at) < utcnow() - KEPT_FOR,
                )
            )
            row = ApiIdempotency(
                token_id=token_id, key=key, fingerprint=fingerprint, status_code=0, body={}
            )
            session.add(row)
            session.flush()  # takes the key: a concurrent duplicate waits or fails here
            status, body = write()
            row.status_code, row.body = status, body
            session.add(row)
    except IntegrityError:
        winner = _stored(session, token_id, key)
        if winner is None:
            raise
        return _replay(winner, fingerprint)
    return StoredResponse(status, body, replayed=False)
