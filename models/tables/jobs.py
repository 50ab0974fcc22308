"""Background work kept in the database: the job queue, and the Excel imports' state with the
uploaded file and the rows read from it, so that any process on any host can carry on a job
that another one started (models/jobs, web/services/imports/store.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, LargeBinary, text
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.jobs.kinds import QUEUED


class Job(SQLModel, table=True):
    """One piece of background work. A worker claims a queued job (or a running one whose
    lease expired: its worker died) by setting ``worker`` and ``lease_until``, extends the
    lease while it runs (heartbeats), and finishes it as done, or as queued again after
    ``run_after`` (a retry with back-off), or as failed with its error once ``attempts``
    reaches ``max_attempts``. ``error`` names the kind of failure and where it happened, never
    the values involved (no personal data). At most one queued job per ``dedupe_key``."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_ready", "status", "run_after"),
        Index("ix_job_key", "dedupe_key", "status"),
        Index(
            "uq_job_pending_key",
            "dedupe_key",
            unique=True,
            sqlite_where=text("status = 'queued'"),
            postgresql_where=text("status = 'queued'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    dedupe_key: str | None = Field(default=None, max_length=80)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=QUEUED, max_length=10)  # queued | running | done | failed
    priority: int = 0  # higher first
    attempts: int = 0
    max_attempts: int = 3
    run_after: datetime = Field(default_factory=utcnow)
    lease_until: datetime | None = None
    worker: str | None = Field(default=None, max_length=80)
    done: int = 0  # progress, in the job's own unit (rows, vacancies)
    total: int = 0
    error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None


class ExcelImport(SQLModel, table=True):
    """One uploaded workbook between upload, preview, confirmation and writing: what the pages
    show (status, progress, counts, messages as {msgid, params}) and no personal data. The
    file and the rows read from it are ``ImportPart`` rows, deleted once the import is
    written or abandoned."""

    __tablename__ = "excel_import"
    __table_args__ = (Index("ix_excel_import_user", "user_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)  # in URLs: random, not guessable
    user_id: int
    kind: str = Field(max_length=20)  # trainees | results | follow_ups
    course_id: int
    institution_id: int
    filename: str = Field(max_length=120)
    file_sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="validating", max_length=12)
    phase: str = Field(default="reading", max_length=10)  # reading | checking | writing
    done: int = 0
    total: int = 0
    rows: int = 0
    error_rows: int = 0
    file_errors: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    summary: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    message: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    duplicate_of: str | None = Field(default=None, max_length=64)  # an earlier import's token


class ImportPart(SQLModel, table=True):
    """The bulky data of an import: the uploaded workbook (``upload``, until its rows are
    read), the rows read from it (``rows``) and the check's report (``report``), the last two
    as zlib-compressed JSON."""

    __tablename__ = "excel_import_part"
    import_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("excel_import.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    part: str = Field(max_length=10, primary_key=True)
    content: bytes = Field(sa_type=LargeBinary)
