"""The resolution's yearly targets, kept by administrators: change one target (with the reason,
a history row and an audit entry), and open a new year with the previous year's targets as
its starting values. Officials and administrators read them.

Two safeguards. A form carries the values it was loaded with: if someone else saved the
target meanwhile, the change is refused (ConflictError) and nothing is written. A form that
changes nothing (a double submit of a change already saved, or a save without an edit) is a
no-op: no history row, no audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import MILESTONE_INDICATORS, TargetIndicator
from models.errors import ConflictError, InvalidError, NotFoundError
from models.queries.courses import institution_choices
from models.queries.reference import commune_options
from models.queries.targets import TargetDetail, YearTargets, target_detail, target_years
from models.queries.targets import year_targets as read_year_targets
from models.rows import get_or_404
from models.tables import Target, TargetChange
from models.validation import ErrorCollector, clean_text, require_text
from models.validation.base import stored_whole
from models.years import parse_year
from web.auth import Principal
from web.permissions import Permission, allowed

MAX_SOURCE, MAX_REASON = 300, 500
PEOPLE = "people"
PERCENT = "percent"
VALUE_FIELDS = ("value_min", "value_max", "source_document")
_WHOLE = re.compile(r"-?([0-9]{1,3}([.,][0-9]{3})+|[0-9]+)")  # 8300, 8.300, 8,300
_DECIMAL = re.compile(r"-?[0-9]{1,12}([.,][0-9]{1,12})?")  # 62.5, 62,5


@dataclass
class TargetForm:
    """The edit form as typed, with the values it was loaded with (hidden fields)."""

    value_min: str = ""
    value_max: str = ""
    source_document: str = ""
    reason: str = ""
    loaded_value_min: str = ""
    loaded_value_max: str = ""
    loaded_source_document: str = ""

    @classmethod
    def of(cls, target: Target) -> TargetForm:
        """The form for a target as stored now."""
        shown = (show_value(target.value_min), show_value(target.value_max))
        return cls(*shown, target.source_document, "", *shown, target.source_document)

    def reloaded(self, target: Target) -> TargetForm:
        """The same typed values, now based on the target as stored now (after a conflict)."""
        fresh = TargetForm.of(target)
        return TargetForm(
            self.value_min,
            self.value_max,
            self.source_document,
            self.reason,
            fresh.loaded_value_min,
            fresh.loaded_value_max,
            fresh.loaded_source_document,
        )


@dataclass(frozen=True)
class TargetsPage:
    years: list[int]
    year: int | None  # the year shown; None when there are no targets at all
    targets: YearTargets | None
    can_edit: bool
    next_year: int  # offered in the "add a year" form
    choices: TargetChoices | None  # what the "add a target" form offers (administrators)
    milestones: frozenset[str] = frozenset(MILESTONE_INDICATORS)  # marked "milestone"


@dataclass(frozen=True)
class TargetChoices:
    """The indicators, communes and institutions the "add a target" form offers."""

    indicators: list[str]
    communes: list[tuple[str, str]]  # (code, name)
    institutions: list[tuple[str, str]]  # (id, name)


@dataclass(frozen=True)
class TargetUpdate:
    year: int
    changed: bool  # False: the form changed nothing (a no-op, nothing written)


@dataclass(frozen=True)
class TargetValues:
    value_min: float
    value_max: float | None
    source_document: str


def show_value(value: float | None) -> str:
    """A value as the form shows it: 8300, 62.5, or blank."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else format(value, "g")


def targets_page(session: Session, *, principal: Principal, year: int | None) -> TargetsPage:
    """The targets of `year` (default: this year if it has targets, else the latest)."""
    years = target_years(session)
    chosen = year if year in years else (today().year if today().year in years else None)
    if chosen is None and years:
        chosen = years[-1]
    targets = read_year_targets(session, chosen) if chosen is not None else None
    can_edit = allowed(principal, Permission.EDIT_TARGETS)
    return TargetsPage(
        years=years,
        year=chosen,
        targets=targets,
        can_edit=can_edit,
        next_year=(years[-1] + 1) if years else today().year,
        choices=target_choices(session) if can_edit else None,
    )


def target_choices(session: Session) -> TargetChoices:
    communes = commune_options(session, on=today())
    return TargetChoices(
        indicators=[indicator.value for indicator in TargetIndicator],
        communes=[(option.value, option.label) for option in communes],
        institutions=[(str(i.id), i.name) for i in institution_choices(session)],
    )


def editable_target(session: Session, *, principal: Principal, target_id: int) -> TargetDetail:
    """A target with its history, for the administrator's edit form."""
    detail = target_detail(session, target_id)
    if detail is None:
        raise NotFoundError(None, "There is no such target.")
    return detail


def _number(raw: str, field: str, unit: str, *, required: bool) -> float | None:
    """A target value: a whole number of people (8300, 8.300) or a percentage (62.5, 62,5)."""
    text = clean_text(raw).replace(" ", "")
    if not text:
        if required:
            raise InvalidError(field, "This field is required.")
        return None
    if unit == PEOPLE:
        if not _WHOLE.fullmatch(text):
            raise InvalidError(field, "A number of people is a whole number, such as 8300.")
        value = float(stored_whole(re.sub(r"[.,]", "", text), field))
    elif _DECIMAL.fullmatch(text):
        value = float(text.replace(",", "."))
    else:
        raise InvalidError(field, "Write a number, such as 62.5.")
    if value < 0:
        raise InvalidError(field, "A target cannot be negative.")
    if unit == PERCENT and value > 100:
        raise InvalidError(field, "A percentage cannot be above 100.")
    return value


def bounded_text(raw: str, field: str, limit: int) -> str:
    text = require_text(raw, field)
    if len(text) > limit:
        raise InvalidError(field, "At most {max} characters.", max=limit)
    return text


def parse_values(form: TargetForm, unit: str, errors: ErrorCollector) -> TargetValues | None:
    """The new values, or None after recording every problem in `errors`."""
    value_min = errors.check(_number, form.value_min, "value_min", unit, required=True)
    value_max = errors.check(_number, form.value_max, "value_max", unit, required=False)
    source = errors.check(bounded_text, form.source_document, "source_document", MAX_SOURCE)
    if value_min is not None and value_max is not None and value_max < value_min:
        errors.add(InvalidError("value_max", "The upper value must not be below the lower value."))
    if errors.errors or value_min is None or source is None:
        return None
    return TargetValues(value_min, value_max, source)


def _current(target: Target) -> TargetValues:
    return TargetValues(target.value_min, target.value_max, target.source_document)


def _loaded_matches(form: TargetForm, target: Target) -> bool:
    """Whether the row still holds what the form was loaded with."""
    return (
        clean_text(form.loaded_value_min) == show_value(target.value_min)
        and clean_text(form.loaded_value_max) == show_value(target.value_max)
        and clean_text(form.loaded_source_document) == clean_text(target.source_document)
    )


def update_target(
    session: Session, *, principal: Principal, target_id: int, form: TargetForm
) -> TargetUpdate:
    """Save a change of one target (`changed` False when the form changed nothing).
    Raises ValidationErrors for bad values or a missing reason, ConflictError when the target
    changed since the form was loaded."""
    with unit_of_work(session):
        target = get_or_404(session, Target, target_id, "There is no such target.", lock=True)
        errors = ErrorCollector()
        values = parse_values(form, target.unit, errors)
        year = target.year
        if values is not None and values == _current(target):
            return TargetUpdate(year, changed=False)  # nothing to write
        reason = errors.check(bounded_text, form.reason, "reason", MAX_REASON)
        errors.raise_if_any()
        assert values is not None and reason is not None
        if not _loaded_matches(form, target):
            raise ConflictError(
                None,
                "Someone else changed this target while you were editing it. Nothing was saved: "
                "the page now shows the current values; check them and save again.",
            )
        write_change(session, principal, target, values, reason)
        return TargetUpdate(year, changed=True)


def write_change(
    session: Session,
    principal: Principal,
    target: Target,
    values: TargetValues,
    reason: str,
    *,
    created: bool = False,
) -> None:
    """The history row and the audit entry of a change, and the change itself (a new target
    when ``created``)."""
    old = None if created else _current(target)
    target.value_min, target.value_max = values.value_min, values.value_max
    target.source_document = values.source_document
    session.add(target)
    session.flush()  # the id of a new target
    session.add(
        TargetChange(
            target_id=target.id or 0,
            indicator=target.indicator,
            year=target.year,
            old_value_min=old.value_min if old else None,
            old_value_max=old.value_max if old else None,
            old_source_document=old.source_document if old else None,
            new_value_min=values.value_min,
            new_value_max=values.value_max,
            new_source_document=values.source_document,
            changed_by_id=principal.user.id or 0,
            reason=reason,
        )
    )
    changed = [name for name in VALUE_FIELDS if old and getattr(old, name) != getattr(values, name)]
    audit.record(
        session,
        user_id=principal.user.id,
        action="create" if created else "update",
        entity="target",
        entity_id=target.id,
        indicator=target.indicator,
        year=target.year,
        commune_code=target.commune_code,
        institution_id=target.institution_id,
        fields=changed,
    )


def _year(raw: str) -> int:
    return parse_year(clean_text(raw))


def _yearly_years(session: Session) -> list[int]:
    """Years with a yearly target of the province."""
    query = select(Target.year).where(
        col(Target.commune_code).is_(None),
        col(Target.institution_id).is_(None),
        col(Target.indicator).not_in(sorted(MILESTONE_INDICATORS)),
    )
    return sorted(set(session.exec(query).all()))


def add_year(session: Session, *, principal: Principal, year_raw: str, reason_raw: str) -> int:
    """Open `year` with a copy of the province's yearly targets (people trained, new jobs) of
    the latest earlier year that has them (the administrator then edits what the new plan
    changes). Milestones (the shares, the structure) are not copied: they are set for their
    own year ("add a target"). Indicators the year already has are kept; a year that has them
    all is refused. Returns the year."""
    errors = ErrorCollector()
    year = errors.check(_year, year_raw)
    reason = errors.check(bounded_text, reason_raw, "reason", MAX_REASON)
    errors.raise_if_any()
    assert year is not None and reason is not None
    province = (col(Target.commune_code).is_(None), col(Target.institution_id).is_(None))
    yearly = col(Target.indicator).not_in(sorted(MILESTONE_INDICATORS))
    existing = set(
        session.exec(select(Target.indicator).where(col(Target.year) == year, *province)).all()
    )
    earlier = [y for y in _yearly_years(session) if y < year]
    previous = session.exec(
        select(Target).where(col(Target.year) == max(earlier, default=0), *province, yearly)
    )
    missing = [t for t in previous if t.indicator not in existing]
    if not missing and existing:
        raise InvalidError(
            "year", "The targets of {year} already exist: edit them in the list.", year=year
        )
    if not missing:
        raise InvalidError("year", "There are no targets of an earlier year to copy.")
    try:
        with unit_of_work(session):
            for model in missing:
                target = Target(
                    indicator=model.indicator,
                    year=year,
                    value_min=0,
                    unit=model.unit,
                    source_document=model.source_document,
                )
                write_change(session, principal, target, _current(model), reason, created=True)
    except IntegrityError as error:  # the same year opened at the same moment elsewhere
        raise ConflictError(
            "year", "The targets of {year} already exist: edit them in the list.", year=year
        ) from error
    return year
