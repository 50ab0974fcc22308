"""The kinds of import (trainees with their enrolments; graduation results; follow-ups after
training), each with its sheet layout, the template that goes with it, and how it is checked
and written. Every kind is bound to one course."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models.errors import InvalidError
from models.excel import Column
from models.excel.columns import (
    COMMUNE_LIST,
    ETHNICITY_LIST,
    RESULT_COLUMNS,
    RESULT_IGNORED_COLUMNS,
    RESULT_INTRO,
    RESULT_READ_COLUMNS,
    TRAINEE_COLUMNS,
    TRAINEE_INTRO,
)
from models.excel.follow_ups import FOLLOW_UP_COLUMNS, FOLLOW_UP_INTRO
from models.exchange.layouts import GRADUATES_V1
from web.permissions import Permission
from web.services.imports.follow_ups import check_follow_ups, write_follow_ups
from web.services.imports.results import check_results, write_results
from web.services.imports.rows import RowChecks
from web.services.imports.trainees import check_trainees, load_reference, write_trainees

TRAINEES = "trainees"
RESULTS = "results"
FOLLOW_UPS = "follow_ups"
# Graduates loaded from an exchange file (web/services/exchange): written at once, never
# uploaded through the Excel form; kept as an import so that its owner can undo it.
GRADUATES = "graduates"


@dataclass(frozen=True)
class ImportKind:
    """What one kind of file holds and how it reaches the database."""

    name: str
    label: str  # msgid
    columns: tuple[Column, ...]
    sheet_title: str
    intro: tuple[str, ...]
    template_file: str
    with_lists: bool  # the template carries the commune and ethnic-group lists
    # Reads that need no lock (reference lists), done before the writing transaction.
    prepare: Callable[[Session], Any]
    # check(session, course, rows, prepared, progress=...) and write(session, course, checks,
    # progress=...): both inside the writing transaction.
    check: Callable[..., RowChecks]
    write: Callable[..., dict[str, int]]
    # Asked besides IMPORT_TRAINEES of whoever uploads a file of this kind.
    permission: Permission | None = None
    records_user: bool = False  # write(...) takes user_id=, the uploader, to store on rows
    # The columns read from an upload (the template's and perhaps more), and the columns of
    # other layouts whose headers are accepted and whose cells are left unread.
    read_columns: tuple[Column, ...] | None = None
    ignored_columns: tuple[Column, ...] = ()
    exchange: bool = False  # from an exchange file: not offered by the Excel form

    @property
    def upload_columns(self) -> tuple[Column, ...]:
        return self.read_columns or self.columns


def _not_queued(*_args: Any, **_kwargs: Any) -> Any:
    """Exchange files are checked and written at once (web/services/exchange), never queued."""
    raise AssertionError("an exchange import is not queued")


KINDS: dict[str, ImportKind] = {
    TRAINEES: ImportKind(
        name=TRAINEES,
        label="Trainees and their enrolment in a course",
        columns=TRAINEE_COLUMNS,
        sheet_title="Học viên",
        intro=TRAINEE_INTRO,
        template_file="mau-nhap-hoc-vien.xlsx",
        with_lists=True,
        prepare=load_reference,
        check=check_trainees,
        write=write_trainees,
    ),
    RESULTS: ImportKind(
        name=RESULTS,
        label="Graduation results of a course",
        columns=RESULT_COLUMNS,
        sheet_title="Kết quả",
        intro=RESULT_INTRO,
        template_file="mau-nhap-ket-qua.xlsx",
        with_lists=False,
        prepare=lambda _session: None,
        check=check_results,
        write=write_results,
        read_columns=RESULT_READ_COLUMNS,
        ignored_columns=RESULT_IGNORED_COLUMNS,
    ),
    FOLLOW_UPS: ImportKind(
        name=FOLLOW_UPS,
        label="Follow-ups of a course's graduates (3, 6, 12 months)",
        columns=FOLLOW_UP_COLUMNS,
        sheet_title="Theo dõi sau tốt nghiệp",
        intro=FOLLOW_UP_INTRO,
        template_file="mau-nhap-theo-doi-sau-tot-nghiep.xlsx",
        with_lists=False,
        prepare=lambda _session: None,
        check=check_follow_ups,
        write=write_follow_ups,
        permission=Permission.RECORD_FOLLOW_UPS,
        records_user=True,
    ),
    GRADUATES: ImportKind(
        name=GRADUATES,
        label="Graduates from an exchange file",
        columns=tuple(Column(c.name, c.name) for c in GRADUATES_V1.columns),
        sheet_title="",
        intro=(),
        template_file="",
        with_lists=False,
        prepare=_not_queued,
        check=_not_queued,
        write=_not_queued,
        exchange=True,
    ),
}
EXCEL_KINDS = [kind for kind in KINDS.values() if not kind.exchange]
LIST_TITLES = {"communes": COMMUNE_LIST, "ethnic_groups": ETHNICITY_LIST}


def import_kind(name: str | None, field: str = "kind") -> ImportKind:
    if not name:
        raise InvalidError(field, "Choose what the file holds.")
    if name not in KINDS:
        raise InvalidError(field, "Unknown kind of import: {kind}.", kind=name)
    return KINDS[name]


def excel_kind(name: str | None, field: str = "kind") -> ImportKind:
    """A kind the Excel form uploads and offers a template of."""
    spec = import_kind(name, field)
    if spec.exchange:
        raise InvalidError(field, "Unknown kind of import: {kind}.", kind=name)
    return spec
