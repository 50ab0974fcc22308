"""Follow-ups after training: the list of those due and overdue, and recording the outcomes
of many graduates in one submit.

Institution staff see and record only their own institution's graduates; officials and
administrators every graduate. A submit is all-or-nothing: one bad row and nothing is
written, each bad row named. A follow-up is stored once per graduation and window: a row
that says what is already stored counts as done (a form sent twice), one that says something
else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from matching.kpi import FOLLOW_UP_WINDOWS
from models import audit
from models.clock import today
from models.db import unit_of_work
from models.errors import ConflictError, InvalidError
from models.follow_up_values import UNKNOWN, Outcome, OutcomeCells, check_outcome
from models.queries import follow_ups as queries
from models.queries.course_rosters import CourseChoice, course_choices, institution_choices
from models.tables import FollowUp
from models.validation import ErrorCollector
from web.auth import Actor, Principal
from web.permissions import institution_scope
from web.services.personal_data import audit_view

PER_PAGE = 25
RELOAD = "This graduate is no longer on the list: reload the page."
TAKEN = (
    "A different follow-up at {months} months is already recorded for this graduate: reload "
    "the page to see it."
)
NOTHING = "Fill in at least one row: nothing was recorded."


def outcome_field(enrolment_id: int, months_after: int, name: str) -> str:
    """The input name of one cell of the follow-up table, also the key of its errors."""
    return f"fu-{enrolment_id}-{months_after}-{name}"


@dataclass
class OutcomeInput:
    """One row of the follow-up table as typed."""

    enrolment_id: int
    months_after: int
    status: str = ""
    in_trained_occupation: str = ""  # yes | no | unknown
    income: str = ""
    source: str = ""
    observed_on: str = ""

    def is_blank(self) -> bool:
        """Left alone: no status, no income, no answer about the occupation (the source and
        the date come filled in, so they do not count)."""
        occupation = self.in_trained_occupation.strip() in ("", UNKNOWN)
        return not self.status.strip() and not self.income.strip() and occupation

    def cells(self) -> OutcomeCells:
        return OutcomeCells(
            self.status, self.in_trained_occupation, self.income, self.source, self.observed_on
        )


@dataclass(frozen=True)
class FollowUpPage:
    """What the follow-up page shows: the rows, the counts of its header, its filters."""

    rows: list[queries.DueFollowUp]
    counts: queries.DueCounts
    filters: queries.DueFilters
    institutions: list[tuple[int, str]]  # empty for institution staff
    courses: list[CourseChoice]  # of the chosen (or the user's own) institution
    total: int = 0
    page: int = 1
    pages: int = 1  # 0: more rows than the count limit, the last page is not known
    has_next: bool = False
    next_after: queries.DueKey | None = None  # the next page starts after this row
    previous_before: queries.DueKey | None = None  # the previous page ends before this row


def scoped_filters(principal: Actor, filters: queries.DueFilters) -> queries.DueFilters:
    """Institution staff are held to their own institution whatever they ask for."""
    scope = institution_scope(principal)
    if scope is None:
        return filters
    return queries.DueFilters(scope, filters.course_id, filters.window, filters.state)


def _choices(session: Session, principal: Principal, filters: queries.DueFilters) -> dict[str, Any]:
    institution = filters.institution_id
    everyone = institution_scope(principal) is None
    return {
        "institutions": institution_choices(session) if everyone else [],
        "courses": course_choices(session, institution) if institution is not None else [],
    }


def follow_up_page(
    session: Session, *, principal: Principal, filters: queries.DueFilters, at: queries.DueAt
) -> FollowUpPage:
    """One page of the follow-ups due, newest due first; the names shown are personal data,
    so the view is audited."""
    filters = scoped_filters(principal, filters)
    found = queries.due_follow_ups(session, filters, today=today(), at=at, per_page=PER_PAGE)
    result = FollowUpPage(
        found.rows,
        found.counts,
        filters,
        **_choices(session, principal, filters),
        total=found.total,
        page=found.page,
        pages=found.pages,
        has_next=found.has_next,
        next_after=found.next_after,
        previous_before=found.previous_before,
    )
    _audit_shown(session, principal, found.rows)
    return result


def refused_page(
    session: Session,
    *,
    principal: Principal,
    filters: queries.DueFilters,
    rows: list[OutcomeInput],
) -> FollowUpPage:
    """The rows a refused submit named, to show them again with what was typed."""
    filters = scoped_filters(principal, filters)
    keys = [(row.enrolment_id, row.months_after) for row in rows]
    found = queries.follow_up_rows(session, keys, today=today())
    scope = institution_scope(principal)
    shown = [row for row in found if scope is None or row.institution_id == scope]
    counts = queries.kept_due_counts(session, filters, today=today())
    result = FollowUpPage(
        shown, counts, filters, **_choices(session, principal, filters), total=len(shown)
    )
    _audit_shown(session, principal, shown)
    return result


def _audit_shown(session: Session, principal: Principal, rows: list[queries.DueFollowUp]) -> None:
    if rows:
        person_ids = sorted({row.person.id for row in rows if row.person.id})
        audit_view(session, principal, "follow_up_list", person_ids=person_ids)


def record_follow_ups(session: Session, *, principal: Actor, rows: list[OutcomeInput]) -> int:
    """Store the outcome of every row filled in, in one transaction, or nothing when any
    row is wrong (ValidationErrors naming each bad cell). Returns how many were stored; a
    row identical to a stored follow-up is done already and not counted."""
    filled = [row for row in rows if not row.is_blank()]
    if not filled:
        raise InvalidError(None, NOTHING)
    try:
        return _record(session, principal, filled)
    except IntegrityError:
        # Someone stored one of these follow-ups meanwhile (the same form sent twice at
        # once): its unit of work rolled back; check again against what is stored now.
        try:
            return _record(session, principal, filled)
        except IntegrityError as error:
            raise ConflictError(None, RELOAD) from error


def _record(session: Session, principal: Actor, rows: list[OutcomeInput]) -> int:
    with unit_of_work(session):
        planned = _checked(session, principal, rows)
        stored = []
        for row, outcome, person_id in planned:
            follow_up = FollowUp(
                enrolment_id=row.enrolment_id,
                person_id=person_id,
                months_after=row.months_after,
                observed_on=outcome.observed_on,
                status=outcome.status,
                in_trained_occupation=outcome.in_trained_occupation,
                income=outcome.income,
                source=outcome.source,
                recorded_by_id=principal.user_id,
            )
            session.add(follow_up)
            stored.append(follow_up)
        session.flush()
        by_token = (
            {} if principal.api_token_id is None else {"api_token_id": principal.api_token_id}
        )
        for follow_up in stored:
            audit.record(
                session,
                user_id=principal.user_id,
                action="create",
                entity="follow_up",
                entity_id=follow_up.id,
                person_id=follow_up.person_id,
                enrolment_id=follow_up.enrolment_id,
                months_after=follow_up.months_after,
                **by_token,
            )
        return len(stored)


def _checked(
    session: Session, principal: Actor, rows: list[OutcomeInput]
) -> list[tuple[OutcomeInput, Outcome, int]]:
    """Each row to store with its outcome and person; raises ValidationErrors for every bad
    row. Another institution's graduate is treated like an enrolment that does not exist."""
    scope = institution_scope(principal)
    found = {
        enrolment_id: graduation
        for enrolment_id, graduation in queries.graduations(
            session, {row.enrolment_id for row in rows}
        ).items()
        if scope is None or graduation.institution_id == scope
    }
    stored = queries.recorded_follow_ups(session, [(r.enrolment_id, r.months_after) for r in rows])
    errors = ErrorCollector()
    planned: list[tuple[OutcomeInput, Outcome, int]] = []
    seen: set[tuple[int, int]] = set()
    now = today()
    for row in rows:
        key = (row.enrolment_id, row.months_after)
        graduation = found.get(row.enrolment_id)
        wrong_window = row.months_after not in FOLLOW_UP_WINDOWS or key in seen
        seen.add(key)
        graduated_on = graduation.graduated_on if graduation else None
        if graduation is None or graduated_on is None or wrong_window:
            errors.add(InvalidError(outcome_field(*key, "status"), RELOAD))
            continue
        if graduation.status != queries.GRADUATED:
            errors.add(InvalidError(outcome_field(*key, "status"), RELOAD))
            continue

        def field(name: str, key: tuple[int, int] = key) -> str:
            return outcome_field(*key, name)

        outcome = check_outcome(
            row.cells(), errors, field=field, graduated_on=graduated_on, today=now
        )
        if outcome is None:
            continue
        existing = stored.get(key)
        if existing is None:
            planned.append((row, outcome, graduation.person_id))
        elif not outcome.same_as(existing):
            errors.add(InvalidError(field("status"), TAKEN, months=row.months_after))
    errors.raise_if_any()
    return planned
