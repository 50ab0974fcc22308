"""Supply and demand by occupation: what employers want in the coming year against the graduates
the running courses will give, by occupation and by place, and the occupations whose graduates
found work least often. The page and its CSV read the same rows (models/queries/supply_demand.py):
the completion rates and the graduates available now as the KPI refresh stored them in this
year's snapshot or, before this year's first refresh, in the newest earlier one (last year's);
computed now only when no snapshot holds them (a new install, before its first refresh). The
page says when the stored figures were computed, as of which day, and when they are being
updated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.kpi import Dimension, KpiId, Measure
from models.clock import today
from models.errors import InvalidError
from models.formula_guard import csv_chunks
from models.i18n import translate
from models.ids import parse_id, whole_or_none
from models.monitoring.figures import NONE_KEY
from models.monitoring.read import SnapshotInfo, group_figures
from models.queries import reference
from models.queries.labels import OCCUPATION_GROUP_LABELS, vocabulary_text
from models.queries.reference import Option, PlaceNames
from models.queries.supply_demand import (
    DEFAULT_COMPLETION_RATE,
    AfterTrainingRow,
    Balance,
    Period,
    balance_by_occupation,
    balance_by_place,
    lowest_employment,
    total,
)
from models.queries.supply_demand_stored import newest_stored_supply
from models.years import YEAR_MAX, YEAR_MIN
from web.auth import Principal
from web.downloads import read_apart
from web.services.dashboard import Freshness, freshness
from web.services.monitoring import fresh_year, needs_refresh, queue_refresh

CHART_ROWS = 15
ELSEWHERE = ("other_province", "abroad")
# The figures of a row, in the order of the page's and the CSV's columns: (attribute, label).
FIGURES = (
    ("vacancy_places", "Vacancy places"),
    ("order_places", "Ordered workers"),
    ("demand", "Demand"),
    ("studying", "Studying"),
    ("expected_graduates", "Expected graduates"),
    ("available_now", "Available now"),
    ("supply", "Supply"),
    ("gap", "Gap"),
)


@dataclass(frozen=True)
class Asked:
    """The page's filters as typed in the address (the page and its CSV read the same)."""

    year: str = ""
    commune: str = ""
    occupation: str = ""


@dataclass(frozen=True)
class Choice:
    """What the reader asked for, checked."""

    period: Period
    year: str  # as sent back to the form: "" for the coming 12 months
    commune: str | None
    occupation_id: int | None


def after_training_by_occupation(session: Session, year: int) -> list[tuple[Any, int, int]]:
    """(occupation key, employed, denominator) of the year's graduates at the 6-month window
    (the tracer studies' standard), from the KPI snapshot."""
    rows = group_figures(
        session, year, KpiId.after_training(6), Measure.EMPLOYED, Dimension.OCCUPATION
    )
    return [
        (
            None if row.group_key == NONE_KEY else row.group_key,
            row.numerator or 0,
            row.denominator or 0,
        )
        for row in rows
    ]


def _choice(session: Session, asked: Asked) -> Choice:
    """The period (a year, or the 12 months from today), a known place and an occupation id."""
    year = asked.year.strip()
    if not year:
        period = Period.coming_twelve_months(today())
    elif YEAR_MIN <= (whole_or_none(year) or 0) <= YEAR_MAX:
        period = Period.calendar_year(int(year))
    else:
        raise InvalidError(
            "year", "The year must be between {first} and {last}.", first=YEAR_MIN, last=YEAR_MAX
        )
    places = {option.value for option in _place_options(session, "vi")}
    return Choice(
        period=period,
        year=year,
        commune=asked.commune if asked.commune in places else None,
        occupation_id=parse_id(asked.occupation),
    )


def _place_options(session: Session, lang: str) -> list[Option]:
    communes = reference.commune_options(session, on=today())
    return [*communes, *(Option(kind, _place_word(kind, lang)) for kind in ELSEWHERE)]


def _place_word(place: str | None, lang: str) -> str:
    words = {"other_province": "Another province", "abroad": "Abroad", None: "Place not stated"}
    return translate(words.get(place, place or ""), lang)


def place_label(place: str | None, names: PlaceNames, lang: str) -> str:
    if place is None or place in ELSEWHERE:
        return _place_word(place, lang)
    return names.communes.get(place, place)


@dataclass(frozen=True)
class Stored:
    """The snapshot the table's slow parts are read from, and whether it is of an earlier year
    (this year's holds none yet: its refresh is on its way)."""

    info: SnapshotInfo
    earlier: bool


def _stored(session: Session, in_background: bool) -> Stored | None:
    """The newest snapshot that holds the table's slow parts: this year's, else (before this
    year's first refresh) an earlier year's, as of its own day; None when none does. When this
    year's holds none or is out of date, its refresh is queued (``in_background``: the page;
    the CSV only reads, so it shows what the page shows)."""
    year = today().year
    info = newest_stored_supply(session, year)
    earlier = info is not None and info.year < year
    if in_background and (info is None or earlier or needs_refresh(info)):
        queue_refresh(session, year)
    return None if info is None else Stored(info, earlier)


def _freshness(stored: Stored | None, lang: str) -> Freshness | None:
    """When the stored figures were computed; an earlier year's are always being updated."""
    if stored is None:
        return None
    shown = freshness(stored.info, lang)
    return replace(shown, updating=True) if stored.earlier and shown else shown


def _rows(session: Session, choice: Choice, stored: Stored | None) -> list[Balance]:
    """The table asked for: one occupation place by place, else every occupation."""
    as_of = today()
    year = None if stored is None else stored.info.year
    if choice.occupation_id is not None:
        return balance_by_place(
            session, choice.period, as_of=as_of, occupation_id=choice.occupation_id, stored=year
        )
    return balance_by_occupation(
        session, choice.period, as_of=as_of, commune=choice.commune, stored=year
    )


def _chart(rows: list[Balance]) -> dict[str, Any]:
    """Bars of demand and supply for the largest shortages, scaled to the longest bar: only
    occupations that lack workers (demand above supply), the largest gap first. Vacancies that
    name no occupation say nothing about what to train, and a surplus is no shortage."""
    shortages = [row for row in rows if row.occupation_id is not None and row.gap > 0]
    shown = sorted(shortages, key=lambda row: -row.gap)[:CHART_ROWS]
    longest = max([max(row.demand, row.supply) for row in shown] or [0]) or 1
    return {"rows": shown, "scale": 360 / longest}


def _percent(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    locale = "en_GB" if lang == "en" else "vi_VN"
    return f"{format_decimal(value * 100, format='#,##0.0', locale=locale)}%"


def query_string(choice: Choice) -> str:
    params = {"year": choice.year, "commune": choice.commune, "occupation": choice.occupation_id}
    kept = {key: value for key, value in params.items() if value not in ("", None)}
    return f"?{urlencode(kept)}" if kept else ""


def _after_training(
    engine: Engine, session: Session, period: Period, in_background: bool
) -> tuple[int, list[AfterTrainingRow]]:
    """The last full year before the period: its graduates' employment, lowest first (the
    year's KPI figures computed first when missing, refreshed by a queued job when stale)."""
    year = period.first.year - 1
    fresh_year(engine, session, year, in_background=in_background)
    return year, lowest_employment(session, after_training_by_occupation(session, year))


def page(
    engine: Engine,
    session: Session,
    in_background: bool,
    principal: Principal,
    asked: Asked,
    *,
    lang: str,
) -> tuple[Choice, dict[str, Any]]:
    """The page's choice and what its template shows (all but the CSV link)."""
    choice = _choice(session, asked)
    stored = _stored(session, in_background)
    rows = _rows(session, choice, stored)
    names = reference.place_names(session, on=today())
    after_year, after_rows = _after_training(engine, session, choice.period, in_background)
    context = {
        "choice": choice,
        "freshness": _freshness(stored, lang),
        "earlier_snapshot": stored is not None and stored.earlier,
        "rows": rows,
        "total": total(rows),
        "figures": FIGURES,
        "chart": _chart(rows) if choice.occupation_id is None else None,
        "years": [str(each) for each in range(today().year - 1, today().year + 3)],
        "places": _place_options(session, lang),
        "occupations": reference.occupation_options(session, on=today()),
        "occupation_name": _occupation_name(session, choice.occupation_id),
        "default_rate": _percent(DEFAULT_COMPLETION_RATE, lang),
        "after_year": after_year,
        "after_rows": after_rows,
        "place_label": lambda place: place_label(place, names, lang),
        "group_label": lambda group: vocabulary_text(OCCUPATION_GROUP_LABELS, group, lang),
        "percent": lambda value: _percent(value, lang),
    }
    return choice, context


def csv_export(
    engine: Engine, session: Session, principal: Principal, asked: Asked, *, lang: str
) -> tuple[Iterator[bytes], str]:
    """The page's table as CSV (with a byte-order mark so Excel reads the Vietnamese) and its
    file name. The choice is checked first; the table is computed, in a session of its own,
    once the header is on its way (web.downloads)."""
    choice = _choice(session, asked)
    by_place = choice.occupation_id is not None
    names = reference.place_names(session, on=today())
    heads = ["Location"] if by_place else ["Occupation", "Group"]
    header = [translate(label, lang) for label in heads + [f[1] for f in FIGURES]]

    def lines(reader: Session) -> Iterator[list[Any]]:
        rows = _rows(reader, choice, _stored(reader, in_background=False))
        for row in rows:
            yield _lead(row, by_place, names, lang) + _numbers(row)
        yield [translate("Total", lang)] + [""] * (len(heads) - 1) + _numbers(total(rows))

    filename = f"supply-demand-{_stamp(choice.period.first)}-{_stamp(choice.period.last)}.csv"
    return csv_chunks(header, read_apart(engine, lines)), filename


def _occupation_name(session: Session, occupation_id: int | None) -> str | None:
    if occupation_id is None:
        return None
    options = reference.occupation_options(session, on=today())
    return next((o.label for o in options if o.value == str(occupation_id)), str(occupation_id))


def _lead(row: Balance, by_place: bool, names: PlaceNames, lang: str) -> list[str]:
    """The first cells of a CSV row: the place, or the occupation and its group."""
    if by_place:
        return [place_label(row.place, names, lang)]
    name = row.occupation_name or translate("Occupation not stated", lang)
    return [name, vocabulary_text(OCCUPATION_GROUP_LABELS, row.occupation_group, lang)]


def _numbers(row: Balance) -> list[int]:
    return [getattr(row, name) for name, _ in FIGURES]


def _stamp(day: date) -> str:
    return day.strftime("%Y%m%d")
