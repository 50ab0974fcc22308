"""The records behind a dashboard number (drill-down), a page at a time or all of them as CSV,
so an official can check a figure before reporting it. Each view or download lists people, so
it writes an audit entry (no personal data in it or in the URL: only the figure's id)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import KpiId, Measure
from models import audit
from models.db import unit_of_work
from models.errors import NotFoundError
from models.formatting import format_date, format_number
from models.monitoring.drill import RecordPage, csv_lines, records_page
from models.monitoring.drill_rows import Column
from models.monitoring.read import StoredFigure, companion_figure, figure_by_id, figure_ids
from models.monitoring.store import reading_engine
from web.auth import Principal
from web.services.kpi_format import Shown, shown
from web.services.kpi_labels import DIMENSION_LABELS, KPI_LABELS, MEASURE_LABELS, Labeller


@dataclass(frozen=True)
class Drill:
    """A figure and what identifies it, in words."""

    figure: StoredFigure
    year: int
    kpi_label: str
    measure_label: str
    group_label: str  # "Commune: Xã Tuần Giáo", or empty for a total
    number: Shown
    base: bool  # the list is of the rate's denominator
    window: int | None


@dataclass(frozen=True)
class DrillPage:
    drill: Drill
    records: RecordPage
    cells: list[list[str]]  # the rows' values as shown, column by column
    # New jobs: the people of counts without names in the same figure (they have no rows).
    aggregated: StoredFigure | None = None


def drill_page(
    session: Session, *, principal: Principal, figure_id: int, base: bool, page: int, lang: str
) -> DrillPage:
    """One page of the records behind a figure (``base``: behind its denominator)."""
    drill = _drill(session, principal, figure_id, base, lang)
    ids = figure_ids(session, figure_id, base=drill.base)
    records = records_page(session, drill.figure.record_kind, ids, page, window=drill.window)
    labeller = Labeller(session, lang)
    cells = [
        [cell_text(column, row.get(column.name), labeller) for column in records.columns]
        for row in records.rows
    ]
    aggregated = _aggregated(session, drill)
    with unit_of_work(session):
        _audit(session, principal, figure_id, drill.base, "page", page=records.page)
    return DrillPage(drill, records, cells, aggregated)


def _aggregated(session: Session, drill: Drill) -> StoredFigure | None:
    figure = drill.figure
    if (figure.kpi, figure.measure) != (KpiId.NEW_JOBS, Measure.PEOPLE):
        return None
    found = companion_figure(
        session, drill.year, figure.kpi, Measure.AGGREGATED, figure.dimension, figure.group_key
    )
    return found if found is not None and found.value else None


def drill_csv(
    session: Session,
    engine: Engine,
    *,
    principal: Principal,
    figure_id: int,
    base: bool,
    lang: str,
) -> tuple[str, Iterator[bytes]]:
    """Every record behind a figure as CSV (a file name and its bytes, streamed in chunks
    of a thousand records read in a session of their own)."""
    drill = _drill(session, principal, figure_id, base, lang)
    ids = figure_ids(session, figure_id, base=drill.base)
    with unit_of_work(session):
        _audit(session, principal, figure_id, drill.base, "csv", records=len(ids))
    return _filename(drill), _stream(engine, drill, ids, lang)


def _stream(engine: Engine, drill: Drill, ids: np.ndarray[Any, Any], lang: str) -> Iterator[bytes]:
    yield "\ufeff".encode()  # Excel reads the file as UTF-8
    with Session(reading_engine(engine)) as reader:
        labeller = Labeller(reader, lang)
        for text in csv_lines(
            reader,
            drill.figure.record_kind,
            ids,
            header=lambda column: labeller.text(column.label),
            cell=lambda column, value: csv_value(column, value, labeller),
            window=drill.window,
        ):
            yield text.encode("utf-8")


def _drill(session: Session, principal: Principal, figure_id: int, base: bool, lang: str) -> Drill:
    try:
        found = figure_by_id(session, figure_id)
    except ValueError:  # a stored row whose KPI, measure or dimension is not in the vocabulary
        raise NotFoundError(None, "This number is not a known KPI figure.") from None
    if found is None or not found[0].record_kind:
        raise NotFoundError(None, "This number has no records behind it.")
    figure, year = found
    labeller = Labeller(session, lang)
    window = figure.kpi.window
    kpi_label = labeller.text(KPI_LABELS[figure.kpi.family])
    group = ""
    if figure.dimension:
        name = labeller.group(figure.dimension, figure.group_key)
        group = f"{labeller.text(DIMENSION_LABELS[figure.dimension])}: {name}"
    number = shown(
        figure,
        lang,
        kpi=figure.kpi,
        measure=figure.measure,
        dimension=figure.dimension,
        key=figure.group_key,
    )
    return Drill(
        figure=figure,
        year=year,
        kpi_label=kpi_label,
        measure_label=labeller.text(MEASURE_LABELS[figure.measure]),
        group_label=group,
        number=number,
        base=base and figure.denominator is not None,
        window=window,
    )


def _audit(
    session: Session, principal: Principal, figure_id: int, base: bool, view: str, **details: Any
) -> None:
    audit.record(
        session,
        user_id=principal.user.id,
        action="view_personal_data",
        entity="kpi_figure",
        entity_id=figure_id,
        base=base,
        view=view,
        **details,
    )


def cell_text(column: Column, value: Any, labeller: Labeller, *, raw: bool = False) -> str:
    """A value as the list shows it: labels for codes, dd/mm/yyyy for dates."""
    if value is None or value == "":
        return ""
    if column.kind.startswith("code:"):
        return labeller.code(column.kind.removeprefix("code:"), str(value))
    if column.kind.startswith("codes:"):
        vocabulary = column.kind.removeprefix("codes:")
        return "; ".join(labeller.code(vocabulary, str(each)) for each in value)
    if column.kind == "date" and isinstance(value, date):
        return format_date(value, labeller.lang)
    if column.kind == "int" and not raw:
        return format_number(int(value), labeller.lang)
    return str(value)


def csv_value(column: Column, value: Any, labeller: Labeller) -> str | int:
    """A value in the CSV file: a whole number as a number, anything else as the list
    shows it."""
    if column.kind == "int" and isinstance(value, int):
        return value
    return cell_text(column, value, labeller, raw=True)


def _filename(drill: Drill) -> str:
    figure = drill.figure
    parts = [str(drill.year), figure.kpi, figure.measure, figure.dimension, figure.group_key]
    parts += ["base"] if drill.base else []
    name = "-".join(part for part in parts if part)
    return f"kpi-{re.sub(r'[^A-Za-z0-9_-]+', '_', name)}.csv"
