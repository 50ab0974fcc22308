"""The trades and courses suggested to one person, ranked by the outcomes of training (the
public page's stored, suppressed figures) and by the demand near the person; and the record
of a session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from matching.kpi import Measure
from models.db import unit_of_work
from models.errors import NotFoundError
from models.formatting import format_number, format_vnd
from models.i18n import translate
from models.queries.guidance import (
    Demand,
    demand_near,
    guidance_session,
    session_by_form_key,
)
from models.queries.outcomes import OccupationOutcomes, SoonCourse, courses_opening, outcome_page
from models.tables import GuidanceSession, TrainingOccupation
from web.auth import Actor
from web.permissions import NO_SUCH_PAGE, commune_scope
from web.services.guidance.form import PersonAnswers, Record
from web.services.personal_data import audit_view
from web.services.vacancies import suggest_occupations

MAX_TRADES = 5
COURSES_PER_TRADE = 3
# Weights of the ranking: what the person said, how graduates fared, places near them.
MATCH_WEIGHT, OUTCOME_WEIGHT, DEMAND_WEIGHT = 0.5, 0.3, 0.2
DEMAND_FULL = 10  # places at which demand counts in full


@dataclass
class TradeAdvice:
    """One trade suggested, with its score, the reasons (translated, with their figures),
    the stored outcomes, the demand and the courses opening near the person."""

    key: str
    name: str
    score: float
    reasons: list[str] = field(default_factory=list)
    outcomes: OccupationOutcomes | None = None
    demand: Demand = field(default_factory=Demand)
    courses: list[SoonCourse] = field(default_factory=list)


def suggest(session: Session, answers: PersonAnswers, *, on: date, lang: str) -> list[TradeAdvice]:
    """The trades to suggest, best first (at most MAX_TRADES)."""
    page = outcome_page(session, year=on.year)
    stored = {o.key: o for o in page.occupations}
    matched = _matched(session, answers.interests, on=on)
    keys = list(matched) + [key for key in stored if key not in matched]
    names = _names(session, keys)
    demand = demand_near(
        session,
        commune_code=answers.commune_code,
        occupation_keys=keys,
        move=answers.move,
        abroad=answers.abroad,
        on=on,
    )
    trades = [
        _advice(key, names.get(key, key), matched.get(key), stored.get(key), demand[key], lang)
        for key in keys
    ]
    trades.sort(key=lambda trade: (-trade.score, trade.name))
    best = trades[:MAX_TRADES]
    for trade in best:
        trade.courses = courses_opening(
            session,
            on=on,
            commune_code=answers.commune_code,
            occupation_key=trade.key,
            limit=COURSES_PER_TRADE,
        )
    return best


def _matched(session: Session, interests: str, *, on: date) -> dict[str, float]:
    """Occupation key -> how sure the normaliser is that the person's words name it."""
    if not interests:
        return {}
    found = suggest_occupations(session, interests, on=on)
    ids = {s.occupation_id: s.confidence for s in found}
    rows = session.execute(
        select(col(TrainingOccupation.id), col(TrainingOccupation.key)).where(
            col(TrainingOccupation.id).in_(list(ids))
        )
    )
    return {key: ids[row_id] for row_id, key in rows}


def _names(session: Session, keys: list[str]) -> dict[str, str]:
    rows = session.execute(
        select(col(TrainingOccupation.key), col(TrainingOccupation.name)).where(
            col(TrainingOccupation.key).in_(keys)
        )
    )
    return {key: name for key, name in rows}


def _advice(
    key: str,
    name: str,
    match: float | None,
    outcomes: OccupationOutcomes | None,
    demand: Demand,
    lang: str,
) -> TradeAdvice:
    def say(msgid: str, **params: object) -> None:
        reasons.append(translate(msgid, lang).format(**params))

    reasons: list[str] = []
    employed = None
    if match is not None:
        say("Matches what the person said ({percent} % sure).", percent=round(match * 100))
    if outcomes is not None:
        shown = outcomes.total.rates.get(Measure.EMPLOYED_6)
        if shown is not None and shown.value is not None and shown.base:
            employed = float(shown.value)
            say(
                "{percent} % of its graduates had a job 6 months later ({count} people).",
                percent=round(employed * 100),
                count=format_number(shown.base, lang),
            )
        else:
            say("Too few graduates followed up to show how many found a job.")
        wage = outcomes.total.median_wage
        if wage.value is not None and wage.base:
            say(
                "Median wage reported: {amount} ({count} people).",
                amount=format_vnd(int(wage.value), lang),
                count=format_number(wage.base, lang),
            )
    for msgid, places in (
        ("{count} vacancy places open in the commune.", demand.in_commune),
        ("{count} vacancy places open elsewhere in the province.", demand.elsewhere),
        ("{count} vacancy places open abroad.", demand.abroad),
        ("{count} places in training orders that promise a job.", demand.promised),
    ):
        if places:
            say(msgid, count=format_number(places, lang))
    score = (
        MATCH_WEIGHT * (match or 0.0)
        + OUTCOME_WEIGHT * (employed or 0.0)
        + DEMAND_WEIGHT * min(1.0, demand.total / DEMAND_FULL)
    )
    return TradeAdvice(key, name, round(score, 3), reasons, outcomes, demand)


def record_session(
    session: Session,
    *,
    principal: Actor,
    answers: PersonAnswers,
    record: Record,
    advised: list[str],
) -> int:
    """Store the session (personal fields only with consent); the same form posted twice
    stores it once. Returns its id."""
    earlier = session_by_form_key(session, record.form_key)
    if earlier is not None and earlier.id is not None:
        return earlier.id
    row = GuidanceSession(
        form_key=record.form_key,
        commune_code=answers.commune_code,
        recorded_by_id=principal.user_id,
        consent=record.consent,
        advised_occupations=advised[:MAX_TRADES],
    )
    if record.consent:
        row.advice = record.advice
        row.age = answers.age
        row.education = answers.education
        row.willing_to_move = answers.move
        row.willing_abroad = answers.abroad
        row.interests = answers.interests or None
        row.follow_up_on = record.follow_up_on
        row.follow_up_note = record.follow_up_note or None
    try:
        with unit_of_work(session):
            session.add(row)
            session.flush()
    except IntegrityError:  # the same form stored meanwhile (a double click)
        earlier = session_by_form_key(session, record.form_key)
        if earlier is None or earlier.id is None:
            raise
        return earlier.id
    assert row.id is not None
    return row.id


def session_for(session: Session, *, principal: Actor, session_id: int) -> GuidanceSession:
    """A session the counsellor may see (a commune officer: their commune's), its view of
    personal data audited; any other is missing (404)."""
    row = guidance_session(session, session_id, commune_code=commune_scope(principal))
    if row is None:
        raise NotFoundError(None, NO_SUCH_PAGE)
    if row.consent:
        audit_view(session, principal, "guidance_session", entity_id=row.id, fields="answers")
    return row
