"""The new-jobs register's use cases: who reports for whom, a sheet of person lines imported
all-or-nothing, one line or one aggregate entered on a form, a period reported as having no new
jobs, and a report withdrawn to correct a mistake.

Each user reports within their relation: a commune officer for their commune, the Employment
Service Centre's staff for the centre, an employer's staff for their employer's hires made
outside the platform; officials for the province, or on behalf of a commune whose paper report
they received. A report and its lines are reached only through that relation: any other is
answered as missing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today as clock_today
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.enums import ReportFrequency, ReportSource, Role
from models.errors import ConflictError, InvalidError, NotFoundError, ValidationErrors
from models.excel import SheetRow, read_table
from models.excel.new_jobs import NEW_JOB_COLUMNS
from models.monitoring.refresh_jobs import enqueue_refreshes
from models.register_periods import (
    Period,
    month_period,
    parse_period,
    period_containing,
)
from models.tables import (
    NewJobAggregate,
    NewJobLine,
    NewJobReport,
    ReportingSchedule,
)
from web.auth import Actor
from web.services.imports.rows import RowChecks, issues_from, warning_issue
from web.services.register.aggregates import check_aggregate
from web.services.register.entries import RegisterReference, load_register_reference, parse_entry
from web.services.register.write import LineChecks, cross_check, drop_lines, write_lines

NO_SUCH_REPORT = "This report does not exist."
MAX_ROWS = 25_000
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


@dataclass(frozen=True)
class Reporter:
    """Who a report is from: its source and the commune or employer it speaks for."""

    source: str
    commune_code: str | None = None
    employer_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.commune_code or self.employer_id or '-'}"


def reporter_of(principal: Actor, on_behalf_of: str | None = None) -> Reporter:
    """The user's own reporter; an official (or administrator) may enter a commune's paper
    report on its behalf by naming the commune."""
    if principal.role == Role.COMMUNE:
        return Reporter(ReportSource.COMMUNE.value, commune_code=principal.commune_code)
    if principal.role == Role.JOB_CENTRE:
        return Reporter(ReportSource.JOB_CENTRE.value)
    if principal.role == Role.EMPLOYER:
        return Reporter(ReportSource.EMPLOYER.value, employer_id=principal.employer_id)
    if principal.role in (Role.OFFICIAL, Role.ADMIN):
        if on_behalf_of:
            return Reporter(ReportSource.COMMUNE.value, commune_code=on_behalf_of)
        return Reporter(ReportSource.OFFICIAL.value)
    raise NotFoundError(None, NO_SUCH_REPORT)


def can_see(principal: Actor, report: NewJobReport) -> bool:
    """Whether the report lies within the user's relation (officials see every report)."""
    if principal.role in (Role.OFFICIAL, Role.ADMIN):
        return True
    own = reporter_of(principal)
    return (report.source, report.commune_code, report.employer_id) == (
        own.source,
        own.commune_code,
        own.employer_id,
    )


def schedule_of(session: Session, source: str) -> tuple[str, int]:
    """The frequency and first month of a source's periods (monthly when not scheduled)."""
    schedule = session.get(ReportingSchedule, source)
    if schedule is None:
        return ReportFrequency.MONTHLY.value, 1
    return schedule.frequency, schedule.first_month


def _check_commune(ref: RegisterReference, code: str | None) -> str | None:
    if not code:
        return None
    unit = ref.communes.resolve(code)
    if unit is None:
        raise InvalidError("on_behalf_of", "Unknown commune or ward “{value}”.", value=code)
    return unit.code


@dataclass
class FileOutcome:
    """An import that wrote nothing (``checks`` holds an error per row) or its report."""

    checks: RowChecks
    report: NewJobReport | None = None


def import_lines(
    session: Session,
    *,
    principal: Actor,
    period: str | None,
    on_behalf_of: str | None,
    filename: str,
    data: bytes,
) -> FileOutcome:
    """A sheet of person lines for one period: every row checked, then all written in one
    transaction with one audit entry, or nothing when any row is wrong."""

    def read_rows() -> list[SheetRow]:
        return read_table(data, NEW_JOB_COLUMNS, max_rows=MAX_ROWS).rows

    return import_rows(
        session,
        principal=principal,
        period=period,
        on_behalf_of=on_behalf_of,
        filename=filename,
        digest=hashlib.sha256(data).hexdigest(),
        read_rows=read_rows,
    )


def import_rows(
    session: Session,
    *,
    principal: Actor,
    period: str | None,
    on_behalf_of: str | None,
    filename: str,
    digest: str,
    read_rows: Callable[[], list[SheetRow]],
    **details: object,
) -> FileOutcome:
    """Rows of person lines (from a sheet, or from an exchange file) for one period, checked
    and written all-or-nothing: who may report for whom is decided before the rows are read."""
    ref = load_register_reference(session)
    reporter = reporter_of(principal, _check_commune(ref, on_behalf_of))
    chosen = parse_period(period, *schedule_of(session, reporter.source))
    end_read(session)  # reading a workbook is slow: no transaction stays open meanwhile
    rows = read_rows()
    checks = _check_rows(rows, ref, chosen, reporter)
    name = _UNSAFE_NAME.sub("_", filename or "")[-120:] or "upload.xlsx"
    key = f"file:{reporter.key}:{chosen.code}:{digest}"[:120]
    try:
        with unit_of_work(session):
            if session.exec(
                select(NewJobReport.id).where(col(NewJobReport.dedupe_key) == key)
            ).first():
                raise _already(key)
            cross_check(session, reporter.source, checks)
            if checks.errors:
                raise _Refused
            report = _new_report(session, principal, reporter, chosen, key, filename=name)
            summary = write_lines(session, report, checks.entries)
            report.person_lines = summary["lines"]
            facts: dict[str, Any] = {"rows": len(rows), "file_sha256": digest, **details, **summary}
            _audit(session, principal, "import", report, **facts)
            enqueue_refreshes(session, {e.job.start_date.year for e in checks.entries})
    except _Refused:
        return FileOutcome(checks)
    except IntegrityError as error:
        raise _already(key) from error
    return FileOutcome(checks, report)


class _Refused(Exception):
    """Rows in error: the unit of work rolls back and the outcome carries the errors."""


def _already(key: str) -> ConflictError:
    if key.startswith("file:"):
        return ConflictError(
            "file", "This file was already imported for this period: nothing was written twice."
        )
    return ConflictError(
        None, "The register changed while you were saving: nothing was written. Please try again."
    )


def _check_rows(
    rows: list[SheetRow], ref: RegisterReference, period: Period, reporter: Reporter
) -> LineChecks:
    checks = LineChecks()
    for row in rows:
        entry, errors = parse_entry(
            row.values,
            ref,
            period=(period.start, period.end),
            employer_id=reporter.employer_id,
            row=row.number,
        )
        for error in errors.errors:
            checks.errors.extend(issues_from(row.number, error))
        if entry is not None:
            checks.warnings += [warning_issue(row.number, w) for w in entry.warnings]
            checks.entries.append(entry)
    return checks


def _new_report(
    session: Session,
    principal: Actor,
    reporter: Reporter,
    period: Period,
    key: str | None,
    *,
    filename: str = "",
) -> NewJobReport:
    report = NewJobReport(
        source=reporter.source,
        commune_code=reporter.commune_code,
        employer_id=reporter.employer_id,
        period_start=period.start,
        period_end=period.end,
        filename=filename,
        dedupe_key=key,
        submitted_by_id=principal.user_id,
    )
    session.add(report)
    session.flush()
    return report


def _form_report(
    session: Session, principal: Actor, reporter: Reporter, period: Period
) -> NewJobReport:
    """The report that lines entered on the form for this period go into (one per reporter
    and period; made by the first line)."""
    key = f"form:{reporter.key}:{period.code}"
    found = session.exec(select(NewJobReport).where(col(NewJobReport.dedupe_key) == key)).first()
    return found or _new_report(session, principal, reporter, period, key)


def add_line(
    session: Session, *, principal: Actor, values: dict[str, str], on_behalf_of: str | None
) -> NewJobLine:
    """One person line from the form, into the reporter's form report of the period that
    holds its start date. Every error is raised at once; nothing is written then."""
    ref = load_register_reference(session)
    reporter = reporter_of(principal, _check_commune(ref, on_behalf_of))
    frequency, first_month = schedule_of(session, reporter.source)
    today = clock_today()
    earliest = date(today.year - 1, 1, 1)  # last year's report may still be completed
    entry, errors = parse_entry(
        values, ref, period=(earliest, today), employer_id=reporter.employer_id
    )
    errors.raise_if_any()
    assert entry is not None
    checks = LineChecks(entries=[entry])
    try:
        with unit_of_work(session):
            cross_check(session, reporter.source, checks)
            if checks.errors:
                raise ValidationErrors(
                    [InvalidError(e.column or None, e.msgid, **e.params) for e in checks.errors]
                )
            period = period_containing(entry.job.start_date, frequency, first_month)
            report = _form_report(session, principal, reporter, period)
            write_lines(session, report, checks.entries)
            report.person_lines += 1
            line = session.exec(
                select(NewJobLine).where(
                    col(NewJobLine.report_id) == report.id,
                    col(NewJobLine.person_id) == entry.person_id,
                    col(NewJobLine.start_date) == entry.job.start_date,
                    col(NewJobLine.channel) == entry.job.channel,
                )
            ).one()
            _audit(session, principal, "add_line", report, person_id=entry.person_id, lines=1)
            enqueue_refreshes(session, {entry.job.start_date.year})
    except IntegrityError as error:
        raise _already("form") from error
    return line


def _audit(
    session: Session,
    principal: Actor,
    action: str,
    report: NewJobReport,
    person_id: int | None = None,
    **details: object,
) -> None:
    if principal.api_token_id is not None:
        details["api_token_id"] = principal.api_token_id
    audit.record(
        session,
        user_id=principal.user_id,
        action=action,
        entity="new_job_report",
        entity_id=report.id,
        person_id=person_id,
        source=report.source,
        period=f"{report.period_start.isoformat()}..{report.period_end.isoformat()}",
        **details,
    )


def add_aggregate(
    session: Session, *, principal: Actor, values: dict[str, str], on_behalf_of: str | None
) -> NewJobAggregate:
    """A count without names for one month, channel and commune, into the reporter's form
    report of that month."""
    ref = load_register_reference(session)
    reporter = reporter_of(principal, _check_commune(ref, on_behalf_of))
    if reporter.source == ReportSource.EMPLOYER:
        raise InvalidError(None, "Employers report their hires by name (Decree 145/2020).")
    checked = check_aggregate(values, ref, reporter, clock_today())
    month = month_period(checked.month.year, checked.month.month)
    try:
        with unit_of_work(session):
            report = _form_report(session, principal, reporter, month)
            aggregate = NewJobAggregate(
                report_id=report.id or 0,
                commune_code=checked.commune_code,
                channel=checked.channel,
                month=checked.month,
                people=checked.people,
                note=checked.note,
            )
            session.add(aggregate)
            report.aggregate_people += checked.people
            session.flush()
            _audit(session, principal, "add_aggregate", report, people=checked.people)
            enqueue_refreshes(session, {checked.month.year})
    except IntegrityError as error:
        raise _already("form") from error
    return aggregate


def report_nothing(
    session: Session, *, principal: Actor, period: str | None, on_behalf_of: str | None
) -> NewJobReport:
    """Say that a period had no new jobs to report: the period then counts as reported."""
    ref = load_register_reference(session)
    reporter = reporter_of(principal, _check_commune(ref, on_behalf_of))
    chosen = parse_period(period, *schedule_of(session, reporter.source))
    if chosen.start > clock_today():
        raise InvalidError("period", "This period has not started yet.")
    key = f"form:{reporter.key}:{chosen.code}"
    try:
        with unit_of_work(session):
            report = _form_report(session, principal, reporter, chosen)
            _audit(session, principal, "report_nothing", report)
    except IntegrityError as error:
        raise _already(key) from error
    return report


def own_report(session: Session, principal: Actor, report_id: int) -> NewJobReport:
    report = session.get(NewJobReport, report_id)
    if report is None or not can_see(principal, report):
        raise NotFoundError(None, NO_SUCH_REPORT)
    return report


def withdraw_report(session: Session, *, principal: Actor, report_id: int) -> NewJobReport:
    """Take a report's lines and aggregates out of the register and the figures (a mistaken
    file can then be corrected and imported again). The report stays, marked withdrawn."""
    with unit_of_work(session):
        report = own_report(session, principal, report_id)
        if report.withdrawn_at is not None:
            return report
        lines = session.exec(select(NewJobLine).where(col(NewJobLine.report_id) == report.id)).all()
        years = drop_lines(session, lines)
        for aggregate in session.exec(
            select(NewJobAggregate).where(col(NewJobAggregate.report_id) == report.id)
        ).all():
            years.add(aggregate.month.year)
            session.delete(aggregate)
        report.withdrawn_at = utcnow()
        report.withdrawn_by_id = principal.user_id
        report.dedupe_key = None  # the same file may be imported again once corrected
        _audit(session, principal, "withdraw", report, lines=len(lines))
        enqueue_refreshes(session, years or {report.period_start.year})
    return report
