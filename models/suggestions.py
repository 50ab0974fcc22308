"""Ranked candidates per open vacancy, computed by the matching engine and stored, so the
candidates page reads a few rows instead of scoring thousands of graduates per view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlmodel import Session, col

from matching.engine import Matcher
from matching.languages import certificate_name, language_verdict, required_language
from matching.profiles import GraduateProfile, VacancyProfile
from matching.score import PLACE_ACCEPTED, Weights, km_of_place
from models.clock import today, utcnow
from models.db import end_read, unit_of_work
from models.formatting import format_date
from models.i18n import translate
from models.learned_weights import adopted_weights
from models.profiles import graduate_profiles, vacancy_profiles
from models.queries.candidates import Training, order_linked
from models.tables import AuditEntry, TrainingLevel, Vacancy, VacancySuggestion

DEFAULT_TOP = 20
# Graduates come and go (new cohorts, hires): older suggestions are recomputed when read.
MAX_AGE = timedelta(days=1)

Report = Callable[[int, int], None]  # (graduates, vacancies) once both are loaded


def compute_suggestions(
    session: Session,
    *,
    vacancy_ids: Sequence[int] | None = None,
    top_k: int = DEFAULT_TOP,
    on: date | None = None,
    report: Report | None = None,
) -> int:
    """Rank graduates for every open vacancy (or those of `vacancy_ids`), replace their
    stored suggestions in one transaction and return how many rows were stored. Without
    `vacancy_ids` every stored row is replaced, so closed vacancies keep none."""
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    on = on or today()
    graduates = graduate_profiles(session)
    vacancies = vacancy_profiles(session, vacancy_ids, on=on)
    weights = adopted_weights(session)
    end_read(session)  # ranking is slow: no transaction stays open while it runs
    if report is not None:
        report(len(graduates), len(vacancies))
    rows = _rank(graduates, vacancies, top_k, on, weights)
    with unit_of_work(session):
        stale = delete(VacancySuggestion)
        if vacancy_ids is not None:
            stale = stale.where(col(VacancySuggestion.vacancy_id).in_(list(vacancy_ids)))
        session.execute(stale)
        if rows:
            session.execute(insert(VacancySuggestion), rows)
    return len(rows)


def _rank(
    graduates: list[GraduateProfile],
    vacancies: list[VacancyProfile],
    top_k: int,
    on: date,
    weights: Weights,
) -> list[dict[str, Any]]:
    if not graduates or not vacancies:
        return []
    ranking = (
        Matcher(today=on, weights=weights).fit(graduates, vacancies).rank_graduates(top_k=top_k)
    )
    computed_at = utcnow()
    rows = []
    for vacancy_id, matches in ranking.items():
        for rank, match in enumerate(matches, start=1):
            rows.append(
                {
                    "vacancy_id": int(vacancy_id),
                    "person_id": int(match.graduate_id),
                    "rank": rank,
                    "score": round(float(match.score), 6),
                    "components": {k: round(float(v), 4) for k, v in match.components.items()},
                    "matched_skills": list(match.matched_skills),
                    "missing_skills": list(match.missing_skills),
                    "reason": match.reason,
                    "computed_at": computed_at,
                }
            )
    return rows


def suggestions_for(session: Session, vacancy_id: int) -> list[VacancySuggestion]:
    """The stored suggestions of a vacancy, best first."""
    query = (
        select(VacancySuggestion)
        .where(col(VacancySuggestion.vacancy_id) == vacancy_id)
        .order_by(col(VacancySuggestion.rank))
    )
    return list(session.execute(query).scalars().all())


def suggestions_stale(
    session: Session,
    vacancy: Vacancy,
    suggestions: Sequence[VacancySuggestion],
    now: datetime | None = None,
) -> bool:
    """Whether a vacancy's suggestions need computing again: none stored, the vacancy posted
    or edited since they were computed, or older than MAX_AGE (new graduates, hires)."""
    if not suggestions:
        return True
    computed = min(_aware(s.computed_at) for s in suggestions)
    if (now or utcnow()) - computed > MAX_AGE:
        return True
    return vacancy_changed_since(session, vacancy, computed)


def vacancy_changed_since(session: Session, vacancy: Vacancy, moment: datetime) -> bool:
    """Whether the vacancy was posted or edited after `moment`. Edits leave an audit entry
    (web/services/vacancies.py); entries are indexed by time, so only recent ones are read."""
    if vacancy.created_at is not None and _aware(vacancy.created_at) > moment:
        return True
    query = select(
        exists().where(
            col(AuditEntry.at) > moment,
            col(AuditEntry.entity) == "vacancy",
            col(AuditEntry.entity_id) == str(vacancy.id),
            col(AuditEntry.action) == "update",
        )
    )
    return bool(session.execute(query).scalar())


def _aware(moment: datetime) -> datetime:
    """A datetime read back without its zone was stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- why a candidate ranks where they do, in the reader's language ---------------------------

RELATED = 0.6  # the engine's occupation score for a related trade (matching.score)


@dataclass(frozen=True)
class Reason:
    """The facts behind a suggestion that the candidates page states in one line."""

    occupation: str | None  # the trade of the person's latest graduation
    occupation_fit: str  # "same", "related", "other"
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    level: str | None
    level_below: str | None  # the required level's name, when the person is below it
    place: str  # "same_commune", "province", "other_province", "abroad"
    commune: str
    unwilling: bool  # the job is outside the places the person would work in
    order_linked: bool
    graduated_on: date | None = None  # evidence that breaks ties: recency, certificate
    certified: bool = False
    language: str = ""  # "met", "short", "unmet"; "" when the job asks no language
    certificate: str = ""  # the language certificate the job asks for ("JLPT N4")
    km: int | None = None  # home to a job elsewhere in the province, as the score counted it
    wage_room: int = 0  # percent by which the offer exceeds the wage the person asks


def explain(
    suggestion: VacancySuggestion,
    vacancy: Vacancy,
    *,
    training: Training | None,
    person_commune: str | None,
    person_wishes: Sequence[str],
    commune_name: str,
    required_level: TrainingLevel | None,
    expected_wage: int | None = None,
) -> Reason:
    """Facts from the stored score components and the rows behind them."""
    components = suggestion.components or {}
    below = required_level is not None and (
        training is None or training.level_rank < required_level.rank
    )
    place = _place(vacancy, person_commune)
    asked = required_language(vacancy.title, vacancy.description or "", vacancy.skills or ())
    # Suggestions stored before languages were read have no language component: say nothing.
    known = asked is not None and "language" in components
    return Reason(
        occupation=training.occupation_name if training else None,
        occupation_fit=_fit(training, vacancy, components.get("occupation", 0.0)),
        matched=tuple(suggestion.matched_skills or ()),
        missing=tuple(suggestion.missing_skills or ()),
        level=training.level_name if training else None,
        level_below=required_level.name if below and required_level else None,
        place=place,
        commune=commune_name,
        # Within their wishes the place scores at least min(PLACE_ACCEPTED) (nearer is a
        # little better); below it, the job lies outside them.
        unwilling=bool(person_wishes) and components.get("place", 1.0) < min(PLACE_ACCEPTED),
        order_linked=order_linked(training, vacancy),
        graduated_on=training.graduated_on if training else None,
        certified=training.certified if training else False,
        language=language_verdict(known, components.get("language", 1.0)),
        certificate=certificate_name(asked) if asked else "",
        km=km_of_place(components.get("place", 1.0)) if place == "province" else None,
        wage_room=wage_room(vacancy, expected_wage),
    )


def wage_room(vacancy: Vacancy, expected: int | None) -> int:
    """Whole percent by which the vacancy's offer (its highest wage) exceeds the wage the
    person asks (0 when either is unknown or the offer does not exceed it), as the engine's
    wage component counts it."""
    offered = vacancy.wage_max if vacancy.wage_max is not None else vacancy.wage_min
    if not offered or not expected or expected <= 0:
        return 0
    return max(0, round((offered / expected - 1.0) * 100))


def _fit(training: Training | None, vacancy: Vacancy, occupation_score: float) -> str:
    if training is not None and training.occupation_id == vacancy.occupation_id:
        return "same"
    if occupation_score >= 1.0:
        return "same"
    return "related" if occupation_score >= RELATED else "other"


def _place(vacancy: Vacancy, person_commune: str | None) -> str:
    if vacancy.location_kind in ("abroad", "other_province"):
        return vacancy.location_kind
    return "same_commune" if vacancy.commune_code == person_commune else "province"


_FIT = {
    "same": "Trained in {occupation}, the occupation of the job",
    "related": "Trained in {occupation}, a related occupation",
    "other": "Trained in {occupation}, another occupation",
}
_LANGUAGE = {
    "met": "holds the {certificate} asked",
    "short": "one level below the {certificate} asked",
    "unmet": "lacks the {certificate} asked",
}
_PLACE = {
    "same_commune": "lives in the commune of the job",
    "province": "lives in {commune}, in the province",
    "other_province": "lives in {commune}; the job is in another province",
    "abroad": "lives in {commune}; the job is abroad",
}


def reason_line(reason: Reason, lang: str) -> str:
    """ "Trained in May công nghiệp, the occupation of the job; has cắt vải; lacks vắt sổ;
    level Sơ cấp; lives in the commune of the job; trained under this vacancy's order"."""
    parts = [
        translate(_FIT[reason.occupation_fit], lang, occupation=reason.occupation)
        if reason.occupation
        else translate("No graduation on record", lang)
    ]
    if reason.matched:
        parts.append(translate("has {skills}", lang, skills=", ".join(reason.matched)))
    if reason.missing:
        parts.append(translate("lacks {skills}", lang, skills=", ".join(reason.missing)))
    if reason.level_below:
        parts.append(
            translate(
                "level {level}, below the {required} asked",
                lang,
                level=reason.level or "—",
                required=reason.level_below,
            )
        )
    elif reason.level:
        parts.append(translate("level {level}", lang, level=reason.level))
    if reason.language:
        parts.append(translate(_LANGUAGE[reason.language], lang, certificate=reason.certificate))
    place = translate(_PLACE[reason.place], lang, commune=reason.commune)
    if reason.km is not None and not reason.unwilling:
        place += ", " + translate("about {km} km from the job", lang, km=reason.km)
    if reason.unwilling:
        place += " " + translate("(not where they wish to work)", lang)
    parts.append(place)
    if reason.wage_room > 0:
        parts.append(translate("offer {room} % above the wage asked", lang, room=reason.wage_room))
    if reason.order_linked:
        parts.append(translate("trained under this vacancy's training order", lang))
    if reason.graduated_on:
        day = format_date(reason.graduated_on, lang)
        parts.append(translate("graduated on {day}", lang, day=day))
    if reason.certified:
        parts.append(translate("certificate on record", lang))
    return "; ".join(parts)
