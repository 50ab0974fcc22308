"""Who to invite to a job fair: every vacancy registered for the session is matched by the
engine against the eligible graduates (models.queries.eligible: consent to be shown to
employers included) who live in the communes the session serves and have not taken a job
since graduating. Each vacancy keeps its best candidates, each person their best vacancies;
a person is invited once, with those vacancies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel import Session, col

from matching.one_vacancy import score_graduates
from models.profiles import profiles_of_rows, vacancy_profile
from models.queries.candidates import employed_since
from models.queries.eligible import eligible_query
from models.tables import Person, Vacancy

PER_PLACE = 3  # candidates invited for each place of a vacancy
MIN_PER_VACANCY = 10
PER_PERSON = 3  # vacancies shown beside each invited person


@dataclass(frozen=True)
class FairMatch:
    person_id: int
    vacancy_id: int
    score: float
    rank: int  # 1: the person's best vacancy of the session
    commune_code: str


def _candidates(
    session: Session, vacancy: Vacancy, communes: Sequence[str], on: date
) -> list[tuple[int, float, str]]:
    """(person id, score, commune) of the vacancy's eligible graduates of the communes, best
    first, cut to what the vacancy's places call for."""
    query = eligible_query(vacancy, on).where(col(Person.commune_code).in_(list(communes)))
    graduated = query.selected_columns.graduated_on
    query = query.where(~employed_since(Person.id, graduated, except_vacancy=vacancy.id))
    rows = session.execute(query).all()
    if not rows:
        return []
    scores = score_graduates(
        profiles_of_rows(session, rows), vacancy_profile(session, vacancy), today=on
    )
    commune = {str(row[0]): row[2] for row in rows}
    order = scores.order()
    kept = order[scores.eligible[order]][: max(MIN_PER_VACANCY, PER_PLACE * vacancy.quantity)]
    return [
        (int(scores.ids[p]), float(np.round(scores.score[p], 4)), commune[scores.ids[p]])
        for p in kept
    ]


def match_fair(
    session: Session, vacancies: Sequence[Vacancy], communes: Sequence[str], *, on: date
) -> list[FairMatch]:
    """The invitations of a session: per person, their best vacancies (at most PER_PERSON)."""
    by_person: dict[int, list[tuple[float, int, str]]] = {}
    for vacancy in vacancies:
        assert vacancy.id is not None
        for person_id, score, commune in _candidates(session, vacancy, communes, on):
            by_person.setdefault(person_id, []).append((score, vacancy.id, commune))
    matches = []
    for person_id, found in sorted(by_person.items()):
        found.sort(key=lambda each: (-each[0], each[1]))
        for rank, (score, vacancy_id, commune) in enumerate(found[:PER_PERSON], start=1):
            matches.append(FairMatch(person_id, vacancy_id, score, rank, commune))
    return matches
