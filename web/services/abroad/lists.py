"""The lists of work abroad: the departures a recorder follows (filtered by country, by
whether the person is back, by commune), their CSV file, the figures officials read (by
country: departures, in orientation, with support, returned, returned and working), and the
returnees employers may find for their skills and languages.

Every list that names people is audited as a view of personal data; employers see only
returnees who agreed to be shown, their ID number and phone masked (web.permissions)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.text import search_key
from models.clock import today as clock_today
from models.enums import Role
from models.formula_guard import csv_chunks
from models.queries.abroad import (
    DepartureAt,
    DepartureFilters,
    DepartureRow,
    departure_counts,
    departure_page,
    departure_person_ids,
    departures,
    each_departure,
)
from models.queries.reference import all_commune_names, country_options
from models.validation import display_phone
from web.auth import Actor
from web.downloads import read_apart
from web.permissions import PersonView, person_view
from web.services.abroad import commune_scope
from web.services.personal_data import audit_view

SHOWN = 300  # returnees a search lists
PER_PAGE = 50  # departures a page of the list shows; the CSV file has them all
RETURNED, ABROAD = "returned", "abroad"


@dataclass(frozen=True)
class ListFilters:
    """The filter form as typed (unknown values are ignored, never an error)."""

    country: str = ""
    status: str = ""  # RETURNED | ABROAD | ""
    commune: str = ""

    def query(self, scope: str | None) -> DepartureFilters:
        returned = {RETURNED: True, ABROAD: False}.get(self.status)
        return DepartureFilters(
            commune_scope=scope,
            country=self.country[:2] or None,
            returned=returned,
            commune=self.commune[:5] or None,
        )


@dataclass
class Figures:
    """One line of the officials' table (a country, or the total)."""

    departures: int = 0
    oriented: int = 0
    supported: int = 0
    returned: int = 0
    working: int = 0


@dataclass(frozen=True)
class FigureTable:
    by_country: list[tuple[str, Figures]]  # (country name, figures), most departures first
    total: Figures


@dataclass(frozen=True)
class DeparturesPage:
    """One page of the departures (`page` of `pages`, with the line ids the next and
    previous links start from) and what the page shows beside them."""

    rows: list[DepartureRow]
    total: int
    page: int
    pages: int
    next_after: int | None
    previous_before: int | None
    countries: dict[str, str]  # code -> name
    communes: dict[str, str]  # code -> name
    figures: FigureTable | None  # officials only
    years: dict[int, float] = field(default_factory=dict)  # line id -> years abroad


def years_abroad(row: DepartureRow, today: date) -> float:
    end = row.returned_on or today
    return round(max((end - row.line.start_date).days, 0) / 365.25, 1)


def _figures(session: Session, filters: DepartureFilters, countries: dict[str, str]) -> FigureTable:
    """The officials' table, counted by the database over every departure the filters keep
    (the page lists only PER_PAGE of them)."""
    total = Figures()
    table = []
    for counts in departure_counts(session, filters):
        code = counts.country_code or ""
        figures = Figures(
            counts.departures, counts.oriented, counts.supported, counts.returned, counts.working
        )
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        table.append((countries.get(code, code or "–"), figures))
    table.sort(key=lambda pair: (-pair[1].departures, search_key(pair[0])))
    return FigureTable(table, total)


def departures_page(
    session: Session, *, principal: Actor, filters: ListFilters, at: DepartureAt | None = None
) -> DeparturesPage:
    """One page of the departures the filters keep (a commune's officer: its own), latest
    first; the people it names are audited."""
    wanted = filters.query(commune_scope(principal))
    found = departure_page(session, wanted, at=at or DepartureAt(), per_page=PER_PAGE)
    shown = found.rows
    countries = {option.value: option.label for option in country_options(session)}
    officials = principal.role in (Role.OFFICIAL, Role.ADMIN)
    figures = _figures(session, wanted, countries) if officials else None
    if shown:
        ids = sorted({row.person.id or 0 for row in shown})
        audit_view(session, principal, "abroad_departures", person_ids=ids)
    today = clock_today()
    return DeparturesPage(
        rows=shown,
        total=found.total,
        page=found.page,
        pages=found.pages,
        next_after=found.next_after,
        previous_before=found.previous_before,
        countries=countries,
        communes=all_commune_names(session),
        figures=figures,
        years={row.line.id or 0: years_abroad(row, today) for row in shown},
    )


CSV_HEADERS = (
    "Full name",
    "Commune",
    "Country",
    "Programme",
    "Sending company",
    "Departure date",
    "Orientation attended",
    "Orientation date",
    "Orientation provider",
    "Loan or support",
    "Amount (VND)",
    "Source of the loan or support",
    "Planned return",
    "Actual return",
    "Languages learned",
    "Skills learned",
)


def departures_csv(
    session: Session,
    engine: Engine,
    *,
    principal: Actor,
    filters: ListFilters,
    labels: dict[str, str],
) -> Iterator[bytes]:
    """Every departure within the filters as CSV, cells neutralised against formulas, in
    pieces read while they are sent (web.downloads); `labels` translates headers and codes
    into the reader's language. The audit entry naming the people is written first."""
    wanted = filters.query(commune_scope(principal))
    countries = {option.value: option.label for option in country_options(session)}
    communes = all_commune_names(session)
    ids = departure_person_ids(session, wanted)
    audit_view(session, principal, "abroad_departures_csv", person_ids=ids)
    found = read_apart(engine, lambda reader: each_departure(reader, wanted))
    rows = (_csv_row(row, countries, communes, labels) for row in found)
    return csv_chunks([labels.get(header, header) for header in CSV_HEADERS], rows)


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _csv_row(
    row: DepartureRow, countries: dict[str, str], communes: dict[str, str], labels: dict[str, str]
) -> list[object]:
    care = row.care
    attended = None if care is None else care.orientation_attended
    return [
        row.person.full_name,
        communes.get(row.person.commune_code, row.person.commune_code),
        countries.get(row.country_code or "", row.country_code or ""),
        row.programme or "",
        row.line.sending_company,
        _day(row.line.start_date),
        {True: labels.get("Yes", "Yes"), False: labels.get("No", "No"), None: ""}[attended],
        _day(care.orientation_date) if care else "",
        care.orientation_provider if care else "",
        labels.get(care.support_kind, care.support_kind) if care and care.support_kind else "",
        care.support_amount if care and care.support_amount is not None else "",
        care.support_source if care else "",
        _day(care.planned_return) if care else "",
        _day(care.actual_return) if care else "",
        care.languages if care else "",
        care.skills_learned if care else "",
    ]


@dataclass(frozen=True)
class Returnee:
    line_id: int
    view: PersonView
    commune: str
    country: str
    years: float
    languages: str
    skills: str
    returned_on: date


def returnees(
    session: Session, *, principal: Actor, country: str = "", words: str = ""
) -> list[Returnee]:
    """People back from work abroad, with what they learned there: for employers only those
    who agreed to be shown, masked; `words` finds a language or skill (without diacritics)."""
    employer = principal.role == Role.EMPLOYER
    filters = DepartureFilters(country=country[:2] or None, returned=True, consenting_only=employer)
    rows = departures(session, filters)
    wanted = search_key(words[:100])
    if wanted:
        rows = [row for row in rows if wanted in search_key(_learned(row))]
    rows = _latest_per_person(rows)[:SHOWN]
    countries = {option.value: option.label for option in country_options(session)}
    communes = all_commune_names(session)
    found = [
        Returnee(
            line_id=row.line.id or 0,
            view=_shown(principal, row),
            commune=communes.get(row.person.commune_code, ""),
            country=countries.get(row.country_code or "", row.country_code or ""),
            years=years_abroad(row, clock_today()),
            languages=row.care.languages if row.care else "",
            skills=row.care.skills_learned if row.care else "",
            returned_on=row.returned_on or clock_today(),
        )
        for row in rows
    ]
    if found:
        ids = sorted({each.view.person_id for each in found})
        audit_view(session, principal, "abroad_returnees", person_ids=ids)
    return found


def _shown(principal: Actor, row: DepartureRow) -> PersonView:
    """The person as this user may see them; an unmasked phone written the local way."""
    view = person_view(principal, row.person)
    if view.masked or not view.phone:
        return view
    return replace(view, phone=display_phone(view.phone))


def _learned(row: DepartureRow) -> str:
    care = row.care
    return f"{care.languages} {care.skills_learned}" if care else ""


def _latest_per_person(rows: list[DepartureRow]) -> list[DepartureRow]:
    """A person back from several stays is listed once, by their latest return."""
    seen: set[int] = set()
    kept = []
    for row in sorted(rows, key=lambda each: each.returned_on or date.min, reverse=True):
        if row.person.id not in seen:
            seen.add(row.person.id or 0)
            kept.append(row)
    return kept
