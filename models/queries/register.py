"""Reads of the new-jobs register: the reports a user may see, one report's person lines with
the other records of the same people that year (the link between sources), and its aggregate
lines. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from models.tables import (
    AdminUnit,
    Employer,
    EmploymentSpell,
    NewJobAggregate,
    NewJobLine,
    NewJobReport,
)

REPORTS_SHOWN = 200


@dataclass(frozen=True)
class ReportScope:
    """The reports a user may see: all of them (officials), or one reporter's."""

    source: str | None = None
    commune_code: str | None = None
    employer_id: int | None = None


@dataclass(frozen=True)
class ReportRow:
    id: int
    source: str
    commune_name: str | None
    employer_name: str | None
    period_start: date
    period_end: date
    filename: str
    person_lines: int
    aggregate_people: int
    submitted_at: datetime
    withdrawn_at: datetime | None


def _scoped(query: Any, scope: ReportScope) -> Any:
    if scope.source is None:
        return query
    query = query.where(col(NewJobReport.source) == scope.source)
    if scope.commune_code is not None:
        query = query.where(col(NewJobReport.commune_code) == scope.commune_code)
    if scope.employer_id is not None:
        query = query.where(col(NewJobReport.employer_id) == scope.employer_id)
    return query


def reports(session: Session, scope: ReportScope, *, year: int | None = None) -> list[ReportRow]:
    """The newest reports first (at most REPORTS_SHOWN)."""
    query = (
        select(NewJobReport, AdminUnit.name, Employer.name)
        .outerjoin(
            AdminUnit,
            (col(AdminUnit.code) == col(NewJobReport.commune_code))
            & (col(AdminUnit.level) != "district")
            & col(AdminUnit.valid_to).is_(None),
        )
        .outerjoin(Employer, col(Employer.id) == col(NewJobReport.employer_id))
    )
    query = _scoped(query, scope)
    if year is not None:
        query = query.where(func.extract("year", col(NewJobReport.period_end)) == year)
    query = query.order_by(col(NewJobReport.submitted_at).desc(), col(NewJobReport.id).desc())
    rows = session.exec(query.limit(REPORTS_SHOWN)).all()
    return [
        ReportRow(
            id=report.id or 0,
            source=report.source,
            commune_name=commune,
            employer_name=employer,
            period_start=report.period_start,
            period_end=report.period_end,
            filename=report.filename,
            person_lines=report.person_lines,
            aggregate_people=report.aggregate_people,
            submitted_at=report.submitted_at,
            withdrawn_at=report.withdrawn_at,
        )
        for report, commune, employer in rows
    ]


@dataclass(frozen=True)
class LinkedRecord:
    """Another record of the same person's new jobs that year: another source's line, or a
    hire on the platform."""

    source: str
    channel: str
    start_date: date
    counted: bool = False  # the one the KPI counts the person by


@dataclass
class LineRow:
    id: int
    person_id: int
    full_name: str
    job_title: str
    employer_name: str
    self_employed: bool
    channel: str
    start_date: date
    location_kind: str
    country_code: str | None
    row_number: int | None
    linked: list[LinkedRecord] = field(default_factory=list)


REPORT_LINES_PER_PAGE = 200


def report_line_count(session: Session, report_id: int) -> int:
    query = select(func.count()).select_from(NewJobLine)
    return session.exec(query.where(col(NewJobLine.report_id) == report_id)).one()


def report_lines(
    session: Session, report_id: int, *, page: int = 1, per_page: int = REPORT_LINES_PER_PAGE
) -> list[LineRow]:
    """One page of a report's lines in the order of its file, with each person's other new-job
    records of the year. Only the columns shown are read (a line's whole row carries sealed
    personal data), and a page at a time: an employer's file can name thousands of people."""
    rows = session.execute(
        sa_select(
            col(NewJobLine.id),
            col(NewJobLine.person_id),
            col(NewJobLine.full_name),
            col(NewJobLine.job_title),
            col(NewJobLine.employer_name),
            col(NewJobLine.self_employed),
            col(NewJobLine.channel),
            col(NewJobLine.start_date),
            col(EmploymentSpell.location_kind),
            col(EmploymentSpell.country_code),
            col(NewJobLine.row_number),
            col(NewJobLine.employment_spell_id),
        )
        .outerjoin(EmploymentSpell, col(EmploymentSpell.id) == col(NewJobLine.employment_spell_id))
        .where(col(NewJobLine.report_id) == report_id)
        .order_by(col(NewJobLine.row_number), col(NewJobLine.id))
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    lines = [
        LineRow(
            id=row[0] or 0,
            person_id=row[1],
            full_name=row[2],
            job_title=row[3],
            employer_name=row[4],
            self_employed=row[5],
            channel=row[6],
            start_date=row[7],
            location_kind=row[8] or "",
            country_code=row[9],
            row_number=row[10],
        )
        for row in rows
    ]
    _link(session, lines, report_id)
    return lines


def _link(session: Session, lines: list[LineRow], report_id: int) -> None:
    """Fill each line's other new-job records of the same person in the same year (not the
    ones this report made)."""
    years = {line.start_date.year for line in lines}
    people = sorted({line.person_id for line in lines})
    if not people:
        return
    own = select(col(NewJobLine.employment_spell_id)).where(
        col(NewJobLine.report_id) == report_id,
        col(NewJobLine.employment_spell_id).is_not(None),
    )
    found: dict[tuple[int, int], list[tuple[date, int, str, str]]] = defaultdict(list)
    spells = session.execute(
        sa_select(
            col(EmploymentSpell.person_id),
            col(EmploymentSpell.start_date),
            col(EmploymentSpell.id),
            col(EmploymentSpell.source),
            col(EmploymentSpell.channel),
        ).where(
            col(EmploymentSpell.person_id).in_(people),
            col(EmploymentSpell.start_date).between(
                date(min(years), 1, 1), date(max(years), 12, 31)
            ),
            col(EmploymentSpell.id).not_in(own),
        )
    ).all()
    for person_id, start_date, spell_id, source, channel in spells:
        found[(person_id, start_date.year)].append((start_date, spell_id or 0, source, channel))
    for line in lines:
        spells_of = sorted(found.get((line.person_id, line.start_date.year), []))
        line.linked = [
            LinkedRecord(source, channel, start) for start, _, source, channel in spells_of
        ]


@dataclass(frozen=True)
class AggregateRow:
    id: int
    month: date
    channel: str
    commune_name: str | None
    people: int
    note: str


def report_aggregates(session: Session, report_id: int) -> list[AggregateRow]:
    rows = session.exec(
        select(NewJobAggregate, AdminUnit.name)
        .outerjoin(
            AdminUnit,
            (col(AdminUnit.code) == col(NewJobAggregate.commune_code))
            & (col(AdminUnit.level) != "district")
            & col(AdminUnit.valid_to).is_(None),
        )
        .where(col(NewJobAggregate.report_id) == report_id)
        .order_by(col(NewJobAggregate.month), col(NewJobAggregate.id))
    ).all()
    return [AggregateRow(a.id or 0, a.month, a.channel, name, a.people, a.note) for a, name in rows]
