"""Writing checked register lines: each linked to the one person registered under its citizen
ID (found through the keyed hash; a new person otherwise), turned into an employment spell of
the report's source, and kept as a line of the report.

Before anything is written, the lines are checked against each other (the same person's same
job twice in one file) and against the database (the ID held by someone born on another day,
the same job already reported by the same source). Any error stops the whole write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, tuple_
from sqlmodel import Session, col, select

from models.clock import utcnow
from models.queries.course_rosters import people_by_citizen_id
from models.register_rows import line_row, spell_row
from models.tables import AbroadDeparture, EmploymentSpell, NewJobLine, NewJobReport, Person
from web.services.imports.rows import RowChecks, issue
from web.services.register.entries import Entry

CHUNK = 1000
SAME_JOB_TWICE = "This person's job starting on {date} in this channel is also on row {row}."
OTHER_BIRTH_DATE = (
    "A person with this ID number is already registered with another date of birth: check "
    "the number and the date."
)
ALREADY_REPORTED = (
    "This job (the same person, start date and channel) was already reported by this source."
)


@dataclass
class LineChecks(RowChecks):
    entries: list[Entry] = field(default_factory=list)


def _job_key(entry: Entry) -> tuple[str, Any, str]:
    return (entry.citizen_id, entry.job.start_date, entry.job.channel)


def cross_check(session: Session, source: str, checks: LineChecks) -> None:
    """Against the other lines and the database; keeps the entries that pass and notes
    whether each person is new or already registered."""
    known = people_by_citizen_id(session, [e.citizen_id for e in checks.entries])
    first_row: dict[tuple[str, Any, str], int] = {}
    kept: list[Entry] = []
    for entry in checks.entries:
        row = entry.row or 0
        person = known.get(entry.citizen_id)
        key = _job_key(entry)
        if key in first_row:
            checks.errors.append(
                issue(
                    row, "citizen_id", SAME_JOB_TWICE, date=entry.job.start_date, row=first_row[key]
                )
            )
        elif person is not None and person.birth_date != entry.person["birth_date"]:
            checks.errors.append(issue(row, "birth_date", OTHER_BIRTH_DATE))
        else:
            entry.person_id = person.id if person else None
            kept.append(entry)
        first_row.setdefault(key, row)
    reported = _already_reported(session, source, kept)
    for entry in reported:
        checks.errors.append(issue(entry.row or 0, "start_date", ALREADY_REPORTED))
    checks.entries = [e for e in kept if all(e is not each for each in reported)]
    for entry in checks.entries:
        checks.notes[entry.row or 0] = "existing" if entry.person_id else "new"
    checks.errors.sort(key=lambda each: each.row)


def _already_reported(session: Session, source: str, entries: Sequence[Entry]) -> list[Entry]:
    keyed = {(e.person_id, e.job.start_date, e.job.channel): e for e in entries if e.person_id}
    if not keyed:
        return []
    found: set[tuple[Any, ...]] = set()
    keys = list(keyed)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows = session.exec(
            select(
                col(NewJobLine.person_id), col(NewJobLine.start_date), col(NewJobLine.channel)
            ).where(
                col(NewJobLine.source) == source,
                tuple_(
                    col(NewJobLine.person_id), col(NewJobLine.start_date), col(NewJobLine.channel)
                ).in_(chunk),
            )
        ).all()
        found.update(tuple(row) for row in rows)
    return [entry for key, entry in keyed.items() if key in found]


def write_lines(session: Session, report: NewJobReport, entries: list[Entry]) -> dict[str, int]:
    """Insert the new people, one spell and one line per entry, in bulk (the caller commits
    and has run ``cross_check``)."""
    new = [e for e in entries if e.person_id is None]
    people = Person.__table__  # type: ignore[attr-defined]
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        session.execute(insert(people), [e.person for e in chunk])
        ids = people_by_citizen_id(session, [e.citizen_id for e in chunk])
        for entry in chunk:
            entry.person_id = ids[entry.citizen_id].id
    now = utcnow()
    spells = EmploymentSpell.__table__  # type: ignore[attr-defined]
    lines = NewJobLine.__table__  # type: ignore[attr-defined]
    for start in range(0, len(entries), CHUNK):
        chunk = entries[start : start + CHUNK]
        spell_ids = (
            session.execute(
                insert(spells).returning(spells.c.id, sort_by_parameter_order=True),
                [_spell(e, report, now) for e in chunk],
            )
            .scalars()
            .all()
        )
        session.execute(
            insert(lines),
            [_line(e, report, spell_id, now) for e, spell_id in zip(chunk, spell_ids, strict=True)],
        )
    return {
        "lines": len(entries),
        "people_created": len(new),
        "people_matched": len(entries) - len(new),
    }


def _spell(entry: Entry, report: NewJobReport, now: Any) -> dict[str, Any]:
    return spell_row(entry.job, person_id=entry.person_id, source=report.source, now=now)


def _line(entry: Entry, report: NewJobReport, spell_id: int, now: Any) -> dict[str, Any]:
    return line_row(
        entry.job,
        report_id=report.id,
        person_id=entry.person_id,
        spell_id=spell_id,
        source=report.source,
        full_name=entry.full_name,
        row_number=entry.row,
        now=now,
    )


def drop_lines(session: Session, lines: Sequence[NewJobLine]) -> set[int]:
    """Take person lines out of the register: each line, the departure care that follows it
    and the employment spell it made go. Returns the years whose figures change (the caller
    queues them and keeps its report's counters)."""
    if not lines:
        return set()
    years = {line.start_date.year for line in lines}
    spell_ids = [line.employment_spell_id for line in lines if line.employment_spell_id]
    line_ids = [line.id for line in lines]
    for care in session.exec(
        select(AbroadDeparture).where(col(AbroadDeparture.line_id).in_(line_ids))
    ).all():
        session.delete(care)  # the departure's care goes with its line
    session.flush()
    for line in lines:
        session.delete(line)
    session.flush()
    for spell in session.exec(
        select(EmploymentSpell).where(col(EmploymentSpell.id).in_(spell_ids))
    ).all():
        session.delete(spell)
    session.flush()
    return years
