"""An administrator adds a target: the province's (a milestone such as the 2030 orientation,
or a yearly target of a year not opened yet), one commune's or one institution's. The figures
come with their source document and the reason, and leave a history row and an audit entry,
as an edit does.

Which targets can be shared out: the counts of people (people trained, new jobs, departures)
by commune, since the communes' targets add up to a figure comparable with the province's;
people trained by institution. The shares and the structure are the province's only: the
communes' percentages do not add up."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.clock import today
from models.db import unit_of_work
from models.enums import TargetIndicator
from models.errors import ConflictError, InvalidError
from models.queries.courses import institution_choices
from models.queries.reference import commune_options
from models.queries.targets import COMMUNE, INSTITUTION, PROVINCE
from models.tables import Target
from models.validation import ErrorCollector, clean_text
from models.years import parse_year
from web.auth import Principal
from web.services.targets import (
    MAX_REASON,
    PEOPLE,
    PERCENT,
    TargetForm,
    bounded_text,
    parse_values,
    write_change,
)

SCOPES = (PROVINCE, COMMUNE, INSTITUTION)
EXISTS = "This target already exists: edit it in the list."


@dataclass
class NewTargetForm:
    """The "add a target" form as typed."""

    indicator: str = ""
    year: str = ""
    scope: str = PROVINCE
    commune_code: str = ""
    institution_id: str = ""
    value_min: str = ""
    value_max: str = ""
    source_document: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Scope:
    commune_code: str | None = None
    institution_id: int | None = None


def unit_of(indicator: TargetIndicator) -> str:
    return PERCENT if indicator.milestone else PEOPLE


def _indicator(raw: str) -> TargetIndicator:
    try:
        return TargetIndicator(clean_text(raw))
    except ValueError:
        raise InvalidError("indicator", "Choose an indicator.") from None


def _scope(session: Session, form: NewTargetForm, indicator: TargetIndicator | None) -> Scope:
    scope = clean_text(form.scope)
    if scope not in SCOPES:
        raise InvalidError("scope", "Choose whose target this is.")
    if scope == COMMUNE:
        code = clean_text(form.commune_code)
        if code not in {option.value for option in commune_options(session, on=today())}:
            raise InvalidError("commune_code", "Choose a commune.")
        if indicator is not None and not indicator.by_commune:
            raise InvalidError(
                "scope",
                "A share or the structure is the whole province's target: the communes' "
                "percentages do not add up.",
            )
        return Scope(commune_code=code)
    if scope == INSTITUTION:
        ids = {str(institution.id) for institution in institution_choices(session)}
        raw = clean_text(form.institution_id)
        if raw not in ids:
            raise InvalidError("institution_id", "Choose an institution.")
        if indicator is not None and not indicator.by_institution:
            raise InvalidError("scope", "An institution's target is a number of people trained.")
        return Scope(institution_id=int(raw))
    return Scope()


def _exists(session: Session, indicator: str, year: int, scope: Scope) -> bool:
    query = select(Target.id).where(
        col(Target.indicator) == indicator,
        col(Target.year) == year,
        col(Target.commune_code) == scope.commune_code
        if scope.commune_code is not None
        else col(Target.commune_code).is_(None),
        col(Target.institution_id) == scope.institution_id
        if scope.institution_id is not None
        else col(Target.institution_id).is_(None),
    )
    return session.exec(query).first() is not None


def create_target(session: Session, *, principal: Principal, form: NewTargetForm) -> int:
    """Add the target the form describes; returns its year. ValidationErrors for a bad field
    (every field checked), InvalidError when the same target exists, ConflictError when it
    was added at the same moment elsewhere."""
    errors = ErrorCollector()
    indicator = errors.check(_indicator, form.indicator)
    year = errors.check(parse_year, clean_text(form.year))
    scope = errors.check(_scope, session, form, indicator)
    unit = unit_of(indicator) if indicator is not None else PEOPLE
    typed = TargetForm(form.value_min, form.value_max, form.source_document)
    values = parse_values(typed, unit, errors)
    reason = errors.check(bounded_text, form.reason, "reason", MAX_REASON)
    errors.raise_if_any()
    assert indicator is not None and year is not None and scope is not None
    assert values is not None and reason is not None
    if _exists(session, indicator.value, year, scope):
        raise InvalidError(None, EXISTS)
    target = Target(
        indicator=indicator.value,
        year=year,
        commune_code=scope.commune_code,
        institution_id=scope.institution_id,
        value_min=0,
        unit=unit,
        source_document=values.source_document,
    )
    try:
        with unit_of_work(session):
            write_change(session, principal, target, values, reason, created=True)
    except IntegrityError as error:  # the same target added at the same moment elsewhere
        raise ConflictError(None, EXISTS) from error
    return year
