"""Referrals of graduates to vacancies and the hires they lead to.

Per vacancy: a share of its places is filled by hires (never more than its quantity, so
`filled` equals its hired referrals), other candidates are rejected or withdraw with a reason,
and while a vacancy is still open some referrals are in progress. One referral per person and
vacancy. A hire makes an employment spell with source "platform", linked to the referral and
the vacancy, in the channel that the employer's location gives.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

from models.enums import (
    EmploymentKind,
    EmploymentSource,
    NewJobChannel,
    ReferralStatus,
    WillingScope,
)
from seed.demo.context import (
    DemoBuild,
    Graduate,
    Row,
    WeightedPicker,
    after_tet,
    local_time,
    round_to,
)
from seed.demo.employers import EXPORT, LOCAL, OUTSIDE, PUBLIC
from seed.demo.jobs import JobMaker
from seed.demo.vacancies import VacancyPlan

HIRE_SHARE = {LOCAL: (0.3, 1.0), PUBLIC: (0.6, 1.0), OUTSIDE: (0.1, 0.6), EXPORT: (0.3, 0.8)}
ORDER_HIRE_SHARE = (0.75, 1.15)
CHANNEL = {
    LOCAL: NewJobChannel.INSIDE_PROVINCE,
    PUBLIC: NewJobChannel.PUBLIC_BODY,
    OUTSIDE: NewJobChannel.OUTSIDE_PROVINCE,
    EXPORT: NewJobChannel.ABROAD,
}
SCOPE = {
    LOCAL: WillingScope.PROVINCE,
    PUBLIC: WillingScope.PROVINCE,
    OUTSIDE: WillingScope.OTHER_PROVINCE,
    EXPORT: WillingScope.ABROAD,
}
LEVEL_RANK = {"duoi_3_thang": 1, "so_cap": 2, "trung_cap": 3, "cao_dang": 4}
REJECTED = (
    "Không đạt yêu cầu phỏng vấn",
    "Chưa đủ sức khỏe theo yêu cầu công việc",
    "Không đáp ứng yêu cầu về độ tuổi",
    "Doanh nghiệp đã tuyển đủ người",
)
WITHDRAWN = (
    "Người lao động đã có việc làm khác",
    "Gia đình không đồng ý cho đi làm xa",
    "Người lao động không nhận việc vì mức lương",
)
_OPEN_OUTCOMES = WeightedPicker(
    [
        ReferralStatus.PROPOSED,
        ReferralStatus.REFERRED,
        ReferralStatus.INTERVIEW,
        ReferralStatus.REJECTED,
        ReferralStatus.WITHDRAWN,
    ],
    [3, 3, 2, 1, 1],
)
_CLOSED_OUTCOMES = WeightedPicker([ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN], [7, 3])


def place_vacancies(build: DemoBuild, jobs: JobMaker, vacancies: list[VacancyPlan]) -> Counter:
    """Referrals and hires for every vacancy, oldest first; returns platform hires per
    (year, channel) so the reported jobs can make up the rest of each channel."""
    hires: Counter = Counter()
    for plan in sorted(vacancies, key=lambda p: (p.row["created_at"], p.row["id"])):
        for spell in _fill(build, jobs, plan):
            hires[(spell["start_date"].year, spell["channel"])] += 1
        _settle(build, plan)
    return hires


def _fill(build: DemoBuild, jobs: JobMaker, plan: VacancyPlan) -> list[Row]:
    rng = build.rng("referrals", plan.row["id"])
    quantity = plan.row["quantity"]
    low, high = ORDER_HIRE_SHARE if plan.order_id else HIRE_SHARE[plan.kind]
    target = min(quantity, round(quantity * rng.uniform(low, high)))
    others = round(target * rng.uniform(0.5, 1.5)) + rng.randint(0, 3)
    candidates = _candidates(build, jobs, rng, plan, target + others)
    spells = []
    for index, graduate in enumerate(candidates):
        hire = index < target
        spell = _refer(build, jobs, rng, plan, graduate, hire)
        if spell is not None:
            spells.append(spell)
    return spells


def _candidates(
    build: DemoBuild, jobs: JobMaker, rng: random.Random, plan: VacancyPlan, wanted: int
) -> list[Graduate]:
    created = plan.row["created_at"].date()
    group = plan.occupation.group if plan.occupation else None
    # Recent graduates only, so the hire falls within a year of graduation, where the
    # follow-up waves record it (a job abroad starts months after the hire).
    recent = timedelta(days=60 if plan.kind == EXPORT else 300)
    chosen: list[Graduate] = []
    seen: set[int] = set()
    for _ in range(wanted * 20 + 20):
        if len(chosen) >= wanted:
            break
        if plan.pool:
            graduate = rng.choice(plan.pool)
        else:
            wanted_group = group if group and rng.random() < 0.75 else None
            graduate = jobs.pools.draw(
                rng, created - recent, created + timedelta(days=30), wanted_group
            )
        if graduate is None or graduate.person_id in seen:
            continue
        # An order's trainees wait for the ordering employer first.
        if not plan.pool and graduate.course_id in build.ordered_courses:
            continue
        if _eligible(build, plan, graduate):
            seen.add(graduate.person_id)
            chosen.append(graduate)
    return chosen


def _eligible(build: DemoBuild, plan: VacancyPlan, graduate: Graduate) -> bool:
    person, row = build.persons[graduate.person_id], plan.row
    if graduate.person_id in build.taken or not person["consent_to_employers"]:
        return False
    scope = SCOPE[plan.kind].value
    near = plan.kind in (LOCAL, PUBLIC) and person["commune_code"] == row["commune_code"]
    if scope not in person["willing_to_work"] and not near:
        return False
    required = row["required_level_code"]
    if required and LEVEL_RANK.get(graduate.level, 0) < LEVEL_RANK.get(required, 0):
        return False
    age = _age(person["birth_date"], row["start_date"])
    return row["age_min"] is None or row["age_min"] <= age <= (row["age_max"] or 120)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _refer(
    build: DemoBuild,
    jobs: JobMaker,
    rng: random.Random,
    plan: VacancyPlan,
    graduate: Graduate,
    hire: bool,
) -> Row | None:
    """Add one referral; return the spell when it is a hire that has started by today."""
    row, today = plan.row, build.today
    proposed = max(
        row["created_at"].date() + timedelta(days=rng.randint(1, 20)),
        graduate.graduated_on + timedelta(days=1),
    )
    if proposed > today:
        return None
    referral = _referral_row(build, rng, plan, graduate, proposed)
    hired_on = proposed + timedelta(days=rng.randint(5, 25))
    delay = (90, 240) if plan.kind == EXPORT else (3, 20)
    start = max(
        hired_on + timedelta(days=rng.randint(*delay)),
        row["start_date"] if plan.kind == EXPORT else hired_on,
    )
    if plan.kind != EXPORT:
        start = after_tet(rng, start)  # nobody starts in the weeks around Tết
    full = row["filled"] >= row["quantity"]
    if hire and not full and hired_on <= today and graduate.person_id not in build.taken:
        referral.update(status=ReferralStatus.HIRED.value, updated_at=_at(hired_on))
        row["filled"] += 1
        if row["filled"] == row["quantity"]:
            row["filled_at"] = _at(hired_on)
        build.taken.add(graduate.person_id)
        # The job starts later (departure abroad takes months): no spell before it starts.
        return _hire(build, jobs, rng, plan, graduate, referral, start) if start <= today else None
    still_open = row["deadline"] >= today
    outcome = (
        ReferralStatus.INTERVIEW
        if hire and still_open
        else (_OPEN_OUTCOMES if still_open else _CLOSED_OUTCOMES).pick(rng)
    )
    updated = min(proposed + timedelta(days=rng.randint(0, 20)), today)
    reason = {ReferralStatus.REJECTED: REJECTED, ReferralStatus.WITHDRAWN: WITHDRAWN}.get(outcome)
    referral.update(
        status=outcome.value, reason=rng.choice(reason) if reason else "", updated_at=_at(updated)
    )
    return None


def _referral_row(
    build: DemoBuild, rng: random.Random, plan: VacancyPlan, graduate: Graduate, proposed: date
) -> Row:
    occupation = plan.occupation
    match = (
        0.3
        if occupation and occupation.id == graduate.occupation.id
        else (0.15 if occupation and occupation.group == graduate.occupation.group else 0.0)
    )
    return build.add(
        "referral",
        {
            "id": build.new_id("referral"),
            "person_id": graduate.person_id,
            "vacancy_id": plan.row["id"],
            "status": ReferralStatus.PROPOSED.value,
            "reason": "",
            "score": round(min(0.98, 0.4 + match + rng.uniform(0, 0.25)), 3),
            "created_by_id": None,  # the demo official, filled in when accounts exist
            "created_at": _at(proposed),
            "updated_at": _at(proposed),
        },
    )


def _hire(
    build: DemoBuild,
    jobs: JobMaker,
    rng: random.Random,
    plan: VacancyPlan,
    graduate: Graduate,
    referral: Row,
    start: date,
) -> Row:
    row = plan.row
    employer = jobs.employer_by_id[row["employer_id"]]
    occupation = plan.occupation
    abroad = plan.kind == EXPORT
    return jobs.spell(
        person_id=graduate.person_id,
        start=start,
        channel=CHANNEL[plan.kind],
        kind=EmploymentKind.ABROAD if abroad else EmploymentKind.WAGE,
        source=EmploymentSource.PLATFORM,
        place={
            k: row[k] for k in ("location_kind", "commune_code", "province_code", "country_code")
        },
        employer_id=employer["id"],
        vacancy_id=row["id"],
        referral_id=referral["id"],
        enrolment_id=graduate.enrolment_id,
        abroad_programme=plan.programme,
        occupation_id=occupation.id if occupation else None,
        in_trained_occupation=bool(occupation and occupation.group == graduate.occupation.group),
        sector_code=employer["sector_code"],
        wage=round_to(rng.uniform(row["wage_min"], row["wage_max"]), 100_000),
    )


def _settle(build: DemoBuild, plan: VacancyPlan) -> None:
    row = plan.row
    row["updated_at"] = row["filled_at"] or row["created_at"]  # its last place filled
    if row["filled"] >= row["quantity"]:
        row["status"] = "filled"
    else:
        row["status"] = "closed" if row["deadline"] < build.today else "open"


def _at(day: date) -> datetime:
    return local_time(day, 10)
