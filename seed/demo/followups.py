"""Follow-ups of graduates at graduation (for about a third of them) and 3, 6 and 12 months
after, for the waves whose window has passed by `today`: most graduates are reached, and of those
reached about four in five work (a new job from their employment spell, or farming, household
production or the same job done better, which the province counts for short courses). A
platform hire is recorded at once, as an observation linked to its employment spell (source
platform_hire). The same job done better is recorded as an employment spell too (kind
improved_same_job, not a new job), linked to the training and to the follow-up that found it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from models.enums import (
    EmploymentKind,
    EmploymentSource,
    FollowUpSource,
    FollowUpStatus,
    LocationKind,
    NewJobChannel,
)
from seed.demo.context import (
    DemoBuild,
    Graduate,
    Row,
    WeightedPicker,
    add_months,
    local_time,
    round_to,
)

# Months after graduation: share of graduates surveyed (0: observed at graduation).
WAVES = {0: 0.3, 3: 0.8, 6: 0.75, 12: 0.65}
NOT_REACHED = 0.12
SURVEY_SOURCES = WeightedPicker(
    [FollowUpSource.PHONE, FollowUpSource.VISIT, FollowUpSource.COMMUNE_REPORT], [60, 15, 25]
)
WAGE_SOURCES = WeightedPicker(
    [FollowUpSource.PHONE, FollowUpSource.EMPLOYER, FollowUpSource.SOCIAL_INSURANCE], [60, 25, 15]
)
# What graduates without a new job do, by level: (status, weight).
WITHOUT_NEW_JOB = {
    "duoi_3_thang": WeightedPicker(
        [FollowUpStatus.IMPROVED_SAME_JOB, FollowUpStatus.HOUSEHOLD, FollowUpStatus.SELF_EMPLOYED],
        [45, 35, 20],
    ),
    "so_cap": WeightedPicker(
        [FollowUpStatus.HOUSEHOLD, FollowUpStatus.SELF_EMPLOYED, FollowUpStatus.WAGE], [55, 35, 10]
    ),
    "long": WeightedPicker(
        [FollowUpStatus.WAGE, FollowUpStatus.SELF_EMPLOYED, FollowUpStatus.HOUSEHOLD], [40, 30, 30]
    ),
}
EMPLOYED_WITHOUT_NEW_JOB = {"duoi_3_thang": 0.62, "so_cap": 0.58, "long": 0.45}
INCOME = {
    FollowUpStatus.HOUSEHOLD: (2.5e6, 4.5e6),
    FollowUpStatus.IMPROVED_SAME_JOB: (3.0e6, 5.0e6),
    FollowUpStatus.SELF_EMPLOYED: (3.5e6, 7.0e6),
    FollowUpStatus.WAGE: (4.5e6, 7.0e6),
}


def plan_follow_ups(build: DemoBuild) -> None:
    rng = build.rng("follow-ups")
    for graduate in build.graduates:
        spell = build.employed.get(graduate.person_id)
        hire_wave = _platform_hire_wave(graduate, spell)
        for months, share in WAVES.items():
            if months == hire_wave and spell is not None:
                _add(
                    build,
                    rng,
                    graduate,
                    months,
                    spell["start_date"],
                    spell,
                    FollowUpSource.PLATFORM_HIRE,
                )
                continue
            due = add_months(graduate.graduated_on, months)
            if due + timedelta(days=14) > build.today or rng.random() >= share:
                continue
            late = rng.randint(0, 5) if months == 0 else rng.randint(0, 20)
            observed = min(due + timedelta(days=late), build.today)
            _add(build, rng, graduate, months, observed, spell, None)


def _platform_hire_wave(graduate: Graduate, spell: Row | None) -> int | None:
    """The first wave at or after a platform hire that came from this enrolment."""
    if (
        spell is None
        or spell["source"] != "platform"
        or spell["enrolment_id"] != graduate.enrolment_id
    ):
        return None
    for months in WAVES:
        if add_months(graduate.graduated_on, months) >= spell["start_date"]:
            return months
    return None


def _add(
    build: DemoBuild,
    rng: random.Random,
    graduate: Graduate,
    months: int,
    observed: date,
    spell: Row | None,
    source: FollowUpSource | None,
) -> None:
    row: Row = {
        "id": build.new_id("follow_up"),
        "enrolment_id": graduate.enrolment_id,
        "person_id": graduate.person_id,
        "months_after": months,
        "observed_on": observed,
        "employment_spell_id": None,
        "recorded_by_id": None,
        "created_at": local_time(observed, rng.randint(8, 16)),
    }
    active = (
        spell is not None
        and spell["start_date"] <= observed
        and (spell["end_date"] is None or spell["end_date"] >= observed)
    )
    if source is None and rng.random() < NOT_REACHED:
        row.update(
            status=FollowUpStatus.NOT_REACHED.value,
            in_trained_occupation=None,
            income=None,
            source=FollowUpSource.PHONE.value,
        )
    elif active:
        row.update(_from_spell(rng, spell, source))  # type: ignore[arg-type]
    else:
        row.update(_without_new_job(build, rng, graduate))
        if row["status"] == FollowUpStatus.IMPROVED_SAME_JOB.value:
            row["employment_spell_id"] = _improved_spell(build, graduate, row)["id"]
    build.add("follow_up", row)


def _improved_spell(build: DemoBuild, graduate: Graduate, follow_up: Row) -> Row:
    """The graduate's own work done better after the course: one spell per training, from
    graduation, not a new job (it counts as employed after training for short courses)."""
    found = build.improved.get(graduate.enrolment_id)
    if found is not None:
        return found
    person = build.persons[graduate.person_id]
    spell = build.add(
        "employment_spell",
        {
            "id": build.new_id("employment_spell"),
            "person_id": graduate.person_id,
            "employer_id": None,
            "vacancy_id": None,
            "referral_id": None,
            "enrolment_id": graduate.enrolment_id,
            "start_date": graduate.graduated_on,
            "end_date": None,
            "kind": EmploymentKind.IMPROVED_SAME_JOB.value,
            "channel": NewJobChannel.OTHER_PROGRAMME.value,
            "is_new_job": False,
            "abroad_programme": None,
            "occupation_id": graduate.occupation.id,
            "in_trained_occupation": bool(follow_up["in_trained_occupation"]),
            "sector_code": None,
            "wage": follow_up["income"],
            "source": EmploymentSource.COMMUNE_REPORT.value,
            "created_at": follow_up["created_at"],
            "location_kind": LocationKind.COMMUNE.value,
            "commune_code": person["commune_code"],
            "province_code": "11",
            "country_code": None,
        },
    )
    build.improved[graduate.enrolment_id] = spell
    return spell


def _from_spell(rng: random.Random, spell: Row, source: FollowUpSource | None) -> Row:
    if source is None:
        source = (WAGE_SOURCES if spell["kind"] == "wage" else SURVEY_SOURCES).pick(rng)
    return {
        "status": FollowUpStatus(spell["kind"]).value,
        "in_trained_occupation": spell["in_trained_occupation"],
        "income": spell["wage"],
        "source": source.value,
        "employment_spell_id": spell["id"],
    }


def _without_new_job(build: DemoBuild, rng: random.Random, graduate: Graduate) -> Row:
    level = graduate.level if graduate.level in WITHOUT_NEW_JOB else "long"
    draw = rng.random()
    studying = 0.08 if level == "long" else 0.03
    if draw < studying:
        status = FollowUpStatus.STUDYING
    elif draw < studying + 0.02 and build.persons[graduate.person_id]["sex"] == "nam":
        status = FollowUpStatus.MILITARY
    elif rng.random() < EMPLOYED_WITHOUT_NEW_JOB[level]:
        status = WITHOUT_NEW_JOB[level].pick(rng)
    else:
        status = FollowUpStatus.UNEMPLOYED
    income = INCOME.get(status)
    farming = graduate.occupation.sector_group == "nlts"
    return {
        "status": status.value,
        "in_trained_occupation": (rng.random() < (0.75 if farming else 0.4)) if income else None,
        "income": round_to(rng.uniform(*income), 100_000) if income else None,
        "source": SURVEY_SOURCES.pick(rng).value,
    }
