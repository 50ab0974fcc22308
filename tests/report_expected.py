"""What each table of the yearly report must hold, computed straight from the KPI functions of
``matching.kpi`` over the year's records (not from the stored figures): rows by their label in
the reader's language, numbers only. Rows whose numbers are all zero or empty are left out on
both sides of a comparison (the report lists every level and channel, zeros included)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlmodel import Session

from matching import kpi
from models.i18n import translate
from models.monitoring.figures import YearInput, group_key
from models.monitoring.read import figure_table
from models.monitoring.report import INDICATORS, LOWER_IS_BETTER, grouped_keys
from models.queries.labels import PRIORITY_GROUP_LABELS, Labels, key_labels

Rows = dict[str, tuple[Any, ...]]
SHARE_DIGITS = 4  # CSV files carry shares to 4 decimals


def report_labels(session: Session, year: int = 2026) -> Labels:
    """The names of every group the year's stored figures have."""
    labels = key_labels(session, grouped_keys(figure_table(session, year)))
    session.rollback()
    return labels


def significant(rows: Mapping[str, Sequence[Any]], digits: int = SHARE_DIGITS) -> Rows:
    """Rows with at least one number that is not zero, numbers rounded to ``digits``."""
    return {
        label: tuple(None if v is None else round(float(v), digits) for v in values)
        for label, values in rows.items()
        if any(values)
    }


def _named(groups: Mapping[Any, Any], dimension: str, labels: Labels, lang: str) -> dict:
    return {labels.text(dimension, group_key(key), lang): value for key, value in groups.items()}


def _after(stats: kpi.AfterTrainingStats) -> tuple[Any, ...]:
    return (
        stats.response.denominator,
        stats.response.numerator,
        stats.response.value,
        stats.employed.numerator,
        stats.employed.value,
        stats.in_trained_occupation.value,
        len(stats.not_reached_ids),
        len(stats.studying_ids),
        len(stats.military_ids),
        len(stats.unobserved_ids),
    )


def expected_tables(
    data: YearInput, targets: Mapping[str, kpi.TargetRecord], labels: Labels, lang: str
) -> dict[str, Rows]:
    year, total = data.year, translate("Total", lang)
    found: dict[str, Rows] = {}

    def counts(c: kpi.TrainedCounts) -> tuple[int, ...]:
        return (c.trained.value, c.started.value, c.finished.value, c.certified.value)

    for dimension in ("level", "commune", "occupation", "institution"):
        result = kpi.trained(data.enrolments, year, by=dimension)
        rows = {k: counts(v) for k, v in _named(result.groups, dimension, labels, lang).items()}
        found[f"trained-by-{dimension}"] = {**rows, total: counts(result.total)}

    jobs = kpi.new_jobs(data.spells, year)
    channels = _named(jobs.channels, "channel", labels, lang)
    found["new-jobs-by-channel"] = {
        **{k: (v.value,) for k, v in channels.items()},
        total: (jobs.total.value,),
    }
    by_commune = kpi.new_jobs(data.spells, year, by="commune")
    found["new-jobs-by-commune"] = {
        **{k: (v.value,) for k, v in _named(by_commune.groups, "commune", labels, lang).items()},
        total: (by_commune.total.value,),
    }
    for dimension in ("country", "programme"):
        gone = kpi.abroad(data.spells, year, by=dimension)
        named = _named(gone.groups, dimension, labels, lang)
        found[f"abroad-by-{dimension}"] = {
            **{k: (v.value,) for k, v in named.items()},
            total: (gone.total.value,),
        }

    def after(window: int, by: str | None = None) -> kpi.EmploymentAfterTraining:
        return kpi.employment_after_training(
            data.enrolments, data.follow_ups, data.graduate_spells, window_months=window,
            cohort=year, as_of=data.as_of, by=by,
        )  # fmt: skip

    found["after-training"] = {str(window): _after(after(window).total) for window in (0, 3, 6, 12)}
    for dimension in ("level", "occupation"):
        result = after(6, dimension)
        named = _named(result.groups, dimension, labels, lang)
        found[f"after-training-by-{dimension}"] = {
            **{k: _after(v) for k, v in named.items()},
            total: _after(result.total),
        }
    found["priority-groups"] = _priority(data, lang)
    found["training-orders"] = _orders(data, labels, lang)
    found["vacancies"] = _vacancies(data, lang)
    found["labour-force"] = _labour_force(data, targets, lang)
    found["progress"] = _progress(data, targets, lang)
    return found


def _priority(data: YearInput, lang: str) -> Rows:
    people = kpi.priority_groups(data.year, enrolments=data.enrolments, spells=data.spells)
    employed = kpi.priority_groups(
        data.year, enrolments=data.enrolments, spells=data.graduate_spells,
        follow_ups=data.follow_ups, as_of=data.as_of,
    ).populations["employed_after_training"]  # fmt: skip
    populations = (
        people.populations["trained"],
        people.populations["new_jobs"],
        employed,
    )
    rows: Rows = {}
    for group, msgid in PRIORITY_GROUP_LABELS.items():
        if group in kpi.PRIORITY_GROUPS:
            shares = [p.shares[group] for p in populations]
            rows[translate(msgid, lang)] = tuple(x for s in shares for x in (s.numerator, s.value))
    rows[translate("All people", lang)] = tuple(x for p in populations for x in (p.people, None))
    return rows


def _order(outcome: kpi.OrderOutcome) -> tuple[Any, ...]:
    return (
        outcome.ordered,
        outcome.hiring_commitment,
        outcome.enrolled.value,
        outcome.graduated.value,
        outcome.hired.value,
        outcome.fill.value,
        outcome.commitment_met.value,
        outcome.cost_per_placed,
    )


def _orders(data: YearInput, labels: Labels, lang: str) -> Rows:
    result = kpi.orders(
        data.orders, data.order_enrolments, data.order_spells, year=data.year, by="occupation"
    )
    named = _named(result.groups, "occupation", labels, lang)
    return {
        **{k: _order(v) for k, v in named.items()},
        translate("All orders", lang): _order(result.total),
    }


def _vacancy(stats: kpi.VacancyStats) -> tuple[Any, ...]:
    return (
        len(stats.vacancy_ids),
        stats.places_offered,
        stats.places_filled,
        stats.fill.value,
        stats.median_days_to_fill,
    )


def _vacancies(data: YearInput, lang: str) -> Rows:
    result = kpi.vacancies(data.vacancies, data.year, by="month")
    rows: Rows = {f"{key[5:]}/{key[:4]}": _vacancy(v) for key, v in result.groups.items()}
    rows[translate("Total", lang)] = _vacancy(result.total)
    return rows


def _labour_force(data: YearInput, targets: Mapping[str, kpi.TargetRecord], lang: str) -> Rows:
    source, year, figures = data.labour_force_source, data.year, data.labour_force
    imported = {
        "trained_share_pct": kpi.trained_share(figures, year, source=source).share,
        "certified_share_pct": kpi.certified_share(figures, year, source=source).share,
    }
    structure = kpi.labour_structure(figures, year, source=source).shares
    recorded = kpi.new_job_structure(data.spells, year).shares
    rows: Rows = {}
    for indicator, (msgid, _, measure, _) in INDICATORS.items():
        if indicator.startswith("structure"):
            values = (structure[measure].value, recorded[measure].value)
        elif indicator in imported:
            values = (imported[indicator].value, None)
        else:
            continue
        target = targets.get(indicator)
        rows[translate(msgid, lang)] = (*values, target.value_min / 100 if target else None)
    return rows


def _progress(data: YearInput, targets: Mapping[str, kpi.TargetRecord], lang: str) -> Rows:
    year, lf, source = data.year, data.labour_force, data.labour_force_source
    values = {
        "trained_people": kpi.trained(data.enrolments, year).total.trained.value,
        "new_jobs": kpi.new_jobs(data.spells, year).total.value,
        "abroad_departures": kpi.abroad(data.spells, year, by=None).total.value,
        "trained_share_pct": kpi.trained_share(lf, year, source=source).share.value,
        "certified_share_pct": kpi.certified_share(lf, year, source=source).share.value,
        **{
            f"structure_{sector}_pct": rate.value
            for sector, rate in kpi.labour_structure(lf, year, source=source).shares.items()
        },
    }
    rows: Rows = {}
    for indicator, (msgid, _, _, is_share) in INDICATORS.items():
        value, target = values[indicator], targets.get(indicator)
        low = high = None
        if target is not None:
            scale = 100 if target.unit == "percent" else 1
            low = target.value_min / scale
            high = None if target.value_max is None else target.value_max / scale
        if target is None or value is None:
            rows[translate(msgid, lang)] = (low, high, value, None, None)
            continue
        result = kpi.progress(
            value, target, data.as_of, year, cumulative=not is_share,
            higher_is_better=indicator not in LOWER_IS_BETTER,
        )  # fmt: skip
        projection = result.projection if is_share else round(result.projection or 0)
        rows[translate(msgid, lang)] = (low, high, value, result.share_reached, projection)
    return rows


def numbers_only(values: Iterable[Any]) -> tuple[Any, ...]:
    """The numbers of a row as read back from a file: empty cells are None, text is left out."""
    kept: list[Any] = []
    for value in values:
        if value is None or value == "":
            kept.append(None)
        elif isinstance(value, int | float):
            kept.append(value)
        else:
            try:
                kept.append(float(value))
            except ValueError:
                continue
    return tuple(kept)
