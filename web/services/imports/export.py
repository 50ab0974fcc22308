"""Exports to Excel: the trainees of a course or of an institution, with their enrolments, and
the results of a course (in the layout of the result import, so it can be filled in and sent
back). Exports hold personal data: each one is in the audit log with the people it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from matching.text import search_key
from models import audit
from models.db import unit_of_work
from models.errors import InvalidError, NotFoundError
from models.excel import Column, table_workbook, template_workbook
from models.excel.columns import RESULT_EXPORT_COLUMNS, TRAINEE_EXPORT_COLUMNS
from models.queries.course_rosters import ExportRows, reference_lists, result_export, trainee_export
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
    with unit_of_work(session):  # after the workbook is built: no lock waits for it
        audit.record(
            session,
            user_id=principal.user.id,
            action="export",
            entity=entity,
            entity_id=entity_id,
            export_kind=sheet.name,
            rows=len(found.rows),
            person_ids=found.person_ids,
        )
    return content


def export_trainees(
    session: Session,
    *,
    principal: Principal,
    course_id: int | None = None,
    institution_id: int | None = None,
) -> Download:
    """Trainees of one course, or of every course of one institution."""
    if course_id is not None:
        course = _course(session, principal, course_id)
        found = trainee_export(session, course_id=course_id)
        content = _finish(session, principal, found, TRAINEES, "course", course_id)
        return Download(content, f"hoc-vien-{_slug(course.code)}.xlsx")
    chosen = _institution(session, principal, institution_id)
    found = trainee_export(session, institution_id=chosen)
    content = _finish(session, principal, found, TRAINEES, "institution", chosen)
    return Download(content, f"hoc-vien-co-so-{chosen}.xlsx")


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
