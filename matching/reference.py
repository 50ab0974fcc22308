"""The slow, obviously correct scorer: one pair at a time, straight from the rules.

The fast path in :mod:`matching.vectorised` must give the same numbers (to 1e-9); a property
test checks it. Keep this module boring.
"""

from __future__ import annotations

from datetime import date

from matching.catalogue import OccupationCatalogue, load_catalogue
from matching.explain import TEXT_FITS, Facts, explain
from matching.languages import (
    certificate_name,
    held_languages,
    language_factor,
    language_verdict,
    required_language,
    strip_language,
    without_languages,
)
from matching.normalise import guess_keys
from matching.profiles import LEVEL_RANK, GraduateProfile, VacancyProfile, level_rank
from matching.score import (
    MAX_DELAY_DAYS,
    Match,
    Weights,
    accepted_scopes,
    age_allowed,
    delay_days,
    distance_km,
    freshness,
    level_component,
    occupation_component,
    place_component,
    place_scope,
    timing_component,
    wage_component,
    weighted_score,
)
from matching.similarity import occupation_text, skill_matches, text_similarity
from matching.text import cached_search_key as search_key
from matching.trades import trade_form


def distinct_skills(skills: tuple[str, ...]) -> tuple[str, ...]:
    """Skills with blank and repeated (same search key) entries removed, first kept."""
    seen: set[str] = set()
    kept = []
    for skill in skills:
        key = search_key(skill)
        if key and key not in seen:
            seen.add(key)
            kept.append(skill)
    return tuple(kept)


def code_relation(catalogue: OccupationCatalogue, a: str | None, b: str | None) -> str:
    """ "same", "related" (same group) or "" for two occupation codes."""
    if catalogue.same(a, b):
        return "same"
    return "related" if catalogue.related(a, b) else ""


def effective_key(catalogue: OccupationCatalogue, code: str | None, text: str) -> str | None:
    """The catalogue key given by ``code``, else guessed from ``text`` (or None)."""
    occupation = catalogue.resolve(code)
    if occupation is not None:
        return occupation.key
    return guess_keys(catalogue, [trade_form(text)])[0] if search_key(text) else None


def guessed_relation(catalogue: OccupationCatalogue, a: str | None, b: str | None) -> str:
    """ "same", "related", "unrelated" or "unknown" for two effective keys."""
    if a is None or b is None:
        return "unknown"
    if a == b:
        return "same"
    return "related" if catalogue.related(a, b) else "unrelated"


def trade_text(occupation: str, code: str | None, catalogue: OccupationCatalogue) -> str:
    """The trade text compared with job ads: what was typed, else the catalogue name."""
    if search_key(occupation):
        return occupation
    resolved = catalogue.resolve(code)
    return resolved.name if resolved else ""


def graduate_trade(graduate: GraduateProfile, catalogue: OccupationCatalogue) -> str:
    """:func:`trade_text` of a graduate."""
    return trade_text(graduate.occupation, graduate.occupation_code, catalogue)


def _occupation_name(g: GraduateProfile, v: VacancyProfile, catalogue: OccupationCatalogue) -> str:
    occupation = catalogue.resolve(v.occupation_code) or catalogue.resolve(g.occupation_code)
    return occupation.name if occupation else ""


def _room(offered: int | None, expected: int | None) -> int:
    """Whole percent by which the offer exceeds the expectation (0 when it does not)."""
    if not offered or not expected:
        return 0
    return max(0, round((offered / expected - 1.0) * 100))


def reference_score(
    graduate: GraduateProfile,
    vacancy: VacancyProfile,
    weights: Weights | None = None,
    catalogue: OccupationCatalogue | None = None,
    *,
    today: date,
) -> Match:
    """Score one pair by looping over the rules; the definition the fast path must equal."""
    weights = weights or Weights()
    catalogue = catalogue or load_catalogue()
    start = vacancy.start_date or today
    relation = code_relation(catalogue, graduate.occupation_code, vacancy.occupation_code)
    trade = graduate_trade(graduate, catalogue)
    title = strip_language(vacancy.title)
    text = 0.0
    if relation != "same":
        model = occupation_text(catalogue)
        text = text_similarity(model, trade, title, vacancy.description)
    guessed = guessed_relation(
        catalogue,
        effective_key(catalogue, graduate.occupation_code, trade),
        effective_key(catalogue, vacancy.occupation_code, title),
    )
    language = required_language(vacancy.title, vacancy.description, vacancy.skills)
    required = distinct_skills(without_languages(vacancy.skills))
    held = distinct_skills(graduate.skills)
    matched = tuple(s for s in required if any(skill_matches(s, h) for h in held))
    missing = tuple(s for s in required if s not in matched)
    scope = place_scope(graduate.commune_code, vacancy.location.kind, vacancy.location.commune_code)
    km = distance_km(graduate.home, vacancy.location.point) if scope == 1 else None
    delay = delay_days(graduate.available_from, start)
    linked = vacancy.order_id is not None and graduate.order_id == vacancy.order_id
    required_rank = None if vacancy.required_level is None else LEVEL_RANK[vacancy.required_level]
    components = {
        "occupation": occupation_component(relation == "same", guessed, text),
        "skills": len(matched) / len(required) if required else 1.0,
        "level": level_component(
            level_rank(graduate.level), required_rank, freshness(graduate.graduated_on, start)
        ),
        "place": place_component(scope, graduate.willing_to_work, km),
        "wage": wage_component(graduate.expected_wage, vacancy.offered_wage),
        "timing": timing_component(delay),
        "order": 1.0 if linked else 0.0,
        # A training order's cohort learns the language in the order's own course.
        "language": 1.0 if linked else language_factor(language, held_languages(graduate.skills)),
    }
    ineligible = None
    if not age_allowed(graduate.birth_year, vacancy.age_min, vacancy.age_max, start):
        ineligible = "age"
    elif delay > MAX_DELAY_DAYS:
        ineligible = "timing"
    offered = vacancy.offered_wage
    short = required_rank is not None and level_rank(graduate.level) < required_rank
    wage_known = (graduate.expected_wage or 0) > 0 and offered is not None
    facts = Facts(
        relation=relation,
        occupation_name=_occupation_name(graduate, vacancy, catalogue),
        occupation_fits=components["occupation"] >= TEXT_FITS,
        occupation_full=components["occupation"] >= 1.0,
        trained=bool(search_key(trade)),
        matched=matched,
        missing=missing,
        level_short=vacancy.required_level if short else None,
        level_held=graduate.level if not short else None,
        graduated_on=graduate.graduated_on,
        wage_room=_room(offered, graduate.expected_wage) if wage_known else 0,
        own_commune=scope == 0,
        km=None if km is None else round(km),
        unwilling=bool(graduate.willing_to_work)
        and scope not in accepted_scopes(graduate.willing_to_work),
        wage=("ok" if (offered or 0) >= (graduate.expected_wage or 0) else "low")
        if wage_known
        else "",
        delay=delay,
        linked=linked,
        ineligible=ineligible,
        language=language_verdict(language is not None, components["language"]),
        certificate=certificate_name(language) if language else "",
    )
    score = 0.0 if ineligible else weighted_score(components, weights, vacancy.order_id is not None)
    return Match(
        graduate_id=graduate.id,
        vacancy_id=vacancy.id,
        score=score,
        components=components,
        matched_skills=matched,
        missing_skills=missing,
        reason=explain(facts),
        eligible=ineligible is None,
    )
