"""The new-jobs register: reports of new jobs from communes, the Employment Service Centre,
employers and officials, their person lines and aggregate lines, and when each source must
report.

A person line is linked to one person (matched by the keyed hash of the citizen ID) and
becomes one employment spell, so the K2 arithmetic counts each person once a year by channel
priority, whoever reported them and whether or not they were also hired on the platform. An
aggregate line is a count without names; see docs/kpi.md for how it is kept from being
counted twice beside person lines.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class NewJobReport(SQLModel, table=True):
    """One submission to the register: who reported (a commune, the centre, an employer, an
    official) for which period, by form or by file. Withdrawing it takes its lines out of
    the figures; the report stays, with who withdrew it and when."""

    __tablename__ = "new_job_report"
    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        Index("ix_new_job_report_reporter", "source", "commune_code", "employer_id"),
        Index("ix_new_job_report_period", "period_start", "period_end"),
        # One file once per reporter and period: a second upload of it is refused.
        UniqueConstraint("dedupe_key", name="uq_new_job_report_dedupe_key"),
        Index("ix_new_job_report_updated_at_id", "updated_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=20)  # ReportSource
    commune_code: str | None = Field(default=None, max_length=5)  # a commune's report
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    period_start: date
    period_end: date
    filename: str = Field(default="", max_length=120)  # "" for a form entry
    dedupe_key: str | None = Field(default=None, max_length=120)
    person_lines: int = 0
    aggregate_people: int = 0
    # None when a machine's API token sent it (its audit entry names the token).
    submitted_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    submitted_at: datetime = Field(default_factory=utcnow)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    withdrawn_at: datetime | None = None
    # Moved by every write of the row: the API's partners sync what changed by it.
    updated_at: datetime = Field(default_factory=utcnow, sa_column_kwargs={"onupdate": utcnow})


class NewJobLine(SQLModel, table=True):
    """A named person's new job as a report gave it. The job itself (channel, place, start,
    sector, occupation, employer, wage) is the linked employment spell; the line keeps who
    reported it and what they wrote about the person and the job."""

    __tablename__ = "new_job_line"
    __table_args__ = (
        # The same source reporting the same person's same job twice is one line.
        UniqueConstraint(
            "person_id", "start_date", "channel", "source", name="uq_new_job_line_once"
        ),
        # The departures abroad, latest first, a page at a time (migration 0025).
        Index("ix_new_job_line_channel_start_date_id", "channel", "start_date", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="new_job_report.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    employment_spell_id: int | None = Field(
        default=None, foreign_key="employment_spell.id", index=True
    )
    source: str = Field(max_length=20)
    channel: str = Field(max_length=30)
    start_date: date
    row_number: int | None = None  # the row of the file it came from
    full_name: str = Field(max_length=140)  # as reported
    job_title: str = Field(default="", max_length=200)
    employer_name: str = Field(default="", max_length=200)  # as reported; "" if self-employed
    self_employed: bool = False
    sending_company: str = Field(default="", max_length=200)  # work abroad
    contract_type: str | None = Field(default=None, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class NewJobAggregate(SQLModel, table=True):
    """A count without names ("March: 35 people self-employed after employment-fund loans,
    Xã Mường Ảng"): counted in the totals, shown as an aggregate."""

    __tablename__ = "new_job_aggregate"
    __table_args__ = (CheckConstraint("people > 0", name="people_positive"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="new_job_report.id", index=True)
    commune_code: str | None = Field(default=None, max_length=5)
    channel: str = Field(max_length=30)
    month: date = Field(index=True)  # the first day of the month the jobs started in
    people: int
    note: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)


class ReportingSchedule(SQLModel, table=True):
    """When a source must report: monthly or half-yearly periods (half-years start in
    ``first_month``), due on ``due_day`` of the month after a period ends, late after
    ``grace_days`` more. Data an administrator edits, not constants."""

    __tablename__ = "reporting_schedule"
    source: str = Field(max_length=20, primary_key=True)
    frequency: str = Field(max_length=12)  # ReportFrequency
    first_month: int = 1
    due_day: int = 5
    grace_days: int = 0
    basis: str = Field(default="", max_length=300)  # the rule it follows
    # Periods that ended before this day are not asked for (the register's start).
    reporting_from: date | None = None
    updated_at: datetime = Field(default_factory=utcnow)
