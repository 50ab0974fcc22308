"""Vietnamese phone numbers: checked against libphonenumber's allocated ranges (not a bare
regex, since many 0x prefixes are unallocated), stored in E.164, shown the national way."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from models.errors import InvalidError
from models.validation.base import require_text

# Digits and the separators people type; "+" may open the number or sit in "(+84)".
_ALLOWED_CHARACTERS = re.compile(r"^[\d\s.\-()+]+$")
_PERSON_TYPES = (
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
)
VN_COUNTRY_CODE = 84


def _expected_length(national_number: str) -> int | None:
    """Significant digits after the leading 0: 10 for a landline (0215 …), 9 for a mobile;
    None for prefixes that are no subscriber's number at all (1900 …, 06 …)."""
    if national_number.startswith("2"):
        return 10
    return 9 if national_number[:1] in ("3", "5", "7", "8", "9") else None


def _parse(text: str, field: str) -> phonenumbers.PhoneNumber:
    if not _ALLOWED_CHARACTERS.match(text) or not any(ch.isdigit() for ch in text):
        raise InvalidError(field, "{value} is not a phone number.", value=text)
    try:
        return phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException as error:
        raise InvalidError(field, "{value} is not a phone number.", value=text) from error


def normalise_phone(value: object, field: str = "phone") -> str:
    """A Vietnamese mobile or landline typed as 0912 345 678, 0912.345.678, 84912345678 or
    +84 912 345 678, returned in E.164 (+84912345678)."""
    text = require_text(value, field)
    number = _parse(text, field)
    if number.country_code != VN_COUNTRY_CODE:
        raise InvalidError(field, "Only Vietnamese phone numbers are accepted.")
    national = str(number.national_number)
    expected = _expected_length(national)
    if expected is not None and len(national) != expected:
        raise InvalidError(
            field,
            "A Vietnamese phone number has {digits} digits starting with 0 (you entered {value}).",
            digits=expected + 1,
            value=text,
        )
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.number_type(number) not in _PERSON_TYPES
    ):
        raise InvalidError(
            field, "The phone number {value} is not in a range in use in Vietnam.", value=text
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)  # parsing is the slow part of a list of 50 masked phones
def display_phone(e164: str) -> str:
    """`0912 345 678` from `+84912345678`; anything unparsable is shown as stored."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def mask_phone(e164: str) -> str:
    """`0912 *** 678`: the prefix and the last three digits, for those who need only to
    recognise the number."""
    digits = re.sub(r"\D", "", display_phone(e164))
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:4]} *** {digits[-3:]}"
