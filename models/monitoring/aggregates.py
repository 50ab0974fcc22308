"""The register's aggregate lines of a year as KPI records, each with the number of people the
same reporter named for the same month, channel and commune (``AggregateRecord.named``), so
that the KPI adds only the people above them."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from matching.kpi import AggregateRecord
from models.tables import NewJobAggregate, NewJobLine, NewJobReport, Person

Scope = tuple[str, str | None, str, date, str | None]  # source, reporter's commune, channel…


def aggregates_of(session: Session, first: date, last: date) -> list[AggregateRecord]:
    """Aggregate lines of reports not withdrawn, for months between ``first`` and ``last``."""
    rows = session.exec(
        select(NewJobAggregate, NewJobReport.source, NewJobReport.commune_code)
        .join(NewJobReport, col(NewJobReport.id) == col(NewJobAggregate.report_id))
        .where(
            col(NewJobAggregate.month).between(first, last),
            col(NewJobReport.withdrawn_at).is_(None),
        )
        .order_by(col(NewJobAggregate.id))
    ).all()
    if not rows:
        return []
    named = _named_lines(session, first, last)
    return [
        AggregateRecord(
            id=aggregate.id or 0,
            source=source,
            commune_code=aggregate.commune_code,
            channel=aggregate.channel,
            month=aggregate.month,
            people=aggregate.people,
            named=named[
                (source, reporter, aggregate.channel, aggregate.month, aggregate.commune_code)
            ],
        )
        for aggregate, source, reporter in rows
    ]


def _named_lines(session: Session, first: date, last: date) -> Counter[Scope]:
    """Person lines by reporter, channel, month and the commune the person lives in; a count
    without a commune (the whole province) is compared with all of its reporter's lines."""
    rows = session.execute(
        sa_select(
            col(NewJobReport.source),
            col(NewJobReport.commune_code),
            col(NewJobLine.channel),
            col(NewJobLine.start_date),
            col(Person.commune_code),
        )
        .join(NewJobReport, col(NewJobReport.id) == col(NewJobLine.report_id))
        .join(Person, col(Person.id) == col(NewJobLine.person_id))
        .where(
            col(NewJobLine.start_date).between(first, date(last.year, 12, 31)),
            col(NewJobReport.withdrawn_at).is_(None),
        )
    ).all()
    counts: Counter[Scope] = Counter()
    for source, reporter, channel, started, lives_in in rows:
        month = started.replace(day=1)
        counts[(source, reporter, channel, month, lives_in)] += 1
        counts[(source, reporter, channel, month, None)] += 1
    return counts
