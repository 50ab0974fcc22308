"""The follow-up page and the follow-up import: institutions see their own graduates whose
follow-up is due or overdue (a hire on the platform already answers one), record many at once
all-or-nothing, a form sent twice stores one row, another institution's graduates are neither
listed nor writable, and an Excel file of outcomes is written whole or not at all.

Runs on SQLite and PostgreSQL (the `engine` fixture). Dates are relative to today. Personas:
`centre` (staff of the course's institution), `other` (another institution), an official,
an employer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from matching.kpi.dates import add_months
from matching.kpi.ids import KpiId
from models import clock
from models.clock import today
from models.excel.follow_ups import FOLLOW_UP_COLUMNS
from models.i18n import translate
from models.monitoring.read import snapshot_info
from models.monitoring.store import refresh_year
from models.queries import follow_ups as follow_ups_queries
from models.settings import Settings
from models.tables import (
    AuditEntry,
    EmploymentSpell,
    Enrolment,
    FollowUp,
    KpiFigure,
    KpiFigureValue,
    KpiSnapshot,
    UserAccount,
)
from tests import factories
from tests.html import (
    attr,
    attrs,
    data_attrs,
    find_all,
    one,
    parse,
    selected,
    table_rows,
    text,
)
from tests.web.helpers import make_account, sign_in
from tests.web.jobs import jobs, run_jobs
from web.app import create_app
from web.services import follow_ups as follow_up_service
from web.services.follow_ups import outcome_field

HEADERS = {column.key: column.header for column in FOLLOW_UP_COLUMNS}


# --- reading the pages ---------------------------------------------------------------------


def listed(html: str) -> dict[tuple[int, int], str]:
    """(enrolment id, months after) -> state of every row of the follow-up table."""
    tables = find_all(parse(html), "table#follow-ups")
    if not tables:
        return {}
    return {
        (int(row["enrolment-id"]), int(row["months"])): row.get("state", "")
        for row in map(data_attrs, find_all(tables[0], "tr[data-enrolment-id]"))
    }


def header_counts(html: str) -> dict[str, int]:
    counts = find_all(one(parse(html), "ul#follow-up-counts"), "li")
    return {data_attrs(li)["count"]: int(data_attrs(li)["value"]) for li in counts}


def vi(msgid: str, **params: Any) -> str:
    return translate(msgid, "vi", **params)


# --- the world -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Graduate:
    """An enrolment's ids, kept as plain values: reading an ORM row after the test session
    rolled back would open a transaction that holds SQLite's write lock."""

    id: int
    person_id: int


@dataclass
class World:
    centre_id: int
    other_id: int
    course_id: int
    course_code: str
    overdue: Graduate  # 3-month follow-up about two months late
    due: Graduate  # 3-month follow-up due five days ago
    hired: Graduate  # due like `due`, but hired through the platform after graduating
    recent: Graduate  # graduated ten days ago: nothing due
    elsewhere: Graduate  # another institution's graduate, due


@pytest.fixture
def app(engine, tmp_path):
    settings = Settings(
        database_url=str(engine.url), import_dir=tmp_path / "imp", embedded_worker=False
    )
    return create_app(settings, engine=engine)


def _graduate(session: Session, course_id: int, graduated_on: date, citizen_id: str) -> Graduate:
    person = factories.person(session, citizen_id=citizen_id)
    enrolment = factories.enrolment(
        session,
        person_id=person.id,
        course_id=course_id,
        status="tot_nghiep",
        graduated_on=graduated_on,
    )
    return Graduate(enrolment.id or 0, enrolment.person_id)


@pytest.fixture
def world(session: Session) -> World:
    now = today()
    centre, other = factories.institution(session), factories.institution(session)
    start = add_months(now, -12)
    course = factories.course(
        session, institution_id=centre.id, start_date=start, end_date=start, code="MAY-07"
    )
    other_course = factories.course(
        session, institution_id=other.id, start_date=start, end_date=start
    )
    due_graduation = add_months(now - timedelta(days=5), -3)
    overdue = _graduate(session, course.id, add_months(now, -5), "011201000001")
    due = _graduate(session, course.id, due_graduation, "011201000002")
    hired = _graduate(session, course.id, due_graduation, "011201000003")
    session.add(
        EmploymentSpell(
            person_id=hired.person_id,
            start_date=due_graduation + timedelta(days=3),
            kind="wage",
            channel="dn_trong_tinh",
        )
    )
    recent = _graduate(session, course.id, now - timedelta(days=10), "011201000004")
    elsewhere = _graduate(session, other_course.id, due_graduation, "011201000005")
    session.commit()
    return World(
        centre.id or 0,
        other.id or 0,
        course.id or 0,
        course.code,
        overdue,
        due,
        hired,
        recent,
        elsewhere,
    )


def as_user(client: TestClient, session: Session, world: World, who: str) -> int:
    """Sign in as a persona; returns the account's id."""
    roles = {"centre": "institution", "other": "institution"}
    bindings = {
        "centre": {"institution_id": world.centre_id},
        "other": {"institution_id": world.other_id},
    }
    make_account(session, roles.get(who, who), who, **bindings.get(who, {}))
    sign_in(client, who)
    account_id = session.exec(select(UserAccount.id).where(UserAccount.username == who)).one()
    session.rollback()  # end the read: on SQLite it holds the write lock the app needs
    return account_id or 0


def stored(session: Session) -> list[FollowUp]:
    session.expire_all()
    rows = list(session.exec(select(FollowUp).order_by(col(FollowUp.id))).all())
    session.expunge_all()  # detached rows keep their values; a rollback would expire them
    session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    return rows


def outcome(enrolment: Graduate, months: int = 3, **typed: str) -> dict[str, str]:
    """The form fields of one row: filled with a wage job found by phone today, unless told."""
    values = {
        "status": "wage",
        "in_trained_occupation": "yes",
        "income": "5.000.000",
        "source": "phone",
        "observed_on": today().isoformat(),
    } | typed
    fields = {"rows": f"{enrolment.id}:{months}"}
    return fields | {outcome_field(enrolment.id, months, k): v for k, v in values.items()}


def post(client: TestClient, *rows: dict[str, str]):
    data: dict[str, Any] = {"rows": [row["rows"] for row in rows]}
    for row in rows:
        data |= {k: v for k, v in row.items() if k != "rows"}
    return client.post("/follow-ups", data=data, follow_redirects=False)


# --- the list ------------------------------------------------------------------------------


def test_an_institution_sees_its_own_graduates_due_and_overdue(client, session, world):
    as_user(client, session, world, "centre")
    response = client.get("/follow-ups")
    assert response.status_code == 200
    # The hired graduate is not asked for: the job recorded on the platform answers it.
    assert listed(response.text) == {
        (world.overdue.id, 3): "overdue",
        (world.due.id, 3): "due",
    }
    assert header_counts(response.text) == {"due": 1, "overdue": 1}
    # Asking for another institution changes nothing: staff see their own.
    other = client.get(f"/follow-ups?institution={world.other_id}")
    assert listed(other.text) == listed(response.text)


def test_an_official_sees_every_institution_and_filters(client, session, world):
    as_user(client, session, world, "official")
    everything = listed(client.get("/follow-ups").text)
    assert set(everything) == {(world.overdue.id, 3), (world.due.id, 3), (world.elsewhere.id, 3)}
    other = client.get(f"/follow-ups?institution={world.other_id}")
    assert set(listed(other.text)) == {(world.elsewhere.id, 3)}
    overdue = client.get("/follow-ups?state=overdue&window=3")
    assert listed(overdue.text) == {(world.overdue.id, 3): "overdue"}
    assert header_counts(overdue.text) == {"due": 2, "overdue": 1}


def test_recorded_rows_are_written_and_leave_the_list(client, session, world):
    user_id = as_user(client, session, world, "centre")
    blank = outcome(world.overdue, status="", in_trained_occupation="unknown", income="")
    response = post(client, outcome(world.due), blank)
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["location"]).query)["recorded"] == ["1"]

    [row] = stored(session)
    assert (row.enrolment_id, row.person_id, row.months_after) == (
        world.due.id,
        world.due.person_id,
        3,
    )
    assert (row.status, row.in_trained_occupation, row.income, row.source) == (
        "wage",
        True,
        5_000_000,
        "phone",
    )
    assert row.observed_on == today() and row.recorded_by_id == user_id
    after = client.get(response.headers["location"])
    assert text(one(parse(after.text), "p#recorded-notice")) == vi(
        "Follow-ups recorded: {count}", count=1
    )
    assert listed(after.text) == {(world.overdue.id, 3): "overdue"}
    audit = session.exec(select(AuditEntry).where(AuditEntry.entity == "follow_up")).one()
    assert (audit.action, audit.entity_id, audit.person_id) == (
        "create",
        str(row.id),
        world.due.person_id,
    )


def test_the_header_counts_follow_a_save_at_once_and_other_writers_within_their_time(
    client, session, world, monkeypatch
):
    moment = [1000.0]
    monkeypatch.setattr(clock, "steady_seconds", lambda: moment[0])
    as_user(client, session, world, "centre")
    assert header_counts(client.get("/follow-ups").text) == {"due": 1, "overdue": 1}
    # Saved through the site: the next page counts again at once.
    assert post(client, outcome(world.due)).status_code == 303
    assert header_counts(client.get("/follow-ups?page=1").text) == {"due": 0, "overdue": 1}
    # Written by another process (the command line, a second server): the counts are kept
    # a moment, then read again.
    with session.get_bind().begin() as conn:
        conn.execute(
            update(Enrolment).where(col(Enrolment.id) == world.overdue.id).values(status="dang_hoc")
        )
    assert header_counts(client.get("/follow-ups").text) == {"due": 0, "overdue": 1}
    moment[0] += follow_ups_queries.DUE_COUNT_SECONDS + 0.1
    assert header_counts(client.get("/follow-ups").text) == {"due": 0, "overdue": 0}


def test_a_bad_row_writes_nothing_and_shows_its_error(client, session, world):
    as_user(client, session, world, "centre")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    good = outcome(world.overdue, income="4500000")
    bad = outcome(world.due, observed_on=tomorrow, status="unemployed", income="4500000")
    response = post(client, good, bad)
    assert response.status_code == 400
    assert stored(session) == []

    table = one(parse(response.text), "table#follow-ups")
    rows = {data_attrs(tr)["enrolment-id"]: tr for tr in find_all(table, "tr[data-enrolment-id]")}
    bad_row, good_row = rows[str(world.due.id)], rows[str(world.overdue.id)]
    assert attrs(bad_row).get("class") == "has-error" and "class" not in attrs(good_row)
    errors = {
        data_attrs(div)["error-for"]: text(div)
        for div in find_all(bad_row, "div[data-error-for]")
        if data_attrs(div)["error-for"]
    }
    date_field = outcome_field(world.due.id, 3, "observed_on")
    assert errors == {
        date_field: vi(
            "The observation date {date} is in the future.", date=today() + timedelta(days=1)
        ),
        outcome_field(world.due.id, 3, "in_trained_occupation"): vi(
            "Only someone who works can work in the trained occupation."
        ),
    }
    # What was typed is still there.
    assert attr(bad_row, f'input[name="{date_field}"]', "value") == tomorrow
    status = outcome_field(world.due.id, 3, "status")
    assert selected(bad_row, f'select[name="{status}"]') == ["unemployed"]


def test_a_form_sent_twice_stores_one_row(client, session, world):
    as_user(client, session, world, "centre")
    first = post(client, outcome(world.due))
    again = post(client, outcome(world.due))
    assert (first.status_code, again.status_code) == (303, 303)
    assert parse_qs(urlsplit(again.headers["location"]).query)["recorded"] == ["0"]
    assert len(stored(session)) == 1

    different = post(client, outcome(world.due, status="self_employed"))
    assert different.status_code == 400
    assert [row.status for row in stored(session)] == ["wage"]
    status_field = outcome_field(world.due.id, 3, "status")
    message = text(one(parse(different.text), f'div[data-error-for="{status_field}"]'))
    assert message == vi(
        "A different follow-up at {months} months is already recorded for this graduate: "
        "reload the page to see it.",
        months=3,
    )


def test_a_submit_racing_an_identical_one_is_done_not_an_error(client, session, world, monkeypatch):
    # The other submit commits between this one's check and its insert: the insert meets
    # the unique (enrolment, months) constraint, and the check, run again, finds it done.
    as_user(client, session, world, "centre")
    assert post(client, outcome(world.due)).status_code == 303
    real = follow_up_service.queries.recorded_follow_ups
    calls: list[int] = []

    def stale_first(*args: Any) -> Any:
        calls.append(1)
        return {} if len(calls) == 1 else real(*args)

    monkeypatch.setattr(follow_up_service.queries, "recorded_follow_ups", stale_first)
    again = post(client, outcome(world.due))
    assert again.status_code == 303 and len(calls) == 2
    assert parse_qs(urlsplit(again.headers["location"]).query)["recorded"] == ["0"]
    assert len(stored(session)) == 1


def test_nothing_filled_in_is_an_error_not_a_success(client, session, world):
    as_user(client, session, world, "centre")
    response = post(client, outcome(world.due, status="", in_trained_occupation="", income=""))
    assert response.status_code == 400
    assert text(one(parse(response.text), 'div[data-error-for=""]')) == vi(
        "Fill in at least one row: nothing was recorded."
    )


def test_another_institutions_graduate_is_not_writable(client, session, world):
    """Answered like an enrolment that does not exist: nothing tells the two apart."""
    as_user(client, session, world, "centre")
    response = post(client, outcome(world.due), outcome(world.elsewhere))
    assert response.status_code == 400
    assert stored(session) == []
    unknown = post(client, outcome(world.due), outcome(Graduate(id=99_999_999, person_id=0)))
    assert unknown.status_code == 400
    assert text(one(parse(response.text), "main")) == text(one(parse(unknown.text), "main"))


def test_employers_and_visitors_are_refused(client, session, world):
    assert client.get("/follow-ups", follow_redirects=False).status_code == 303
    as_user(client, session, world, "employer")
    assert client.get("/follow-ups").status_code == 403
    assert post(client, outcome(world.due)).status_code == 403
    assert stored(session) == []


# --- the Excel import ----------------------------------------------------------------------


def follow_up_file(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    keys = list(HEADERS)
    sheet.append([HEADERS[key] for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_row(citizen_id: str, **overrides: Any) -> dict[str, Any]:
    row = {
        "citizen_id": citizen_id,
        "months_after": 3,
        "status": "Làm công ăn lương",
        "in_trained_occupation": "Có",
        "income": "6.000.000",
        "source": "Đến nhà",
        "observed_on": today().strftime("%d/%m/%Y"),
    }
    return row | overrides


def upload(client: TestClient, world: World, data: bytes):
    response = client.post(
        "/imports",
        data={"kind": "follow_ups", "course_id": str(world.course_id)},
        files={"file": ("theo-doi.xlsx", data, "application/octet-stream")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"])


def test_the_import_writes_nothing_when_a_row_is_wrong(client, session, world):
    as_user(client, session, world, "centre")
    rows = [
        sheet_row("011201000002"),
        sheet_row("011201000001", months_after=4, course_code="KHAC-01"),
        sheet_row("011201000004"),  # graduated ten days ago: observed today is fine
    ]
    preview = upload(client, world, follow_up_file(rows))
    doc = parse(preview.text)
    assert attr(doc, "dd[data-field=status]", "data-status") == "invalid"
    assert not find_all(doc, "form#confirm-form")
    lines = [tuple(row) for row in table_rows(doc, "table#import-errors")]
    course_error = vi(
        "This file is being imported into course {code}, not {given}.",
        code="MAY-07",
        given="KHAC-01",
    )
    months_error = vi("Write 3, 6 or 12 (months after graduation), not “{value}”.", value="4")
    assert sorted(lines) == sorted(
        [("3", HEADERS["course_code"], course_error), ("3", HEADERS["months_after"], months_error)]
    )
    assert stored(session) == []


def test_the_import_writes_every_row_of_a_valid_file(client, session, world):
    user_id = as_user(client, session, world, "centre")
    rows = [
        sheet_row("011201000002"),
        sheet_row(
            "011201000001", status="Chưa có việc làm", in_trained_occupation=None, income=None
        ),
    ]
    doc = parse(upload(client, world, follow_up_file(rows)).text)
    assert attr(doc, "dd[data-field=status]", "data-status") == "ready"
    confirm = attr(doc, "form#confirm-form", "action")
    done = parse(client.post(confirm, follow_redirects=True).text)
    assert attr(done, "dd[data-field=status]", "data-status") == "done"
    assert text(one(done, "li[data-count=follow_ups]")).endswith("2")
    written = {row.enrolment_id: row for row in stored(session)}
    assert set(written) == {world.due.id, world.overdue.id}
    assert (written[world.due.id].source, written[world.due.id].income) == ("visit", 6_000_000)
    unemployed = written[world.overdue.id]
    assert (unemployed.status, unemployed.in_trained_occupation) == ("unemployed", None)
    assert {row.recorded_by_id for row in written.values()} == {user_id}
    assert listed(client.get("/follow-ups").text) == {}

    # The same file again changes nothing and is not an error.
    again = parse(upload(client, world, follow_up_file(rows)).text)
    assert attr(again, "dd[data-field=status]", "data-status") == "ready"
    assert text(one(again, "li[data-count=unchanged]")).endswith("2")


def test_the_follow_up_template_downloads_with_its_columns(client, session, world):
    as_user(client, session, world, "centre")
    response = client.get("/imports/template/follow_ups")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book["Theo dõi sau tốt nghiệp"][1] if cell.value]
    assert headers[: len(HEADERS)] == list(HEADERS.values())


def test_graduations_stay_when_a_follow_up_is_stored(session, world):
    # Sanity of the world: recording touches follow_up only.
    assert session.exec(select(func.count()).select_from(Enrolment)).one() == 5


# --- the KPI figures follow a save -----------------------------------------------------------


def response_count(session: Session, year: int) -> int | None:
    """How many graduates of ``year`` answered their 3-month follow-up, as stored."""
    query = (
        select(KpiFigureValue.numerator)
        .join(KpiFigure, col(KpiFigure.id) == col(KpiFigureValue.figure_id))
        .join(KpiSnapshot, col(KpiSnapshot.id) == col(KpiFigure.snapshot_id))
        .where(
            col(KpiFigureValue.generation) == col(KpiSnapshot.generation),
            col(KpiSnapshot.year) == year,
            col(KpiFigure.kpi) == KpiId.AFTER_TRAINING_3,
            col(KpiFigure.measure) == "response",
            col(KpiFigure.dimension) == "",
        )
    )
    found = session.exec(query).first()
    session.rollback()
    return found


def test_a_saved_follow_up_queues_a_refresh_of_its_year_and_the_figures_follow(
    client, engine, session, world
):
    year = session.get(Enrolment, world.due.id).graduated_on.year  # type: ignore[union-attr]
    session.rollback()
    refresh_year(engine, year)
    before = response_count(session, year)
    assert [job for job in jobs(engine) if job.kind == "kpi_refresh"] == []
    as_user(client, session, world, "centre")
    assert post(client, outcome(world.due)).status_code == 303
    refreshes = [job for job in jobs(engine) if job.kind == "kpi_refresh"]
    assert [(job.payload, job.status) for job in refreshes] == [({"year": year}, "queued")]
    # Nobody opened a page: the worker refreshes the year (another year's half a minute later).
    assert run_jobs(engine, within=timedelta(minutes=1)) == 1
    assert response_count(session, year) == (before or 0) + 1
    assert not snapshot_info(session, year).stale  # type: ignore[union-attr]
    session.rollback()


def _more_graduates(session: Session, world: World) -> None:
    """Graduates of both institutions whose follow-ups fall due on the same and on different
    days, at 3, 6 and 12 months, so pages cut between rows of one day and one window."""
    now = today()
    other_course = factories.course(session, institution_id=world.other_id)
    days = [
        add_months(now, -3) - timedelta(days=2),
        add_months(now, -3) - timedelta(days=2),
        add_months(now, -3) - timedelta(days=40),
        add_months(now, -6) - timedelta(days=10),
        add_months(now, -7) - timedelta(days=3),
        add_months(now, -13) - timedelta(days=1),
        add_months(now, -12) - timedelta(days=2),
    ]
    for number, day in enumerate(days):
        _graduate(session, world.course_id, day, f"0112010001{number:02d}")
        _graduate(session, other_course.id or 0, day, f"0112010002{number:02d}")
    session.commit()


def _walk(client: TestClient, address: str, rel: str) -> list[list[tuple[int, int]]]:
    """The rows of each page met by following the `rel` links from `address`."""
    pages = []
    while address and len(pages) < 50:
        response = client.get(address)
        assert response.status_code == 200
        pages.append(list(listed(response.text)))
        found = find_all(parse(response.text), f'nav.pager a[rel="{rel}"]')
        address = attrs(found[0])["href"] if found else ""
    return pages


def test_next_and_previous_links_walk_the_list_without_gaps_or_repeats(
    client, session, world, monkeypatch
):
    _more_graduates(session, world)
    as_user(client, session, world, "centre")
    whole = list(listed(client.get("/follow-ups").text))
    assert len(whole) > 10  # every window of the centre's graduates, on one page of 25
    monkeypatch.setattr(follow_up_service, "PER_PAGE", 3)
    forwards = _walk(client, "/follow-ups", "next")
    assert [len(page) for page in forwards[:-1]] == [3] * (len(forwards) - 1)
    assert [row for page in forwards for row in page] == whole
    # The next links name a row, not an offset: rows recorded meanwhile shift nothing.
    last = client.get("/follow-ups?page=2")
    href = attrs(one(parse(last.text), 'nav.pager a[rel="next"]'))["href"]
    query = parse_qs(urlsplit(href).query)
    assert set(query) == {"page", "after", "institution"}
    # Back from the last page by the previous links: the same pages in reverse.
    tail = client.get(href)
    while next_link := find_all(parse(tail.text), 'nav.pager a[rel="next"]'):
        tail = client.get(attrs(next_link[0])["href"])
    back_from = attrs(one(parse(tail.text), 'nav.pager a[rel="prev"]'))["href"]
    backwards = [list(listed(tail.text)), *_walk(client, back_from, "prev")]
    assert list(reversed(backwards)) == forwards


def test_a_cursor_from_elsewhere_or_forged_shows_the_first_page(
    client, session, world, monkeypatch
):
    _more_graduates(session, world)
    as_user(client, session, world, "centre")
    monkeypatch.setattr(follow_up_service, "PER_PAGE", 3)
    first = list(listed(client.get("/follow-ups").text))
    assert len(first) == 3
    for cursor in (
        f"after={world.elsewhere.id}-3",  # another institution's graduate
        f"before={world.elsewhere.id}-3",
        f"after={world.recent.id}-3",  # the centre's, due later than every row listed
        "after=abc",
        "after=99999999-3",
        f"after={world.due.id}-5",  # no such window
        "before=-1--1",
        "after=1" + "0" * 40 + "-3",
    ):
        response = client.get(f"/follow-ups?{cursor}")
        assert response.status_code == 200, cursor
        rows = list(listed(response.text))
        assert rows == first, cursor


def test_counts_beyond_the_limit_say_more_than(client, session, world, monkeypatch):
    monkeypatch.setattr(follow_ups_queries, "DUE_COUNT_LIMIT", 1)
    as_user(client, session, world, "official")
    page = parse(client.get("/follow-ups").text)
    due = one(page, 'ul#follow-up-counts li[data-count="due"]')
    assert text(due) == vi("Due: more than {count}", count="1")
    assert data_attrs(due)["more"] == "1"
    overdue = one(page, 'ul#follow-up-counts li[data-count="overdue"]')
    assert "data-more" not in overdue.attributes  # one overdue: counted exactly
    assert text(overdue) == vi("Overdue (more than {days} days): {count}", days=30, count="1")
