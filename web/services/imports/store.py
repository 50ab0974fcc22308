"""Imports kept in the database between upload, preview, confirmation and writing, so that a
worker in any process or on any host can carry one on (models/tables/jobs.py).

An import is a small row (``ExcelImport``: status, progress, counts, messages) that the pages
poll, and its bulky parts (``ImportPart``): the uploaded workbook until its rows are read,
the rows, and the check's report. A confirmation claims the import with one conditional
UPDATE (``ready`` -> ``writing``), which exactly one request can make, so a double submit
never writes twice. The parts go when the import is written; an import never confirmed is
deleted with its parts after a day (``purge``, run by a periodic job).
"""

from __future__ import annotations

import json
import re
import secrets
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.clock import utcnow
from models.db import unit_of_work
from models.tables import ExcelImport, ImportPart

PREVIEW_VALID_FOR = timedelta(hours=24)  # a preview older than this must be uploaded again
ABANDONED_AFTER = timedelta(days=1)  # an import never written is deleted after this
UNDO_WITHIN = timedelta(days=1)  # a written import may be undone by its owner until then
KEEP_FINISHED_FOR = timedelta(days=30)  # a written import's summary stays in the history
UPLOAD, ROWS, REPORT = "upload", "rows", "report"
UNDO = "undo"  # what a written import overwrote (results), to undo it within a day
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class Status:
    VALIDATING = "validating"
    INVALID = "invalid"  # the file or some rows are wrong: nothing can be written
    READY = "ready"  # valid: waiting for the user's confirmation
    WRITING = "writing"
    DONE = "done"
    FAILED = "failed"
    UNDONE = "undone"  # written, then undone by its owner within a day


IN_PROGRESS = (Status.VALIDATING, Status.WRITING)


@dataclass
class ImportState:
    """What the pages need to know about one import; no personal data."""

    id: int
    token: str
    user_id: int
    kind: str  # trainees | results | follow_ups
    course_id: int
    institution_id: int
    filename: str
    file_sha256: str
    created_at: datetime
    updated_at: datetime
    status: str = Status.VALIDATING
    phase: str = "reading"  # reading | checking | writing
    done: int = 0
    total: int = 0
    rows: int = 0
    error_rows: int = 0
    file_errors: list[dict[str, Any]] = field(default_factory=list)  # {msgid, params}
    summary: dict[str, int] = field(default_factory=dict)
    message: dict[str, Any] | None = None  # why it failed: {msgid, params}
    duplicate_of: str | None = None  # token of an earlier, finished import of the same file

    @classmethod
    def of(cls, row: ExcelImport) -> ImportState:
        values = {name: getattr(row, name) for name in cls.__dataclass_fields__}
        return cls(**values)

    def can_undo(self, now: datetime | None = None) -> bool:
        """Written less than a day ago: its owner may still undo it (imports.undo)."""
        age = (now or utcnow()) - _aware(self.created_at)
        return self.status == Status.DONE and age < UNDO_WITHIN

    def is_expired(self, now: datetime | None = None) -> bool:
        age = (now or utcnow()) - _aware(self.created_at)
        return self.status == Status.READY and age > PREVIEW_VALID_FOR


def _aware(moment: datetime) -> datetime:
    """SQLite gives stored moments back without their zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def create(session: Session, *, upload: bytes, **fields: Any) -> ImportState:
    """A new import with its uploaded file (in the caller's unit of work)."""
    now = utcnow()
    row = ExcelImport(token=new_token(), created_at=now, updated_at=now, **fields)
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(ImportPart(import_id=row.id, part=UPLOAD, content=upload))
    session.flush()
    return ImportState.of(row)


def find(session: Session, token: str) -> ImportState | None:
    if not _TOKEN.match(token or ""):
        return None
    row = session.execute(select(ExcelImport).where(col(ExcelImport.token) == token)).scalar()
    return None if row is None else ImportState.of(row)


def get(session: Session, import_id: int) -> ImportState | None:
    row = session.get(ExcelImport, import_id, populate_existing=True)
    return None if row is None else ImportState.of(row)


def set_fields(session: Session, import_id: int, **changes: Any) -> None:
    """Change some fields of an import in the caller's transaction."""
    session.execute(
        update(ExcelImport)
        .where(col(ExcelImport.id) == import_id)
        .values(updated_at=utcnow(), **changes)
        .execution_options(synchronize_session=False)
    )


def update_now(engine: Engine, import_id: int, **changes: Any) -> None:
    """Change some fields of an import in a short transaction of its own (progress)."""
    with Session(engine) as session, unit_of_work(session):
        set_fields(session, import_id, **changes)


def claim(session: Session, import_id: int) -> bool:
    """Move a checked import from ready to writing; True for the one caller that does it (in
    the caller's unit of work: on PostgreSQL a second caller waits for the row, then finds
    it no longer ready; on SQLite the write lock serialises them)."""
    result = session.execute(
        update(ExcelImport)
        .where(col(ExcelImport.id) == import_id, col(ExcelImport.status) == Status.READY)
        .values(status=Status.WRITING, phase="checking", done=0, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def save_part(session: Session, import_id: int, part: str, value: Any) -> None:
    """Keep rows or a report as compressed JSON, replacing an earlier one."""
    text = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    drop_parts(session, import_id, part)
    session.add(ImportPart(import_id=import_id, part=part, content=zlib.compress(text, 6)))
    session.flush()


def load_part(session: Session, import_id: int, part: str) -> Any:
    content = _content(session, import_id, part)
    return None if content is None else json.loads(zlib.decompress(content))


def load_upload(session: Session, import_id: int) -> bytes | None:
    """The uploaded workbook, until its rows have been read."""
    return _content(session, import_id, UPLOAD)


def _content(session: Session, import_id: int, part: str) -> bytes | None:
    query = select(col(ImportPart.content)).where(
        col(ImportPart.import_id) == import_id, col(ImportPart.part) == part
    )
    found = session.execute(query).scalar()
    return None if found is None else bytes(found)


def drop_parts(session: Session, import_id: int, *parts: str) -> None:
    """Delete some parts of an import (every part when none is named)."""
    statement = delete(ImportPart).where(col(ImportPart.import_id) == import_id)
    if parts:
        statement = statement.where(col(ImportPart.part).in_(parts))
    session.execute(statement.execution_options(synchronize_session=False))


def for_user(session: Session, user_id: int, limit: int = 20) -> list[ImportState]:
    """The user's imports still kept, newest first."""
    query = (
        select(ExcelImport)
        .where(col(ExcelImport.user_id) == user_id)
        .order_by(col(ExcelImport.created_at).desc(), col(ExcelImport.id).desc())
        .limit(limit)
    )
    return [ImportState.of(row) for row in session.execute(query).scalars()]


def earlier_import(session: Session, user_id: int, digest: str, course_id: int) -> str | None:
    """The token of this user's written import of the same file into the same course."""
    query = select(col(ExcelImport.token)).where(
        col(ExcelImport.user_id) == user_id,
        col(ExcelImport.file_sha256) == digest,
        col(ExcelImport.course_id) == course_id,
        col(ExcelImport.status) == Status.DONE,
    )
    return session.execute(query.limit(1)).scalar()


def purge(session: Session, now: datetime | None = None) -> int:
    """Delete imports never written (abandoned, invalid, failed) a day after their upload,
    with their file and rows, and written imports' summaries after KEEP_FINISHED_FOR; an
    import being written is left to its job. Returns how many imports were deleted (in the
    caller's unit of work)."""
    now = now or utcnow()
    gone = or_(
        and_(
            col(ExcelImport.status).in_(
                (Status.VALIDATING, Status.INVALID, Status.READY, Status.FAILED)
            ),
            col(ExcelImport.created_at) < now - ABANDONED_AFTER,
        ),
        and_(
            col(ExcelImport.status).in_((Status.DONE, Status.UNDONE)),
            col(ExcelImport.created_at) < now - KEEP_FINISHED_FOR,
        ),
    )
    ids = list(session.execute(select(col(ExcelImport.id)).where(gone)).scalars())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(delete(ImportPart).where(col(ImportPart.import_id).in_(chunk)))
        session.execute(delete(ExcelImport).where(col(ExcelImport.id).in_(chunk)))
    return len(ids)
