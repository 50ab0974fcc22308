"""Who has reported to the new-jobs register: officials and administrators see, for each
commune, the Employment Service Centre and each active employer, which periods are in, due,
late or not yet due; administrators change when reports are due; nobody else sees either.

The world's day is 8 April 2026 unless a test says otherwise. With the reference schedules
(communes and the centre monthly, due on the 5th of the next month, 5 days' grace):
January and February are late unless reported (late from 11 February and 11 March),
March is due (due 5 April, late from 11 April), April to December are not yet due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.enums import ReportSource
from models.queries.reporting_status import late_reporters
from models.tables import AuditEntry, Employer, NewJobReport, ReportingSchedule, UserAccount
from seed.reference import load_reference_data
from tests import factories
from tests.html import (
    data_attrs,
    field_errors,
    find_all,
    form_fields,
    links,
    one,
    parse,
    text,
)
from tests.web.test_courses import account, fresh, signed_in, vi

pytestmark = pytest.mark.today("2026-04-08")

REPORTED = "03127"  # Phường Điện Biên Phủ: January to March in
DUE = "03256"  # Xã Mường Ảng: January and February in, March not yet (due)
LATE = "03175"  # Xã Chà Tở: January in, February missing (late), March due
WITHDRAWN = "03301"  # Xã Búng Lao: its February report was withdrawn (late)
COMMUNES = 45  # the province's communes and wards since July 2025
JAN, FEB, MAR, APR = "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"


@dataclass
class World:
    session: Session
    usernames: dict[str, str]
    employer: int  # reported its first half-year of 2026
    silent_employer: int  # reported nothing
    closed_employer: int  # inactive: not asked to report


def _report(session: Session, by: int, source: ReportSource, start: str, end: str, **who) -> None:
    session.add(
        NewJobReport(
            source=source.value,
            period_start=date.fromisoformat(start),
            period_end=date.fromisoformat(end),
            submitted_by_id=by,
            **who,
        )
    )


@pytest.fixture
def world(session: Session) -> World:
    load_reference_data(session)
    institution = factories.institution(session)
    reporting = factories.employer(session, name="Công ty TNHH May Điện Biên")
    usernames = {
        "admin": account(session, "admin", "quan.tri"),
        "official": account(session, "official", "can.bo"),
        "staff_a": account(session, "institution", "giao.vu", institution_id=institution.id),
        "employer": account(session, "employer", "nhan.su", employer_id=reporting.id),
        "commune": account(session, "commune", "can.bo.xa", commune_code=REPORTED),  # type: ignore[arg-type]
        "job_centre": account(session, "job_centre", "trung.tam"),
    }
    session.flush()
    official = session.exec(
        select(UserAccount.id).where(col(UserAccount.username) == "can.bo")
    ).one()
    assert official is not None
    silent = factories.employer(session, name="Công ty Cổ phần Chè Mường Ảng")
    closed = factories.employer(session, name="Hợp tác xã đã giải thể", is_active=False)
    commune, employer = ReportSource.COMMUNE, ReportSource.EMPLOYER
    _report(session, official, commune, "2026-01-01", "2026-01-31", commune_code=REPORTED)
    _report(session, official, commune, "2026-02-01", "2026-03-31", commune_code=REPORTED)
    _report(session, official, commune, "2026-01-01", "2026-01-31", commune_code=DUE)
    _report(session, official, commune, "2026-02-01", "2026-02-14", commune_code=DUE)
    _report(session, official, commune, "2026-02-15", "2026-02-28", commune_code=DUE)
    _report(session, official, commune, "2026-01-01", "2026-01-31", commune_code=LATE)
    _report(session, official, commune, "2026-01-01", "2026-01-31", commune_code=WITHDRAWN)
    session.add(
        NewJobReport(
            source=commune.value,
            commune_code=WITHDRAWN,
            period_start=date(2026, 2, 1),
            period_end=date(2026, 2, 28),
            submitted_by_id=official,
            withdrawn_by_id=official,
            withdrawn_at=datetime(2026, 3, 2, tzinfo=UTC),
        )
    )
    # The centre's quarter covers January to March.
    _report(session, official, ReportSource.JOB_CENTRE, "2026-01-01", "2026-03-31")
    # The employer's first half-year (December–May), and an employer's report filed as the
    # commune's source does not count for the commune.
    _report(session, official, employer, "2025-12-01", "2026-05-31", employer_id=reporting.id)
    _report(session, official, employer, "2026-03-01", "2026-03-31", commune_code=LATE)
    ids = (reporting.id or 0, silent.id or 0, closed.id or 0)
    session.commit()
    return World(session, usernames, *ids)


def _signed_in(client: TestClient, world: World, role: str) -> TestClient:
    return signed_in(client, world, role)  # type: ignore[arg-type]


def _states(page, table: str) -> dict[str, dict[str, str]]:
    """reporter key -> period start -> state, as the page shows them."""
    found: dict[str, dict[str, str]] = {}
    for row in find_all(one(page, table), "tbody > tr[data-reporter]"):
        cells = find_all(row, "td[data-state]")
        found[data_attrs(row)["reporter"]] = {
            data_attrs(c)["period"]: data_attrs(c)["state"] for c in cells
        }
    return found


def _footer(page, table: str, state: str) -> dict[str, int]:
    row = one(page, f"{table} tfoot tr[data-count={state}]")
    return {data_attrs(c)["period"]: int(text(c)) for c in find_all(row, "td[data-period]")}


# --- the page -----------------------------------------------------------------------------


def test_an_official_sees_which_communes_are_in_due_and_late(client, world):
    _signed_in(client, world, "official")
    response = client.get("/reporting-status?year=2026")
    assert response.status_code == 200
    page = parse(response.text)
    table = f"table#status-{ReportSource.COMMUNE}"
    states = _states(page, table)
    assert len(states) == COMMUNES
    first_three = {
        key: [by_period[p] for p in (JAN, FEB, MAR, APR)] for key, by_period in states.items()
    }
    assert first_three[REPORTED] == ["in", "in", "in", "not_yet_due"]
    assert first_three[DUE] == ["in", "in", "due", "not_yet_due"]  # two halves cover February
    assert first_three[LATE] == ["in", "late", "due", "not_yet_due"]
    assert first_three[WITHDRAWN] == ["in", "late", "due", "not_yet_due"]
    assert first_three["03283"] == ["late", "late", "due", "not_yet_due"]  # nothing reported
    assert set(states[REPORTED].values()) == {"in", "not_yet_due"}
    # 45 communes: January in at 4, February at 2 (the withdrawn report does not count).
    assert _footer(page, table, "late")[JAN] == COMMUNES - 4
    assert _footer(page, table, "late")[FEB] == COMMUNES - 2
    assert _footer(page, table, "late")[MAR] == 0
    assert _footer(page, table, "due")[MAR] == COMMUNES - 1
    assert _footer(page, table, "in")[MAR] == 1
    assert _footer(page, table, "late")[APR] == 0 and _footer(page, table, "due")[APR] == 0
    late_column = {
        data_attrs(row)["reporter"]: int(text(one(row, 'td[data-field="late"]')))
        for row in find_all(one(page, table), "tbody > tr[data-reporter]")
    }
    assert (late_column[REPORTED], late_column[DUE], late_column[LATE], late_column["03283"]) == (
        0,
        0,
        1,
        2,
    )
    centre = _states(page, f"table#status-{ReportSource.JOB_CENTRE}")
    assert list(centre) == [""]
    assert [centre[""][p] for p in (JAN, FEB, MAR, APR)] == ["in", "in", "in", "not_yet_due"]


def test_cells_and_headers_read_in_vietnamese(client, world):
    _signed_in(client, world, "official")
    page = parse(client.get("/reporting-status?year=2026").text)
    row = one(page, f'table#status-{ReportSource.COMMUNE} tr[data-reporter="{LATE}"]')
    assert text(one(row, "th")) == "Xã Chà Tở"
    assert text(one(row, f'td[data-period="{FEB}"]')) == vi("reporting:late") == "Chậm"
    assert text(one(row, f'td[data-period="{MAR}"]')) == vi("reporting:due")
    march = one(page, f'table#status-{ReportSource.COMMUNE} thead th[data-period="{MAR}"]')
    assert text(march) == "03/2026 " + vi("due {day}", day=date(2026, 4, 5))


def test_only_late_reporters_are_listed_when_asked_and_the_counts_stay(client, world):
    _signed_in(client, world, "official")
    page = parse(client.get("/reporting-status?year=2026&late=1").text)
    table = f"table#status-{ReportSource.COMMUNE}"
    shown = _states(page, table)
    assert REPORTED not in shown and DUE not in shown
    assert {LATE, WITHDRAWN, "03283"} <= set(shown)
    assert len(shown) == COMMUNES - 2
    assert all("late" in by_period.values() for by_period in shown.values())
    assert _footer(page, table, "late")[FEB] == COMMUNES - 2  # counts every commune
    assert _states(page, f"table#status-{ReportSource.JOB_CENTRE}") == {}  # the centre is not late
    assert form_fields(page, "form#status-filters") == {"year": "2026", "late": "1"}


@pytest.mark.today("2026-06-08")
def test_employers_report_half_years_and_inactive_ones_are_not_asked(client, world):
    _signed_in(client, world, "admin")
    page = parse(client.get("/reporting-status").text)
    employers = _states(page, f"table#status-{ReportSource.EMPLOYER}")
    first_half, second_half = "2025-12-01", "2026-06-01"
    assert employers[str(world.employer)] == {first_half: "in", second_half: "not_yet_due"}
    # Due 5 June with no grace: late on 8 June.
    assert employers[str(world.silent_employer)] == {first_half: "late", second_half: "not_yet_due"}
    assert str(world.closed_employer) not in employers
    heads = find_all(one(page, f"table#status-{ReportSource.EMPLOYER}"), "thead th[data-period]")
    assert [text(h) for h in heads] == [
        "12/2025–05/2026 " + vi("due {day}", day=date(2026, 6, 5)),
        "06/2026–11/2026 " + vi("due {day}", day=date(2026, 12, 5)),
    ]
    # April is late (from 11 May), May due (late from 11 June); an employer's report that
    # names the commune does not count for the commune.
    communes = _states(page, f"table#status-{ReportSource.COMMUNE}")
    assert (communes[REPORTED][APR], communes[REPORTED]["2026-05-01"]) == ("late", "due")
    assert communes[LATE][MAR] == "late"


def test_an_earlier_year_is_all_late_without_reports(client, world):
    _signed_in(client, world, "official")
    page = parse(client.get("/reporting-status?year=2025").text)
    states = _states(page, f"table#status-{ReportSource.COMMUNE}")
    assert set(states[REPORTED].values()) == {"late"}
    assert len(states[REPORTED]) == 12


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("official", 200),
        ("commune", 403),
        ("employer", 403),
        ("job_centre", 403),
        ("staff_a", 403),
        ("anonymous", 303),
    ],
)
def test_only_officials_and_administrators_see_who_has_reported(client, world, role, expected):
    _signed_in(client, world, role)
    response = client.get("/reporting-status", follow_redirects=False)
    assert response.status_code == expected
    if role != "anonymous":
        menu = links(parse(client.get("/").text), "nav.site-menu a")
        assert ("/reporting-status" in menu) is (expected == 200)


def test_late_reporters_lists_those_late_now_with_their_late_periods(world):
    found = {
        (each.reporter.source, each.reporter.key): [p.start for p in each.periods]
        for each in late_reporters(world.session, date(2026, 4, 8))
    }
    world.session.rollback()
    # The last 12 months: April 2025 to March 2026 ended; before 2026 nothing was reported.
    year_2025 = [date(2025, month, 1) for month in range(4, 13)]
    assert (ReportSource.COMMUNE, REPORTED) in found  # 2025 was never reported
    assert found[(ReportSource.COMMUNE, REPORTED)] == year_2025
    assert found[(ReportSource.COMMUNE, LATE)] == [*year_2025, date(2026, 2, 1)]
    assert found[(ReportSource.COMMUNE, "03283")] == [
        *year_2025,
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    # Employers: December 2024–May 2025 (it ended within the 12 months) and June–November
    # 2025 were never reported; December 2025–May 2026 is not over.
    halves = [date(2024, 12, 1), date(2025, 6, 1)]
    assert found[(ReportSource.EMPLOYER, world.silent_employer)] == halves
    assert found[(ReportSource.EMPLOYER, world.employer)] == halves
    assert found[(ReportSource.JOB_CENTRE, None)] == year_2025
    assert (ReportSource.EMPLOYER, world.closed_employer) not in found
    assert len([key for key in found if key[0] == ReportSource.COMMUNE]) == COMMUNES


def test_late_reporters_is_empty_when_everyone_reported(world):
    official = world.session.exec(
        select(UserAccount.id).where(col(UserAccount.role) == "official")
    ).one()
    for source in (ReportSource.COMMUNE, ReportSource.JOB_CENTRE, ReportSource.EMPLOYER):
        keys: list[dict] = [{}]
        if source == ReportSource.COMMUNE:
            keys = [{"commune_code": c} for c in _commune_codes(world.session)]
        if source == ReportSource.EMPLOYER:
            ids = world.session.exec(select(Employer.id)).all()
            keys = [{"employer_id": i} for i in ids]
        for who in keys:
            _report(world.session, official or 0, source, "2024-12-01", "2026-03-31", **who)
    world.session.commit()
    assert late_reporters(world.session, date(2026, 4, 8)) == []
    assert late_reporters(world.session, date(2026, 5, 11)) != []  # April is late from 11 May


def _commune_codes(session: Session) -> list[str]:
    from models.queries.reference import commune_options

    return [option.value for option in commune_options(session, on=date(2026, 4, 8))]


# --- the schedule form --------------------------------------------------------------------


def _schedule(world: World, source: str = "commune_report") -> tuple[int, int, str]:
    row = fresh(world.session).get(ReportingSchedule, source)
    assert row is not None
    values = (row.due_day, row.grace_days, row.basis)
    world.session.rollback()
    return values


def _audits(world: World) -> list[AuditEntry]:
    query = select(AuditEntry).where(col(AuditEntry.entity) == "reporting_schedule")
    rows = [AuditEntry(**row.model_dump()) for row in fresh(world.session).exec(query)]
    world.session.rollback()
    return rows


def test_an_administrator_changes_the_grace_period_and_the_page_follows(client, world):
    _signed_in(client, world, "admin")
    status = parse(client.get("/reporting-status").text)
    edit = links(status, "a[data-edit-schedule]")
    assert edit == [
        f"/reporting-status/schedules/{s}"
        for s in (ReportSource.COMMUNE, ReportSource.JOB_CENTRE, ReportSource.EMPLOYER)
    ]
    form = form_fields(parse(client.get(edit[0]).text), "form#schedule-form")
    assert (form["due_day"], form["grace_days"]) == ("5", "5")
    form |= {"grace_days": "2", "basis": "Công văn 123/SNV: ngày 5 tháng sau, gia hạn 2 ngày"}
    response = client.post(edit[0], data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/reporting-status"
    assert _schedule(world) == (5, 2, "Công văn 123/SNV: ngày 5 tháng sau, gia hạn 2 ngày")
    (entry,) = _audits(world)
    assert (entry.action, entry.entity_id, entry.details["fields"]) == (
        "update",
        "commune_report",
        ["grace_days", "basis"],
    )
    # Due 5 April, two days' grace: on 8 April March is late for the communes, not the centre.
    page = parse(client.get("/reporting-status").text)
    assert _states(page, f"table#status-{ReportSource.COMMUNE}")[DUE][MAR] == "late"
    assert _states(page, f"table#status-{ReportSource.JOB_CENTRE}")[""][MAR] == "in"
    assert _footer(page, f"table#status-{ReportSource.COMMUNE}", "late")[MAR] == COMMUNES - 1
    # The same form again changes nothing and writes no second audit entry.
    assert client.post(edit[0], data=form, follow_redirects=False).status_code == 303
    assert len(_audits(world)) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            {"due_day": "31", "grace_days": "-1", "basis": " "},
            {
                "due_day": vi(
                    "The due day is a day of the month from {low} to {high}.", low=1, high=28
                ),
                "grace_days": vi(
                    "The grace period is a whole number of days from {low} to {high}.",
                    low=0,
                    high=60,
                ),
                "basis": vi("This field is required."),
            },
        ),
        (
            {"due_day": "0", "grace_days": "61", "basis": "x"},
            {
                "due_day": "Hạn nộp là một ngày trong tháng, từ 1 đến 28.",
                "grace_days": "Thời gian gia hạn là số ngày nguyên, từ 0 đến 60.",
            },
        ),
        ({"due_day": "5.5", "grace_days": "", "basis": "x"}, {"due_day": None, "grace_days": None}),
        (
            {"due_day": "²", "grace_days": "9" * 5000, "basis": "x" * 301},
            {"due_day": None, "grace_days": None, "basis": "Tối đa 300 ký tự."},
        ),
    ],
)
def test_a_bad_schedule_is_refused_next_to_its_fields_and_nothing_changes(
    client, world, typed, expected
):
    before = _schedule(world)
    _signed_in(client, world, "admin")
    response = client.post("/reporting-status/schedules/commune_report", data=typed)
    assert response.status_code == 400
    page = parse(response.text)
    errors = field_errors(page)
    assert set(errors) == set(expected)
    for name, message in expected.items():
        if message is not None:
            assert errors[name] == message
    assert form_fields(page, "form#schedule-form")["due_day"] == typed["due_day"]
    assert _schedule(world) == before
    assert _audits(world) == []


def test_an_unknown_schedule_is_not_found(client, world):
    _signed_in(client, world, "admin")
    assert client.get(f"/reporting-status/schedules/{ReportSource.OFFICIAL}").status_code == 404
    assert client.get("/reporting-status/schedules/nothing").status_code == 404
    form = {"due_day": "5", "grace_days": "0", "basis": "x"}
    assert client.post("/reporting-status/schedules/nothing", data=form).status_code == 404


@pytest.mark.parametrize("role", ["official", "commune", "employer", "job_centre"])
def test_only_administrators_change_a_schedule(client, world, role):
    _signed_in(client, world, role)
    form = {"due_day": "10", "grace_days": "0", "basis": "x"}
    url = "/reporting-status/schedules/commune_report"
    assert client.get(url).status_code == 403
    assert client.post(url, data=form, follow_redirects=False).status_code == 403
    assert _schedule(world)[:2] == (5, 5)
    assert _audits(world) == []
