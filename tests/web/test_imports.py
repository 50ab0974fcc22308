"""Excel import and export pages: a valid file imports every row in one transaction; each kind
of bad row is reported at its row and column and nothing is written; files that are not
workbooks, empty, or with wrong columns get a clear message; a confirmation counts once;
exports read back as the same rows; and every role gets what it may.

Runs on SQLite and PostgreSQL (the `engine` fixture). Personas: `centre` (staff of the
course's institution), `other` (staff of another institution), admin, official, employer.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.clock import today
from models.db import unit_of_work
from models.excel import read_table
from models.excel.columns import (
    RESULT_COLUMNS,
    TRAINEE_COLUMNS,
    TRAINEE_EXPORT_COLUMNS,
)
from models.i18n import translate
from models.jobs import queue
from models.jobs.kinds import JobKind, import_key
from models.queries.admin_units import resolve_commune
from models.queries.people import find_by_citizen_id
from models.settings import Settings
from models.tables import AuditEntry, Course, Enrolment, ImportPart, Person, UserAccount
from seed.reference import load_reference_data
from tests import factories
from tests.html import attr, body_rows, data_attrs, find_all, one, parse, table_rows, text, texts
from tests.html import field_errors as form_errors
from tests.web.helpers import make_account, sign_in
from web.app import create_app
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER
from web.services import imports as import_service
from web.services.imports import store
from web.services.imports.results import OTHER_COURSE
from web.services.imports.store import Status
from web.services.jobs import run_now

from .conftest import VISITOR_TOKEN
from .jobs import jobs, run_jobs

HEADERS = {column.key: column.header for column in TRAINEE_COLUMNS}
RESULT_HEADERS = {column.key: column.header for column in RESULT_COLUMNS}


# --- reading the pages ---------------------------------------------------------------------


def error_table(html: str) -> list[tuple[int, str, str]]:
    """(row, column header, message) of every line of the preview's error list."""
    page = parse(html)
    if not find_all(page, "table#import-errors"):
        return []
    return [
        (int(row), column, message) for row, column, message in table_rows(page, "#import-errors")
    ]


def cell_errors(html: str) -> dict[tuple[int, str], str]:
    """(row, column key) -> the messages shown inside that cell of the rows table."""
    found = {}
    for row in find_all(one(parse(html), "table#import-rows"), "tr[data-row]"):
        for cell in find_all(row, "td.cell-error"):
            messages = " ".join(texts(cell, "span.cell-message"))
            found[(int(data_attrs(row)["row"]), data_attrs(cell)["column"])] = messages
    return found


def field_errors(html: str) -> dict[str, str]:
    return form_errors(parse(html))


# --- workbooks -----------------------------------------------------------------------------


def workbook(headers: list[str], rows: list[list[Any]], *, title_row: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title_row:
        sheet.append([title_row])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:  # typed text stays text, as in Excel ('=...): never a formula
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def trainee(**overrides: Any) -> dict[str, Any]:
    """A valid row: the ID number agrees with the date of birth (2001) and the sex (male)."""
    row: dict[str, Any] = {
        "full_name": "Lò Văn Minh",
        "birth_date": "04/05/2001",
        "sex": "Nam",
        "ethnicity": "Thái",
        "citizen_id": "011201000123",
        "phone": "0912 345 678",
        "commune": "Xã Quài Tở",
        "village": "Bản Có",
        "household": "Hộ nghèo",
        "disability": "Không",
        "consent": "Có",
        "enrolled_on": None,
        "support_amount": None,
    }
    row.update(overrides)
    return row


def trainee_file(rows: list[dict[str, Any]]) -> bytes:
    keys = list(HEADERS)
    return workbook([HEADERS[k] for k in keys], [[r.get(k) for k in keys] for r in rows])


def several(count: int, start: int = 1) -> list[dict[str, Any]]:
    names = ["Lò Văn Minh", "Quàng Thị Mai", "Giàng A Dính", "Lường Văn Hùng", "Cà Thị Xuân"]
    rows = []
    for n in range(start, start + count):
        female = n % 2 == 0
        number = f"011{3 if female else 2}01{n:06d}"
        rows.append(
            trainee(
                full_name=names[n % len(names)],
                sex="Nữ" if female else "Nam",
                citizen_id=number,
                phone=None,
            )
        )
    return rows


# --- the world -----------------------------------------------------------------------------


@dataclass
class World:
    institution_id: int
    other_institution_id: int
    course_id: int
    other_course_id: int


@pytest.fixture
def app(engine, tmp_path):
    settings = Settings(
        database_url=str(engine.url), import_dir=tmp_path / "imp", embedded_worker=False
    )
    return create_app(settings, engine=engine)


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    start = today() - timedelta(days=120)
    centre = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
    other = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    course = factories.course(
        session,
        institution_id=centre.id,
        capacity=30,
        start_date=start,
        end_date=today() - timedelta(days=10),
        code="MAY-01",
    )
    other_course = factories.course(
        session, institution_id=other.id, start_date=start, end_date=today(), code="HAN-01"
    )
    session.commit()
    return World(centre.id or 0, other.id or 0, course.id or 0, other_course.id or 0)


def as_user(client: TestClient, session: Session, world: World, who: str | None) -> None:
    """Sign in as a persona (None stays an anonymous visitor)."""
    if who is None:
        return
    roles = {"centre": "institution", "other": "institution"}
    bindings = {
        "centre": {"institution_id": world.institution_id},
        "other": {"institution_id": world.other_institution_id},
    }
    make_account(session, roles.get(who, who), who, **bindings.get(who, {}))
    sign_in(client, who)


def upload(
    client: TestClient,
    world: World,
    data: bytes,
    *,
    kind: str = "trainees",
    course_id: int | None = None,
    name: str = "hoc-vien.xlsx",
):
    return client.post(
        "/imports",
        data={"kind": kind, "course_id": str(course_id or world.course_id)},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def counts(session: Session) -> tuple[int, int, int]:
    """People, enrolments, and import audit entries."""
    session.expire_all()
    people = session.exec(select(func.count()).select_from(Person)).one()
    enrolments = session.exec(select(func.count()).select_from(Enrolment)).one()
    imports = session.exec(
        select(func.count()).select_from(AuditEntry).where(col(AuditEntry.action) == "import")
    ).one()
    session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    return people, enrolments, imports


def vi(msgid: str, **params: Any) -> str:
    return translate(msgid, "vi", **params)


# --- a valid file --------------------------------------------------------------------------


def test_a_valid_file_is_previewed_then_imported_in_one_go(client, session, world):
    as_user(client, session, world, "centre")
    existing = factories.person(
        session,
        citizen_id="011301000002",
        full_name="Quàng Thị Mai",
        sex="nu",
        birth_date=date(2001, 5, 4),
    )
    session.commit()
    before = counts(session)

    response = upload(client, world, trainee_file(several(5)))
    assert response.status_code == 303
    preview = client.get(response.headers["location"])
    assert preview.status_code == 200
    doc = parse(preview.text)
    assert attr(doc, "dd[data-field=status]", "data-status") == Status.READY
    shown = find_all(one(doc, "table#import-rows"), "tr[data-row]")
    assert [int(data_attrs(r)["row"]) for r in shown] == [2, 3, 4, 5, 6]
    assert text(one(doc, "li[data-count=existing]")).endswith("1")
    assert counts(session) == before  # nothing written by the preview

    confirm = attr(doc, "form#confirm-form", "action")
    done = client.post(confirm, follow_redirects=True)
    assert attr(parse(done.text), "dd[data-field=status]", "data-status") == Status.DONE
    people, enrolments, imports = counts(session)
    assert (people, enrolments, imports) == (before[0] + 4, before[1] + 5, before[2] + 1)
    reused = find_by_citizen_id(session, "011301000002")
    assert reused is not None and reused.id == existing.id
    minh = find_by_citizen_id(session, "011201000001")
    assert minh is not None
    assert (minh.commune_code, minh.phone, minh.household_status) == ("03295", None, "ngheo")
    assert minh.consent_to_employers and minh.consent_at is not None and minh.is_ethnic_minority
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.entity_id == str(world.course_id)
    assert entry.details["enrolments"] == 5 and entry.details["people_created"] == 4


def test_a_second_confirmation_does_not_import_twice(client, session, world):
    as_user(client, session, world, "centre")
    data = trainee_file(several(3))
    location = upload(client, world, data).headers["location"]
    first = client.post(location + "/confirm", follow_redirects=False)
    second = client.post(location + "/confirm", follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert counts(session)[1:] == (3, 1)
    # Uploading the same file again is refused row by row: they are enrolled already.
    again = client.get(upload(client, world, data).headers["location"])
    assert {line[2] for line in error_table(again.text)} == {
        vi("This person is already enrolled in this course.")
    }
    assert one(parse(again.text), "p#duplicate-file")
    assert counts(session)[1:] == (3, 1)


def new_import(session: Session, world: World, user_id: int = 1, **fields: Any):
    """An import row as an upload leaves it (status and progress overridable)."""
    with unit_of_work(session):
        state = store.create(
            session,
            upload=b"PK",
            user_id=user_id,
            kind="trainees",
            course_id=world.course_id,
            institution_id=world.institution_id,
            filename="x.xlsx",
            file_sha256="0",
        )
        if fields:
            store.set_fields(session, state.id, **fields)
    return state


def test_only_one_of_eight_simultaneous_claims_wins(engine, session, world):
    state = new_import(session, world, status=Status.READY)
    results: list[bool] = []
    ready = threading.Barrier(8)

    def confirm() -> None:
        with Session(engine) as own:
            ready.wait()
            with unit_of_work(own):
                results.append(store.claim(own, state.id))

    threads = [threading.Thread(target=confirm) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_a_former_commune_name_resolves_through_the_lineage(client, session, world):
    as_user(client, session, world, "centre")
    expected = resolve_commune(session, "Xã Nà Tòng", "Huyện Tuần Giáo")
    assert expected is not None and expected.valid_to is None
    session.rollback()
    rows = [
        trainee(commune="Nà Tòng, Tuần Giáo"),
        trainee(citizen_id="011201000124", commune="xa quai to"),
        trainee(citizen_id="011201000125", commune="03127"),
    ]
    location = upload(client, world, trainee_file(rows)).headers["location"]
    client.post(location + "/confirm")
    codes = dict(session.exec(select(Person.citizen_id, Person.commune_code)).all())
    assert codes == {
        "011201000123": expected.code,
        "011201000124": "03295",
        "011201000125": "03127",
    }


def test_column_order_header_spelling_title_row_and_blank_rows_are_tolerated(
    client, session, world
):
    as_user(client, session, world, "centre")
    keys = list(reversed(HEADERS))
    headers = [HEADERS[k].upper() for k in keys]
    headers[keys.index("birth_date")] = "ngay sinh"
    headers[keys.index("citizen_id")] = "Số CCCD"
    rows = [
        [trainee()[k] for k in keys],
        [None] * len(keys),
        [trainee(citizen_id="011201000124")[k] for k in keys],
    ]
    data = workbook(
        ["STT", *headers],
        [[n, *r] for n, r in enumerate(rows, 1)] + [[None]] * 5,
        title_row="DANH SÁCH HỌC VIÊN",
    )
    preview = client.get(upload(client, world, data).headers["location"])
    assert attr(parse(preview.text), "dd[data-field=status]", "data-status") == Status.READY
    assert text(one(parse(preview.text), "dd[data-field=rows]")) == "2"


# --- bad rows ------------------------------------------------------------------------------

BAD_ROWS = [
    (
        "citizen_id",
        {"citizen_id": "01120100012"},
        "The personal identification number must have exactly 12 digits (you entered {count}).",
        {"count": 11},
    ),
    (
        "citizen_id",
        {"citizen_id": "011299000123"},
        "The year of birth in the personal identification number ({year}) does not match the date of birth ({birth_year}).",  # noqa: E501
        {"year": 2099, "birth_year": 2001},
    ),
    (
        "citizen_id",
        {"sex": "Nữ"},
        "The sex code in the personal identification number does not match the declared sex.",
        {},
    ),
    ("commune", {"commune": "Quai Toa"}, None, {"contains": "Xã Quài Tở"}),
    (
        "commune",
        {"commune": "Nà Tòng"},
        "Several former communes were called “{value}” (in {districts}): add the former district after a comma, for example “{value}, {district}”.",  # noqa: E501
        {
            "value": "Nà Tòng",
            "districts": "Huyện Tuần Giáo, Huyện Điện Biên",
            "district": "Huyện Tuần Giáo",
        },
    ),
    ("ethnicity", {"ethnicity": "Thaii"}, None, {"contains": "Thái"}),
    (
        "ethnicity",
        {"ethnicity": "Klingon"},
        "Unknown ethnic group “{value}”: write its name or its two-digit code (see the sheet Danh mục of the template).",  # noqa: E501
        {"value": "Klingon"},
    ),
    (
        "birth_date",
        {"birth_date": "31/02/2001"},
        "The date {value} does not exist.",
        {"value": "31/02/2001"},
    ),
    (
        "birth_date",
        {"birth_date": "năm 2001"},
        "{value} is not a date: write it as dd/mm/yyyy.",
        {"value": "năm 2001"},
    ),
    (
        "birth_date",
        {"birth_date": "04/05/1850"},
        "The year {year} is out of range ({earliest}–{latest}).",
        {"year": 1850, "earliest": 1900, "latest": 2100},
    ),
    ("enrolled_on", {"enrolled_on": "01/01/2000"}, None, {}),
    ("full_name", {"full_name": None}, "This field is required.", {}),
    ("full_name", {"full_name": "Lò Văn 2"}, "A name may not contain digits.", {}),
    (
        "sex",
        {"sex": "X"},
        "“{value}” is not allowed here: write {allowed}.",
        {"value": "X", "allowed": "Nam / Nữ"},
    ),
    ("phone", {"phone": "12345"}, None, {}),
    (
        "consent",
        {"consent": "Có lẽ"},
        "“{value}” is not allowed here: write {allowed}.",
        {"value": "Có lẽ", "allowed": "Có / Không"},
    ),
]


@pytest.mark.parametrize(
    ("column", "change", "msgid", "params"),
    BAD_ROWS,
    ids=[f"{c}-{i}" for i, (c, *_r) in enumerate(BAD_ROWS)],
)
def test_each_bad_row_is_reported_at_its_row_and_column_and_nothing_is_written(
    client, session, world, column, change, msgid, params
):
    as_user(client, session, world, "centre")
    before = counts(session)
    rows = [trainee(citizen_id="011201000124"), trainee(**change)]
    response = upload(client, world, trainee_file(rows))
    preview = client.get(response.headers["location"])
    lines = error_table(preview.text)
    assert [(row, header) for row, header, _m in lines] == [(3, HEADERS[column])]
    if msgid is not None:
        assert lines[0][2] == vi(msgid, **params)
    else:
        assert params.get("contains", "") in lines[0][2]
    assert (3, column) in cell_errors(preview.text)
    assert find_all(parse(preview.text), "form#confirm-form") == []
    assert client.post(response.headers["location"] + "/confirm").status_code == 200
    assert counts(session) == before


def test_duplicates_in_the_file_and_in_the_database_are_refused(client, session, world):
    as_user(client, session, world, "centre")
    enrolled = factories.person(session, citizen_id="011201000200", birth_date=date(2001, 5, 4))
    factories.enrolment(session, person_id=enrolled.id, course_id=world.course_id)
    factories.person(session, citizen_id="011201000300", birth_date=date(2001, 1, 1))
    session.commit()
    before = counts(session)
    rows = [
        trainee(citizen_id="011201000100"),
        trainee(citizen_id="011 201 000 100"),  # the same number, typed with spaces
        trainee(citizen_id="011201000200"),
        trainee(citizen_id="011201000300"),
    ]
    preview = client.get(upload(client, world, trainee_file(rows)).headers["location"])
    assert error_table(preview.text) == [
        (3, HEADERS["citizen_id"], vi("This ID number is also on row {row}.", row=2)),
        (4, HEADERS["citizen_id"], vi("This person is already enrolled in this course.")),
        (
            5,
            HEADERS["birth_date"],
            vi(
                "A person with this ID number is already registered with another date of birth: check the number and the date."  # noqa: E501
            ),
        ),
    ]
    assert counts(session) == before


def test_rows_beyond_the_course_capacity_are_refused(client, session, world):
    as_user(client, session, world, "centre")
    course = session.get(Course, world.course_id)
    assert course is not None
    course.capacity = 3
    session.add(course)
    factories.enrolment(session, course_id=world.course_id)  # one place taken
    session.commit()
    before = counts(session)
    preview = client.get(upload(client, world, trainee_file(several(4))).headers["location"])
    full = vi(
        "The course is full: it has {capacity} places and {left} are free; this row is beyond them.",  # noqa: E501
        capacity=3,
        left=2,
    )
    assert error_table(preview.text) == [
        (4, vi("Whole row"), full),
        (5, vi("Whole row"), full),
    ]
    assert counts(session) == before


# --- files that cannot be read ------------------------------------------------------------

NOT_WORKBOOKS = [
    (
        "csv",
        "Họ và tên,Ngày sinh\nLò Văn Minh,04/05/2001\n".encode(),
        "This is a text (CSV) file, not an Excel workbook: open it in Excel, save it as an Excel Workbook (.xlsx) and upload that file.",  # noqa: E501
    ),
    (
        "pdf",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "This is a PDF file, not an Excel workbook (.xlsx).",
    ),
    (
        "random",
        bytes(range(256)) * 8,
        "The file is not an Excel workbook (.xlsx), or it is damaged.",
    ),
    (
        "xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        "This is an Excel 97–2003 file (.xls): open it in Excel, save it as an Excel Workbook (.xlsx) and upload that file.",  # noqa: E501
    ),
    ("empty", b"", "The file is empty."),
]


@pytest.mark.parametrize(
    ("name", "data", "msgid"), NOT_WORKBOOKS, ids=[n for n, *_ in NOT_WORKBOOKS]
)
def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(
    client, session, world, name, data, msgid
):
    as_user(client, session, world, "centre")
    before = counts(session)
    response = upload(client, world, data, name="hoc-vien.xlsx")
    assert response.status_code == 400
    assert field_errors(response.text)["file"] == vi(msgid)
    assert counts(session) == before


def test_missing_and_extra_columns_are_named(client, session, world):
    as_user(client, session, world, "centre")
    keys = [k for k in HEADERS if k not in ("citizen_id", "commune")]
    data = workbook(
        [HEADERS[k] for k in keys] + ["Ghi chú"], [[trainee()[k] for k in keys] + ["x"]]
    )
    response = upload(client, world, data)
    assert response.status_code == 400
    message = field_errors(response.text)["file"]
    assert (
        vi(
            "Columns missing from the sheet: {columns}.",
            columns="Số định danh cá nhân (CCCD), Xã/phường thường trú",
        )
        in message
    )
    assert (
        vi(
            "Columns the template does not have: {columns}. Remove them, or copy the data into the template.",  # noqa: E501
            columns="Ghi chú",
        )
        in message
    )


def test_an_empty_sheet_and_a_header_without_rows_are_refused(client, session, world):
    as_user(client, session, world, "centre")
    empty = upload(client, world, workbook([], []))
    assert field_errors(empty.text)["file"] == vi(
        "The workbook is empty: its first sheet has no data."
    )
    header_only = upload(client, world, trainee_file([]))
    assert field_errors(header_only.text)["file"] == vi(
        "The sheet {sheet} has a header row but no data rows.", sheet="Sheet"
    )
    assert counts(session) == (0, 0, 0)


def test_the_form_asks_for_what_is_missing(client, session, world):
    as_user(client, session, world, "centre")
    response = client.post("/imports", data={"kind": "", "course_id": ""}, follow_redirects=False)
    assert response.status_code == 400
    assert field_errors(response.text)["file"] == vi("Choose the Excel file to upload.")
    response = upload(client, world, trainee_file(several(1)), kind="")
    assert field_errors(response.text)["kind"] == vi("Choose what the file holds.")


# --- big files: background work and progress ----------------------------------------------


def test_a_big_file_is_checked_and_written_in_the_background_with_progress(
    client, engine, session, world, monkeypatch, tmp_path
):
    as_user(client, session, world, "centre")
    monkeypatch.setattr(import_service, "INLINE_MAX_BYTES", 1000)
    monkeypatch.setattr(import_service, "INLINE_MAX_ROWS", 10)
    course = session.get(Course, world.course_id)
    assert course is not None
    course.capacity = 2000
    session.add(course)
    session.commit()
    response = upload(client, world, trainee_file(several(1200)))
    assert response.headers["location"].endswith("/progress")
    waiting = parse(client.get(response.headers["location"]).text)
    assert attr(waiting, "#import-job", "data-job") == "waiting"  # queued, no worker yet
    assert run_jobs(engine) == 1  # a worker checks the file
    preview = client.get(response.headers["location"], follow_redirects=True)
    doc = parse(preview.text)
    assert attr(doc, "dd[data-field=status]", "data-status") == Status.READY
    assert text(one(doc, "dd[data-field=rows]")) == "1.200"
    confirm = client.post(attr(doc, "form#confirm-form", "action"), follow_redirects=False)
    assert confirm.headers["location"].endswith("/progress")
    assert counts(session) == (0, 0, 0)  # nothing written until a worker takes the job
    assert run_jobs(engine) == 1  # ... and writes it
    done = client.get(confirm.headers["location"], follow_redirects=True)
    assert attr(parse(done.text), "dd[data-field=status]", "data-status") == Status.DONE
    assert counts(session) == (1200, 1200, 1)
    assert [(job.kind, job.status) for job in jobs(engine) if job.kind.startswith("import")] == [
        ("import_check", "done"),
        ("import_write", "done"),
    ]
    # Everything lived in the database: no file was written, and the rows read from the
    # file are gone once written (the summary stays).
    assert not (tmp_path / "imp").exists()
    session.expire_all()
    assert session.exec(select(func.count()).select_from(ImportPart)).one() == 0
    session.rollback()


def test_the_progress_page_refreshes_itself_until_the_work_is_done(client, session, world):
    as_user(client, session, world, "centre")
    user = session.exec(select(UserAccount).where(UserAccount.username == "centre")).one()
    user_id = user.id or 0
    session.rollback()
    state = new_import(
        session, world, user_id, status=Status.VALIDATING, phase="checking", done=250, total=1000
    )
    with unit_of_work(session):
        queue.enqueue(
            session, JobKind.IMPORT_CHECK, {"import_id": state.id}, key=import_key(state.id)
        )
    response = client.get(f"/imports/{state.token}/progress")
    assert response.status_code == 200 and response.headers["refresh"] == "2"
    doc = parse(response.text)
    assert attr(doc, "meta[http-equiv=refresh]", "content") == "2"
    assert attr(doc, "progress#import-progress", "value") == "25"
    assert client.get(f"/imports/{state.token}", follow_redirects=False).status_code == 303
    with unit_of_work(session):
        store.set_fields(session, state.id, status=Status.READY)
    finished = client.get(f"/imports/{state.token}/progress", follow_redirects=False)
    assert finished.headers["location"] == f"/imports/{state.token}"


# --- results -------------------------------------------------------------------------------


def results_file(rows: list[dict[str, Any]]) -> bytes:
    keys = list(RESULT_HEADERS)
    return workbook([RESULT_HEADERS[k] for k in keys], [[r.get(k) for k in keys] for r in rows])


def _enrol(session: Session, world: World, number: str, name: str, born: date) -> int:
    person = factories.person(session, citizen_id=number, full_name=name, birth_date=born)
    enrolment = factories.enrolment(
        session,
        person_id=person.id,
        course_id=world.course_id,
        enrolled_on=today() - timedelta(days=125),  # five days before the course starts
    )
    return enrolment.id or 0


def test_results_are_recorded_by_id_number_or_by_name_and_birth_date(client, session, world):
    as_user(client, session, world, "centre")
    first = _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    second = _enrol(session, world, "011201000002", "Quàng Văn Dính", date(2001, 6, 7))
    session.commit()
    graduated_on = today() - timedelta(days=5)
    rows = [
        {
            "citizen_id": "011201000001",
            "result": "Đạt",
            "graduated_on": graduated_on,
            "certificate_number": "SC-0001",
        },
        {"full_name": "Quang Van Dinh", "birth_date": "07/06/2001", "result": "Không đạt"},
    ]
    location = upload(client, world, results_file(rows), kind="results").headers["location"]
    client.post(location + "/confirm")
    session.expire_all()
    done, failed = session.get(Enrolment, first), session.get(Enrolment, second)
    assert done and failed
    assert (
        done.status,
        done.result,
        done.graduated_on,
        done.certificate_kind,
        done.certificate_number,
    ) == (
        "tot_nghiep",
        "dat",
        graduated_on,
        "chung_chi_so_cap",
        "SC-0001",
    )
    assert (failed.status, failed.result, failed.certificate_number) == (
        "hoan_thanh",
        "khong_dat",
        None,
    )


def test_bad_result_rows_are_reported_and_nothing_changes(client, session, world):
    as_user(client, session, world, "centre")
    _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    _enrol(session, world, "011201000002", "Quàng Văn Dính", date(2001, 6, 7))
    other = factories.enrolment(session, course_id=world.course_id, certificate_number="SC-9")
    session.commit()
    rows = [
        {"citizen_id": "011201000999", "result": "Đạt", "graduated_on": today()},
        {"citizen_id": "011201000001", "result": "Không đạt", "status": "Tốt nghiệp"},
        {"citizen_id": "011201000002", "result": "Đạt", "certificate_number": "SC-9"},
    ]
    preview = client.get(
        upload(client, world, results_file(rows), kind="results").headers["location"]
    )
    assert [(row, header) for row, header, _m in error_table(preview.text)] == [
        (2, RESULT_HEADERS["citizen_id"]),
        (3, RESULT_HEADERS["status"]),
        (4, RESULT_HEADERS["graduated_on"]),
    ]
    session.expire_all()
    statuses = session.exec(select(Enrolment.status)).all()
    assert set(statuses) == {"dang_hoc"} and other.id


def test_a_trainee_enrolled_after_the_course_ended_is_refused_on_its_row(client, session, world):
    as_user(client, session, world, "centre")
    before = counts(session)
    start, end = today() - timedelta(days=120), today() - timedelta(days=10)
    rows = [
        trainee(
            citizen_id="011201000124", enrolled_on=start - timedelta(days=30)
        ),  # registered early
        trainee(enrolled_on=end + timedelta(days=1)),  # the day after the course ended
        trainee(citizen_id="011201000125", enrolled_on=start - timedelta(days=184)),
    ]
    response = upload(client, world, trainee_file(rows))
    preview = client.get(response.headers["location"])
    lines = error_table(preview.text)
    message = "The enrolment date {date} is outside the course ({start} – {end}); it may be at most six months before the start."  # noqa: E501
    column = HEADERS["enrolled_on"]
    assert lines == [
        (3, column, vi(message, date=end + timedelta(days=1), start=start, end=end)),
        (4, column, vi(message, date=start - timedelta(days=184), start=start, end=end)),
    ]
    assert find_all(parse(preview.text), "form#confirm-form") == []
    assert client.post(response.headers["location"] + "/confirm").status_code == 200
    assert counts(session) == before


def test_a_graduation_outside_the_course_is_refused_on_its_row(client, session, world):
    as_user(client, session, world, "centre")
    # The course ran from 120 to 10 days ago; both trainees enrolled 125 days ago.
    _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    _enrol(session, world, "011201000002", "Quàng Văn Dính", date(2001, 6, 7))
    late = factories.person(session, citizen_id="011201000003", full_name="Vàng A Páo")
    factories.enrolment(
        session, person_id=late.id, course_id=world.course_id,
        enrolled_on=today() - timedelta(days=60),  # joined mid-course
    )  # fmt: skip
    session.commit()
    start, enrolled = today() - timedelta(days=120), today() - timedelta(days=60)
    rows = [
        {"citizen_id": "011201000001", "result": "Đạt", "graduated_on": start - timedelta(days=1),
         "certificate_number": "SC-1"},
        {"citizen_id": "011201000002", "result": "Đạt", "graduated_on": today(),  # 10 days late
         "certificate_number": "SC-2"},
        {"citizen_id": "011201000003", "result": "Đạt",
         "graduated_on": enrolled - timedelta(days=1), "certificate_number": "SC-3"},
    ]  # fmt: skip
    preview = client.get(
        upload(client, world, results_file(rows), kind="results").headers["location"]
    )
    header = RESULT_HEADERS["graduated_on"]
    assert error_table(preview.text) == [
        (2, header, vi("The graduation date {date} is before the course started ({start}).",
                       date=start - timedelta(days=1), start=start)),
        (4, header, vi("The graduation date {date} is before the enrolment ({enrolled}).",
                       date=enrolled - timedelta(days=1), enrolled=enrolled)),
    ]  # fmt: skip
    session.expire_all()
    assert set(session.exec(select(Enrolment.status)).all()) == {"dang_hoc"}


# --- exports -------------------------------------------------------------------------------


def test_an_export_reads_back_as_the_rows_imported(client, session, world):
    as_user(client, session, world, "centre")
    hostile = '=HYPERLINK("x")'  # text that a spreadsheet would run, were it not neutralised
    chu = trainee(
        citizen_id="011201000777",
        commune="Nà Tòng, Tuần Giáo",
        full_name="Vừ A Chứ",
        village=hostile,
    )
    rows = [*several(4), chu]
    rows[0]["village"] = "-5 hộ"
    client.post(upload(client, world, trainee_file(rows)).headers["location"] + "/confirm")
    response = client.get(f"/exports/trainees?course_id={world.course_id}")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="hoc-vien-may-01.xlsx"'
    exported = read_table(response.content, TRAINEE_EXPORT_COLUMNS).rows
    by_id = {row.values["citizen_id"]: row.values for row in exported}
    assert set(by_id) == {row["citizen_id"] for row in rows}
    chu = by_id["011201000777"]
    expected = resolve_commune(session, "Nà Tòng, Tuần Giáo")
    assert expected is not None
    session.rollback()
    assert (chu["full_name"], chu["birth_date"], chu["sex"], chu["ethnicity"], chu["commune"]) == (
        "Vừ A Chứ",
        date(2001, 5, 4),
        "Nam",
        "Thái",
        expected.name,
    )
    assert (chu["course_code"], chu["status"], chu["consent"]) == ("MAY-01", "Đang học", "Có")
    villages = {row.values["citizen_id"]: row.values["village"] for row in exported}
    assert (villages["011201000777"], villages[rows[0]["citizen_id"]]) == (hostile, "-5 hộ")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cell = next(c for line in sheet.iter_rows() for c in line if c.value == hostile)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)  # text, shown without a quote
    # Vietnamese order: by given name (Chứ, Dính, Hùng, Mai, Minh).
    given_names = [row.values["full_name"].split()[-1] for row in exported]
    assert given_names == ["Chứ", "Dính", "Hùng", "Mai", "Xuân"]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert len(entry.details["person_ids"]) == 5

    # The exported sheet, re-imported into another course of the same centre, is accepted.
    course = factories.course(
        session,
        institution_id=world.institution_id,
        start_date=today() - timedelta(days=30),
        end_date=today() + timedelta(days=60),
    )
    session.commit()
    keys = [c.key for c in TRAINEE_COLUMNS]
    again = workbook([HEADERS[k] for k in keys], [[r.values[k] for k in keys] for r in exported])
    preview = client.get(upload(client, world, again, course_id=course.id).headers["location"])
    assert attr(parse(preview.text), "dd[data-field=status]", "data-status") == Status.READY
    client.post(preview.url.path + "/confirm")
    session.expire_all()
    stored = find_by_citizen_id(session, "011201000777")
    assert stored is not None and stored.village == hostile


def test_the_result_export_can_be_filled_in_and_imported_back(client, session, world):
    as_user(client, session, world, "centre")
    _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    session.commit()
    exported = client.get(f"/exports/results?course_id={world.course_id}")
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in RESULT_COLUMNS]
    sheet.cell(row=2, column=headers.index(RESULT_HEADERS["result"]) + 1, value="Đạt")
    sheet.cell(row=2, column=headers.index(RESULT_HEADERS["status"]) + 1).value = None
    sheet.cell(row=2, column=headers.index(RESULT_HEADERS["graduated_on"]) + 1, value=today())
    buffer = io.BytesIO()
    book.save(buffer)
    location = upload(client, world, buffer.getvalue(), kind="results").headers["location"]
    assert error_table(client.get(location).text) == []
    client.post(location + "/confirm")
    session.expire_all()
    assert session.exec(select(Enrolment.status)).one() == "tot_nghiep"


def _fill(sheet: Any, headers: list[Any], row: int, **values: Any) -> None:
    for key, value in values.items():
        sheet.cell(row=row, column=headers.index(RESULT_HEADERS[key]) + 1, value=value)


def test_the_trainee_export_filled_in_with_results_is_imported_back(client, session, world):
    as_user(client, session, world, "centre")
    passed = _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    failed = _enrol(session, world, "011201000002", "Quàng Văn Dính", date(2001, 6, 7))
    session.commit()
    exported = client.get(f"/exports/trainees?course_id={world.course_id}")
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    assert sheet is not None
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in TRAINEE_EXPORT_COLUMNS]
    at = headers.index(RESULT_HEADERS["citizen_id"]) + 1
    ids = [cell.value for cell in next(sheet.iter_cols(min_col=at, max_col=at))]
    graduated_on = today() - timedelta(days=3)
    # The status column still says Đang học, as exported: the results are what changed.
    _fill(sheet, headers, ids.index("011201000001") + 1, result="Đạt", graduated_on=graduated_on)
    _fill(sheet, headers, ids.index("011201000002") + 1, result="Không đạt")
    buffer = io.BytesIO()
    book.save(buffer)
    location = upload(client, world, buffer.getvalue(), kind="results").headers["location"]
    preview = client.get(location)
    assert error_table(preview.text) == []
    assert attr(parse(preview.text), "dd[data-field=status]", "data-status") == Status.READY
    client.post(location + "/confirm")
    session.expire_all()
    done, not_done = session.get(Enrolment, passed), session.get(Enrolment, failed)
    assert done and not_done
    assert (done.status, done.result, done.graduated_on) == ("tot_nghiep", "dat", graduated_on)
    assert (not_done.status, not_done.result) == ("hoan_thanh", "khong_dat")


def test_rows_of_another_course_in_a_trainee_export_are_refused_on_their_row(
    client, session, world
):
    as_user(client, session, world, "centre")
    _enrol(session, world, "011201000001", "Lò Văn Minh", date(2001, 5, 4))
    session.commit()
    headers = [column.header for column in TRAINEE_EXPORT_COLUMNS]
    keys = [column.key for column in TRAINEE_EXPORT_COLUMNS]
    row = dict(trainee(citizen_id="011201000001"), course_code="MAY-02", result="Không đạt")
    data = workbook(headers, [[row.get(key) for key in keys]])
    preview = client.get(upload(client, world, data, kind="results").headers["location"])
    assert [(r, message) for r, _column, message in error_table(preview.text)] == [
        (2, vi(OTHER_COURSE, code="MAY-02", chosen="MAY-01"))
    ]


def test_the_templates_explain_each_column_and_offer_lists(client, session, world):
    as_user(client, session, world, "centre")
    response = client.get("/imports/template/trainees")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Học viên", "Hướng dẫn", "Danh mục"]
    data = book["Học viên"]
    assert [cell.value for cell in data[1]] == [column.header for column in TRAINEE_COLUMNS]
    explained = {row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)}
    assert {column.header for column in TRAINEE_COLUMNS} <= explained
    lists = {str(v.formula1) for v in data.data_validations.dataValidation}
    assert '"Nam,Nữ"' in lists and any("Danh mục" in formula for formula in lists)
    communes = [row[1] for row in book["Danh mục"].iter_rows(min_row=2, values_only=True)]
    assert "Xã Quài Tở" in communes
    results = load_workbook(io.BytesIO(client.get("/imports/template/results").content))
    assert [c.value for c in results.active[1]] == [c.header for c in RESULT_COLUMNS]
    assert client.get("/imports/template/other").status_code == 400


# --- who may do what -----------------------------------------------------------------------

# persona -> (import page, upload, template, export own course, export other course).
# Another institution's course is answered as one that does not exist: the upload form says
# so (400), the export finds nothing (404).
EXPECTED = {
    None: ("login", "login", "login", "login", "login"),
    "employer": (403, 403, 403, 403, 403),
    "official": (200, 403, 403, 200, 200),
    "centre": (200, 303, 200, 200, 404),
    "other": (200, 400, 200, 404, 200),
    "admin": (200, 303, 200, 200, 200),
}


@pytest.mark.parametrize("who", list(EXPECTED), ids=[str(w) for w in EXPECTED])
def test_each_role_gets_what_it_may(app, session, world, who):
    with TestClient(app) as client:
        client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        client.headers[CSRF_HEADER] = VISITOR_TOKEN
        as_user(client, session, world, who)
        before = counts(session)
        answers = (
            client.get("/imports", follow_redirects=False),
            upload(client, world, trainee_file(several(1))),
            client.get("/imports/template/trainees", follow_redirects=False),
            client.get(f"/exports/trainees?course_id={world.course_id}", follow_redirects=False),
            client.get(
                f"/exports/results?course_id={world.other_course_id}", follow_redirects=False
            ),
        )
        got = tuple(
            "login" if r.status_code == 303 and "/login" in r.headers["location"] else r.status_code
            for r in answers
        )
        assert got == EXPECTED[who]
        assert counts(session)[:2] == before[:2]
        exports = session.exec(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export")
        ).one()
        assert exports == sum(code == 200 for code in got[3:])


def test_an_official_sees_exports_but_no_upload_form(client, session, world):
    as_user(client, session, world, "official")
    doc = parse(client.get("/imports").text)
    assert find_all(doc, "form#upload-form") == []
    assert one(doc, "form#export-institution-form")


def test_an_import_is_visible_only_to_the_user_who_uploaded_it(app, client, session, world):
    as_user(client, session, world, "centre")
    location = upload(client, world, trainee_file(several(2))).headers["location"]
    with TestClient(app) as intruder:
        intruder.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        intruder.headers[CSRF_HEADER] = VISITOR_TOKEN
        make_account(session, "institution", "colleague", institution_id=world.institution_id)
        sign_in(intruder, "colleague")
        assert intruder.get(location).status_code == 404
        assert intruder.post(location + "/confirm").status_code == 404
    assert counts(session)[1] == 0
    assert len(body_rows(parse(client.get("/imports").text), "table#import-history")) == 1


def test_the_pages_are_in_english_when_chosen(client, session, world):
    as_user(client, session, world, "centre")
    client.cookies.set("lang", "en")
    preview = client.get(
        upload(client, world, trainee_file([trainee(sex="X")])).headers["location"]
    )
    assert error_table(preview.text)[0][2] == "“X” is not allowed here: write Nam / Nữ."


@pytest.mark.bench
def test_ten_thousand_rows_are_checked_and_written_in_reasonable_time(engine, session, world):
    """Run with `-m bench`: the 10,000-row file of the brief, through the same use cases the
    pages call (the background task's), each part well under 30 s."""
    import time

    from bench.bench_import import build_workbook, trainee_rows
    from web.auth import Principal

    course = session.get(Course, world.course_id)
    assert course is not None
    course.capacity = 10_000
    session.add(course)
    session.commit()
    make_account(session, "institution", "centre", institution_id=world.institution_id)
    user = session.exec(select(UserAccount).where(UserAccount.username == "centre")).one()
    principal = Principal(user=user, auth=None)  # type: ignore[arg-type]
    data = build_workbook(trainee_rows(10_000))
    state, check_job = import_service.start_import(
        session,
        principal=principal,
        kind="trainees",
        course_id=world.course_id,
        filename="big.xlsx",
        data=data,
    )
    started = time.perf_counter()
    assert run_now(engine, check_job)
    checked = time.perf_counter() - started
    assert store.get(session, state.id).status == Status.READY  # type: ignore[union-attr]
    _, write_job = import_service.claim_import(session, principal=principal, token=state.token)
    assert write_job is not None
    started = time.perf_counter()
    assert run_now(engine, write_job)
    written = time.perf_counter() - started
    print(f"10,000 rows: checked in {checked:.1f} s, written in {written:.1f} s")
    assert counts(session) == (10_000, 10_000, 1)
    assert checked < 30 and written < 30


@pytest.mark.parametrize("export", ["trainees", "results"])
@pytest.mark.parametrize("course_id", ["abc", "-1", "1e3"])
def test_a_course_id_that_is_not_a_number_is_refused_with_a_message(
    client, session, world, export, course_id
):
    as_user(client, session, world, "centre")
    response = client.get(f"/exports/{export}", params={"course_id": course_id})
    assert response.status_code == 400
    assert translate("The value of {field} is not valid.", "vi", field="course_id") in response.text
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "export")).all() == []
