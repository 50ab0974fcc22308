"""A new person as typed on the enrolment form, every field checked at once, and the person
row built from it (name keys and derived flags included)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models.clock import today, utcnow
from models.enums import HouseholdStatus, Sex
from models.errors import InvalidError
from models.people import derived_flags, name_fields
from models.queries.reference import commune_options
from models.tables import Ethnicity, Person
from models.tables.training import PersonCreate
from models.validation import (
    ErrorCollector,
    check_length,
    clean_text,
    max_length,
    normalise_phone,
    validate_birth_date,
    validate_citizen_id,
    validate_full_name,
)


@dataclass
class PersonForm:
    """A new person as typed on the enrol form."""

    citizen_id: str = ""
    full_name: str = ""
    birth_date: str = ""
    sex: str = ""
    ethnicity_code: str = ""
    commune_code: str = ""
    village: str = ""
    phone: str = ""
    household_status: str = ""
    has_disability: bool = False
    in_difficult_village: bool = False
    consent: bool = False


def _sex(value: str) -> str:
    if value not in {sex.value for sex in Sex}:
        raise InvalidError("sex", "Choose the sex.")
    return value


def _ethnicity(session: Session, code: str) -> str:
    if not code or session.get(Ethnicity, code) is None:
        raise InvalidError("ethnicity_code", "Choose an ethnic group from the list.")
    return code


def _commune(session: Session, code: str) -> str:
    if code not in {option.value for option in commune_options(session, on=today())}:
        raise InvalidError("commune_code", "Choose a commune of the province.")
    return code


def _optional_phone(value: str) -> str | None:
    return normalise_phone(value) if value.strip() else None


def _household(value: str) -> str | None:
    if value and value not in {status.value for status in HouseholdStatus}:
        raise InvalidError("household_status", "Choose a household status from the list.")
    return value or None


def _village(value: str) -> str:
    return check_length(clean_text(value), max_length(PersonCreate, "village"), "village")


def new_person(session: Session, form: PersonForm) -> Person:
    """A Person built from the form (not yet added), or ValidationErrors for every bad
    field. The citizen ID is checked against the birth date and sex it encodes."""
    errors = ErrorCollector()
    name = errors.check(validate_full_name, form.full_name)
    born = errors.check(validate_birth_date, form.birth_date, today=today())
    sex = errors.check(_sex, form.sex)
    citizen_id = errors.check(validate_citizen_id, form.citizen_id, birth_date=born, sex=sex)
    ethnicity = errors.check(_ethnicity, session, form.ethnicity_code)
    commune = errors.check(_commune, session, form.commune_code)
    phone = errors.check(_optional_phone, form.phone)
    household = errors.check(_household, form.household_status)
    village = errors.check(_village, form.village)
    errors.raise_if_any()
    assert name and born and sex and citizen_id and ethnicity and commune  # checked above
    now = utcnow()
    values: dict[str, Any] = {
        **name_fields(name),
        **derived_flags(session, ethnicity_code=ethnicity, commune_code=commune, on=today()),
        "birth_date": born,
        "sex": sex,
        "citizen_id": citizen_id,
        "ethnicity_code": ethnicity,
        "commune_code": commune,
        "village": village or "",
        "phone": phone,
        "household_status": household,
        "has_disability": form.has_disability,
        "in_difficult_village": form.in_difficult_village,
        "consent_to_employers": form.consent,
        "consent_at": now if form.consent else None,
    }
    return Person(**values)
