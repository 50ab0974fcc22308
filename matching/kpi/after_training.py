"""K7: employment after training, at a window of 0, 3, 6 or 12 months after graduation.

The unit is a graduation (an enrolment with status tot_nghiep whose graduation falls in the
cohort): a person who graduated from two courses is followed up for each. A graduation is due
at a window once ``graduated_on + window`` has passed (``as_of``).

An observation at the window comes from, in this order:

1. a follow-up row at that window whose status is not ``not_reached`` (someone asked);
2. otherwise a job recorded on the platform that was running at the window's date and started
   after graduation, or earlier when the job is linked to this enrolment (an employer who
   ordered the training hires at the end of the course). A hire and a follow-up of the same
   job are one observation: there is at most one per graduation and window;
3. otherwise a ``not_reached`` follow-up: a non-response, reported and out of the denominator.

Employed = wage, self-employed, household production, abroad, and "same job done better"
(improved_same_job) only for dưới 3 tháng courses. The denominator is the graduations
observed, minus those studying further or in military service (reported apart). Employed in
the trained occupation is over the same denominator, so the two rates sit side by side. The
response rate is observed (studying and military included) ÷ graduations due (those observed
early included, so it never exceeds 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from matching.kpi.cuts import cut, dimension_names
from matching.kpi.dates import Period, add_months, period_bounds
from matching.kpi.ids import WINDOWS
from matching.kpi.records import (
    ENROLMENT_GRADUATED,
    SHORT_COURSE_LEVEL,
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
)
from matching.kpi.results import GroupKey, Rate, rate

EMPLOYED_STATUSES = frozenset({"wage", "self_employed", "household", "abroad"})
IMPROVED_SAME_JOB = "improved_same_job"
NOT_REACHED = "not_reached"
STUDYING = "studying"
MILITARY = "military"


@dataclass(frozen=True, slots=True)
class Observation:
    """What one graduation's person was doing at the window, and the row that says so."""

    enrolment_id: int
    person_id: int
    status: str
    employed: bool
    in_trained_occupation: bool
    follow_up_id: int | None = None  # the follow-up row, when someone asked
    spell_id: int | None = None  # the job, when a hire (or the follow-up) names one


@dataclass(frozen=True, slots=True)
class AfterTrainingStats:
    """The rates for a set of graduations; every id list holds enrolment ids."""

    graduates_due: int
    response: Rate  # observed ÷ due
    employed: Rate  # employed ÷ (observed − studying − military)
    in_trained_occupation: Rate  # employed in the trained occupation ÷ the same
    not_reached_ids: tuple[int, ...]
    studying_ids: tuple[int, ...]
    military_ids: tuple[int, ...]
    unobserved_ids: tuple[int, ...]  # due, and nothing known at all
    observations: tuple[Observation, ...]


@dataclass(frozen=True, slots=True)
class EmploymentAfterTraining:
    """K7 for a cohort of graduations at one window, in total and per group."""

    window_months: int
    cohort_start: date
    cohort_end: date
    as_of: date
    total: AfterTrainingStats
    by: tuple[str, ...]
    groups: Mapping[GroupKey, AfterTrainingStats]


def employment_after_training(
    enrolments: Iterable[EnrolmentRecord],
    follow_ups: Iterable[FollowUpRecord],
    hires: Iterable[EmploymentRecord],
    *,
    window_months: int,
    cohort: Period,
    as_of: date,
    by: str | Sequence[str] | None = None,
) -> EmploymentAfterTraining:
    """K7 for graduations in ``cohort`` (a year or a date range) at ``window_months``, as known
    on ``as_of``; cut by the graduation's dimensions (month = month of graduation)."""
    result, cuts = employment_after_training_cuts(
        enrolments,
        follow_ups,
        hires,
        window_months=window_months,
        cohort=cohort,
        as_of=as_of,
        cuts=() if by is None else (by,),
    )
    if by is None:
        return result
    return replace(result, by=dimension_names(by), groups=cuts[0])


def employment_after_training_cuts(
    enrolments: Iterable[EnrolmentRecord],
    follow_ups: Iterable[FollowUpRecord],
    hires: Iterable[EmploymentRecord],
    *,
    window_months: int,
    cohort: Period,
    as_of: date,
    cuts: Sequence[str | Sequence[str]],
) -> tuple[EmploymentAfterTraining, list[dict[GroupKey, AfterTrainingStats]]]:
    """K7 once, cut several ways: the total, and the groups of each cut in ``cuts`` (each the
    ``by`` of ``employment_after_training``). The observations are made once for all cuts."""
    if window_months not in WINDOWS:
        raise ValueError(f"window_months must be one of {WINDOWS}, not {window_months!r}")
    start, end = period_bounds(cohort)
    graduates = [e for e in enrolments if graduated_between(e, start, end)]
    dues = due_dates(graduates, window_months)
    found = observe(graduates, follow_ups, hires, window_months, dues, as_of)
    in_scope = [g for g in graduates if g.enrolment_id in found or dues[g.enrolment_id] <= as_of]
    total = summarise(in_scope, found)
    groups = []
    for by in cuts:
        grouped = cut(in_scope, by, when=_graduation, record_type=EnrolmentRecord)
        groups.append({key: summarise(group, found) for key, group in grouped.items()})
    result = EmploymentAfterTraining(window_months, start, end, as_of, total, (), {})
    return result, groups


def due_dates(graduates: Iterable[EnrolmentRecord], window_months: int) -> dict[int, date]:
    """The day each graduation (by enrolment id) is due at the window."""
    memo: dict[date, date] = {}  # graduations share few distinct dates
    dues = {}
    for graduate in graduates:
        graduated = _graduation(graduate)
        due = memo.get(graduated)
        if due is None:
            due = memo[graduated] = add_months(graduated, window_months)
        dues[graduate.enrolment_id] = due
    return dues


def observe(
    graduates: Sequence[EnrolmentRecord],
    follow_ups: Iterable[FollowUpRecord],
    hires: Iterable[EmploymentRecord],
    window_months: int,
    dues: Mapping[int, date],
    as_of: date,
) -> dict[int, Observation]:
    """One observation per graduation (by enrolment id) at the window, due on ``dues``. A
    follow-up row counts even if recorded early; a hire only once its window's day has passed
    (a job running today says nothing yet about the day the window falls)."""
    wanted = {g.enrolment_id for g in graduates}
    people = {g.person_id for g in graduates}
    asked: dict[int, FollowUpRecord] = {}
    for row in follow_ups:
        if row.months_after == window_months and row.enrolment_id in wanted:
            kept = asked.get(row.enrolment_id)
            if kept is None or _answer_rank(row) > _answer_rank(kept):
                asked[row.enrolment_id] = row
    jobs: dict[int, list[EmploymentRecord]] = {}
    for spell in hires:
        if spell.person_id in people:
            jobs.setdefault(spell.person_id, []).append(spell)
    found: dict[int, Observation] = {}
    for graduate in graduates:
        due = dues[graduate.enrolment_id]
        known = jobs if due <= as_of else {}
        seen = _observation(graduate, due, asked.get(graduate.enrolment_id), known)
        if seen is not None:
            found[graduate.enrolment_id] = seen
    return found


def summarise(
    graduates: Iterable[EnrolmentRecord], found: Mapping[int, Observation]
) -> AfterTrainingStats:
    """The rates over ``graduates``, given the observation of each (where there is one)."""
    due, observed, denominator, employed, matched = [], [], [], [], []
    apart: dict[str, list[int]] = {NOT_REACHED: [], STUDYING: [], MILITARY: [], "": []}
    seen: list[Observation] = []
    for graduate in graduates:
        enrolment = graduate.enrolment_id
        due.append(enrolment)
        observation = found.get(enrolment)
        if observation is None:
            apart[""].append(enrolment)
            continue
        seen.append(observation)
        if observation.status == NOT_REACHED:
            apart[NOT_REACHED].append(enrolment)
            continue
        observed.append(enrolment)
        if observation.status in (STUDYING, MILITARY):
            apart[observation.status].append(enrolment)
            continue
        denominator.append(enrolment)
        if observation.employed:
            employed.append(enrolment)
            if observation.in_trained_occupation:
                matched.append(enrolment)
    return AfterTrainingStats(
        graduates_due=len(due),
        response=rate(observed, due),
        employed=rate(employed, denominator),
        in_trained_occupation=rate(matched, denominator),
        not_reached_ids=tuple(apart[NOT_REACHED]),
        studying_ids=tuple(apart[STUDYING]),
        military_ids=tuple(apart[MILITARY]),
        unobserved_ids=tuple(apart[""]),
        observations=tuple(seen),
    )


def counts_as_employed(status: str, level: str | None) -> bool:
    """Whether a status counts as employed for a graduate of ``level``."""
    if status == IMPROVED_SAME_JOB:
        return level == SHORT_COURSE_LEVEL
    return status in EMPLOYED_STATUSES


def _observation(
    graduate: EnrolmentRecord,
    due: date,
    asked: FollowUpRecord | None,
    jobs: Mapping[int, list[EmploymentRecord]],
) -> Observation | None:
    if asked is not None and asked.status != NOT_REACHED:
        return _from_follow_up(graduate, asked)
    hire = _hire_at(graduate, due, jobs.get(graduate.person_id, ()))
    if hire is not None:
        return _observed(graduate, hire.kind, hire.in_trained_occupation, spell_id=hire.spell_id)
    if asked is not None:
        return _from_follow_up(graduate, asked)
    return None


def _from_follow_up(graduate: EnrolmentRecord, row: FollowUpRecord) -> Observation:
    return _observed(
        graduate,
        row.status,
        row.in_trained_occupation,
        follow_up_id=row.follow_up_id,
        spell_id=row.employment_spell_id,
    )


def _observed(
    graduate: EnrolmentRecord,
    status: str,
    in_trained_occupation: bool | None,
    *,
    follow_up_id: int | None = None,
    spell_id: int | None = None,
) -> Observation:
    employed = counts_as_employed(status, graduate.level)
    return Observation(
        graduate.enrolment_id,
        graduate.person_id,
        status,
        employed,
        employed and in_trained_occupation is True,
        follow_up_id=follow_up_id,
        spell_id=spell_id,
    )


def _hire_at(
    graduate: EnrolmentRecord, due: date, spells: Iterable[EmploymentRecord]
) -> EmploymentRecord | None:
    """The job running on ``due`` that this training led to, preferring one in the trained
    occupation, then the earliest."""
    graduated = _graduation(graduate)
    best: EmploymentRecord | None = None
    for spell in spells:
        after = spell.start_date >= graduated or spell.enrolment_id == graduate.enrolment_id
        running = spell.start_date <= due and (spell.end_date is None or spell.end_date >= due)
        if after and running and (best is None or _hire_rank(spell) < _hire_rank(best)):
            best = spell
    return best


def _hire_rank(spell: EmploymentRecord) -> tuple[bool, date, int]:
    return (spell.in_trained_occupation is not True, spell.start_date, spell.spell_id)


def _answer_rank(row: FollowUpRecord) -> tuple[bool, date, int]:
    """Of two follow-ups at one window (the database allows one), keep an answer over a
    non-response, then the latest."""
    return (row.status != NOT_REACHED, row.observed_on, row.follow_up_id)


def graduated_between(enrolment: EnrolmentRecord, start: date, end: date) -> bool:
    day = enrolment.graduated_on
    return enrolment.status == ENROLMENT_GRADUATED and day is not None and start <= day <= end


def _graduation(graduate: EnrolmentRecord) -> date:
    assert graduate.graduated_on is not None  # graduates only
    return graduate.graduated_on
