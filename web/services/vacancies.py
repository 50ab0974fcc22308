"""Use cases of an employer's vacancies: post one (the occupation picked from the catalogue or
typed freely and confirmed from the matching engine's suggestions), edit it, close it.

A form is checked whole (every field's error at once) and nothing is written unless all of it
is valid, the wage included: an offer below the regional minimum of the work location is
refused with that minimum."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, select

from matching.languages import strip_language
from matching.normalise import OccupationNormaliser
from matching.syllables import advert_key, title_key
from matching.text import search_key
from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import VacancyStatus
from models.errors import ConflictError, InvalidError, NotFoundError
from models.ids import parse_id
from models.queries import reference
from models.queries.vacancies import created_with_token, get_vacancy
from models.rows import get_or_404
from models.tables import Employer, Vacancy
from models.validation import (
    ErrorCollector,
    clean_text,
)
from web.auth import Actor
from web.permissions import employer_scope, require_employer
from web.services.vacancy_form import VacancyForm, VacancyInput, parse_vacancy

# Checks the locked vacancy before a change and raises to refuse it.
Precondition = Callable[[Vacancy], None]
SUGGESTIONS = 3
SUGGESTION_FLOOR = 0.4  # below this a suggestion is noise ("xyz" still scores about 0.3)
SUGGESTION_SPREAD = 0.3  # and so is one far behind the best ("công nhân may": 1.0, then 0.63)


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
    # "Kỹ năng đặc định ngành hàn - Nhật Bản (tiếng Nhật N4)" is a welding job: its country
    # and language say where and what to speak, not the trade (unless they are all it says).
    trade = strip_language(title)
    predictions = _fitted_normaliser(pairs).predict(
        trade if search_key(trade) else title, SUGGESTIONS
    )
    best = max((confidence for _, confidence in predictions), default=0.0)
    floor = max(SUGGESTION_FLOOR, best - SUGGESTION_SPREAD)
    return [
        Suggestion(int(key), names[key], confidence)
        for key, confidence in predictions
        if confidence >= floor
    ]


def _apply(vacancy: Vacancy, data: VacancyInput) -> None:
    vacancy.title = data.title
    vacancy.title_key = title_key(data.title)
    vacancy.search_text = advert_key(data.title, data.description, data.skills)
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


def acting_employer(session: Session, principal: Actor, raw_employer_id: str) -> int:
    """Employer staff act for their employer; an administrator names the employer."""
    scope = employer_scope(principal)
    if scope is not None:
        return scope
    chosen = parse_id(clean_text(raw_employer_id))
    employer = session.get(Employer, chosen) if chosen is not None else None
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
    principal: Actor,
    employer_id_raw: str,
    form: VacancyForm,
    form_token: str,
) -> Vacancy | OccupationChoice:
    """Post a vacancy, or, when the occupation is not chosen yet, return the suggestions for
    the typed title and write nothing. A form sent twice (same token) gives the first one."""
    with unit_of_work(session):
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
            session, entity="vacancy", user_id=principal.user_id, token=form_token
        )
        if earlier is not None:
            return get_vacancy(session, earlier)
        vacancy = Vacancy(employer_id=employer_id, title=data.title, title_key="", quantity=1)
        _apply(vacancy, data)
        _store(session, principal, vacancy, "create", form_token=form_token)
        return vacancy


def _locked_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    """The vacancy row locked against a concurrent hire changing `filled` under us."""
    return get_or_404(session, Vacancy, vacancy_id, "This vacancy does not exist.", lock=True)


def editable_vacancy(session: Session, *, principal: Actor, vacancy_id: int) -> Vacancy:
    """The vacancy if this user may change it (and it is not closed)."""
    vacancy = get_vacancy(session, vacancy_id)
    require_employer(principal, vacancy.employer_id, "This vacancy does not exist.")
    if vacancy.status == VacancyStatus.CLOSED:
        raise ConflictError(None, "This vacancy is closed and can no longer be changed.")
    return vacancy


def update_vacancy(
    session: Session,
    *,
    principal: Actor,
    vacancy_id: int,
    form: VacancyForm,
    expected: Precondition | None = None,
) -> Vacancy | OccupationChoice:
    """`expected` checks the locked row is still the version the change was based on (the
    API's If-Match) and raises if not."""
    with unit_of_work(session):
        editable_vacancy(session, principal=principal, vacancy_id=vacancy_id)
        vacancy = _locked_vacancy(session, vacancy_id)
        if expected is not None:
            expected(vacancy)
        data = parse_vacancy(session, form, on=today(), previous=vacancy)
        if not data.occupation_chosen:
            return OccupationChoice(suggest_occupations(session, data.title, on=today()))
        _apply(vacancy, data)
        if vacancy.status in (VacancyStatus.OPEN, VacancyStatus.FILLED):
            full = vacancy.filled >= vacancy.quantity
            vacancy.status = VacancyStatus.FILLED if full else VacancyStatus.OPEN
        _store(session, principal, vacancy, "update")
        return vacancy


def close_vacancy(
    session: Session, *, principal: Actor, vacancy_id: int, expected: Precondition | None = None
) -> Vacancy:
    """Stop taking people. Closing a closed vacancy again (a double click) changes nothing."""
    with unit_of_work(session):
        vacancy = _locked_vacancy(session, vacancy_id)
        require_employer(principal, vacancy.employer_id, "This vacancy does not exist.")
        if expected is not None:
            expected(vacancy)
        if vacancy.status == VacancyStatus.CLOSED:
            return vacancy
        vacancy.status = VacancyStatus.CLOSED
        _store(session, principal, vacancy, "close")
        return vacancy


def _store(
    session: Session, principal: Actor, vacancy: Vacancy, action: str, **details: Any
) -> None:
    """Write the vacancy (a new one gets its id) and who did what to it."""
    session.add(vacancy)
    if vacancy.id is None:
        session.flush()
    if principal.api_token_id is not None:
        details["api_token_id"] = principal.api_token_id
    audit.record(
        session,
        user_id=principal.user_id,
        action=action,
        entity="vacancy",
        entity_id=vacancy.id,
        **details,
    )
