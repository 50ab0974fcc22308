"""The public "which training leads to a job" page: reads the outcomes stored in the current
year's KPI snapshot (``models/monitoring/figures.py``, ``_outcomes``), hides small groups
(``matching.kpi.outcomes.suppress_together``), and lists the courses opening soon. Reads only.
Definitions: docs/kpi.md, "Outcomes of training"."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Float, and_, case, cast, null, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from matching.kpi import Dimension, KpiId, Measure
from matching.kpi.outcomes import (
    MIN_GROUP,
    hidden_total,
    pair_key,
    parse_pair_key,
    suppress_together,
)
from models.enums import CourseStatus
from models.monitoring.read import FigureTable, StoredFigure, figure_table, snapshot_info
from models.queries.kpi_names import group_names
from models.queries.reference import COMMUNE_LEVELS
from models.tables import AdminUnit, Course, Institution, TrainingOccupation

D, M = Dimension, Measure
RATE_MEASURES = (
    M.EMPLOYED_6,
    M.RESPONSE_6,
    M.IN_TRADE_6,
    M.EMPLOYED_12,
    M.RESPONSE_12,
    M.IN_TRADE_12,
)
COURSE_DAYS = 120  # "opening soon": within four months
MAX_COURSES = 20
KM_PER_DEGREE = 111.2  # of latitude; good enough for "about 12 km" within one province


@dataclass(frozen=True, slots=True)
class Shown:
    """A figure as the public sees it: ``value`` is None when hidden (``hidden``: fewer than
    10 people, or hidden so that a hidden one cannot be worked out); ``base`` the people it
    rests on (None when hidden too)."""

    value: float | None
    base: int | None
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class OutcomeCell:
    """One line of the page: an occupation, an institution, or one at the other."""

    name: str
    graduated: Shown
    rates: dict[Measure, Shown]
    median_wage: Shown


@dataclass(frozen=True, slots=True)
class OccupationOutcomes:
    key: str
    total: OutcomeCell
    institutions: list[OutcomeCell]
    open_places: int
    promised_places: int


@dataclass(frozen=True, slots=True)
class SoonCourse:
    course_id: int
    name: str
    occupation: str
    institution: str
    start_date: date
    commune_code: str | None
    same_commune: bool
    km: int | None = None  # straight-line distance from the chosen commune, when known


@dataclass(frozen=True, slots=True)
class OutcomePage:
    computed_at: datetime | None
    as_of: date | None
    occupations: list[OccupationOutcomes]
    institutions: list[OutcomeCell]
    courses: list[SoonCourse] = field(default_factory=list)


def outcome_page(session: Session, *, year: int) -> OutcomePage:
    """The stored outcomes of ``year``'s snapshot (the current year), suppressed."""
    info = snapshot_info(session, year)
    table = figure_table(session, year, kpis=[KpiId.OUTCOMES])
    if info is None or not len(table):
        return OutcomePage(None, None, [], [])
    hidden = _hidden(table)
    occupation_keys = [f.group_key for f in table.groups(KpiId.OUTCOMES, M.GRADUATED, D.OCCUPATION)]
    institution_keys = [
        f.group_key for f in table.groups(KpiId.OUTCOMES, M.GRADUATED, D.INSTITUTION)
    ]
    occ_names = group_names(session, D.OCCUPATION, occupation_keys)
    inst_names = group_names(session, D.INSTITUTION, institution_keys)
    by_occupation: dict[str, list[OutcomeCell]] = {}
    for figure in table.groups(KpiId.OUTCOMES, M.GRADUATED, D.OCCUPATION_INSTITUTION):
        occupation, institution = parse_pair_key(figure.group_key)
        name = inst_names.get(str(institution), str(institution or "?"))
        cell = _cell(table, D.OCCUPATION_INSTITUTION, figure.group_key, name, hidden.pairs)
        by_occupation.setdefault(occupation or "?", []).append(cell)
    occupations = [
        OccupationOutcomes(
            key,
            _cell(table, D.OCCUPATION, key, occ_names.get(key, key), hidden.occupations),
            by_occupation.get(key, []),
            int(table.value(KpiId.OUTCOMES, M.OPEN_PLACES, D.OCCUPATION, key) or 0),
            int(table.value(KpiId.OUTCOMES, M.PROMISED_PLACES, D.OCCUPATION, key) or 0),
        )
        for key in occupation_keys
    ]
    occupations.sort(key=lambda o: o.total.name)
    institutions = sorted(
        (
            _cell(table, D.INSTITUTION, k, inst_names.get(k, k), hidden.institutions)
            for k in institution_keys
        ),
        key=lambda cell: cell.name,
    )
    return OutcomePage(info.computed_at, info.as_of, occupations, institutions)


HiddenKeys = dict[Measure, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Hidden:
    """Per measure (people graduated, each rate's base), the group keys to hide at each
    level: occupation x institution cells, occupation totals, institution totals. The same
    keys in every measure (``suppress_together``)."""

    pairs: HiddenKeys
    occupations: HiddenKeys
    institutions: HiddenKeys


def _hidden(table: FigureTable) -> Hidden:
    """Primary and secondary suppression of the occupation x institution table against the
    occupation and institution totals the page shows beside it, over the people graduated and
    every rate's base together: the same cells and totals are hidden in every measure."""
    measures = (M.GRADUATED, *RATE_MEASURES)
    tables = [
        {
            parse_pair_key(f.group_key): _base(f)
            for f in table.groups(KpiId.OUTCOMES, measure, D.OCCUPATION_INSTITUTION)
        }
        for measure in measures
    ]
    rows = {o or "?": o for cells in tables for o, _ in cells}
    columns = {"?" if i is None else str(i): i for cells in tables for _, i in cells}
    small = [  # a total of the page under 10 in any measure, though its cells add up to more
        (axis, names[f.group_key])
        for measure in measures
        for axis, dim, names in ((0, D.OCCUPATION, rows), (1, D.INSTITUTION, columns))
        for f in table.groups(KpiId.OUTCOMES, measure, dim)
        if f.group_key in names and hidden_total(_base(f))
    ]
    result = suppress_together(tables, small_totals=small)
    pairs = frozenset(pair_key(o, i) for o, i in result.cells)
    occupations = frozenset(o or "?" for o in result.rows)
    institutions = frozenset("?" if i is None else str(i) for i in result.columns)
    return Hidden(
        dict.fromkeys(measures, pairs),
        dict.fromkeys(measures, occupations),
        dict.fromkeys(measures, institutions),
    )


def _base(figure: StoredFigure) -> int:
    if figure.measure is M.GRADUATED:
        return int(figure.value or 0)
    return int(figure.denominator or 0)


def _cell(
    table: FigureTable, dim: Dimension, key: str, name: str, hidden: HiddenKeys
) -> OutcomeCell:
    def shown(measure: Measure) -> Shown:
        figure = table.get(KpiId.OUTCOMES, measure, dim, key)
        if figure is None:
            return Shown(None, 0)
        base = _base(figure)
        if hidden_total(base) or key in hidden.get(measure, frozenset()):
            return Shown(None, None, hidden=True)
        value = figure.value if measure is not M.GRADUATED else base
        return Shown(value, base)

    wage = table.get(KpiId.OUTCOMES, M.MEDIAN_WAGE, dim, key)
    reports = int(wage.numerator or 0) if wage else 0
    graduated = shown(M.GRADUATED)
    if reports < MIN_GROUP or graduated.hidden:
        median = Shown(None, None, hidden=reports > 0 or graduated.hidden)
    else:
        median = Shown(wage.value if wage else None, reports)
    return OutcomeCell(name, graduated, {m: shown(m) for m in RATE_MEASURES}, median)


def courses_opening(
    session: Session,
    *,
    on: date,
    commune_code: str | None,
    limit: int = MAX_COURSES,
    occupation_key: str | None = None,
) -> list[SoonCourse]:
    """Planned courses that open in the next COURSE_DAYS days: those taught in the chosen
    commune first, then the nearest (by the communes' coordinates in the reference data;
    courses with no place known last), then by start date."""
    venue = aliased(AdminUnit)
    point = commune_point(session, commune_code, on=on) if commune_code else None
    same = col(Course.venue_commune_code) == (commune_code or "")
    if point is None:
        squared: Any = cast(null(), Float)  # typed: PostgreSQL will not guess a bare NULL
    else:
        lat, lon = point
        squeeze = math.cos(math.radians(lat))  # a degree of longitude is shorter up north
        squared = (col(venue.latitude) - lat) * (col(venue.latitude) - lat) + (
            (col(venue.longitude) - lon) * squeeze
        ) * ((col(venue.longitude) - lon) * squeeze)
    rows = session.execute(
        select(
            col(Course.id),
            col(Course.name),
            col(TrainingOccupation.name),
            col(Institution.name),
            col(Course.start_date),
            col(Course.venue_commune_code),
            case((same, 1), else_=0).label("same"),
            squared.label("squared"),
        )
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .join(Institution, col(Institution.id) == col(Course.institution_id))
        .outerjoin(
            venue,
            and_(
                col(venue.code) == col(Course.venue_commune_code),
                col(venue.level).in_(COMMUNE_LEVELS),
                col(venue.valid_from) <= on,
                or_(col(venue.valid_to).is_(None), col(venue.valid_to) >= on),
            ),
        )
        .where(
            col(Course.status) == CourseStatus.PLANNED.value,
            col(Course.start_date).between(on, on + timedelta(days=COURSE_DAYS)),
            col(TrainingOccupation.key) == occupation_key if occupation_key is not None else true(),
        )
        .order_by(
            case((same, 0), else_=1),
            case((squared.is_(None), 1), else_=0),
            squared,
            col(Course.start_date),
            col(Course.id),
        )
        .limit(limit)
    )
    return [
        SoonCourse(
            course_id=row[0],
            name=row[1],
            occupation=row[2],
            institution=row[3],
            start_date=row[4],
            commune_code=row[5],
            same_commune=bool(row[6]),
            km=None if row[7] is None else round(math.sqrt(row[7]) * KM_PER_DEGREE),
        )
        for row in rows
    ]


def commune_point(session: Session, code: str, *, on: date) -> tuple[float, float] | None:
    """(latitude, longitude) of a commune in force on ``on``, when the reference data has it."""
    row = session.execute(
        select(col(AdminUnit.latitude), col(AdminUnit.longitude)).where(
            col(AdminUnit.code) == code,
            col(AdminUnit.level).in_(COMMUNE_LEVELS),
            col(AdminUnit.valid_from) <= on,
            or_(col(AdminUnit.valid_to).is_(None), col(AdminUnit.valid_to) >= on),
        )
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return float(row[0]), float(row[1])
