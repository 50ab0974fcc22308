"""Reads of work abroad: the departures of the new-jobs register (lines of the abroad channel
in reports not withdrawn) with what is known of their orientation, support and return, the
jobs people took after coming back, and the returnees employers may find. Reads only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from models.enums import NewJobChannel
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


def _query(filters: DepartureFilters):
    query = (
        select(NewJobLine, Person, EmploymentSpell, AbroadDeparture)
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
    session: Session, filters: DepartureFilters, *, line_id: int | None = None
) -> list[DepartureRow]:
    """The departures within `filters`, latest first (one line when `line_id` is given)."""
    query = _query(filters)
    if line_id is not None:
        query = query.where(col(NewJobLine.id) == line_id)
    return [_row(*found) for found in session.exec(_latest_first(query)).all()]


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


def jobs_after_return(session: Session, returns: dict[int, date]) -> set[int]:
    """Of the people who came back (person id -> return date), those with a job other than
    work abroad starting on or after their return."""
    if not returns:
        return set()
    rows = session.exec(
        select(col(EmploymentSpell.person_id), col(EmploymentSpell.start_date)).where(
            col(EmploymentSpell.person_id).in_(list(returns)),
            col(EmploymentSpell.channel) != NewJobChannel.ABROAD.value,
        )
    ).all()
    return {person_id for person_id, start in rows if start >= returns[person_id]}


def countries_of(rows: Iterable[DepartureRow]) -> dict[str, list[DepartureRow]]:
    grouped: dict[str, list[DepartureRow]] = defaultdict(list)
    for row in rows:
        grouped[row.country_code or ""].append(row)
    return grouped
