"""The register of graduates as an exchange file: an institution's graduates with their
credentials, exported (people's ID numbers and phones only to those who may see them, like
the trainee export) and imported into the institution's own courses.

An import runs, course by course, the trainee import's checks (web/services/imports/trainees)
and then the result import's checks (imports/results) on the same rows, in one transaction:
any error in any row and nothing is written. Each course's part is kept as an import of kind
`graduates` (excel_import), which its owner can undo within a day from the imports page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching.text import search_key
from models import audit
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.enums import CourseStatus
from models.errors import ConflictError, InvalidError, NotFoundError
from models.excel import SheetRow
from models.exchange import GRADUATES_V1, ExchangeFile, archive_pieces, read
from models.queries import exchange as queries
from models.rows import get_or_404
from models.tables import Course, ExcelImport, Institution, TrainingOccupation
from web.auth import Principal
from web.downloads import read_apart
from web.permissions import Permission, institution_scope, require, require_institution
from web.services.exchange import ExchangeDownload
from web.services.imports.kinds import GRADUATES
from web.services.imports.results import check_results, write_results
from web.services.imports.rows import RowChecks, issue
from web.services.imports.store import Status, new_token
from web.services.imports.trainees import (
    TraineeReference,
    check_trainees,
    load_reference,
    write_trainees,
)

PERSONAL = ("citizen_id", "phone")
NO_COURSE = "This course does not exist."
CANCELLED = "This course was cancelled: nothing can be imported into it."
OTHER_OCCUPATION = "The course {code} teaches the occupation {expected}, not {value}."
OTHER_LEVEL = "The course {code} is at the level {expected}, not {value}."
WITHOUT_PERSONAL = (
    "This file was exported without ID numbers: graduates cannot be imported from it."
)
NO_INSTITUTION = "This institution does not exist."
CHANGED = "The records changed while the file was imported: nothing was written. Please try again."


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "x"


def export_graduates(
    session: Session,
    engine: Engine,
    *,
    principal: Principal,
    institution_id: int | None = None,
    course_id: int | None = None,
    year: int | None = None,
    personal_data: bool = True,
) -> ExchangeDownload:
    """The graduates of one course, or of every course of an institution (staff: their own;
    officials choose one), perhaps of one graduation year. Audited with the people it holds
    before a byte is sent; the rows are read through `engine` while the file is written."""
    require(principal, Permission.VIEW_TRAINEES)
    if course_id is not None:
        course = get_or_404(session, Course, course_id, NO_COURSE, field="course_id")
        require_institution(principal, course.institution_id, NO_COURSE)
        institution_id = course.institution_id
    chosen = institution_id if institution_id is not None else institution_scope(principal)
    if chosen is None:
        raise InvalidError("institution_id", "Choose a course or an institution to export.")
    require_institution(principal, chosen, NO_INSTITUTION)
    institution = get_or_404(session, Institution, chosen, NO_INSTITUTION, field="institution_id")
    wanted = queries.GraduateFilter(chosen, course_id=course_id, year=year)
    held = queries.graduates_held(session, wanted)
    extra = {"institution": {"code": institution.code, "name": institution.name}, "year": year}
    shared = list(PERSONAL) if personal_data else []
    suffix = f"-{year}" if year else ""
    filename = f"tot-nghiep-{_slug(institution.code)}{suffix}.zip"
    generated_at = utcnow()
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user.id,
            action="export",
            entity="institution",
            entity_id=chosen,
            export_kind=GRADUATES_V1.name,
            rows=held.rows,
            personal_data=shared,
            person_ids=held.person_ids,
        )
    rows = read_apart(engine, lambda reader: queries.each_graduate(reader, wanted))
    if not personal_data:
        rows = (row | dict.fromkeys(PERSONAL) for row in rows)
    pieces = archive_pieces(
        GRADUATES_V1, rows, generated_at=generated_at, personal_data=shared, extra=extra
    )
    return ExchangeDownload(pieces, filename, held.rows)


@dataclass
class GraduateImport:
    """What an import did: nothing (``checks`` holds an error per row), or the imports it
    wrote, one per course (their tokens, for the undo), and the counts."""

    checks: RowChecks
    tokens: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def written(self) -> bool:
        return not self.checks.errors


class _Refused(Exception):
    """Rows in error: the unit of work rolls back."""


def find_institution(session: Session, code: str | None) -> int | None:
    """The id of the institution with this code (None when no code is given)."""
    if not code:
        return None
    found = session.exec(select(Institution.id).where(col(Institution.code) == code)).first()
    if found is None:
        raise NotFoundError("institution", NO_INSTITUTION)
    return int(found)


def _stated_institution(manifest: dict[str, Any]) -> str | None:
    """The institution code the manifest names, if it names one as text."""
    stated = manifest.get("institution")
    code = stated.get("code") if isinstance(stated, dict) else None
    return code if isinstance(code, str) else None


def _institution_for(session: Session, principal: Principal, code: str | None) -> Institution:
    """Staff import into their own institution; an administrator names one by its code."""
    own = institution_scope(principal)
    if own is not None:
        institution = session.get(Institution, own)
    else:
        institution = session.exec(
            select(Institution).where(col(Institution.code) == (code or ""))
        ).first()
    if institution is None:
        raise NotFoundError("institution", NO_INSTITUTION)
    return institution


def _courses(session: Session, institution_id: int, codes: list[str]) -> dict[str, Course]:
    found = session.exec(
        select(Course).where(
            col(Course.institution_id) == institution_id, col(Course.code).in_(codes)
        )
    ).all()
    return {course.code: course for course in found}


def _course_problem(
    session: Session, course: Course | None, rows: list[SheetRow], checks: RowChecks
) -> bool:
    """Rows naming a course the institution does not run (or cancelled, or of another
    occupation or level than the file says) get an error each; True when there were some."""
    before = len(checks.errors)
    occupation = session.get(TrainingOccupation, course.occupation_id) if course else None
    for row in rows:
        code = row.values["course_code"]
        if course is None:
            checks.errors.append(issue(row.number, "course_code", NO_COURSE))
            continue
        if course.status == CourseStatus.CANCELLED.value:
            checks.errors.append(issue(row.number, "course_code", CANCELLED))
        given = row.values.get("occupation", "")
        if given and occupation is not None and given != occupation.key:
            checks.errors.append(
                issue(
                    row.number,
                    "occupation",
                    OTHER_OCCUPATION,
                    code=code,
                    expected=occupation.key,
                    value=given,
                )
            )
        level = row.values.get("level_code", "")
        if level and level != course.level_code:
            checks.errors.append(
                issue(
                    row.number,
                    "level_code",
                    OTHER_LEVEL,
                    code=code,
                    expected=course.level_code,
                    value=level,
                )
            )
    return len(checks.errors) > before


def import_graduates(
    session: Session,
    *,
    principal: Principal,
    data: bytes,
    filename: str,
    institution_code: str | None = None,
) -> GraduateImport:
    """Check the manifest, then every row; write every course's graduates, or nothing."""
    require(principal, Permission.IMPORT_TRAINEES)
    exchange = read(data, kind=GRADUATES_V1.kind)
    shared = exchange.manifest.get("personal_data")
    if not isinstance(shared, list) or "citizen_id" not in shared:
        raise InvalidError("file", WITHOUT_PERSONAL)
    named = institution_code or _stated_institution(exchange.manifest)
    institution = _institution_for(session, principal, named)
    by_course: dict[str, list[SheetRow]] = defaultdict(list)
    for number, values in exchange.rows:
        by_course[values["course_code"]].append(SheetRow(number, dict(values)))
    reference = load_reference(session)
    end_read(session)
    outcome = GraduateImport(RowChecks())
    try:
        with unit_of_work(session):
            courses = _courses(session, institution.id or 0, list(by_course))
            for code, rows in by_course.items():
                _import_course(
                    session,
                    principal,
                    exchange,
                    courses.get(code),
                    rows,
                    reference,
                    outcome,
                    filename,
                )
            if outcome.checks.errors:
                raise _Refused
    except _Refused:
        outcome.checks.errors.sort(key=lambda each: each.row)
        outcome.tokens, outcome.summary = [], {}
        return outcome
    except IntegrityError as error:
        raise ConflictError(None, CHANGED) from error
    return outcome


def _import_course(
    session: Session,
    principal: Principal,
    exchange: ExchangeFile,
    course: Course | None,
    rows: list[SheetRow],
    reference: TraineeReference,
    outcome: GraduateImport,
    filename: str,
) -> None:
    """One course's rows: enrolled by the trainee checks, then graded by the result checks."""
    checks = outcome.checks
    if _course_problem(session, course, rows, checks) or course is None:
        return
    locked = session.exec(select(Course).where(col(Course.id) == course.id).with_for_update()).one()
    trainees = check_trainees(session, locked, rows, reference)
    checks.warnings += trainees.warnings
    if trainees.errors:
        checks.errors += trainees.errors
        return
    state = _new_import(session, principal, locked, rows, filename, exchange)
    written = write_trainees(session, locked, trainees, import_id=state.id)
    results = check_results(session, locked, rows)
    if results.errors:
        checks.errors += results.errors
        return
    graded = write_results(session, locked, results)
    summary = {**written, **graded}
    state.summary = summary
    session.add(state)
    for name, count in summary.items():
        outcome.summary[name] = outcome.summary.get(name, 0) + count
    outcome.tokens.append(state.token)
    audit.record(
        session,
        user_id=principal.user.id,
        action="import",
        entity="course",
        entity_id=locked.id,
        import_token=state.token,
        import_kind=GRADUATES,
        exchange_layout=GRADUATES_V1.name,
        rows=len(rows),
        file_sha256=state.file_sha256,
        **summary,
    )


def _new_import(
    session: Session,
    principal: Principal,
    course: Course,
    rows: list[SheetRow],
    filename: str,
    exchange: ExchangeFile,
) -> ExcelImport:
    """The import record of one course's part, written as done: undone like a trainee file."""
    now = utcnow()
    state = ExcelImport(
        token=new_token(),
        user_id=principal.user.id or 0,
        kind=GRADUATES,
        course_id=course.id or 0,
        institution_id=course.institution_id,
        filename=re.sub(r"[^\w.\- ()]+", "_", filename or "")[-120:] or "graduates.zip",
        file_sha256=exchange.sha256,
        created_at=now,
        updated_at=now,
        status=Status.DONE,
        phase="writing",
        rows=len(rows),
        done=len(rows),
        total=len(rows),
    )
    session.add(state)
    session.flush()
    return state
