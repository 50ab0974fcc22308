"""Who to invite to a job fair: every vacancy registered for the session is matched by the
engine against the graduates and the job seekers who live in the communes the session serves,
in two queries and one vectorised pass (150 vacancies in well under a second,
bench/bench_job_fair.py).

A job seeker is someone who applied to a vacancy from the public board and still has an open
application; their trade is the occupation of their latest open application (none when the
form's words were not normalised), they have no training level, and they are read as the
candidates page reads applicants (models.profiles.applicant_profile). A person who is also in
the pool as a graduate is taken as a graduate only.

A pair is eligible by the rules of the candidates page (models.queries.eligible): the
person consented to be shown to employers, is judged by their latest graduation and has not
taken a job since; the query applies those once for everyone. The rules that depend on the
vacancy are applied here to every pair at once, as the SQL states them: the trade is the
vacancy's or one of its group (any trade when the vacancy names none) and the place is among
those the person said they would work in; and, as the engine decides them (matching.score,
which the SQL mirrors), the age in the year the job starts and availability in time. Each
vacancy keeps its best candidates, each person their best vacancies; a person is invited
once, with those vacancies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from matching.catalogue import load_catalogue
from matching.profiles import WORK_SCOPES
from matching.score import MAX_DELAY_DAYS
from matching.tables import build_tables
from matching.vectorised import score_index_pairs
from models.enums import EnrolmentStatus, LocationKind
from models.learned_weights import adopted_weights
from models.profiles import applicant_profile, commune_points, profiles_of_rows, vacancy_profile
from models.queries.candidates import employed_since
from models.queries.eligible import (
    graduate_columns,
    is_latest_graduation,
    related_group_pairs,
    start_of,
)
from models.tables import (
    Application,
    Course,
    Enrolment,
    Person,
    TrainingOccupation,
    Vacancy,
)

PER_PLACE = 3  # candidates invited for each place of a vacancy
MIN_PER_VACANCY = 10
PER_PERSON = 3  # vacancies shown beside each invited person
TRADE_GROUP = 10  # the column of graduates_of_communes after the engine's ten
NO_TRADE = -1  # the occupation of a job seeker whose application names none


@dataclass(frozen=True)
class FairMatch:
    person_id: int
    vacancy_id: int
    score: float
    rank: int  # 1: the person's best vacancy of the session
    commune_code: str


def graduates_of_communes(communes: Sequence[str]) -> Any:
    """The people of `communes` a vacancy may be matched to before its own rules: consenting,
    by their latest graduation, with the engine's columns and their trade's group, who have
    not taken a job since graduating."""
    return (
        select(  # type: ignore[call-overload]
            *graduate_columns(), col(TrainingOccupation.group).label("trade_group")
        )
        .select_from(Course)
        .join(Enrolment, col(Enrolment.course_id) == col(Course.id))
        .join(Person, col(Person.id) == col(Enrolment.person_id))
        .join(TrainingOccupation, col(TrainingOccupation.id) == col(Course.occupation_id))
        .where(
            col(Enrolment.status) == EnrolmentStatus.GRADUATED.value,
            col(Person.consent_to_employers).is_(True),
            col(Person.commune_code).in_(list(communes)),
            is_latest_graduation(),
            ~employed_since(Person.id, col(Enrolment.graduated_on)),
        )
        .order_by(col(Person.id))
    )


def seekers_of_communes(communes: Sequence[str]) -> Any:
    """The job seekers of `communes`: consenting people with an open application, each with
    the trade written and the occupation of their latest open application, who have not taken
    a job since making it."""
    later = aliased(Application)
    return (
        select(Person, col(Application.trade), TrainingOccupation)
        .select_from(Application)
        .join(Person, col(Person.id) == col(Application.person_id))
        .outerjoin(TrainingOccupation, col(TrainingOccupation.id) == col(Application.occupation_id))
        .where(
            col(Application.status) == "open",
            col(Person.consent_to_employers).is_(True),
            col(Person.commune_code).in_(list(communes)),
            ~exists().where(
                col(later.person_id) == col(Application.person_id),
                col(later.status) == "open",
                or_(
                    col(later.created_at) > col(Application.created_at),
                    and_(
                        col(later.created_at) == col(Application.created_at),
                        col(later.id) > col(Application.id),
                    ),
                ),
            ),
            ~employed_since(Person.id, func.date(col(Application.created_at))),
        )
        .order_by(col(Person.id))
    )


def _seekers(
    session: Session, communes: Sequence[str], graduates: set[int]
) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The job seekers not in the pool as graduates: their profiles, and rows laid out as
    those of graduates_of_communes for the rules below (no training level or order)."""
    profiles, rows = [], []
    for person, trade, occupation in session.execute(seekers_of_communes(communes)).all():
        if person.id in graduates:
            continue
        profiles.append(
            applicant_profile(
                person,
                trade=trade,
                chosen=occupation,
                trained=None,
                level=None,
                order_id=None,
                points=commune_points(session),
            )
        )
        rows.append(
            (
                person.id,
                None,
                person.commune_code,
                person.birth_date,
                list(person.willing_to_work or []),
                person.expected_wage,
                person.available_from,
                None,
                None,
                occupation.id if occupation else NO_TRADE,
                occupation.group if occupation else None,
            )
        )
    return profiles, rows


def _trade_related(
    session: Session, vacancies: Sequence[Vacancy], occupation: np.ndarray, group: np.ndarray
) -> np.ndarray:
    """(vacancies × people): the person's trade is the vacancy's, one of its group or one of
    a related group (models.queries.eligible.trade_related, pair by pair)."""
    groups = dict(session.exec(select(TrainingOccupation.id, TrainingOccupation.group)).all())
    pairs = related_group_pairs()
    related = np.zeros((len(vacancies), len(occupation)), dtype=bool)
    for row, vacancy in enumerate(vacancies):
        if vacancy.occupation_id is None:
            related[row] = True
            continue
        own = groups.get(vacancy.occupation_id)
        close = np.array([own, *(other for first, other in pairs if first == own)], dtype=object)
        related[row] = (occupation == vacancy.occupation_id) | (
            np.isin(group, close) if own is not None else False
        )
    return related


def _willing_to_go(
    vacancies: Sequence[Vacancy], people: Sequence[Any], g: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Per pair: the job lies where the person said they would work, or they said nothing
    (models.queries.eligible.willing_to_go, pair by pair)."""
    wishes = [set(_scopes(row[4])) for row in people]
    stated = np.array([bool(each) for each in wishes])
    wants = {scope: np.array([scope in each for each in wishes]) for scope in WORK_SCOPES}
    home = np.array([row[2] or "" for row in people], dtype=object)
    kind = np.array([str(x.location_kind) for x in vacancies], dtype=object)[v]
    place = np.array([x.commune_code or "-" for x in vacancies], dtype=object)[v]
    nearby = (home[g] == place) | wants["province"][g] | wants["other_province"][g]
    accepted = np.select(
        [kind == LocationKind.ABROAD.value, kind == LocationKind.OTHER_PROVINCE.value],
        [wants["abroad"][g], wants["other_province"][g]],
        nearby,
    )
    return ~stated[g] | accepted


def _age_and_time(
    vacancies: Sequence[Vacancy], people: Sequence[Any], g: np.ndarray, v: np.ndarray, on: date
) -> np.ndarray:
    """Per pair: born in a year that gives an age within the vacancy's range in the year the
    job starts, and available by MAX_DELAY_DAYS after it starts (models.queries.eligible's
    age_allowed and available_in_time, pair by pair)."""
    missing = -1
    born = np.array([row[3].toordinal() if row[3] else missing for row in people])[g]
    ready = np.array([row[6].toordinal() if row[6] else missing for row in people])[g]
    starts = [start_of(vacancy, on) for vacancy in vacancies]
    pairs = list(zip(starts, vacancies, strict=True))
    oldest = np.array([_first_day(s.year, x.age_max, 0) for s, x in pairs])[v]
    youngest = np.array([_first_day(s.year, x.age_min, 1) for s, x in pairs])[v]
    latest = np.array([(s + timedelta(days=MAX_DELAY_DAYS)).toordinal() for s in starts])[v]
    known = born != missing
    age = ((oldest == missing) | (known & (born >= oldest))) & (
        (youngest == missing) | (known & (born < youngest))
    )
    return age & ((ready == missing) | (ready <= latest))


def _first_day(year: int, age: int | None, after: int) -> int:
    """The first day of the year someone of `age` was born in (`after` = 1: of the next
    year), as an ordinal; -1 when the vacancy sets no such bound."""
    return -1 if age is None else date(year - age + after, 1, 1).toordinal()


def _scopes(raw: Any) -> tuple[str, ...]:
    value = json.loads(raw) if isinstance(raw, str) and raw else raw or []
    return tuple(str(each) for each in value) if isinstance(value, list) else ()


def _best(keys: np.ndarray, score: np.ndarray, other: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Positions of the best `limit[key]` entries of each key (score, then `other` id)."""
    order = np.lexsort((other, -score, keys))
    sorted_keys = keys[order]
    starts = np.searchsorted(sorted_keys, sorted_keys, side="left")
    within = np.arange(len(order)) - starts
    return order[within < limit[sorted_keys]]


def match_fair(
    session: Session, vacancies: Sequence[Vacancy], communes: Sequence[str], *, on: date
) -> list[FairMatch]:
    """The invitations of a session: per person, their best vacancies (at most PER_PERSON)."""
    if not vacancies:
        return []
    rows: list[Any] = list(session.execute(graduates_of_communes(communes)).all())
    profiles = profiles_of_rows(session, rows)
    seekers, seeker_rows = _seekers(session, communes, {int(row[0]) for row in rows})
    rows += seeker_rows
    if not rows:
        return []
    by_id = {str(row[0]): row for row in rows}
    tables = build_tables(
        profiles + seekers,
        [vacancy_profile(session, vacancy) for vacancy in vacancies],
        load_catalogue(),
        on,
    )
    people = [by_id[profile.id] for profile in tables.graduates.profiles]
    occupation = np.array([row[9] for row in people], dtype=np.int64)
    group = np.array([row[TRADE_GROUP] or "" for row in people], dtype=object)
    v, g = np.nonzero(_trade_related(session, vacancies, occupation, group))
    scored = score_index_pairs(tables, g, v, adopted_weights(session))
    rules = _willing_to_go(vacancies, people, g, v) & _age_and_time(vacancies, people, g, v, on)
    keep = np.flatnonzero(scored.eligible & rules)
    g, v, score = g[keep], v[keep], np.round(scored.score[keep], 4)
    person_ids = np.array([int(row[0]) for row in people], dtype=np.int64)
    places = np.array([max(MIN_PER_VACANCY, PER_PLACE * x.quantity) for x in vacancies])
    kept = _best(v, score, person_ids[g], places)
    g, v, score = g[kept], v[kept], score[kept]
    vacancy_ids = np.array([x.id or 0 for x in vacancies], dtype=np.int64)
    per_person = _best(g, score, vacancy_ids[v], np.full(len(people), PER_PERSON))
    order = per_person[
        np.lexsort((vacancy_ids[v[per_person]], -score[per_person], person_ids[g[per_person]]))
    ]
    matches, rank, previous = [], 0, -1
    for position in order:
        person = int(person_ids[g[position]])
        rank = rank + 1 if person == previous else 1
        previous = person
        commune = people[g[position]][2]
        vacancy_id = int(vacancy_ids[v[position]])
        matches.append(FairMatch(person, vacancy_id, float(score[position]), rank, commune))
    return matches
