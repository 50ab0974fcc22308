"""Input validators: pure functions that return the normalised value or raise
`InvalidError(field, msgid, **params)`, whose message the catalogue shows in the user's
language. Import them from here; they live in its modules by subject.

A form or an import row reports all its field errors at once::

    with collect() as errors:
        name = errors.check(validate_full_name, form["full_name"])
        phone = errors.check(normalise_phone, form["phone"])
    # leaving the block raised ValidationErrors if any check failed
"""

from __future__ import annotations

from models.validation.base import (
    ErrorCollector,
    FieldWarning,
    clean_text,
    collect,
    require_text,
    stored_whole,
)
from models.validation.dates import (
    age_on,
    parse_date,
    validate_birth_date,
    validate_date_range,
)
from models.validation.enrolment import (
    EARLY_ENROLMENT,
    LATE_GRADUATION,
    check_enrolment_date,
    check_graduation_date,
)
from models.validation.ids import (
    LEGACY_PROVINCE_CODES,
    CitizenIdCheck,
    check_citizen_id,
    mask_citizen_id,
    validate_citizen_id,
    validate_tax_code,
)
from models.validation.phone import display_phone, mask_phone, normalise_phone
from models.validation.rules import bounds, check_length, item_max_length, max_length
from models.validation.values import (
    validate_age_range,
    validate_full_name,
    validate_quantity,
    validate_wage,
    validate_wage_range,
)

__all__ = [
    "EARLY_ENROLMENT",
    "LATE_GRADUATION",
    "LEGACY_PROVINCE_CODES",
    "CitizenIdCheck",
    "ErrorCollector",
    "FieldWarning",
    "age_on",
    "bounds",
    "check_citizen_id",
    "check_enrolment_date",
    "check_graduation_date",
    "check_length",
    "clean_text",
    "collect",
    "display_phone",
    "item_max_length",
    "mask_citizen_id",
    "mask_phone",
    "max_length",
    "normalise_phone",
    "parse_date",
    "require_text",
    "stored_whole",
    "validate_age_range",
    "validate_birth_date",
    "validate_citizen_id",
    "validate_date_range",
    "validate_full_name",
    "validate_quantity",
    "validate_tax_code",
    "validate_wage",
    "validate_wage_range",
]
