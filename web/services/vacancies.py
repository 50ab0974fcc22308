"""Use cases of an employer's vacancies: post one (the occupation picked from the catalogue or
typed freely and confirmed from the matching engine's suggestions), edit it, close it.

A form is checked whole (every field's error at once) and nothing is written unless all of it
is valid, the wage included: an offer below the regional minimum of the work location is
refused with that minimum."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlmodel import Session, col, select

from matching.normalise import OccupationNormaliser
from matching.text import nfc, search_key
from models import audit
from models.clock import today
from models.enums import VacancyStatus
from models.errors import ConflictError, InvalidError, NotFoundError
from models.locking import locked_row
from models.queries import reference
from models.queries.reference import WorkPlaceInput, validate_work_place
from models.queries.vacancies import created_with_token, get_vacancy
from models.tables import Employer, TrainingLevel, Vacancy
from models.validation import (
    ErrorCollector,
    clean_text,
    parse_date,
    require_text,
    validate_age_range,
    validate_quantity,
    validate_wage_range,
)
from models.wages import check_vacancy_wage
from web.auth import Principal
from web.permissions import Permission, employer_scope, require, require_employer

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
SKILL_MAX, SKILLS_MAX = 80, 30
QUANTITY_MAX = 10_000
NO_OCCUPATION = "none"  # the employer saw the suggestions and chose none of them
SUGGESTIONS = 3
SUGGESTION_FLOOR = 0.4  # below this a suggestion is noise ("xyz" still scores about 0.3)
SUGGESTION_SPREAD = 0.3  # and so is one far behind the best ("công nhân may": 1.0, then 0.63)
_SKILL_SEPARATORS = re.compile(r"[,;\n\r]+")


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


@dataclass(frozen=True)
class Suggestion:
    """An occupation the matching engine reads in a typed title, with its confidence."""

    occupation_id: int
    name: str
    confidence: float

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass
class OccupationChoice:
    """Nothing saved yet: the employer is to confirm which occupation the title names."""

    suggestions: list[Suggestion] = field(default_factory=list)


@lru_cache(maxsize=4)
def _fitted_normaliser(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> OccupationNormaliser:
    """Fitted once per version of the occupation list (the pairs are the cache key), not once
    per request: fitting costs about 15 ms, a prediction about 3 ms."""
    return OccupationNormaliser().fit(pairs)


def suggest_occupations(session: Session, title: str, *, on: date) -> list[Suggestion]:
    pairs = reference.occupation_label_pairs(session, on=on)
    if not pairs or not search_key(title):
        return []
    names = {key: labels[0] for key, labels in pairs}
    predictions = _fitted_normaliser(pairs).predict(title, SUGGESTIONS)
    best = max((confidence for _, confidence in predictions), default=0.0)
    floor = max(SUGGESTION_FLOOR, best - SUGGESTION_SPREAD)
    return [
        Suggestion(int(key), names[key], confidence)
        for key, confidence in predictions
        if confidence >= floor
    ]


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
    if len(skills) > SKILLS_MAX:
        raise InvalidError("skills", "List at most {max} skills.", max=SKILLS_MAX)
    for skill in skills:
        if len(skill) > SKILL_MAX:
            raise InvalidError(
                "skills", "A skill may have at most {max} characters.", max=SKILL_MAX
            )
    return skills


def _title(value: str) -> str:
    title = require_text(value, "title")
    if len(title) > TITLE_MAX:
        raise InvalidError("title", "A title may have at most {max} characters.", max=TITLE_MAX)
    return title


def _description(value: str) -> str:
    text = (value or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise InvalidError(
            "description", "The description may have at most {max} characters.", max=DESCRIPTION_MAX
        )
    return text


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
    quantity = errors.check(validate_quantity, form.quantity, maximum=QUANTITY_MAX)
    level = errors.check(
        level_code_from,
        session,
        form.required_level_code,
        field_name="required_level_code",
        required=False,
    )
    wages = errors.check(validate_wage_range, form.wage_min, form.wage_max)
    ages = errors.check(validate_age_range, form.age_min, form.age_max)
    place = errors.check(
        validate_work_place,
        session,
        form.location_kind,
        form.commune_code,
        form.province_code,
        form.country_code,
        on=on,
    )
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


def _apply(vacancy: Vacancy, data: VacancyInput) -> None:
    vacancy.title = data.title
    vacancy.title_key = search_key(data.title)
    vacancy.occupation_id = data.occupation_id
    vacancy.description = data.description
    vacancy.skills = data.skills
    vacancy.quantity = data.quantity
    vacancy.required_level_code = data.required_level_code
    vacancy.wage_min, vacancy.wage_max = data.wage_min, data.wage_max
    vacancy.age_min, vacancy.age_max = data.age_min, data.age_max
    vacancy.location_kind = data.place.location_kind
    vacancy.commune_code = data.place.commune_code
    vacancy.province_code = data.place.province_code
    vacancy.country_code = data.place.country_code
    vacancy.start_date, vacancy.deadline = data.start_date, data.deadline


def acting_employer(session: Session, principal: Principal, raw_employer_id: str) -> int:
    """Employer staff act for their employer; an administrator names the employer."""
    scope = employer_scope(principal)
    if scope is not None:
        return scope
    text = clean_text(raw_employer_id)
    employer = session.get(Employer, int(text)) if text.isdigit() else None
    if employer is None:
        raise InvalidError("employer_id", "Choose an employer from the list.")
    return employer.id or 0


def locked_employer(session: Session, employer_id: int) -> Employer:
    """The employer row, locked until commit: two submissions of one form (a double click)
    are then handled one after the other (SQLite's BEGIN IMMEDIATE does the same)."""
    employer = session.exec(
        select(Employer).where(col(Employer.id) == employer_id).with_for_update()
    ).first()
    if employer is None:
        raise NotFoundError("employer_id", "This employer does not exist.")
    return employer


def create_vacancy(
    session: Session,
    *,
    principal: Principal,
    employer_id_raw: str,
    form: VacancyForm,
    form_token: str,
) -> Vacancy | OccupationChoice:
    """Post a vacancy, or, when the occupation is not chosen yet, return the suggestions for
    the typed title and write nothing. A form sent twice (same token) gives the first one."""
    require(principal, Permission.MANAGE_VACANCIES)
    on = today()
    errors = ErrorCollector()
    employer_id = errors.check(acting_employer, session, principal, employer_id_raw)
    data = errors.check(parse_vacancy, session, form, on=on)
    errors.raise_if_any()
    assert data is not None and employer_id is not None
    if not data.occupation_chosen:
        return OccupationChoice(suggest_occupations(session, data.title, on=on))
    locked_employer(session, employer_id)
    earlier = created_with_token(
        session, entity="vacancy", user_id=principal.user.id, token=form_token
    )
    if earlier is not None:
        return get_vacancy(session, earlier)
    vacancy = Vacancy(employer_id=employer_id, title=data.title, title_key="", quantity=1)
    _apply(vacancy, data)
    session.add(vacancy)
    session.flush()
    audit.record(
        session,
        user_id=principal.user.id,
        action="create",
        entity="vacancy",
        entity_id=vacancy.id,
        form_token=form_token,
    )
    session.commit()
    return vacancy


def _locked_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    """The vacancy row locked against a concurrent hire changing `filled` under us."""
    vacancy = locked_row(session, Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFoundError(None, "This vacancy does not exist.")
    return vacancy


def editable_vacancy(session: Session, *, principal: Principal, vacancy_id: int) -> Vacancy:
    """The vacancy if this user may change it (and it is not closed)."""
    require(principal, Permission.MANAGE_VACANCIES)
    vacancy = get_vacancy(session, vacancy_id)
    require_employer(principal, vacancy.employer_id)
    if vacancy.status == VacancyStatus.CLOSED:
        raise ConflictError(None, "This vacancy is closed and can no longer be changed.")
    return vacancy


def update_vacancy(
    session: Session, *, principal: Principal, vacancy_id: int, form: VacancyForm
) -> Vacancy | OccupationChoice:
    editable_vacancy(session, principal=principal, vacancy_id=vacancy_id)
    vacancy = _locked_vacancy(session, vacancy_id)
    data = parse_vacancy(session, form, on=today(), previous=vacancy)
    if not data.occupation_chosen:
        return OccupationChoice(suggest_occupations(session, data.title, on=today()))
    _apply(vacancy, data)
    if vacancy.status in (VacancyStatus.OPEN, VacancyStatus.FILLED):
        full = vacancy.filled >= vacancy.quantity
        vacancy.status = VacancyStatus.FILLED if full else VacancyStatus.OPEN
    session.add(vacancy)
    audit.record(
        session, user_id=principal.user.id, action="update", entity="vacancy", entity_id=vacancy_id
    )
    session.commit()
    return vacancy


def close_vacancy(session: Session, *, principal: Principal, vacancy_id: int) -> Vacancy:
    """Stop taking people. Closing a closed vacancy again (a double click) changes nothing."""
    require(principal, Permission.MANAGE_VACANCIES)
    vacancy = _locked_vacancy(session, vacancy_id)
    require_employer(principal, vacancy.employer_id)
    if vacancy.status == VacancyStatus.CLOSED:
        return vacancy
    vacancy.status = VacancyStatus.CLOSED
    session.add(vacancy)
    audit.record(
        session, user_id=principal.user.id, action="close", entity="vacancy", entity_id=vacancy_id
    )
    session.commit()
    return vacancy
