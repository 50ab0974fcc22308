"""What the register's pages show: the user's reports with the forms to add to them, and one
report with its lines, each line linked to the same person's other new-job records that year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models.clock import today as clock_today
from models.enums import ReportSource, Role
from models.queries import register as queries
from models.queries.labels import CHANNEL_LABELS
from models.queries.reference import Option, commune_options
from models.register_periods import Period, recent_periods
from models.tables import NewJobReport
from web.auth import Actor, Principal
from web.services.register import own_report, reporter_of, schedule_of

PERIODS_OFFERED = 14
# Message ids of the form's choices (the sheet's words are models/excel/new_jobs.py).
PLACE_LABELS = {
    "commune": "In the province",
    "other_province": "In another province",
    "abroad": "Abroad",
}
CONTRACT_LABELS = {
    "indefinite": "Indefinite term",
    "fixed_term": "Fixed term",
    "short": "Under one month or seasonal",
    "none": "No contract",
}


@dataclass(frozen=True)
class RegisterPage:
    reports: list[queries.ReportRow]
    periods: list[Period]
    communes: list[Option]  # for officials entering a commune's report; else empty
    channels: list[tuple[str, str]]
    places: list[tuple[str, str]]
    contracts: list[tuple[str, str]]
    source: str
    takes_aggregates: bool


def scope_of(principal: Actor) -> queries.ReportScope:
    if principal.role in (Role.OFFICIAL, Role.ADMIN):
        return queries.ReportScope()
    own = reporter_of(principal)
    return queries.ReportScope(own.source, own.commune_code, own.employer_id)


def register_page(session: Session, *, principal: Principal) -> RegisterPage:
    today = clock_today()
    own = reporter_of(principal)
    frequency, first_month = schedule_of(session, own.source)
    officials = principal.role in (Role.OFFICIAL, Role.ADMIN)
    return RegisterPage(
        reports=queries.reports(session, scope_of(principal)),
        periods=recent_periods(today, frequency, first_month, PERIODS_OFFERED),
        communes=commune_options(session, on=today) if officials else [],
        channels=list(CHANNEL_LABELS.items()),
        places=list(PLACE_LABELS.items()),
        contracts=list(CONTRACT_LABELS.items()),
        source=own.source,
        takes_aggregates=own.source != ReportSource.EMPLOYER,
    )


@dataclass(frozen=True)
class ReportPage:
    report: NewJobReport
    lines: list[queries.LineRow]
    aggregates: list[queries.AggregateRow]
    page: int = 1  # of the lines, REPORT_LINES_PER_PAGE each
    pages: int = 1
    line_count: int = 0


def report_page(
    session: Session, *, principal: Principal, report_id: int, page: int | None = None
) -> ReportPage:
    """A report and one page of its lines (a page past the last shows the last)."""
    report = own_report(session, principal, report_id)
    count = queries.report_line_count(session, report.id or 0)
    pages = max(1, -(-count // queries.REPORT_LINES_PER_PAGE))
    shown = min(max(page or 1, 1), pages)
    return ReportPage(
        report,
        queries.report_lines(session, report.id or 0, page=shown),
        queries.report_aggregates(session, report.id or 0),
        shown,
        pages,
        count,
    )
