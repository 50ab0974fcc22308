"""The KPI snapshot: every figure of the officials' dashboard for one year, computed by the pure
functions of ``matching.kpi`` and stored so that pages read them in milliseconds. The ids behind
each figure are kept (compressed) so that every number opens its records.

A refresh writes a year's new figures as a new *generation* in small transactions, then makes
it the snapshot's current generation in one tiny transaction, then deletes the old one: readers
join on the current generation, so they see the old figures or the new ones, never a mix."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel

from models.clock import utcnow


class KpiSnapshot(SQLModel, table=True):
    """One year's figures as of a day. ``stale`` is set by any write to the rows the KPIs read;
    a refresh recomputes the year and clears it. ``generation`` is the generation of figure
    values readers see (0: none stored yet); ``last_generation`` the last one a refresh took."""

    __tablename__ = "kpi_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    as_of: date
    computed_at: datetime = Field(default_factory=utcnow)
    stale: bool = False
    seconds: float = 0.0  # how long the last computation took
    records: int = 0  # how many input records it read
    generation: int = 0
    last_generation: int = 0


class KpiFigure(SQLModel, table=True):
    """Which number: a KPI's measure for one group of one dimension ('' and '' for the total).
    The row and its id outlive refreshes, so a link to a figure's drill-down still opens after
    one; the number itself is in ``KpiFigureValue``, one row per generation."""

    __tablename__ = "kpi_figure"
    __table_args__ = (Index("ix_kpi_figure_lookup", "snapshot_id", "kpi", "dimension"),)
    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="kpi_snapshot.id")
    kpi: str = Field(max_length=30)
    measure: str = Field(max_length=30)
    dimension: str = Field(default="", max_length=30)
    group_key: str = Field(default="", max_length=60)


class KpiFigureValue(SQLModel, table=True):
    """A figure's number in one generation. ``ids`` are the records behind the number
    (``base_ids`` those behind a rate's denominator), sorted and compressed; ``record_kind``
    says which table they are ids of."""

    __tablename__ = "kpi_figure_value"
    figure_id: int = Field(foreign_key="kpi_figure.id", primary_key=True)
    generation: int = Field(primary_key=True)
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    record_kind: str = Field(default="", max_length=12)  # enrolment | spell | order | vacancy
    note: str = Field(default="", max_length=200)  # e.g. the source of imported figures
    ids: bytes | None = Field(default=None, sa_type=LargeBinary)
    base_ids: bytes | None = Field(default=None, sa_type=LargeBinary)
