"""A year's KPI figures for officials' machines (`GET /api/v1/kpi`): the stored figures the
dashboard shows, the totals and one cut of them, each with how many records are behind it;
and the ids of those records (its drill-down's), a page at a time
(`GET /api/v1/kpi/figures/{id}/records`). Ids of records about people (enrolments, jobs) go
out only under `personal-data:read`, and every such page is audited; a commune's token gets
them only for its own commune's figures (another figure about people is not found)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import Dimension
from models.clock import today
from models.db import end_read
from models.enums import ApiScope, Role
from models.errors import ForbiddenError, NotFoundError
from models.monitoring.read import (
    StoredFigure,
    figure_by_id,
    figure_id_page,
    figure_table,
    kept_id_counts,
)
from models.years import PICKER_FIRST_YEAR, parse_year
from web.auth import Actor
from web.services.dashboard.groups import ordered_keys
from web.services.kpi_labels import Labeller
from web.services.monitoring import fresh_year, needs_refresh
from web.services.personal_data import audit_view

# The drill-down's records that are people (an enrolment, a job); the others are training
# orders, vacancies and counts reported without names.
PERSON_RECORDS = frozenset({"enrolment", "spell"})
OFFICIAL_TOKENS = frozenset({Role.COMMUNE.value, Role.JOB_CENTRE.value})


NO_FIGURE = "This number is not a known KPI figure."


@dataclass(frozen=True)
class FigureShown:
    """One stored figure as the API gives it: how many records are behind it (None when it
    has none stored) and whether their ids are withheld from this token."""

    figure: StoredFigure
    group_label: str
    record_count: int | None
    withheld: bool


@dataclass(frozen=True)
class FigureRecords:
    """A page of the ids behind a figure, in id order; `next_after` is the last id given
    when more follow (the next page's `after`), None on the last page."""

    figure: StoredFigure
    year: int
    record_count: int
    record_ids: list[int]
    next_after: int | None


@dataclass(frozen=True)
class KpiFigures:
    year: int
    dimension: Dimension
    as_of: date | None
    computed_at: datetime | None
    updating: bool
    figures: list[FigureShown]


def require_official(caller: Actor) -> None:
    """Officials' organisations only: a commune or the Employment Service Centre (their
    tokens are issued by an administrator)."""
    if caller.role not in OFFICIAL_TOKENS:
        raise ForbiddenError(
            None,
            "Only a token of a commune or of the Employment Service Centre can read the "
            "KPI figures.",
        )


def _may_see_people(caller: Actor, scopes: frozenset[ApiScope], figure: StoredFigure) -> bool:
    if ApiScope.PERSONAL_DATA_READ not in scopes:
        return False
    return caller.role != Role.COMMUNE or _own_commune(caller, figure)


def _own_commune(caller: Actor, figure: StoredFigure) -> bool:
    return figure.dimension == Dimension.COMMUNE and figure.group_key == caller.commune_code


def kpi_figures(
    session: Session,
    engine: Engine,
    *,
    caller: Actor,
    scopes: frozenset[ApiScope],
    year: int | None,
    dimension: Dimension,
    lang: str,
) -> KpiFigures:
    """The year's stored figures, totals and the groups of `dimension` (TOTAL: totals only),
    computed now for a year never computed (a stale one is refreshed by a queued job, as on
    the dashboard). Counts only: no id goes out here, so nothing is audited."""
    require_official(caller)
    first, last = PICKER_FIRST_YEAR, today().year
    chosen = parse_year(str(year), first=first, last=last) if year is not None else last
    info = fresh_year(engine, session, chosen, in_background=True)
    dimensions = [Dimension.TOTAL] + ([dimension] if dimension != Dimension.TOTAL else [])
    table = figure_table(session, chosen, dimensions=dimensions)
    labeller = Labeller(session, lang)
    figures = _ordered(list(table), dimension, labeller)
    computed_at = info.computed_at if info else None
    counts = kept_id_counts(session, chosen, computed_at, [f.id for f in figures if f.record_kind])
    shown = []
    for figure in figures:
        label = labeller.group(figure.dimension, figure.group_key) if figure.dimension else ""
        count = counts.get(figure.id)
        withheld = figure.record_kind in PERSON_RECORDS and not _may_see_people(
            caller, scopes, figure
        )
        shown.append(FigureShown(figure, label, count, withheld and count is not None))
    end_read(session)
    return KpiFigures(
        year=chosen,
        dimension=dimension,
        as_of=info.as_of if info else None,
        computed_at=info.computed_at if info else None,
        updating=needs_refresh(info),
        figures=shown,
    )


def figure_records(
    session: Session,
    *,
    caller: Actor,
    scopes: frozenset[ApiScope],
    figure_id: int,
    after: int,
    limit: int,
) -> FigureRecords:
    """Up to `limit` ids behind a figure greater than `after`. A figure of a year not offered
    (or no longer stored) is not found, and so is one about people a commune's token may not
    see (another commune's, or the province's); ids of people need personal-data:read, and
    every page of them is audited as the figures' ids always were."""
    require_official(caller)
    found = figure_by_id(session, figure_id)
    if found is None or not PICKER_FIRST_YEAR <= found[1] <= today().year:
        raise NotFoundError(None, NO_FIGURE)
    figure, year = found
    people = figure.record_kind in PERSON_RECORDS
    if people and caller.role == Role.COMMUNE and not _own_commune(caller, figure):
        raise NotFoundError(None, NO_FIGURE)
    if people and ApiScope.PERSONAL_DATA_READ not in scopes:
        raise ForbiddenError(
            None, "This API token lacks the scope {scope}.", scope=ApiScope.PERSONAL_DATA_READ.value
        )
    ids, count = figure_id_page(session, figure.id, after=after, limit=limit)
    page = ids[:limit]
    if people and page:
        audit_view(
            session,
            caller,
            "kpi_figures",
            entity_id=year,
            cut=figure.dimension.value,
            records=len(page),
            figure_id=figure.id,
        )
    end_read(session)
    following = page[-1] if len(ids) > limit else None
    return FigureRecords(figure, year, count, page, following)


def _ordered(
    figures: list[StoredFigure], dimension: Dimension, labeller: Labeller
) -> list[StoredFigure]:
    """Totals first (in stored order), then the groups in the dashboard's reading order."""
    totals = [f for f in figures if not f.dimension]
    grouped = [f for f in figures if f.dimension]
    keys = list(dict.fromkeys(f.group_key for f in grouped))
    rank = {key: index for index, (key, _) in enumerate(ordered_keys(dimension, keys, labeller))}
    grouped.sort(key=lambda f: (rank.get(f.group_key, len(rank)), f.id))
    return totals + grouped
