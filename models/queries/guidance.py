"""Reads for career guidance: the demand near a person by occupation (open vacancy places and
places promised by training orders), the sessions a counsellor may see, and the sessions per
commune. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, false, func, or_, select, true
from sqlmodel import Session, col

from models.enums import LocationKind
from models.monitoring.outcome_inputs import PROMISING_ORDER_STATUSES
from models.tables import GuidanceSession, TrainingOccupation, TrainingOrder, Vacancy
from models.vacancy_open import open_on

RECENT_SESSIONS = 20


@dataclass(frozen=True, slots=True)
class Demand:
    """Places for one occupation a person could take: open vacancy places in their commune,
    elsewhere in the province (when they would move) and abroad (when they would go), and
    places training orders promise to hire."""

    in_commune: int = 0
    elsewhere: int = 0
    abroad: int = 0
    promised: int = 0

    @property
    def total(self) -> int:
        return self.in_commune + self.elsewhere + self.abroad + self.promised


def demand_near(
    session: Session,
    *,
    commune_code: str,
    occupation_keys: list[str],
    move: bool,
    abroad: bool,
    on: date,
) -> dict[str, Demand]:
    """Demand by occupation key for a person of ``commune_code``."""
    if not occupation_keys:
        return {}
    here = func.coalesce(col(Vacancy.commune_code), "") == commune_code
    is_abroad = col(Vacancy.location_kind) == LocationKind.ABROAD.value
    rows = session.execute(
        select(
            col(TrainingOccupation.key),
            func.sum(_places(here)),
            func.sum(_places(~here & ~is_abroad if move else false())),
            func.sum(_places(is_abroad if abroad else false())),
        )
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
        .where(
            open_on(on),
            col(Vacancy.filled) < col(Vacancy.quantity),
            col(TrainingOccupation.key).in_(occupation_keys),
        )
        .group_by(col(TrainingOccupation.key))
    )
    found = {key: (int(a or 0), int(b or 0), int(c or 0)) for key, a, b, c in rows}
    promised = session.execute(
        select(col(TrainingOccupation.key), func.sum(col(TrainingOrder.hiring_commitment)))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id))
        .where(
            col(TrainingOrder.status).in_(PROMISING_ORDER_STATUSES),
            col(TrainingOccupation.key).in_(occupation_keys),
            or_(
                func.coalesce(col(TrainingOrder.commune_code), "") == commune_code,
                true() if move else false(),
            ),
        )
        .group_by(col(TrainingOccupation.key))
    )
    ordered = {key: int(places or 0) for key, places in promised}
    return {key: Demand(*found.get(key, (0, 0, 0)), ordered.get(key, 0)) for key in occupation_keys}


def _places(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, col(Vacancy.quantity) - col(Vacancy.filled)), else_=0)


@dataclass(frozen=True, slots=True)
class SessionLine:
    id: int
    created_at: datetime
    commune_code: str
    consent: bool
    advised_occupations: list[str]
    follow_up_on: date | None


def recent_sessions(session: Session, *, commune_code: str | None) -> list[SessionLine]:
    """The latest sessions, of one commune when ``commune_code`` is given (a commune
    officer's scope), of every commune otherwise."""
    query = select(
        col(GuidanceSession.id),
        col(GuidanceSession.created_at),
        col(GuidanceSession.commune_code),
        col(GuidanceSession.consent),
        col(GuidanceSession.advised_occupations),
        col(GuidanceSession.follow_up_on),
    )
    if commune_code is not None:
        query = query.where(col(GuidanceSession.commune_code) == commune_code)
    query = query.order_by(col(GuidanceSession.id).desc()).limit(RECENT_SESSIONS)
    return [SessionLine(*row) for row in session.execute(query)]


def sessions_per_commune(session: Session) -> list[tuple[str, int]]:
    """How many sessions each commune has had, most first."""
    count = func.count(col(GuidanceSession.id))
    rows = session.execute(
        select(col(GuidanceSession.commune_code), count)
        .group_by(col(GuidanceSession.commune_code))
        .order_by(count.desc(), col(GuidanceSession.commune_code))
    )
    return [(code, int(n)) for code, n in rows]


def guidance_session(
    session: Session, session_id: int, *, commune_code: str | None
) -> GuidanceSession | None:
    """One session, if it is within the scope (a commune officer: their commune's only)."""
    row = session.get(GuidanceSession, session_id)
    if row is None or (commune_code is not None and row.commune_code != commune_code):
        return None
    return row


def session_by_form_key(session: Session, form_key: str) -> GuidanceSession | None:
    return session.execute(
        select(GuidanceSession).where(col(GuidanceSession.form_key) == form_key)
    ).scalar_one_or_none()
