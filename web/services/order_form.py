"""The training order form: what the employer types, and every field checked at once (the
committed wage against the regional minimum where the work is)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from models.enums import FundingSource
from models.errors import InvalidError
from models.queries.reference import WorkPlaceInput
from models.queries.training_orders import (
    institution_options,
)
from models.tables import TrainingLevel, TrainingOccupation
from models.tables.employment import TrainingOrderCreate
from models.validation import (
    ErrorCollector,
    bounds,
    check_length,
    clean_text,
    max_length,
    parse_date,
    validate_quantity,
)
from models.validation.base import stored_whole
from models.wages import check_vacancy_wage
from web.services.course_form import check_taught_at
from web.services.vacancy_form import checked_work_place, level_code_from, occupation_id_from

_MONEY_NOISE = re.compile(r"(?i)[\s.,]|₫|vnđ|vnd|đồng|đ")


@dataclass
class OrderForm:
    """The order form as typed; every value a string."""

    institution_id: str = ""
    occupation_id: str = ""
    level_code: str = ""
    quantity: str = ""
    needed_by: str = ""
    unit_cost: str = ""
    hiring_commitment: str = ""
    committed_wage: str = ""
    funding_source: str = ""
    note: str = ""
    location_kind: str = "commune"
    commune_code: str = ""
    province_code: str = ""
    country_code: str = ""


@dataclass
class OrderInput:
    institution_id: int
    occupation_id: int
    level_code: str
    quantity: int
    needed_by: date
    unit_cost: int | None
    hiring_commitment: int
    committed_wage: int | None
    funding_source: str | None
    note: str
    place: WorkPlaceInput


def _institution(session: Session, raw: str) -> int:
    if clean_text(raw) not in {o.value for o in institution_options(session)}:
        raise InvalidError("institution_id", "Choose an institution from the list.")
    return int(clean_text(raw))


def _amount(raw: str, field_name: str) -> int | None:
    text = _MONEY_NOISE.sub("", clean_text(raw))
    if not clean_text(raw):
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidError(
            field_name,
            "{value} is not an amount of money: write it in VND, for example 5000000.",
            value=clean_text(raw),
        )
    return stored_whole(text, field_name)


def _needed_by(raw: str, on: date) -> date:
    needed_by = parse_date(raw, "needed_by")
    if needed_by <= on:
        raise InvalidError("needed_by", "The date the workers are needed by must be in the future.")
    return needed_by


def _commitment(raw: str, quantity: int | None) -> int:
    text = clean_text(raw)
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()):
        raise InvalidError("hiring_commitment", "{value} is not a whole number.", value=text)
    commitment = stored_whole(text, "hiring_commitment")
    if quantity is not None and commitment > quantity:
        raise InvalidError(
            "hiring_commitment",
            "The hiring commitment ({commitment}) may not be more than the number of workers "
            "ordered ({quantity}).",
            commitment=commitment,
            quantity=quantity,
        )
    return commitment


def _funding(raw: str) -> str | None:
    value = clean_text(raw)
    if value and value not in {source.value for source in FundingSource}:
        raise InvalidError("funding_source", "Choose a funding source from the list.")
    return value or None


def _note(raw: str) -> str:
    note = (raw or "").strip()
    limit = max_length(TrainingOrderCreate, "note")
    return check_length(note, limit, "note", "The note may have at most {max} characters.")


def _check_wage(session: Session, wage: int, place: WorkPlaceInput, on: date) -> None:
    """The committed wage against the regional minimum where the work is, when it starts."""
    try:
        check_vacancy_wage(
            session,
            wage_min=wage,
            wage_max=None,
            location_kind=place.location_kind,
            commune_code=place.commune_code,
            province_code=place.province_code,
            on=on,
        )
    except InvalidError as error:
        raise InvalidError("committed_wage", error.msgid, **error.params) from error


def parse_order(session: Session, form: OrderForm, *, on: date) -> OrderInput:
    """Every field checked, all errors raised together (ValidationErrors)."""
    errors = ErrorCollector()
    institution_id = errors.check(_institution, session, form.institution_id)
    occupation_id = errors.check(
        occupation_id_from, session, form.occupation_id, on=on, field_name="occupation_id"
    )
    level = errors.check(
        level_code_from, session, form.level_code, field_name="level_code", required=True
    )
    if occupation_id is not None and level is not None:
        occupation = session.get(TrainingOccupation, occupation_id)
        level_row = session.get(TrainingLevel, level)
        if occupation is not None and level_row is not None:
            errors.check(check_taught_at, occupation, level_row)
    most = bounds(TrainingOrderCreate, "quantity")[1]
    quantity = errors.check(validate_quantity, form.quantity, maximum=most)
    needed_by = errors.check(_needed_by, form.needed_by, on)
    unit_cost = errors.check(_amount, form.unit_cost, "unit_cost")
    commitment = errors.check(_commitment, form.hiring_commitment, quantity)
    wage = errors.check(_amount, form.committed_wage, "committed_wage")
    funding = errors.check(_funding, form.funding_source)
    note = errors.check(_note, form.note)
    place = checked_work_place(errors, session, form, on)
    if wage is not None and place is not None:
        errors.check(_check_wage, session, wage, place, needed_by or on)
    errors.raise_if_any()
    values: dict[str, Any] = {
        "institution_id": institution_id,
        "occupation_id": occupation_id,
        "level_code": level,
        "quantity": quantity,
        "needed_by": needed_by,
        "unit_cost": unit_cost,
        "hiring_commitment": commitment or 0,
        "committed_wage": wage,
        "funding_source": funding,
        "note": note or "",
        "place": place,
    }
    return OrderInput(**values)
