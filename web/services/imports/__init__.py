"""Excel import use cases: receive a file, check it (in the request, or in a background
thread for a big file, reporting progress), show the preview, and on confirmation write the
whole file in one transaction with one audit entry, or nothing at all.

A confirmation is claimed once (see imports.store), and the writing transaction checks the
file again against the database as it is then: rows that became wrong since the preview
(someone enrolled the same person meanwhile) stop the import and are shown, nothing written.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.enums import CourseStatus
from models.errors import AppError, InvalidError, NotFoundError
from models.excel import check_layout, read_table
from models.tables import Course
from web.auth import Principal
from web.permissions import owns_institution_record, require
from web.services.imports.kinds import import_kind
from web.services.imports.rows import RowChecks, rows_from_json, rows_to_json
from web.services.imports.store import ImportState, ImportStore, Status

logger = logging.getLogger(__name__)

# Files up to this size are checked while the user waits (a few hundred rows take well under
# a second); bigger ones go to a background thread and the progress page.
INLINE_MAX_BYTES = 150_000
INLINE_MAX_ROWS = 2_000  # a confirmed import of more rows is written in the background
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
    store: ImportStore,
    kind: str | None,
    course_id: int | None,
    filename: str,
    data: bytes,
) -> ImportState:
    """Check who may import what where and that the file is a workbook with the right
    columns (cheap: the header only), then keep the file for checking its rows."""
    spec = import_kind(kind)
    if spec.permission is not None:
        require(principal, spec.permission)
    course = course_for_import(session, principal, course_id)
    check_layout(data, spec.columns)
    digest = hashlib.sha256(data).hexdigest()
    state = ImportState(
        token=store.new_token(),
        user_id=principal.user.id or 0,
        kind=spec.name,
        course_id=course.id or 0,
        institution_id=course.institution_id,
        filename=_UNSAFE_NAME.sub("_", filename or "")[-120:] or "upload.xlsx",
        file_sha256=digest,
        created_at=utcnow().isoformat(),
        duplicate_of=_earlier_import(store, principal, digest, course.id or 0),
    )
    store.purge()
    store.save_upload(state.token, data)
    store.save(state)
    end_read(session)  # the rows are checked next: no transaction stays open meanwhile
    return state


def _earlier_import(
    store: ImportStore, principal: Principal, digest: str, course_id: int
) -> str | None:
    for earlier in store.for_user(principal.user.id or 0):
        same = earlier.file_sha256 == digest and earlier.course_id == course_id
        if same and earlier.status == Status.DONE:
            return earlier.token
    return None


def is_small(data: bytes) -> bool:
    return len(data) <= INLINE_MAX_BYTES


def _progress(store: ImportStore, token: str, phase: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        store.update(token, phase=phase, done=done, total=total)

    return report


def validate_import(engine: Engine, store: ImportStore, token: str) -> None:
    """Read every row and check it; keep the rows and the report for the preview. Runs in the
    request for a small file, in a background thread for a big one: never raises."""
    state = store.load(token)
    if state is None or state.status != Status.VALIDATING:
        return
    spec = import_kind(state.kind)
    try:
        data = store.take_upload(token)
        table = read_table(data, spec.columns, on_progress=lambda n: store.update(token, done=n))
        stored = rows_to_json(table.rows)
        store.save_part(token, "rows", stored)
        rows = rows_from_json(stored)  # check exactly what the confirmation will check
        store.update(token, phase="checking", done=0, total=len(rows), rows=len(rows))
        with Session(engine, expire_on_commit=False) as session:
            prepared = spec.prepare(session)
            course = _course(session, state.course_id)
            # End the read before the long loop: the rows are checked in Python, and the
            # database is asked again at the end, in a read of its own.
            end_read(session)
            checks = spec.check(
                session, course, rows, prepared, progress=_progress(store, token, "checking")
            )
        _save_report(store, token, checks, ready=Status.READY)
    except AppError as error:
        file_errors = [_message(e) for e in getattr(error, "errors", [error])]
        store.update(token, status=Status.INVALID, file_errors=file_errors)
    except Exception:
        logger.exception("Checking import %s failed", token)
        store.update(token, status=Status.FAILED, message=FAILED_MESSAGE)


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


def _save_report(store: ImportStore, token: str, checks: RowChecks, *, ready: str) -> None:
    store.save_part(token, "report", checks.as_json())
    notes = list(checks.notes.values())
    summary = {note: notes.count(note) for note in set(notes)}
    status = Status.INVALID if checks.errors else ready
    store.update(
        token,
        status=status,
        error_rows=len(checks.rows_with_errors()),
        summary=summary,
        done=0,
        total=0,
    )


def own_import(store: ImportStore, principal: Principal, token: str) -> ImportState:
    """The import, if it is this user's; anyone else is told it does not exist."""
    try:
        state = store.load(token)
    except ValueError:
        state = None
    if state is None or state.user_id != principal.user.id:
        raise NotFoundError(None, "This import does not exist or has been deleted.")
    return state


def claim_import(
    session: Session, *, principal: Principal, store: ImportStore, token: str
) -> tuple[ImportState, bool]:
    """Claim a checked import for writing. True for the one request that may write it; a
    second click, or a confirmation of something not ready, gets the import as it stands."""
    state = own_import(store, principal, token)
    course_for_import(session, principal, state.course_id)  # still allowed to import there
    end_read(session)  # the import is written by a transaction of its own
    if state.is_expired():
        raise InvalidError(None, "This preview is more than a day old: upload the file again.")
    if state.status != Status.READY or not store.claim(token):
        return state, False
    updated = store.update(token, status=Status.WRITING, phase="checking", done=0, total=state.rows)
    return updated or state, True


def write_import(engine: Engine, store: ImportStore, token: str) -> None:
    """Check the rows again and write them all in one transaction with one audit entry, or
    nothing. Runs after a successful claim; never raises."""
    state = store.load(token)
    if state is None or state.status != Status.WRITING:
        return
    spec = import_kind(state.kind)
    rows = rows_from_json(store.load_part(token, "rows") or [])
    summary: dict[str, int] | None = None
    try:
        with Session(engine, expire_on_commit=False) as session:
            prepared = spec.prepare(session)  # reference lists, read before the write lock
            with unit_of_work(session):
                # Locked: two imports into one course take turns, so its places count once.
                course = _course(session, state.course_id, lock=True)
                checks = spec.check(
                    session, course, rows, prepared, progress=_progress(store, token, "checking")
                )
                if not checks.errors:  # else nothing is written
                    uploader = {"user_id": state.user_id} if spec.records_user else {}
                    summary = spec.write(
                        session,
                        course,
                        checks,
                        progress=_progress(store, token, "writing"),
                        **uploader,
                    )
                    _audit(session, state, len(rows), summary)
    except IntegrityError:
        logger.warning("Import %s conflicted with a concurrent change", token)
        store.update(token, status=Status.FAILED, message=CHANGED_MESSAGE)
        return
    except Exception:
        logger.exception("Writing import %s failed", token)
        store.update(token, status=Status.FAILED, message=FAILED_MESSAGE)
        return
    if summary is None:  # rows that became wrong since the preview
        _save_report(store, token, checks, ready=Status.INVALID)
        store.update(token, message=CHANGED_MESSAGE)
        return
    store.update(token, status=Status.DONE, summary=summary, done=len(rows), total=len(rows))


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
