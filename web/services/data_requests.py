"""People's requests about their own data (Decree 356/2025 on personal data protection): to
see it, to correct it, to delete it. Staff record a request made in person, by phone or in
writing; it is due a number of days after it was received (a legal deadline kept as data,
`legal_deadline`), listed while open with late ones marked, and closed with its outcome and
who handled it. A request of access is answered with "my data": what the platform holds
about the person, as CSV, audited."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import DataRequestChannel, DataRequestKind, DataRequestOutcome
from models.errors import ConflictError, InvalidError, NotFoundError
from models.formula_guard import CsvWriter
from models.queries import people as people_queries
from models.rows import get_or_404
from models.tables import (
    DataRequest,
    EmploymentSpell,
    FollowUp,
    LegalDeadline,
    Person,
    PersonChange,
    Referral,
)
from models.validation import ErrorCollector, check_length, clean_text, parse_date
from web.auth import Principal
from web.permissions import NO_SUCH_PERSON
from web.services.personal_data import audit_view

DEADLINE_KEY = "data_subject_request"
DEFAULT_DEADLINE_DAYS = 15  # docs/reference-data.md: not verified against the decree's text
NO_REQUEST = "There is no such request."


def deadline_days(session: Session) -> int:
    row = session.get(LegalDeadline, DEADLINE_KEY)
    return row.days if row else DEFAULT_DEADLINE_DAYS


@dataclass
class RequestForm:
    kind: str = ""
    channel: str = ""
    received_on: str = ""
    note: str = ""


def _choice(value: str, choices: type[StrEnum], field: str, msgid: str) -> str:
    if value not in {each.value for each in choices}:
        raise InvalidError(field, msgid)
    return value


def _received(value: str) -> date:
    received = parse_date(value, "received_on") if value.strip() else today()
    if received > today():
        raise InvalidError("received_on", "The date received cannot be in the future.")
    return received


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(None, NO_SUCH_PERSON)
    return person


def record_request(
    session: Session, *, principal: Principal, person_id: int, form: RequestForm
) -> DataRequest:
    """Record a request; the same open request posted twice is recorded once."""
    errors = ErrorCollector()
    kind = errors.check(_choice, form.kind, DataRequestKind, "kind", "Choose what the person asks.")
    channel = errors.check(
        _choice, form.channel, DataRequestChannel, "channel", "Choose how the request came."
    )
    received = errors.check(_received, form.received_on)
    note = errors.check(check_length, clean_text(form.note), 500, "note")
    errors.raise_if_any()
    assert kind and channel and received
    with unit_of_work(session):
        _person(session, person_id)
        same = session.exec(
            select(DataRequest).where(
                col(DataRequest.person_id) == person_id,
                col(DataRequest.kind) == kind,
                col(DataRequest.received_on) == received,
                col(DataRequest.outcome).is_(None),
            )
        ).first()
        if same is not None:
            return same
        request = DataRequest(
            person_id=person_id,
            kind=kind,
            channel=channel,
            received_on=received,
            due_on=received + timedelta(days=deadline_days(session)),
            note=note or "",
            recorded_by_id=principal.user.id,
        )
        session.add(request)
        session.flush()
        audit.record(
            session,
            user_id=principal.user.id,
            action="create",
            entity="data_request",
            entity_id=request.id,
            person_id=person_id,
            kind=kind,
            channel=channel,
        )
        return request


@dataclass(frozen=True)
class RequestRow:
    request: DataRequest
    full_name: str
    late: bool


def open_requests(session: Session, *, principal: Principal) -> list[RequestRow]:
    """Open requests, soonest due first, with the person's name (audited: names shown)."""
    rows = session.exec(
        select(DataRequest, Person)
        .join(Person, col(Person.id) == col(DataRequest.person_id))
        .where(col(DataRequest.outcome).is_(None))
        .order_by(col(DataRequest.due_on), col(DataRequest.id))
    ).all()
    if rows:
        audit_view(session, principal, "data_requests", person_ids=[p.id for _, p in rows])
    now = today()
    return [RequestRow(request, person.full_name, request.due_on < now) for request, person in rows]


def person_requests(session: Session, person_id: int) -> list[DataRequest]:
    return list(
        session.exec(
            select(DataRequest)
            .where(col(DataRequest.person_id) == person_id)
            .order_by(col(DataRequest.received_on).desc())
        ).all()
    )


def close_request(
    session: Session, *, principal: Principal, request_id: int, outcome: str, note: str
) -> None:
    """Close an open request with its outcome; closing it again is refused."""
    chosen = _choice(outcome, DataRequestOutcome, "outcome", "Choose the outcome.")
    text = check_length(clean_text(note), 500, "outcome_note")
    with unit_of_work(session):
        request = get_or_404(session, DataRequest, request_id, NO_REQUEST, lock=True)
        if request.outcome is not None:
            raise ConflictError(None, "This request is already closed.")
        request.outcome = chosen
        request.outcome_note = text
        request.outcome_on = today()
        request.handled_by_id = principal.user.id
        session.add(request)
        audit.record(
            session,
            user_id=principal.user.id,
            action="close",
            entity="data_request",
            entity_id=request_id,
            person_id=request.person_id,
            outcome=chosen,
        )


PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "citizen_id",
    "ethnicity_code",
    "commune_code",
    "village",
    "phone",
    "household_status",
    "has_disability",
    "in_difficult_village",
    "consent_to_employers",
    "consent_at",
    "created_at",
    "updated_at",
)


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def my_data_csv(session: Session, *, principal: Principal, person_id: int) -> str:
    """Everything the platform holds about the person, one record a line (section, field,
    value), for a request of access; audited as an export of personal data."""
    record = people_queries.person_record(session, person_id)
    if record is None:
        raise NotFoundError(None, NO_SUCH_PERSON)
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(["section", "record", "field", "value"])
    person = record.person
    for name in PERSON_FIELDS:
        writer.writerow(["person", person.id, name, _value(getattr(person, name))])
    for row in record.enrolments:
        for name in ("enrolled_on", "status", "result", "graduated_on", "certificate_number"):
            value = _value(getattr(row.enrolment, name))
            writer.writerow(
                ["enrolment", f"{row.institution.name} / {row.course.code}", name, value]
            )
    _rows(
        session,
        writer,
        "follow_up",
        FollowUp,
        person_id,
        ("observed_on", "months_after", "status", "income"),
    )
    _rows(session, writer, "referral", Referral, person_id, ("vacancy_id", "status", "created_at"))
    _rows(
        session,
        writer,
        "job",
        EmploymentSpell,
        person_id,
        ("start_date", "end_date", "kind", "wage"),
    )
    _rows(session, writer, "correction", PersonChange, person_id, ("changed_at", "field"))
    _rows(
        session, writer, "data_request", DataRequest, person_id, ("received_on", "kind", "outcome")
    )
    with unit_of_work(session):
        audit.record(
            session,
            user_id=principal.user.id,
            action="export_personal_data",
            entity="person",
            entity_id=person_id,
            person_id=person_id,
        )
    return "\ufeff" + buffer.getvalue()


def _rows(
    session: Session,
    writer: CsvWriter,
    section: str,
    table: Any,
    person_id: int,
    names: tuple[str, ...],
) -> None:
    for row in session.exec(select(table).where(col(table.person_id) == person_id)).all():
        for name in names:
            writer.writerow([section, row.id, name, _value(getattr(row, name))])
