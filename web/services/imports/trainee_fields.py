"""The columns of a trainee row read one by one: each returns the value to store or raises
InvalidError on its column, with a "did you mean" for an ethnic group or a commune."""

from __future__ import annotations

from datetime import date

from models.errors import InvalidError
from models.excel import CellValue
from models.excel.columns import VILLAGE
from models.queries.admin_units import CommuneIndex
from models.queries.course_rosters import EthnicGroups
from models.tables import Course
from models.validation import (
    CitizenIdCheck,
    check_citizen_id,
    check_enrolment_date,
    clean_text,
    normalise_phone,
    parse_date,
    validate_birth_date,
)
from web.services.imports.rows import cell_text, citizen_id_text

MIN_AGE, MAX_AGE = 15, 65


def ethnicity_code(value: CellValue, groups: EthnicGroups) -> str:
    text = cell_text(value)
    if not text:
        raise InvalidError("ethnicity", "This field is required.")
    code = groups.resolve(text)
    if code is not None:
        return code
    suggestions = groups.suggest(text)
    if suggestions:
        raise InvalidError(
            "ethnicity",
            "Unknown ethnic group “{value}”. Did you mean: {suggestions}?",
            value=text,
            suggestions=", ".join(suggestions),
        )
    raise InvalidError(
        "ethnicity",
        "Unknown ethnic group “{value}”: write its name or its two-digit code (see the sheet "
        "Danh mục of the template).",
        value=text,
    )


def commune_code(value: CellValue, communes: CommuneIndex) -> str:
    text = cell_text(value)
    if not text:
        raise InvalidError("commune", "This field is required.")
    match = communes.match(text)
    if match.unit is not None:
        return match.unit.code
    if match.districts:
        raise InvalidError(
            "commune",
            "Several former communes were called “{value}” (in {districts}): add the former "
            "district after a comma, for example “{value}, {district}”.",
            value=text,
            districts=", ".join(match.districts),
            district=match.districts[0],
        )
    suggestions = communes.suggest(text)
    if suggestions:
        raise InvalidError(
            "commune",
            "Unknown commune or ward “{value}”. Did you mean: {suggestions}?",
            value=text,
            suggestions="; ".join(suggestions),
        )
    raise InvalidError(
        "commune",
        "Unknown commune or ward “{value}”: write the name of a commune or ward of Điện Biên "
        "or its five-digit code.",
        value=text,
    )


def optional_phone(value: CellValue) -> str | None:
    text = cell_text(value)
    return normalise_phone(text, "phone") if text else None


def village(value: CellValue) -> str:
    return VILLAGE.check_length(clean_text(value))


def enrolled_on(value: CellValue, course: Course) -> date:
    """The enrolment date (the course's start when blank), inside the course
    (models.validation.check_enrolment_date)."""
    if cell_text(value) == "":
        return course.start_date
    return check_enrolment_date(
        parse_date(value, "enrolled_on"), start=course.start_date, end=course.end_date
    )


def birth_date(value: CellValue, today: date) -> date:
    return validate_birth_date(
        value, today=today, min_age=MIN_AGE, max_age=MAX_AGE, field="birth_date"
    )


def identity(value: CellValue, birth: date | None, sex: str | None, today: date) -> CitizenIdCheck:
    """The ID number checked against the date of birth and the sex when those are valid."""
    number = citizen_id_text(value)
    return check_citizen_id(number, birth_date=birth, sex=sex, field="citizen_id", today=today)
