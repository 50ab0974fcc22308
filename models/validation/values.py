"""People's names and the numbers a vacancy or order carries: wages in đồng, ages, counts."""

from __future__ import annotations

import re
import unicodedata

from models.errors import InvalidError
from models.formatting import Vnd
from models.ids import INT_MAX
from models.tables.training import PersonCreate
from models.validation.base import clean_text, require_text
from models.validation.rules import check_length, max_length

LEGAL_WORKING_AGE = 15
HIGHEST_AGE_LIMIT = 65
# Typographic apostrophes typed on phones ("H’Mông") are stored as the plain one, so the
# same name is spelled one way in the database.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_CURRENCY = re.compile(r"(?i)(₫|vnđ|vnd|đồng|đ)")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:([.,])[0-9]{3})?(?:\1[0-9]{3})*$")


def validate_full_name(value: object, field: str = "full_name") -> str:
    """A name as written, in NFC with single spaces: letters, spaces, apostrophes (H'Mông) and
    hyphens only. Case is left alone: particles and minority names keep their spelling."""
    name = require_text(value, field).translate(_APOSTROPHES)
    for character in name:
        if character.isdigit():
            raise InvalidError(field, "A name may not contain digits.")
        if not (_is_letter(character) or character in " '-"):
            raise InvalidError(
                field,
                "A name may contain only letters, spaces, apostrophes and hyphens (not "
                "“{character}”).",
                character=character,
            )
    if sum(_is_letter(character) for character in name) < 2:
        raise InvalidError(field, "A name must have at least 2 letters.")
    limit = max_length(PersonCreate, "full_name")
    return check_length(name, limit, field, "A name may have at most {max} characters.")


def _is_letter(character: str) -> bool:
    return unicodedata.category(character)[0] in "LM"


def _capped(digits: str) -> int:
    """int() of ASCII digits (a leading minus allowed); text too long for any column is read
    as one beyond INT_MAX, so the caller's range check refuses it (int() itself refuses more
    than 4300 digits, and is slow long before)."""
    if len(digits.lstrip("-").lstrip("0")) > len(str(INT_MAX)):
        return -(INT_MAX + 1) if digits.startswith("-") else INT_MAX + 1
    return int(digits)


def _whole_number(value: object) -> int | None:
    """An int from an int, an integral float (a spreadsheet cell) or digit text; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = clean_text(value).replace(" ", "")
    if re.fullmatch(r"-?[0-9]+", text):
        return _capped(text)
    return None


def _amount(value: object) -> int | None:
    """Đồng from 5310000, "5.310.000", "5,310,000 đ" or "5 310 000 VND"; else None."""
    if isinstance(value, (int, float)):
        return _whole_number(value)
    text = _CURRENCY.sub("", clean_text(value)).replace(" ", "")
    if re.fullmatch(r"-?[0-9]+", text):
        return _capped(text)
    sign = -1 if text.startswith("-") else 1
    digits = text.removeprefix("-")
    if _GROUPED.match(digits):
        return sign * _capped(re.sub(r"[.,]", "", digits))
    return None


def _is_blank(value: object) -> bool:
    return value is None or clean_text(value) == ""


def _wage(value: object, field: str) -> int | None:
    if _is_blank(value):
        return None
    amount = _amount(value)
    if amount is None:
        raise InvalidError(
            field,
            "{value} is not an amount of money: write it in VND, for example 5000000.",
            value=clean_text(value),
        )
    if amount <= 0:
        raise InvalidError(field, "A wage must be more than zero.")
    if amount > INT_MAX:
        raise InvalidError(field, "A wage may be at most {max}.", max=Vnd(INT_MAX))
    return amount


def validate_wage(value: object, field: str = "wage") -> int | None:
    """An optional wage in VND: None when blank, a clear message when not an amount."""
    return _wage(value, field)


def validate_wage_range(
    wage_min: object,
    wage_max: object,
    *,
    field_min: str = "wage_min",
    field_max: str = "wage_max",
) -> tuple[int | None, int | None]:
    """Monthly (or hourly) wages in đồng; either may be blank ("from …", "up to …", or
    negotiable when both are); the highest may not be below the lowest."""
    lowest = _wage(wage_min, field_min)
    highest = _wage(wage_max, field_max)
    if lowest is not None and highest is not None and highest < lowest:
        raise InvalidError(
            field_max,
            "The highest wage {wage_max} is below the lowest wage {wage_min}.",
            wage_max=Vnd(highest),
            wage_min=Vnd(lowest),
        )
    return lowest, highest


def _age(value: object, field: str, lowest: int, highest: int) -> int | None:
    if _is_blank(value):
        return None
    age = _whole_number(value)
    if age is None:
        raise InvalidError(field, "{value} is not a whole number.", value=clean_text(value))
    if age < lowest:
        raise InvalidError(
            field, "An age limit may not be below {lowest}, the legal working age.", lowest=lowest
        )
    if age > highest:
        raise InvalidError(field, "An age limit may not be above {highest}.", highest=highest)
    return age


def validate_age_range(
    age_min: object,
    age_max: object,
    *,
    field_min: str = "age_min",
    field_max: str = "age_max",
    lowest: int = LEGAL_WORKING_AGE,
    highest: int = HIGHEST_AGE_LIMIT,
) -> tuple[int | None, int | None]:
    """Age limits of a vacancy or order; either may be blank."""
    youngest = _age(age_min, field_min, lowest, highest)
    oldest = _age(age_max, field_max, lowest, highest)
    if youngest is not None and oldest is not None and oldest < youngest:
        raise InvalidError(
            field_max,
            "The maximum age {age_max} is below the minimum age {age_min}.",
            age_max=oldest,
            age_min=youngest,
        )
    return youngest, oldest


def validate_quantity(value: object, field: str = "quantity", *, maximum: int | None = None) -> int:
    """A count of places or learners: a whole number of at least 1."""
    text = require_text(value, field) if not isinstance(value, (int, float)) else value
    quantity = _whole_number(text)
    if quantity is None:
        raise InvalidError(field, "{value} is not a whole number.", value=clean_text(value))
    if quantity < 1:
        raise InvalidError(field, "The quantity must be at least 1.")
    maximum = INT_MAX if maximum is None else min(maximum, INT_MAX)  # what a column holds
    if quantity > maximum:
        raise InvalidError(field, "The quantity may not be more than {maximum}.", maximum=maximum)
    return quantity
