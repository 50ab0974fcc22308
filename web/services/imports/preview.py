"""What the import pages show: the form with the user's courses and recent imports, and the
preview of one import (its rows, an error per row and column, the summary), with every
message already in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from matching.text import search_key
from models.clock import local_time
from models.excel import Column
from models.formatting import format_date
from models.i18n import translate
from models.jobs import queue
from models.jobs.kinds import FAILED, QUEUED, import_key
from models.queries.course_rosters import CourseChoice, course_choices, institution_choices
from models.tables import Course, Job
from web.auth import Principal
from web.permissions import Permission, allowed, institution_scope
from web.services.imports import own_import, store
from web.services.imports.kinds import EXCEL_KINDS, ImportKind, import_kind
from web.services.imports.rows import ROW_WIDE, RowChecks, RowIssue, display_cell
from web.services.imports.store import IN_PROGRESS, ImportState, Status

FIRST_ROWS = 20  # valid rows shown to let the user see the file was read right
MAX_ROWS_SHOWN = 200
MAX_ISSUES_SHOWN = 500
INTERRUPTED = (
    "The work on this file was interrupted before it finished. Please upload the file again."
)
NOTE_LABELS = {
    "new": "New person",
    "existing": "Already registered (found by ID number)",
    "updated": "Result recorded",
    "follow_up": "Follow-up recorded",
    "unchanged": "Already recorded, left as it is",
}


@dataclass(frozen=True)
class PreviewCell:
    column: Column
    value: str
    messages: list[str]


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[PreviewCell]
    row_messages: list[str]  # about the whole row (the course is full)
    note: str  # msgid of what will happen to a valid row; "" for a row in error

    @property
    def has_error(self) -> bool:
        return bool(self.row_messages) or any(cell.messages for cell in self.cells)


@dataclass(frozen=True)
class IssueLine:
    row: int
    column: str  # the header as in the file ("" for the whole row)
    message: str


@dataclass
class PreviewView:
    state: ImportState
    kind: ImportKind
    course: Course | None
    rows: list[PreviewRow] = field(default_factory=list)
    rows_hidden: int = 0
    errors: list[IssueLine] = field(default_factory=list)
    error_count: int = 0
    warnings: list[IssueLine] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    message: str = ""
    in_progress: bool = False  # a job is checking or writing it: the progress page shows it

    @property
    def can_confirm(self) -> bool:
        return self.state.status == Status.READY and not self.state.is_expired()


def _headers(kind: ImportKind) -> dict[str, str]:
    return {column.key: column.header for column in kind.columns}


def _lines(issues: list[RowIssue], kind: ImportKind, lang: str) -> list[IssueLine]:
    headers = _headers(kind)
    return [
        IssueLine(each.row, headers.get(each.column, ""), _say(each, lang))
        for each in issues[:MAX_ISSUES_SHOWN]
    ]


def _say(each: RowIssue, lang: str) -> str:
    return translate(each.msgid, lang, **each.params)


def _rows(
    raw: list[list[object]], checks: RowChecks, kind: ImportKind, lang: str
) -> tuple[list[PreviewRow], int]:
    by_row: dict[int, list[RowIssue]] = {}
    for each in checks.errors:
        by_row.setdefault(each.row, []).append(each)
    shown = [entry for index, entry in enumerate(raw) if index < FIRST_ROWS or entry[0] in by_row]
    hidden = max(0, len(shown) - MAX_ROWS_SHOWN)
    rows = []
    for number, values in shown[:MAX_ROWS_SHOWN]:
        assert isinstance(number, int) and isinstance(values, dict)
        issues = by_row.get(number, [])
        cells = [
            PreviewCell(
                column,
                display_cell(values.get(column.key)),
                [_say(i, lang) for i in issues if i.column == column.key],
            )
            for column in kind.columns
        ]
        row_wide = [_say(i, lang) for i in issues if i.column == ROW_WIDE]
        note = "" if issues else NOTE_LABELS.get(checks.notes.get(number, ""), "")
        rows.append(PreviewRow(number, cells, row_wide, note))
    return rows, hidden


def preview_view(session: Session, *, principal: Principal, token: str, lang: str) -> PreviewView:
    state = own_import(session, principal, token)
    kind = import_kind(state.kind)
    view = PreviewView(state=state, kind=kind, course=session.get(Course, state.course_id))
    view.file_errors = [translate(e["msgid"], lang, **e["params"]) for e in state.file_errors]
    view.in_progress = _job_of(session, state) is not None
    if state.message:
        view.message = translate(state.message["msgid"], lang, **state.message["params"])
    elif state.status in IN_PROGRESS and not view.in_progress:
        view.message = translate(INTERRUPTED, lang)
    report = store.load_part(session, state.id, store.REPORT)
    if report is None:
        return view
    checks = RowChecks.from_json(report)
    view.error_count = len(checks.errors)
    view.errors = _lines(checks.errors, kind, lang)
    view.warnings = _lines(checks.warnings, kind, lang)
    rows = store.load_part(session, state.id, store.ROWS) or []
    view.rows, view.rows_hidden = _rows(rows, checks, kind, lang)
    return view


def _job_of(session: Session, state: ImportState) -> Job | None:
    """The job checking or writing an import in progress (None when it is not in progress,
    or when its job failed for good or is gone)."""
    if state.status not in IN_PROGRESS:
        return None
    job = queue.latest(session, import_key(state.id))
    return None if job is None or job.status == FAILED else job


@dataclass(frozen=True)
class ProgressView:
    """An import being checked or written, and how its job stands."""

    state: ImportState
    job: Job | None

    @property
    def in_progress(self) -> bool:
        return self.job is not None

    @property
    def percent(self) -> int:
        total = self.state.total
        return min(100, int(100 * self.state.done / total)) if total else 0

    @property
    def waiting(self) -> bool:
        """Queued and never started: no worker has taken it yet."""
        return self.job is not None and self.job.status == QUEUED and self.job.attempts == 0

    @property
    def retrying(self) -> bool:
        """An attempt failed; it waits for the next one."""
        return self.job is not None and self.job.status == QUEUED and self.job.attempts > 0


def progress_view(session: Session, *, principal: Principal, token: str) -> ProgressView:
    state = own_import(session, principal, token)
    return ProgressView(state, _job_of(session, state))


@dataclass(frozen=True)
class HistoryEntry:
    state: ImportState
    kind_label: str
    course_label: str

    @property
    def uploaded(self) -> str:
        """dd/mm/yyyy hh:mm in Vietnam time."""
        moment = local_time(self.state.created_at)
        return f"{format_date(moment.date())} {moment:%H:%M}"


@dataclass(frozen=True)
class CourseGroup:
    """An <optgroup> of the course drop-downs: one institution's courses starting in one
    year, by code."""

    institution_name: str
    year: int
    courses: list[CourseChoice]


def course_groups(courses: list[CourseChoice]) -> list[CourseGroup]:
    """Institutions by name, newest year first, courses by code within a year."""
    groups: dict[tuple[str, int], list[CourseChoice]] = {}
    for course in courses:
        groups.setdefault((course.institution_name, course.start_date.year), []).append(course)
    ordered = sorted(groups, key=lambda key: (search_key(key[0]), -key[1]))
    return [
        CourseGroup(name, year, sorted(groups[name, year], key=lambda c: search_key(c.code)))
        for name, year in ordered
    ]


@dataclass
class ImportPage:
    """The import and export page of one user."""

    can_import: bool
    courses: list[CourseChoice]
    institutions: list[tuple[int, str]]  # for administrators and officials exporting
    history: list[HistoryEntry]
    kinds: list[ImportKind] = field(default_factory=lambda: list(EXCEL_KINDS))
    course_text: str = ""  # the words the course drop-downs are narrowed to

    @property
    def course_groups(self) -> list[CourseGroup]:
        return course_groups(self.courses)

    @property
    def several_institutions(self) -> bool:
        return len({course.institution_id for course in self.courses}) > 1


def import_page(session: Session, *, principal: Principal, course_text: str = "") -> ImportPage:
    scope = institution_scope(principal)
    courses = course_choices(session, scope, text=course_text)
    history_states = store.for_user(session, principal.user.id or 0)
    names = _course_labels(session, {state.course_id for state in history_states})
    history = [
        HistoryEntry(state, import_kind(state.kind).label, names.get(state.course_id, ""))
        for state in history_states
    ]
    return ImportPage(
        can_import=allowed(principal, Permission.IMPORT_TRAINEES),
        courses=courses,
        institutions=institution_choices(session) if scope is None else [],
        history=history,
        course_text=course_text,
    )


def _course_labels(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Course).where(col(Course.id).in_(ids))).all()
    return {row.id or 0: f"{row.code} – {row.name}" for row in rows}
