"""Correcting a person's record: the institution that enrolled them, officials and
administrators. Every field changed leaves a `person_change` row with the old and the new
value (phones sealed like the person's own column) and one audit entry; the name keys, the
sort key and the derived priority flags follow the new values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models import audit
from models.clock import today, utcnow
from models.db import unit_of_work
from models.errors import NotFoundError
from models.people import derived_flags, name_fields
from models.queries import people as people_queries
from models.tables import Person, PersonChange, UserAccount
from models.validation import (
    ErrorCollector,
    validate_birth_date,
    validate_citizen_id,
    validate_full_name,
)
from web.auth import Principal
from web.permissions import NO_SUCH_PERSON, require_person
from web.services.person_form import (
    PersonForm,
    _commune,
    _ethnicity,
    _household,
    _optional_phone,
    _sex,
    _village,
)

# The fields a correction may change, in the order the history shows them.
EDITABLE = (
    "full_name",
    "birth_date",
    "sex",
    "ethnicity_code",
    "commune_code",
    "village",
    "phone",
    "household_status",
    "has_disability",
    "in_difficult_village",
)
SEALED_FIELDS = frozenset({"phone", "citizen_id"})  # kept encrypted in the history


def form_of(person: Person) -> PersonForm:
    """The edit form filled with the person as stored."""
    return PersonForm(
        citizen_id=person.citizen_id or "",
        full_name=person.full_name,
        birth_date=person.birth_date.isoformat(),
        sex=person.sex,
        ethnicity_code=person.ethnicity_code or "",
        commune_code=person.commune_code,
        village=person.village,
        phone=person.phone or "",
        household_status=person.household_status or "",
        has_disability=person.has_disability,
        in_difficult_village=person.in_difficult_village,
    )


def editable_person(session: Session, *, principal: Principal, person_id: int) -> Person:
    """The person, if this user may correct them (their institution enrolled the person,
    or an official or administrator); anyone else: as if there were no such person."""
    record = people_queries.person_record(session, person_id)
    if record is None:
        raise NotFoundError(None, NO_SUCH_PERSON)
    require_person(principal, {row.institution.id or 0 for row in record.enrolments})
    return record.person


def _checked(session: Session, person: Person, form: PersonForm) -> dict[str, Any]:
    """The new values, every field checked at once; the stored citizen ID must still agree
    with the birth date and sex it encodes."""
    errors = ErrorCollector()
    name = errors.check(validate_full_name, form.full_name)
    born = errors.check(validate_birth_date, form.birth_date, today=today())
    sex = errors.check(_sex, form.sex)
    if person.citizen_id and born and sex:
        errors.check(
            validate_citizen_id, person.citizen_id, birth_date=born, sex=sex, field="birth_date"
        )
    values = {
        "full_name": name,
        "birth_date": born,
        "sex": sex,
        "ethnicity_code": errors.check(_ethnicity, session, form.ethnicity_code),
        "commune_code": errors.check(_commune, session, form.commune_code),
        "village": errors.check(_village, form.village) or "",
        "phone": errors.check(_optional_phone, form.phone),
        "household_status": errors.check(_household, form.household_status),
        "has_disability": form.has_disability,
        "in_difficult_village": form.in_difficult_village,
    }
    errors.raise_if_any()
    return values


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _history_row(
    person_id: int, user_id: int | None, name: str, old: Any, new: Any
) -> PersonChange:
    old_text, new_text = _shown(old), _shown(new)
    if name in SEALED_FIELDS:
        return PersonChange(
            person_id=person_id,
            user_id=user_id,
            field=name,
            old_sealed=old_text,
            new_sealed=new_text,
        )
    return PersonChange(
        person_id=person_id, user_id=user_id, field=name, old_value=old_text, new_value=new_text
    )


def update_person(
    session: Session, *, principal: Principal, person_id: int, form: PersonForm
) -> list[str]:
    """Correct the person; returns the fields changed (none: nothing is written)."""
    with unit_of_work(session):
        person = editable_person(session, principal=principal, person_id=person_id)
        values = _checked(session, person, form)
        changed = [name for name in EDITABLE if getattr(person, name) != values[name]]
        if not changed:
            return []
        for name in changed:
            session.add(
                _history_row(
                    person_id, principal.user.id, name, getattr(person, name), values[name]
                )
            )
        assert values["full_name"] and values["ethnicity_code"] and values["commune_code"]
        updates = dict(values)
        updates |= name_fields(values["full_name"])
        updates |= derived_flags(
            session,
            ethnicity_code=values["ethnicity_code"],
            commune_code=values["commune_code"],
            on=today(),
        )
        for name, value in updates.items():
            setattr(person, name, value)
        person.updated_at = utcnow()
        session.add(person)
        audit.record(
            session,
            user_id=principal.user.id,
            action="update",
            entity="person",
            entity_id=person_id,
            person_id=person_id,
            fields=changed,
        )
        return changed


@dataclass(frozen=True)
class ChangeRow:
    """One line of a person's history as the page shows it."""

    changed_at: Any
    field: str
    old: str | None
    new: str | None
    by: str


def history(session: Session, person_id: int) -> list[ChangeRow]:
    """The person's corrections, newest first (the caller has checked access and audits the
    page, which shows personal data anyway)."""
    rows = session.exec(
        select(PersonChange, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(PersonChange.user_id), isouter=True)
        .where(col(PersonChange.person_id) == person_id)
        .order_by(col(PersonChange.changed_at).desc(), col(PersonChange.id).desc())
    ).all()
    return [
        ChangeRow(
            changed_at=change.changed_at,
            field=change.field,
            old=change.old_sealed if change.field in SEALED_FIELDS else change.old_value,
            new=change.new_sealed if change.field in SEALED_FIELDS else change.new_value,
            by=user.full_name if user else "",
        )
        for change, user in rows
    ]
