"""Care of people who work abroad under contract: one departure (a line of the new-jobs
register in the abroad channel) with its orientation, loan or support and return, recorded
by the commune for its own people and by the Employment Service Centre and officials for
the province. Any other departure is answered as missing.

The form saves one record per departure: a second post (a double click) updates the same
row with the same values. At return the person's languages and skills learned abroad are
recorded, and whether they agree to be shown to employers (Person.consent_to_employers,
the consent every employer-facing list obeys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today as clock_today
from models.clock import utcnow
from models.db import end_read, unit_of_work
from models.enums import AbroadSupportKind, Role
from models.errors import InvalidError, NotFoundError
from models.ids import INT_MAX
from models.queries.abroad import DepartureFilters, DepartureRow, departures
from models.tables import AbroadDeparture, Person
from models.validation import ErrorCollector, check_length, clean_text, parse_date
from web.auth import Actor
from web.services.personal_data import audit_view

NO_SUCH_DEPARTURE = "There is no such departure."
YES, NO = "yes", "no"
_MONEY_MARKS = re.compile(r"(?i)(vnd|vnđ|đồng|đ|₫|\s|\.|,)")


def commune_scope(principal: Actor) -> str | None:
    """A commune officer sees their commune's people; the centre and officials the province."""
    if principal.role == Role.COMMUNE:
        return principal.commune_code or "-"
    if principal.role in (Role.JOB_CENTRE, Role.OFFICIAL, Role.ADMIN):
        return None
    raise NotFoundError(None, NO_SUCH_DEPARTURE)


def _find(session: Session, principal: Actor, line_id: int) -> DepartureRow:
    found = departures(session, DepartureFilters(commune_scope(principal)), line_id=line_id)
    if not found:
        raise NotFoundError(None, NO_SUCH_DEPARTURE)
    return found[0]


def departure(session: Session, *, principal: Actor, line_id: int) -> DepartureRow:
    """One departure within the user's relation (else: missing), its viewing audited."""
    row = _find(session, principal, line_id)
    audit_view(
        session, principal, "abroad_departure", entity_id=line_id, person_ids=[row.person.id]
    )
    return row


@dataclass
class DepartureForm:
    """The form as typed: kept whole when it is sent back with its errors."""

    orientation_attended: str = ""
    orientation_date: str = ""
    orientation_provider: str = ""
    support_kind: str = ""
    support_amount: str = ""
    support_source: str = ""
    planned_return: str = ""
    actual_return: str = ""
    languages: str = ""
    skills_learned: str = ""
    consent: str = ""
    # The consent the form showed when it was opened: only a box the clerk changed changes
    # the person's consent, so a form left open cannot undo a withdrawal made meanwhile.
    consent_was: str = ""

    @classmethod
    def from_fields(cls, posted: dict[str, str]) -> DepartureForm:
        return cls(**{each.name: posted.get(each.name, "") for each in fields(cls)})

    @classmethod
    def of(cls, row: DepartureRow) -> DepartureForm:
        care = row.care
        consent = "1" if row.person.consent_to_employers else ""
        if care is None:
            return cls(consent=consent, consent_was=consent)
        attended = {True: YES, False: NO, None: ""}[care.orientation_attended]
        return cls(
            orientation_attended=attended,
            orientation_date=_iso(care.orientation_date),
            orientation_provider=care.orientation_provider,
            support_kind=care.support_kind or "",
            support_amount="" if care.support_amount is None else str(care.support_amount),
            support_source=care.support_source,
            planned_return=_iso(care.planned_return),
            actual_return=_iso(care.actual_return),
            languages=care.languages,
            skills_learned=care.skills_learned,
            consent=consent,
            consent_was=consent,
        )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _optional_date(value: str, field: str) -> date | None:
    return parse_date(value, field) if clean_text(value) else None


def _attended(value: str) -> bool | None:
    if value not in ("", YES, NO):
        raise InvalidError("orientation_attended", "Choose yes or no.")
    return None if value == "" else value == YES


def _support_kind(value: str) -> str | None:
    if value and value not in {kind.value for kind in AbroadSupportKind}:
        raise InvalidError("support_kind", "Choose the kind of loan or support from the list.")
    return value or None


def _amount(value: str) -> int | None:
    text = _MONEY_MARKS.sub("", clean_text(value))
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise InvalidError(
            "support_amount",
            "{value} is not an amount of money: write it in VND, for example 50000000.",
            value=clean_text(value)[:40],
        )
    if len(text.lstrip("0")) > len(str(INT_MAX)) or int(text) > INT_MAX:
        raise InvalidError(
            "support_amount", "This number is too large: at most {max}.", max=INT_MAX
        )
    return int(text)


@dataclass(frozen=True)
class CheckedCare:
    attended: bool | None
    orientation_date: date | None
    provider: str
    support_kind: str | None
    amount: int | None
    source: str
    planned_return: date | None
    actual_return: date | None
    languages: str
    skills: str
    consent: bool | None  # None: the clerk left the box as it was shown


def check_form(form: DepartureForm, *, departed_on: date, today: date) -> CheckedCare:
    """Every field checked at once; each error names its field."""
    errors = ErrorCollector()
    attended = errors.check(_attended, form.orientation_attended)
    held_on = errors.check(_optional_date, form.orientation_date, "orientation_date")
    provider = errors.check(
        check_length, clean_text(form.orientation_provider), 200, "orientation_provider"
    )
    kind = errors.check(_support_kind, form.support_kind)
    amount = errors.check(_amount, form.support_amount)
    source = errors.check(check_length, clean_text(form.support_source), 200, "support_source")
    planned = errors.check(_optional_date, form.planned_return, "planned_return")
    returned = errors.check(_optional_date, form.actual_return, "actual_return")
    languages = errors.check(check_length, clean_text(form.languages), 300, "languages")
    skills = errors.check(check_length, clean_text(form.skills_learned), 500, "skills_learned")
    _cross_check(
        errors, form, attended, held_on, kind, amount, departed_on, planned, returned, today
    )
    errors.raise_if_any()
    return CheckedCare(
        attended, held_on, provider or "", kind, amount, source or "", planned, returned,
        languages or "", skills or "", _consent_given(form),
    )  # fmt: skip


def _consent_given(form: DepartureForm) -> bool | None:
    """The consent the clerk set, or None when the box is as the form showed it."""
    ticked = form.consent in ("1", "on", "true")
    shown = form.consent_was in ("1", "on", "true")
    return None if ticked == shown else ticked


def _cross_check(
    errors: ErrorCollector,
    form: DepartureForm,
    attended: bool | None,
    held_on: date | None,
    kind: str | None,
    amount: int | None,
    departed_on: date,
    planned: date | None,
    returned: date | None,
    today: date,
) -> None:
    if (
        held_on is not None
        and attended is not True
        and not errors.has_error("orientation_attended")
    ):
        errors.add(InvalidError("orientation_date", "A date of orientation needs the answer yes."))
    if held_on is not None and held_on > departed_on:
        errors.add(
            InvalidError(
                "orientation_date",
                "The orientation comes before the departure on {date}.",
                date=departed_on,
            )
        )
    if amount is not None and kind is None and not errors.has_error("support_kind"):
        errors.add(InvalidError("support_kind", "Choose the kind of loan or support."))
    for field, day in (("planned_return", planned), ("actual_return", returned)):
        if day is not None and day <= departed_on:
            errors.add(
                InvalidError(
                    field,
                    "The return comes after the departure on {date}.",
                    date=departed_on,
                )
            )
    if returned is not None and returned > today:
        errors.add(InvalidError("actual_return", "The actual return cannot be in the future."))
    learned = clean_text(form.languages) or clean_text(form.skills_learned)
    if learned and not clean_text(form.actual_return):
        errors.add(
            InvalidError(
                "actual_return",
                "Languages and skills are recorded at return: give the return date.",
            )
        )


def save_departure(
    session: Session, *, principal: Actor, line_id: int, form: DepartureForm
) -> AbroadDeparture:
    """Record the departure's care; posted twice, the same row is written once."""
    row = _find(session, principal, line_id)
    end_read(session)  # keeps the rows read; the write takes its own transaction
    checked = check_form(form, departed_on=row.line.start_date, today=clock_today())
    try:
        return _write(session, principal, row, checked)
    except IntegrityError:  # another click inserted it first: update that row
        session.rollback()
        return _write(session, principal, row, checked)


def _write(
    session: Session, principal: Actor, row: DepartureRow, checked: CheckedCare
) -> AbroadDeparture:
    with unit_of_work(session):
        care = session.exec(
            select(AbroadDeparture).where(col(AbroadDeparture.line_id) == row.line.id)
        ).first()
        created = care is None
        if care is None:
            care = AbroadDeparture(line_id=row.line.id or 0, person_id=row.person.id or 0)
        care.orientation_attended = checked.attended
        care.orientation_date = checked.orientation_date
        care.orientation_provider = checked.provider
        care.support_kind = checked.support_kind
        care.support_amount = checked.amount
        care.support_source = checked.source
        care.planned_return = checked.planned_return
        care.actual_return = checked.actual_return
        care.languages = checked.languages
        care.skills_learned = checked.skills
        care.updated_by_id = principal.user_id
        care.updated_at = utcnow()
        session.add(care)
        session.flush()
        consent_changed = checked.consent is not None and _set_consent(
            session, row.person.id or 0, checked.consent
        )
        audit.record(
            session,
            user_id=principal.user_id,
            action="create" if created else "update",
            entity="abroad_departure",
            entity_id=care.id,
            person_id=row.person.id,
            line_id=row.line.id,
            returned=checked.actual_return is not None,
            consent_changed=consent_changed,
        )
    return care


def _set_consent(session: Session, person_id: int, consent: bool) -> bool:
    person = session.get(Person, person_id)
    if person is None or person.consent_to_employers == consent:
        return False
    person.consent_to_employers = consent
    person.consent_at = utcnow() if consent else None
    person.updated_at = utcnow()
    session.add(person)
    return True
