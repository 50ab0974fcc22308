"""The vacancy form: what is typed, and every field checked at once (every field's error
together); the wage against the regional minimum of the work location."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlmodel import Session

from matching.text import nfc, search_key
from models.clock import today
from models.errors import InvalidError
from models.queries import reference
from models.queries.reference import WorkPlaceInput, validate_work_place
from models.tables import TrainingLevel, Vacancy
from models.tables.employment import VacancyCreate
from models.validation import (
    ErrorCollector,
    bounds,
    check_length,
    clean_text,
    item_max_length,
    max_length,
    parse_date,
    require_text,
    validate_age_range,
    validate_quantity,
    validate_wage_range,
)
from models.wages import check_vacancy_wage

NO_OCCUPATION = "none"  # the employer saw the suggestions and chose none of them


_SKILL_SEPARATORS = re.compile(r"[,;\n\r]+")


class WorkPlaceFields(Protocol):
    """The fields of a form (vacancy, training order) that say where the work is."""

    location_kind: str
    commune_code: str
    province_code: str
    country_code: str


def checked_work_place(
    errors: ErrorCollector, session: Session, form: WorkPlaceFields, on: date
) -> WorkPlaceInput | None:
    """The work place the form names, or None after recording why it is not one."""
    return errors.check(
        validate_work_place,
        session,
        form.location_kind,
        form.commune_code,
        form.province_code,
        form.country_code,
        on=on,
    )


def work_choices(session: Session) -> dict[str, list[Any]]:
    """The lists the vacancy and the training order forms both offer: the occupation, its
    level, and where the work is (the registers as of today)."""
    on = today()
    return {
        "occupations": reference.occupation_options(session, on=on),
        "levels": reference.level_options(session, on=on),
        "communes": reference.commune_options(session, on=on),
        "provinces": reference.province_options(session, on=on),
        "countries": reference.country_options(session),
    }


@dataclass
class VacancyForm:
    """The vacancy form as typed: every value a string, checked by `parse_vacancy`."""

    title: str = ""
    occupation_id: str = ""  # an id, NO_OCCUPATION, or "" (not chosen yet: suggest)
    description: str = ""
    skills: str = ""
    quantity: str = ""
    required_level_code: str = ""
    wage_min: str = ""
    wage_max: str = ""
    age_min: str = ""
    age_max: str = ""
    location_kind: str = "commune"
    commune_code: str = ""
    province_code: str = ""
    country_code: str = ""
    start_date: str = ""
    deadline: str = ""

    @classmethod
    def from_vacancy(cls, vacancy: Vacancy) -> VacancyForm:
        def text(value: object) -> str:
            return "" if value is None else str(value)

        def day(value: date | None) -> str:
            return value.strftime("%d/%m/%Y") if value else ""

        return cls(
            title=vacancy.title,
            occupation_id=text(vacancy.occupation_id) or NO_OCCUPATION,
            description=vacancy.description,
            skills=", ".join(vacancy.skills),
            quantity=text(vacancy.quantity),
            required_level_code=text(vacancy.required_level_code),
            wage_min=text(vacancy.wage_min),
            wage_max=text(vacancy.wage_max),
            age_min=text(vacancy.age_min),
            age_max=text(vacancy.age_max),
            location_kind=vacancy.location_kind,
            commune_code=text(vacancy.commune_code),
            province_code=text(vacancy.province_code),
            country_code=text(vacancy.country_code),
            start_date=day(vacancy.start_date),
            deadline=day(vacancy.deadline),
        )


@dataclass
class VacancyInput:
    """A checked vacancy form, ready to store."""

    title: str
    occupation_id: int | None
    occupation_chosen: bool
    description: str
    skills: list[str]
    quantity: int
    required_level_code: str | None
    wage_min: int | None
    wage_max: int | None
    age_min: int | None
    age_max: int | None
    place: WorkPlaceInput
    start_date: date | None
    deadline: date | None


def parse_skills(text: str) -> list[str]:
    """Skills separated by commas, semicolons or lines; the same skill once."""
    skills: dict[str, str] = {}
    for part in _SKILL_SEPARATORS.split(text or ""):
        skill = nfc(part)
        if skill and search_key(skill) not in skills:
            skills[search_key(skill)] = skill
    return list(skills.values())


def _skills(text: str) -> list[str]:
    skills = parse_skills(text)
    most = max_length(VacancyCreate, "skills")
    if len(skills) > most:
        raise InvalidError("skills", "List at most {max} skills.", max=most)
    longest = item_max_length(VacancyCreate, "skills")
    for skill in skills:
        check_length(skill, longest, "skills", "A skill may have at most {max} characters.")
    return skills


def _title(value: str) -> str:
    title = require_text(value, "title")
    limit = max_length(VacancyCreate, "title")
    return check_length(title, limit, "title", "A title may have at most {max} characters.")


def _description(value: str) -> str:
    text = (value or "").strip()
    limit = max_length(VacancyCreate, "description")
    msgid = "The description may have at most {max} characters."
    return check_length(text, limit, "description", msgid)


def occupation_id_from(session: Session, raw: str, *, on: date, field_name: str) -> int:
    options = {option.value for option in reference.occupation_options(session, on=on)}
    if clean_text(raw) not in options:
        raise InvalidError(field_name, "Choose an occupation from the list.")
    return int(clean_text(raw))


def level_code_from(session: Session, raw: str, *, field_name: str, required: bool) -> str | None:
    code = clean_text(raw)
    if not code and not required:
        return None
    if not code or session.get(TrainingLevel, code) is None:
        raise InvalidError(field_name, "Choose a training level from the list.")
    return code


def _optional_date(raw: str, field_name: str) -> date | None:
    return parse_date(raw, field_name) if clean_text(raw) else None


def _occupation(session: Session, raw: str, on: date) -> tuple[int | None, bool]:
    if clean_text(raw) == "":
        return None, False
    if clean_text(raw) == NO_OCCUPATION:
        return None, True
    return occupation_id_from(session, raw, on=on, field_name="occupation_id"), True


def parse_vacancy(
    session: Session, form: VacancyForm, *, on: date, previous: Vacancy | None = None
) -> VacancyInput:
    """Every field checked, all errors raised together (ValidationErrors); then the wage
    against the regional minimum of the work location on the start date (else today)."""
    errors = ErrorCollector()
    title = errors.check(_title, form.title)
    occupation = errors.check(_occupation, session, form.occupation_id, on)
    description = errors.check(_description, form.description)
    skills = errors.check(_skills, form.skills)
    most = bounds(VacancyCreate, "quantity")[1]
    quantity = errors.check(validate_quantity, form.quantity, maximum=most)
    level = errors.check(
        level_code_from,
        session,
        form.required_level_code,
        field_name="required_level_code",
        required=False,
    )
    wages = errors.check(validate_wage_range, form.wage_min, form.wage_max)
    ages = errors.check(validate_age_range, form.age_min, form.age_max)
    place = checked_work_place(errors, session, form, on)
    start_date = errors.check(_optional_date, form.start_date, "start_date")
    deadline = errors.check(_optional_date, form.deadline, "deadline")
    if deadline and deadline < on and (previous is None or previous.deadline != deadline):
        errors.add(
            InvalidError("deadline", "The deadline {date} has already passed.", date=deadline)
        )
    if previous is not None and quantity is not None and quantity < previous.filled:
        errors.add(
            InvalidError(
                "quantity",
                "{filled} places are already filled: the quantity may not be less.",
                filled=previous.filled,
            )
        )
    if wages is not None and place is not None:
        errors.check(
            check_vacancy_wage,
            session,
            wage_min=wages[0],
            wage_max=wages[1],
            location_kind=place.location_kind,
            commune_code=place.commune_code,
            province_code=place.province_code,
            on=start_date or on,
        )
    errors.raise_if_any()
    assert title is not None and occupation is not None and quantity is not None
    assert wages is not None and ages is not None and place is not None
    return VacancyInput(
        title=title,
        occupation_id=occupation[0],
        occupation_chosen=occupation[1],
        description=description or "",
        skills=skills or [],
        quantity=quantity,
        required_level_code=level,
        wage_min=wages[0],
        wage_max=wages[1],
        age_min=ages[0],
        age_max=ages[1],
        place=place,
        start_date=start_date,
        deadline=deadline,
    )
