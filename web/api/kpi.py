"""KPI figures for officials' machines: `GET /api/v1/kpi?year=2026&cut=commune`, the stored
figures the dashboard shows (web/services/kpi_figures.py), each with how many records are
behind it, and `GET /api/v1/kpi/figures/{id}/records`, the ids of those records a page at a
time. A commune's or the Employment Service Centre's token with `kpi:read`; the ids of
people's records only with `personal-data:read` too (audited)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from matching.kpi import Dimension
from models.enums import ApiScope
from models.ids import MAX_ID
from models.years import PICKER_FIRST_YEAR, YEAR_MAX
from web.api.auth import ApiCaller, require_scope
from web.api.problems import api_language, problem_responses
from web.deps import EngineDep, RecordId, SessionDep
from web.services.kpi_figures import FigureShown, figure_records, kpi_figures

router = APIRouter(tags=["kpi"])
Reader = Annotated[ApiCaller, Depends(require_scope(ApiScope.KPI_READ))]
RECORDS_PAGE_MAX = 1000


class KpiCut(StrEnum):
    """The cuts of the figures a client may ask for."""

    COMMUNE = "commune"
    OCCUPATION = "occupation"
    INSTITUTION = "institution"
    SEX = "sex"
    ETHNIC_GROUP = "ethnic_group"
    PRIORITY_GROUP = "priority_group"


CUT_DIMENSIONS = {
    KpiCut.COMMUNE: Dimension.COMMUNE,
    KpiCut.OCCUPATION: Dimension.OCCUPATION,
    KpiCut.INSTITUTION: Dimension.INSTITUTION,
    KpiCut.SEX: Dimension.SEX,
    KpiCut.ETHNIC_GROUP: Dimension.ETHNICITY,
    KpiCut.PRIORITY_GROUP: Dimension.PRIORITY_GROUP,
}


class KpiFigureOut(BaseModel):
    """One stored figure. `group` is null for a total. `record_count`: how many
    `record_kind` records are behind it (the dashboard's drill-down; null when the figure
    has none stored); their ids are read a page at a time from
    `/kpi/figures/{id}/records`, unless they are records of people the token may not read
    (`ids_withheld`)."""

    id: int
    kpi: str
    measure: str
    cut: str | None
    group: str | None
    group_label: str | None
    value: float | None
    numerator: int | None
    denominator: int | None
    record_kind: str | None
    record_count: int | None
    ids_withheld: bool


class KpiFigureRecordsOut(BaseModel):
    """A page of the ids of the records behind a figure, in id order. `next_after`: pass it
    as `after` for the next page; null on the last page."""

    figure_id: int
    year: int
    record_kind: str | None
    record_count: int
    record_ids: list[int]
    next_after: int | None


class KpiFiguresOut(BaseModel):
    """A year's figures: totals first, then the groups of the cut asked for. `updating`:
    the figures are being computed again (they are shown as last stored)."""

    year: int
    cut: str | None
    as_of: date | None
    computed_at: datetime | None
    updating: bool
    figures: list[KpiFigureOut]


def _figure_out(shown: FigureShown, cut: KpiCut | None) -> KpiFigureOut:
    figure = shown.figure
    grouped = bool(figure.dimension)
    return KpiFigureOut(
        id=figure.id,
        kpi=figure.kpi.value,
        measure=figure.measure.value,
        cut=cut.value if grouped and cut is not None else None,
        group=figure.group_key if grouped else None,
        group_label=shown.group_label if grouped else None,
        value=figure.value,
        numerator=figure.numerator,
        denominator=figure.denominator,
        record_kind=figure.record_kind or None,
        record_count=shown.record_count,
        ids_withheld=shown.withheld,
    )


@router.get(
    "/kpi",
    response_model=KpiFiguresOut,
    name="api_kpi",
    responses=problem_responses(401, 403, 422, 429),
)
def read_kpi(
    request: Request,
    session: SessionDep,
    engine: EngineDep,
    caller: Reader,
    year: Annotated[int | None, Query(ge=PICKER_FIRST_YEAR, le=YEAR_MAX)] = None,
    cut: KpiCut | None = None,
) -> KpiFiguresOut:
    """The year's KPI figures (this year when not given, up to this year), their totals and,
    with `cut`, one figure per group. Officials' tokens only (a commune or the Employment
    Service Centre)."""
    found = kpi_figures(
        session,
        engine,
        caller=caller,
        scopes=caller.scopes,
        year=year,
        dimension=CUT_DIMENSIONS[cut] if cut is not None else Dimension.TOTAL,
        lang=api_language(request),
    )
    return KpiFiguresOut(
        year=found.year,
        cut=cut.value if cut is not None else None,
        as_of=found.as_of,
        computed_at=found.computed_at,
        updating=found.updating,
        figures=[_figure_out(each, cut) for each in found.figures],
    )


@router.get(
    "/kpi/figures/{figure_id}/records",
    response_model=KpiFigureRecordsOut,
    name="api_kpi_figure_records",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def read_kpi_figure_records(
    session: SessionDep,
    caller: Reader,
    figure_id: RecordId,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=RECORDS_PAGE_MAX)] = RECORDS_PAGE_MAX,
) -> KpiFigureRecordsOut:
    """The ids of the records behind a figure of `/kpi`, in id order, `limit` at a time
    after the id `after`; follow `next_after` until it is null. Ids of people's records
    (`enrolment`, `spell`) need `personal-data:read` too, and each page of them is audited;
    a commune's token reads those of its own commune's figures only (others: 404)."""
    found = figure_records(
        session,
        caller=caller,
        scopes=caller.scopes,
        figure_id=figure_id,
        after=after,
        limit=limit,
    )
    return KpiFigureRecordsOut(
        figure_id=found.figure.id,
        year=found.year,
        record_kind=found.figure.record_kind or None,
        record_count=found.record_count,
        record_ids=found.record_ids,
        next_after=found.next_after,
    )
