"""The records of the public outcomes page (``figures._outcomes``): the graduations of the last
three years with their follow-ups and jobs, and the demand open now by occupation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from matching.kpi.outcomes import cohort_of
from models.enums import TrainingOrderStatus
from models.monitoring import records as load
from models.monitoring.figures import OutcomeInput
from models.tables import TrainingOccupation, TrainingOrder, Vacancy
from models.vacancy_open import open_on

# Orders whose promise of a job still stands.
PROMISING_ORDER_STATUSES = (
    TrainingOrderStatus.REQUESTED.value,
    TrainingOrderStatus.ACCEPTED.value,
    TrainingOrderStatus.IN_TRAINING.value,
)


def read_outcomes(session: Session, as_of: date) -> OutcomeInput:
    first, last = cohort_of(as_of)
    return OutcomeInput(
        enrolments=load.enrolments_in(session, first, last),
        follow_ups=load.follow_ups_of_graduates(session, first, last),
        spells=load.spells_of_graduates(session, first, last),
        open_places=open_places(session, as_of),
        promised_places=promised_places(session),
    )


def open_places(session: Session, on: date) -> dict[str, int]:
    """Vacancy places still to fill on ``on``, by occupation key."""
    rows = session.execute(
        select(
            col(TrainingOccupation.key),
            func.sum(col(Vacancy.quantity) - col(Vacancy.filled)),
        )
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Vacancy.occupation_id))
        .where(open_on(on), col(Vacancy.filled) < col(Vacancy.quantity))
        .group_by(col(TrainingOccupation.key))
    )
    return {key: int(places) for key, places in rows if places}


def promised_places(session: Session) -> dict[str, int]:
    """Places that standing training orders commit to hire, by occupation key."""
    rows = session.execute(
        select(col(TrainingOccupation.key), func.sum(col(TrainingOrder.hiring_commitment)))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(TrainingOrder.occupation_id))
        .where(
            col(TrainingOrder.status).in_(PROMISING_ORDER_STATUSES),
            col(TrainingOrder.hiring_commitment) > 0,
        )
        .group_by(col(TrainingOccupation.key))
    )
    return {key: int(places) for key, places in rows if places}
