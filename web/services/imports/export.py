"""Exports to Excel: the trainees of a course or of an institution, with their enrolments, and
the results of a course (in the layout of the result import, so it can be filled in and sent
back). Exports hold personal data: each one is in the audit log with the people it holds."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlmodel import Session

from matching.text import search_key
from models import audit
from models.db import unit_of_work
from models.errors import InvalidError, NotFoundError
from models.excel import Column, table_workbook, template_workbook, write_table_workbook
from models.excel.columns import RESULT_EXPORT_COLUMNS, TRAINEE_EXPORT_COLUMNS
from models.queries.course_rosters import (
    ExportRows,
    reference_lists,
    result_export,
    trainee_export_stream,
)
from models.rows import get_or_404
from models.tables import Course, Institution
from web.auth import Principal
from web.permissions import institution_scope, require_institution
from web.services.imports.kinds import LIST_TITLES, excel_kind


@dataclass(frozen=True)
class Download:
    """A file for the browser to save."""

    content: bytes
    filename: str


@dataclass(frozen=True)
class FileDownload:
    """A large file for the browser to save, written to a temporary file (on disk beyond a
    few megabytes) that the response reads in chunks and then closes; `seconds` is the time
    it took to write."""

    file: IO[bytes]
    filename: str
    seconds: float


SPOOL_BYTES = 4 * 1024 * 1024  # a larger workbook goes to disk while it is written


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "x"


def _course(session: Session, principal: Principal, course_id: int) -> Course:
    course = get_or_404(
        session, Course, course_id, "This course does not exist.", field="course_id"
    )
    require_institution(principal, course.institution_id, "This course does not exist.")
    return course


def _institution(session: Session, principal: Principal, institution_id: int | None) -> int:
    """The institution to export: staff get their own; others must choose one."""
    scope = institution_scope(principal)
    chosen = institution_id if institution_id is not None else scope
    if chosen is None:
        raise InvalidError("institution_id", "Choose a course or an institution to export.")
    require_institution(principal, chosen, "This institution does not exist.")
    if session.get(Institution, chosen) is None:
        raise NotFoundError("institution_id", "This institution does not exist.")
    return chosen


@dataclass(frozen=True)
class ExportSheet:
    name: str
    columns: tuple[Column, ...]
    sheet_title: str


TRAINEES = ExportSheet("trainees", TRAINEE_EXPORT_COLUMNS, "Học viên")
RESULTS = ExportSheet("results", RESULT_EXPORT_COLUMNS, "Kết quả")


def _finish(
    session: Session,
    principal: Principal,
    found: ExportRows,
    sheet: ExportSheet,
    entity: str,
    entity_id: int,
) -> bytes:
    """The workbook, and its audit entry naming every person in it."""
    content = table_workbook(sheet.columns, found.rows, sheet_title=sheet.sheet_title)
    _audit_export(session, principal, sheet, (entity, entity_id), len(found.rows), found.person_ids)
    return content


def export_trainees(
    session: Session,
    *,
    principal: Principal,
    course_id: int | None = None,
    institution_id: int | None = None,
) -> FileDownload:
    """Trainees of one course, or of every course of one institution: rows read from the
    database in batches straight into a write-only workbook, so memory does not grow with
    the institution's size."""
    started = time.perf_counter()
    if course_id is not None:
        course = _course(session, principal, course_id)
        found = trainee_export_stream(session, course_id=course_id)
        scope, filename = ("course", course_id), f"hoc-vien-{_slug(course.code)}.xlsx"
    else:
        chosen = _institution(session, principal, institution_id)
        found = trainee_export_stream(session, institution_id=chosen)
        scope, filename = ("institution", chosen), f"hoc-vien-co-so-{chosen}.xlsx"
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the response closes it)
    try:
        rows = _counted(found.rows)
        write_table_workbook(target, TRAINEES.columns, rows, sheet_title=TRAINEES.sheet_title)
        _audit_export(session, principal, TRAINEES, scope, len(rows), sorted(found.person_ids))
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileDownload(target, filename, time.perf_counter() - started)


class _counted:
    """An iterator of rows that counts what went through it."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self._rows:
            self.count += 1
            yield row

    def __len__(self) -> int:
        return self.count


def _audit_export(
    session: Session,
    principal: Principal,
    sheet: ExportSheet,
    scope: tuple[str, int],
    rows: int,
    person_ids: list[int],
) -> None:
    """The export's audit entry naming every person in it (after the file is written: no
    lock waits for it)."""
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user.id,
            action="export",
            entity=scope[0],
            entity_id=scope[1],
            export_kind=sheet.name,
            rows=rows,
            person_ids=person_ids,
        )


def export_results(session: Session, *, principal: Principal, course_id: int | None) -> Download:
    if course_id is None:
        raise InvalidError("course_id", "Choose the course.")
    course = _course(session, principal, course_id)
    found = result_export(session, course_id=course_id)
    content = _finish(session, principal, found, RESULTS, "course", course_id)
    return Download(content, f"ket-qua-{_slug(course.code)}.xlsx")


def import_template(session: Session, *, principal: Principal, kind: str) -> Download:
    """An empty template with its instructions (and, for trainees, the commune and ethnic
    group lists the drop-downs offer)."""
    spec = excel_kind(kind)
    lists = None
    if spec.with_lists:
        lists = {LIST_TITLES[name]: entries for name, entries in reference_lists(session).items()}
    content = template_workbook(
        spec.columns, sheet_title=spec.sheet_title, intro=spec.intro, lists=lists
    )
    return Download(content, spec.template_file)
