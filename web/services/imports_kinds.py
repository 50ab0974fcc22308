"""The two kinds of import (trainees with their enrolments; graduation results), each with
its sheet layout, the template that goes with it, and how it is checked and written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models.errors import InvalidError
from models.excel import Column
from models.excel_columns import (
    COMMUNE_LIST,
    ETHNICITY_LIST,
    RESULT_COLUMNS,
    RESULT_INTRO,
    TRAINEE_COLUMNS,
    TRAINEE_INTRO,
)
from web.services.imports_results import check_results, write_results
from web.services.imports_rows import RowChecks
from web.services.imports_trainees import check_trainees, load_reference, write_trainees

TRAINEES = "trainees"
RESULTS = "results"


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
    ),
}
LIST_TITLES = {"communes": COMMUNE_LIST, "ethnic_groups": ETHNICITY_LIST}


def import_kind(name: str | None, field: str = "kind") -> ImportKind:
    if not name:
        raise InvalidError(field, "Choose what the file holds.")
    if name not in KINDS:
        raise InvalidError(field, "Unknown kind of import: {kind}.", kind=name)
    return KINDS[name]
