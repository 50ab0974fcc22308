"""Excel import use cases: receive a file, check it, show the preview, and on confirmation
write the whole file in one transaction with one audit entry, or nothing at all.

Checking and writing are queued jobs (models/jobs): the import, its file and its rows live in
the database (imports.store), so any worker can carry them on and a job whose worker died is
run again. The request that queued a small file's job runs it itself at once (the user sees
the preview without waiting for a worker); a big file's job is left to the workers and the
user watches the progress page.

A confirmation is claimed once (see imports.store), and the writing transaction checks the
file again against the database as it is then: rows that became wrong since the preview
(someone enrolled the same person meanwhile) stop the import and are shown, nothing written.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from models import audit
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.enums import CourseStatus
from models.errors import AppError, InvalidError, NotFoundError
from models.excel import check_layout, read_table
from models.jobs import queue
from models.jobs.kinds import JobKind, import_key
from models.jobs.worker import JobContext
from models.tables import Course
from web.auth import Principal
from web.permissions import owns_institution_record, require
from web.services.imports import store
from web.services.imports.kinds import ImportKind, excel_kind, import_kind
from web.services.imports.rows import RowChecks, rows_from_json, rows_to_json
from web.services.imports.store import ImportState, Status

logger = logging.getLogger(__name__)

# Files up to this size are checked while the user waits (a few hundred rows take well under
# a second); bigger ones are left to the workers and the user sees the progress page.
INLINE_MAX_BYTES = 150_000
INLINE_MAX_ROWS = 2_000  # a confirmed import of more rows is written by a worker
# A job the request runs itself waits this long before a worker may take it: only if the
# request died before running it.
INLINE_GRACE = timedelta(seconds=30)
IMPORT_PRIORITY = 10  # before KPI refreshes: a user is waiting
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


def _message(error: AppError) -> dict[str, object]:
    return {"msgid": error.msgid, "params": {k: str(v) for k, v in error.params.items()}}


def course_for_import(session: Session, principal: Principal, course_id: int | None) -> Course:
    """The course a file is imported into: one the user's institution runs, not cancelled."""
    if not course_id:
        raise InvalidError("course_id", "Choose the course.")
    course = session.get(Course, course_id)
    # Another institution's course is answered like one that does not exist.
    if course is None or not owns_institution_record(principal, course.institution_id):
        raise InvalidError("course_id", "This course does not exist.")
    if course.status == CourseStatus.CANCELLED.value:
        raise InvalidError(
            "course_id", "This course was cancelled: nothing can be imported into it."
        )
    return course


def start_import(
    session: Session,
    *,
    principal: Principal,
    kind: str | None,
    course_id: int | None,
    filename: str,
    data: bytes,
) -> tuple[ImportState, int]:
    """Check who may import what where and that the file is a workbook with the right
    columns (cheap: the header only), then keep the file and queue the check of its rows.
    Returns the import and its job (a small file's job waits for the request to run it)."""
    spec = excel_kind(kind)
    if spec.permission is not None:
        require(principal, spec.permission)
    course = course_for_import(session, principal, course_id)
    end_read(session)  # reading the header is slow: no transaction stays open meanwhile
    check_layout(data, spec.upload_columns, ignored=spec.ignored_columns)
    digest = hashlib.sha256(data).hexdigest()
    user_id = principal.user.id or 0
    with unit_of_work(session):
        state = store.create(
            session,
            upload=data,
            user_id=user_id,
            kind=spec.name,
            course_id=course.id or 0,
            institution_id=course.institution_id,
            filename=_UNSAFE_NAME.sub("_", filename or "")[-120:] or "upload.xlsx",
            file_sha256=digest,
            duplicate_of=store.earlier_import(session, user_id, digest, course.id or 0),
        )
        job_id = _enqueue(session, JobKind.IMPORT_CHECK, state.id, inline=is_small(data))
    return state, job_id


def _enqueue(session: Session, kind: JobKind, import_id: int, *, inline: bool) -> int:
    run_after = utcnow() + INLINE_GRACE if inline else None
    job_id = queue.enqueue(
        session,
        kind,
        {"import_id": import_id},
        key=import_key(import_id),
        priority=IMPORT_PRIORITY,
        run_after=run_after,
    )
    assert job_id is not None  # a new import, or one just claimed: no job of it is queued
    return job_id


def is_small(data: bytes) -> bool:
    return len(data) <= INLINE_MAX_BYTES


def _progress(
    engine: Engine, import_id: int, phase: str, context: JobContext | None
) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        try:
            store.update_now(engine, import_id, phase=phase, done=done, total=total)
        except OperationalError:  # busy: progress is worth no failed attempt
            logger.warning("Progress of import %s not recorded", import_id, exc_info=True)
        if context is not None:
            context.progress(done, total)

    return report


def validate_import(engine: Engine, payload: Mapping[str, Any], context: JobContext) -> None:
    """The check job: read every row and check it; keep the rows and the report for the
    preview. A file that cannot be read, or rows in error, end the job with the import
    invalid; any other error is raised, so that the job is tried again."""
    import_id = int(payload["import_id"])
    with Session(engine, expire_on_commit=False) as session:
        state = store.get(session, import_id)
        if state is None or state.status != Status.VALIDATING:
            return
        data = store.load_upload(session, import_id)
        stored = store.load_part(session, import_id, store.ROWS) if data is None else None
        end_read(session)
    spec = import_kind(state.kind)
    try:
        if data is not None:
            reading = _progress(engine, import_id, "reading", context)
            table = read_table(
                data,
                spec.upload_columns,
                on_progress=lambda n: reading(n, 0),
                ignored=spec.ignored_columns,
            )
            stored = rows_to_json(table.rows)
            with Session(engine) as session, unit_of_work(session):
                store.save_part(session, import_id, store.ROWS, stored)
                store.drop_parts(session, import_id, store.UPLOAD)
        rows = rows_from_json(stored or [])  # check exactly what the confirmation will check
        store.update_now(
            engine, import_id, phase="checking", done=0, total=len(rows), rows=len(rows)
        )
        with Session(engine, expire_on_commit=False) as session:
            prepared = spec.prepare(session)
            course = _course(session, state.course_id)
            # End the read before the long loop: the rows are checked in Python, and the
            # database is asked again at the end, in a read of its own.
            end_read(session)
            checking = _progress(engine, import_id, "checking", context)
            checks = spec.check(session, course, rows, prepared, progress=checking)
        _save_report(engine, import_id, checks, ready=Status.READY)
    except AppError as error:
        file_errors = [_message(e) for e in getattr(error, "errors", [error])]
        store.update_now(engine, import_id, status=Status.INVALID, file_errors=file_errors)


def give_up_import(engine: Engine, payload: Mapping[str, Any]) -> None:
    """Every attempt of a check or a write failed: the import is shown as failed (nothing was
    written: each write is one transaction)."""
    store.update_now(
        engine, int(payload["import_id"]), status=Status.FAILED, message=FAILED_MESSAGE
    )


FAILED = (
    "The import failed because of an error on our side; nothing was written. Please upload "
    "the file again."
)
CHANGED = (
    "The records changed since the preview, so nothing was written: see the errors below, "
    "correct the file and upload it again."
)
FAILED_MESSAGE = {"msgid": FAILED, "params": {}}
CHANGED_MESSAGE = {"msgid": CHANGED, "params": {}}


def _course(session: Session, course_id: int, *, lock: bool = False) -> Course:
    query = select(Course).where(col(Course.id) == course_id)
    course = session.exec(query.with_for_update() if lock else query).first()
    if course is None:
        raise NotFoundError("course_id", "This course does not exist.")
    return course


def _save_report(engine: Engine, import_id: int, checks: RowChecks, *, ready: str) -> None:
    notes = list(checks.notes.values())
    with Session(engine) as session, unit_of_work(session):
        store.save_part(session, import_id, store.REPORT, checks.as_json())
        store.set_fields(
            session,
            import_id,
            status=Status.INVALID if checks.errors else ready,
            error_rows=len(checks.rows_with_errors()),
            summary={note: notes.count(note) for note in set(notes)},
            done=0,
            total=0,
        )


def own_import(session: Session, principal: Principal, token: str) -> ImportState:
    """The import, if it is this user's; anyone else is told it does not exist."""
    state = store.find(session, token)
    if state is None or state.user_id != principal.user.id:
        raise NotFoundError(None, "This import does not exist or has been deleted.")
    return state


def claim_import(
    session: Session, *, principal: Principal, token: str
) -> tuple[ImportState, int | None]:
    """Claim a checked import for writing and queue its write. The job for the one request
    that may write it; None for a second click, or a confirmation of something not ready,
    which gets the import as it stands."""
    state = own_import(session, principal, token)
    course_for_import(session, principal, state.course_id)  # still allowed to import there
    if state.is_expired():
        raise InvalidError(None, "This preview is more than a day old: upload the file again.")
    if state.status != Status.READY:
        return state, None
    with unit_of_work(session):
        if not store.claim(session, state.id):
            return state, None
        inline = state.rows <= INLINE_MAX_ROWS
        job_id = _enqueue(session, JobKind.IMPORT_WRITE, state.id, inline=inline)
    state.status, state.phase, state.done = Status.WRITING, "checking", 0
    return state, job_id


def write_import(engine: Engine, payload: Mapping[str, Any], context: JobContext) -> None:
    """The write job: check the rows again and write them all in one transaction with one
    audit entry, the import marked done and its rows deleted, or nothing. Rows that became
    wrong, or a clash with a concurrent change, end the job with the import refused; any
    other error is raised, so that the job is tried again."""
    import_id = int(payload["import_id"])
    with Session(engine, expire_on_commit=False) as session:
        state = store.get(session, import_id)
        if state is None or state.status != Status.WRITING:
            return  # written by an earlier attempt, whose worker died after its commit
        rows = rows_from_json(store.load_part(session, import_id, store.ROWS) or [])
        spec = import_kind(state.kind)
        prepared = spec.prepare(session)  # reference lists, read before the write lock
        summary: dict[str, int] | None = None
        try:
            with unit_of_work(session):
                # Locked: two imports into one course take turns, so its places count once.
                course = _course(session, state.course_id, lock=True)
                checks = spec.check(
                    session, course, rows, prepared, progress=_writing(engine, state, context)
                )
                if not checks.errors:  # else nothing is written
                    summary = _write(engine, session, spec, course, checks, state, context)
        except IntegrityError:
            logger.warning("Import %s conflicted with a concurrent change", import_id)
            store.update_now(engine, import_id, status=Status.FAILED, message=CHANGED_MESSAGE)
            return
    if summary is None:  # rows that became wrong since the preview
        _save_report(engine, import_id, checks, ready=Status.INVALID)
        store.update_now(engine, import_id, message=CHANGED_MESSAGE)


def _writing(
    engine: Engine, state: ImportState, context: JobContext, phase: str = "checking"
) -> Callable[[int, int], None] | None:
    """Progress from inside the writing transaction: on PostgreSQL written by short
    transactions beside it; on SQLite it would wait for the write lock this transaction
    holds, so none is written (the page says the rows are being saved)."""
    if engine.dialect.name == "sqlite":
        return None
    return _progress(engine, state.id, phase, context)


def _write(
    engine: Engine,
    session: Session,
    spec: ImportKind,
    course: Course,
    checks: RowChecks,
    state: ImportState,
    context: JobContext,
) -> dict[str, int]:
    """Write the rows, the audit entry and the import's new state in the caller's
    transaction; the rows read from the file go with it."""
    uploader = {"user_id": state.user_id} if spec.records_user else {}
    progress = _writing(engine, state, context, "writing")
    store.drop_parts(session, state.id)
    # Rows the import creates carry its id, and what it overwrites is kept, so that its
    # owner can undo it within a day (imports.undo).
    summary = spec.write(session, course, checks, progress=progress, import_id=state.id, **uploader)
    rows = state.rows
    _audit(session, state, rows, summary)
    store.set_fields(session, state.id, status=Status.DONE, summary=summary, done=rows, total=rows)
    return summary


def _audit(session: Session, state: ImportState, rows: int, summary: dict[str, int]) -> None:
    audit.record(
        session,
        user_id=state.user_id,
        action="import",
        entity="course",
        entity_id=state.course_id,
        import_token=state.token,
        import_kind=state.kind,
        rows=rows,
        file_sha256=state.file_sha256,
        **summary,
    )
