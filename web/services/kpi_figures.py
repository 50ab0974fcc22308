"""A year's KPI figures for officials' machines (`GET /api/v1/kpi`): the stored figures the
dashboard shows, the totals and one cut of them, each with the ids of the records behind it
(its drill-down's). Ids of records about people (enrolments, jobs) go out only under
`personal-data:read`, and every such read is audited; a commune's token gets them only for
its own commune's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import Dimension
from models.clock import today
from models.db import end_read
from models.enums import ApiScope, Role
from models.errors import ForbiddenError
from models.monitoring.read import StoredFigure, figure_table, ids_of_figures
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


@dataclass(frozen=True)
class FigureShown:
    """One stored figure as the API gives it. `record_ids` is None when withheld."""

    figure: StoredFigure
    group_label: str
    record_ids: list[int] | None
    withheld: bool


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
    if caller.role == Role.COMMUNE:
        return figure.dimension == Dimension.COMMUNE and figure.group_key == caller.commune_code
    return True


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
    the dashboard). Person-record ids are given only under personal-data:read, audited."""
    require_official(caller)
    first, last = PICKER_FIRST_YEAR, today().year
    chosen = parse_year(str(year), first=first, last=last) if year is not None else last
    info = fresh_year(engine, session, chosen, in_background=True)
    dimensions = [Dimension.TOTAL] + ([dimension] if dimension != Dimension.TOTAL else [])
    table = figure_table(session, chosen, dimensions=dimensions)
    labeller = Labeller(session, lang)
    figures = _ordered(list(table), dimension, labeller)
    ids = ids_of_figures(session, [f.id for f in figures if f.record_kind])
    shown, people = [], 0
    for figure in figures:
        label = labeller.group(figure.dimension, figure.group_key) if figure.dimension else ""
        behind = ids.get(figure.id)
        withheld = figure.record_kind in PERSON_RECORDS and not _may_see_people(
            caller, scopes, figure
        )
        if behind is None or withheld:
            shown.append(FigureShown(figure, label, None, withheld and behind is not None))
            continue
        people += len(behind) if figure.record_kind in PERSON_RECORDS else 0
        shown.append(FigureShown(figure, label, [int(each) for each in behind], False))
    if people:
        audit_view(
            session, caller, "kpi_figures", entity_id=chosen, cut=dimension.value, records=people
        )
    end_read(session)
    return KpiFigures(
        year=chosen,
        dimension=dimension,
        as_of=info.as_of if info else None,
        computed_at=info.computed_at if info else None,
        updating=needs_refresh(info),
        figures=shown,
    )


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
