"""Reads of work abroad: the departures of the new-jobs register (lines of the abroad channel
in reports not withdrawn) with what is known of their orientation, support and return, the
jobs people took after coming back, and the returnees employers may find. Reads only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, tuple_
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select

from models.enums import NewJobChannel
from models.queries import keyset
from models.tables import (
    AbroadDeparture,
    EmploymentSpell,
    NewJobLine,
    NewJobReport,
    Person,
)


@dataclass(frozen=True)
class DepartureFilters:
    """Which departures a list shows. `commune_scope`: a commune officer's own commune (their
    people, or the lines their commune reported); None for the province."""

    commune_scope: str | None = None
    country: str | None = None
    returned: bool | None = None  # True: back home; False: still abroad; None: both
    commune: str | None = None  # the person's commune
    consenting_only: bool = False  # employers: only people who agreed to be shown


@dataclass(frozen=True)
class DepartureRow:
    line: NewJobLine
    person: Person
    country_code: str | None
    programme: str | None
    care: AbroadDeparture | None

    @property
    def returned_on(self) -> date | None:
        return self.care.actual_return if self.care else None


def _query(filters: DepartureFilters, *columns: Any) -> Any:
    """The departures within `filters`: whole rows, or the `columns` given."""
    chosen = columns or (NewJobLine, Person, EmploymentSpell, AbroadDeparture)
    query = (
        select(*chosen)
        .select_from(NewJobLine)
        .join(NewJobReport, col(NewJobReport.id) == col(NewJobLine.report_id))
        .join(Person, col(Person.id) == col(NewJobLine.person_id))
        .outerjoin(EmploymentSpell, col(EmploymentSpell.id) == col(NewJobLine.employment_spell_id))
        .outerjoin(AbroadDeparture, col(AbroadDeparture.line_id) == col(NewJobLine.id))
        .where(
            col(NewJobLine.channel) == NewJobChannel.ABROAD.value,
            col(NewJobReport.withdrawn_at).is_(None),
        )
    )
    if filters.commune_scope is not None:
        query = query.where(
            or_(
                col(Person.commune_code) == filters.commune_scope,
                col(NewJobReport.commune_code) == filters.commune_scope,
            )
        )
    if filters.country:
        query = query.where(col(EmploymentSpell.country_code) == filters.country)
    if filters.returned is True:
        query = query.where(col(AbroadDeparture.actual_return).is_not(None))
    elif filters.returned is False:
        query = query.where(col(AbroadDeparture.actual_return).is_(None))
    if filters.commune:
        query = query.where(col(Person.commune_code) == filters.commune)
    if filters.consenting_only:
        query = query.where(col(Person.consent_to_employers).is_(True))
    return query


def _latest_first(query):
    return query.order_by(col(NewJobLine.start_date).desc(), col(NewJobLine.id).desc())


def _row(
    line: NewJobLine, person: Person, spell: EmploymentSpell | None, care: AbroadDeparture | None
) -> DepartureRow:
    return DepartureRow(
        line=line,
        person=person,
        country_code=spell.country_code if spell else None,
        programme=spell.abroad_programme if spell else None,
        care=care,
    )


def departures(
    session: Session,
    filters: DepartureFilters,
    *,
    line_id: int | None = None,
    limit: int | None = None,
) -> list[DepartureRow]:
    """The departures within `filters`, latest first (one line when `line_id` is given, the
    first `limit` when given)."""
    query = _query(filters)
    if line_id is not None:
        query = query.where(col(NewJobLine.id) == line_id)
    query = _latest_first(query)
    if limit is not None:
        query = query.limit(limit)
    return [_row(*found) for found in session.exec(query).all()]


@dataclass(frozen=True)
class DepartureAt:
    """Where a page of departures starts: a page number (read with OFFSET), or after / before
    the departure with this (register line) id (keyset), `page` then being only its label."""

    page: int = 1
    after: int | None = None
    before: int | None = None


@dataclass(frozen=True)
class DeparturePage:
    """One page of departures, latest first, and how many `filters` keep in all.
    `next_after` / `previous_before` are the line ids the next and previous links start
    from (keyset: a deep page costs what the first one does)."""

    rows: list[DepartureRow]
    total: int
    page: int
    pages: int
    next_after: int | None = None
    previous_before: int | None = None


_ORDER = (col(NewJobLine.start_date), col(NewJobLine.id))


def departure_page(
    session: Session, filters: DepartureFilters, *, at: DepartureAt, per_page: int
) -> DeparturePage:
    """The departures within `filters` for one page, latest first; the database counts
    them all, and loads and decrypts no more than a page and one row."""
    total = count_departures(session, filters)
    pages = max(1, -(-total // per_page))
    rows, number, (following, earlier) = _page_rows(session, filters, at, pages, per_page)
    return DeparturePage(
        rows,
        total,
        number,
        pages,
        following.line.id if following else None,
        earlier.line.id if earlier else None,
    )


def _page_rows(
    session: Session, filters: DepartureFilters, at: DepartureAt, last: int, per_page: int
) -> keyset.KeysetPage[DepartureRow]:
    """The rows of one page, its number, and the rows the next and previous links start
    from. A cursor outside the filtered list (another commune's departure, or junk) is
    ignored: the page is read by its number."""
    query = _listed(filters)
    if at.before is not None and (start := _position(session, filters, at.before)) is not None:
        backwards = query.where(tuple_(*_ORDER) > start).order_by(*_ORDER)
        found = _rows(session, backwards, per_page)
        if (page := keyset.page_before(found, per_page, at.page)) is not None:
            return page
    elif at.after is not None and (start := _position(session, filters, at.after)) is not None:
        forwards = _latest_first(query.where(tuple_(*_ORDER) < start))
        return keyset.page_after(_rows(session, forwards, per_page), per_page, at.page)
    number = min(max(1, at.page), last)
    found = _rows(session, _latest_first(query).offset((number - 1) * per_page), per_page)
    return keyset.page_numbered(found, per_page, number)


def _listed(filters: DepartureFilters) -> Any:
    """The departures within `filters` with what a list line shows of the person loaded:
    the rest (ID number, phone...) is neither read nor decrypted."""
    shown = ("full_name", "commune_code")
    return _query(filters).options(load_only(*(getattr(Person, name) for name in shown)))


def _rows(session: Session, query: Any, per_page: int) -> list[DepartureRow]:
    """Up to one more row than a page holds, to know whether another page follows."""
    return [_row(*found) for found in session.exec(query.limit(per_page + 1)).all()]


def _position(session: Session, filters: DepartureFilters, line_id: int) -> Any:
    """The (departure date, id) a keyset page starts from; None for a departure outside the
    list (another commune's must not tell where it sorts)."""
    query = _query(filters, col(NewJobLine.start_date)).where(col(NewJobLine.id) == line_id)
    start = session.exec(query).first()
    return None if start is None else tuple_(literal(start), literal(line_id))


STREAM_BATCH = 500  # departures fetched from the database at a time by `each_departure`


def each_departure(session: Session, filters: DepartureFilters) -> Iterator[DepartureRow]:
    """`departures` fetched a batch at a time as they are iterated (for a file written while
    it is sent): memory holds a batch, not the list."""
    query = _latest_first(_query(filters)).execution_options(yield_per=STREAM_BATCH)
    for found in session.exec(query):
        yield _row(*found)


def departure_person_ids(session: Session, filters: DepartureFilters) -> list[int]:
    """The people of `departures` (for the audit entry of a file that lists them)."""
    query = _query(filters).with_only_columns(col(Person.id)).distinct()
    return sorted(person_id for (person_id,) in session.execute(query).all())


def count_departures(session: Session, filters: DepartureFilters) -> int:
    """How many departures `filters` keep (no row is loaded, no personal data decrypted)."""
    counted = _query(filters, col(NewJobLine.id)).subquery()
    return int(session.exec(select(func.count()).select_from(counted)).one())


@dataclass(frozen=True)
class CountryCounts:
    """The departures to one country (its code; None when not recorded) and what is known of
    them: oriented, supported, back home, and back home with a job other than abroad since."""

    country_code: str | None
    departures: int
    oriented: int
    supported: int
    returned: int
    working: int


def departure_counts(session: Session, filters: DepartureFilters) -> list[CountryCounts]:
    """The departures within `filters` counted by country, in one statement: each line is
    counted once, the database adds them up."""
    returned_on = col(AbroadDeparture.actual_return)
    job_since = (
        select(col(EmploymentSpell.id))
        .where(
            col(EmploymentSpell.person_id) == col(NewJobLine.person_id),
            col(EmploymentSpell.channel) != NewJobChannel.ABROAD.value,
            col(EmploymentSpell.start_date) >= returned_on,
        )
        .correlate(NewJobLine, AbroadDeparture)
        .exists()
    )

    def counted(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    country = col(EmploymentSpell.country_code)
    query = _query(
        filters,
        country,
        func.count(),
        counted(col(AbroadDeparture.orientation_attended).is_(True)),
        counted(col(AbroadDeparture.support_kind).is_not(None)),
        counted(returned_on.is_not(None)),
        counted(and_(returned_on.is_not(None), job_since)),
    ).group_by(country)
    return [
        CountryCounts(code, *(int(n or 0) for n in numbers))
        for code, *numbers in session.exec(query).all()
    ]
