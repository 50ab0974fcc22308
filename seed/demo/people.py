"""Demo people and their enrolments: who sits in each course, how it ended for them by
`today`, and what graduates then look for (skills, where they would work, expected wage).

Most people are trained once; about one trainee in sixteen comes back in a later year for
another course, so distinct persons and enrolments differ a little, as in real registers.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta

from models.enums import CertificateKind, EnrolmentStatus, HouseholdStatus, WillingScope
from models.learner_support import support_policy
from models.people import name_fields
from seed.demo.context import DemoBuild, Graduate, Row, WeightedPicker, local_time, round_to
from seed.demo.names import birth_date_for_age, citizen_id, full_name, mobile_phone
from seed.demo.population import Population
from seed.demo.training import SHORT_LEVELS, CoursePlan, profile_of

RETURNING_SHARE = 0.06
FROM_OWN_AREA = 0.9  # trainees of a district-level centre who live in the area it serves
CERTIFICATES = {
    "duoi_3_thang": CertificateKind.TRAINING_CERTIFICATE,
    "so_cap": CertificateKind.ELEMENTARY_CERTIFICATE,
    "trung_cap": CertificateKind.INTERMEDIATE_DIPLOMA,
    "cao_dang": CertificateKind.COLLEGE_DIPLOMA,
}
# Age bands (inclusive) and their weights at enrolment, by kind of programme.
AGE_BANDS = {
    "short": WeightedPicker([(16, 17), (18, 25), (26, 35), (36, 45), (46, 55)], [5, 35, 32, 22, 6]),
    "trung_cap": WeightedPicker([(16, 18), (19, 22), (23, 30)], [55, 35, 10]),
    "cao_dang": WeightedPicker([(18, 20), (21, 25), (26, 30)], [60, 35, 5]),
    "worker": WeightedPicker([(18, 25), (26, 35), (36, 45), (46, 55)], [35, 35, 22, 8]),
    "order": WeightedPicker([(18, 25), (26, 30)], [70, 30]),  # recruited for an employer
}
ABROAD_MINDED = ("TIENG_NHAT_HAN",)
FAR_MINDED_GROUPS = ("may", "dien", "co_khi", "che_bien")


class PeopleMaker:
    """Creates person rows (trainees and other workers) and enrols trainees in courses."""

    def __init__(self, build: DemoBuild, population: Population) -> None:
        self.build = build
        self.population = population
        self.supported: set[tuple[int, str]] = set()  # (person, once-only support policy)
        self.alumni: list[int] = []  # persons who graduated in an earlier year

    def person(
        self,
        rng: random.Random,
        *,
        on: date,
        band: str,
        commune_code: str | None = None,
        female_share: float = 0.5,
        consent: bool | None = None,
    ) -> Row:
        """A new person as registered on `on` (in `commune_code` when given)."""
        build = self.build
        if commune_code is None:
            commune = self.population.commune(rng)
        else:
            commune = self.population.communes[commune_code]
        ethnicity = self.population.ethnicity(rng, commune.code)
        minority = build.ref.minority.get(ethnicity, True)
        sex = "nu" if rng.random() < female_share else "nam"
        birth = birth_date_for_age(rng, on, rng.randint(*AGE_BANDS[band].pick(rng)))
        village = self.population.village(rng, commune.code)
        zone_iii = commune.zone == "III"
        consent = rng.random() < 0.8 if consent is None else consent
        registered = local_time(on, rng.randint(7, 16), rng.randint(0, 59))
        row: Row = {
            "id": build.new_id("person"),
            **name_fields(full_name(rng, self.population.pool[ethnicity], sex)),
            "birth_date": birth,
            "sex": sex,
            "ethnicity_code": ethnicity,
            "commune_code": commune.code,
            "village": village.name,
            "phone": mobile_phone(rng, build.used_phones),
            "citizen_id": citizen_id(rng, build.used_citizen_ids, birth, sex, minority),
            "household_status": _household(rng, minority, zone_iii),
            "has_disability": rng.random() < 0.02,
            "in_difficult_village": village.difficult,
            "consent_to_employers": consent,
            "willing_to_work": [],
            "expected_wage": None,
            "available_from": None,
            "skills": [],
            "is_ethnic_minority": minority,
            "in_zone_iii": zone_iii,
            "consent_at": registered if consent else None,
            "created_at": registered,
            "updated_at": registered,
        }
        build.persons[row["id"]] = build.add("person", row)
        return row

    def enrol_year(self, year: int, plans: list[CoursePlan]) -> None:
        rng = self.build.rng("enrolments", year)
        seen: set[int] = set()  # one course per person per year
        newly_graduated: list[int] = []
        for plan in plans:
            for _ in range(plan.size):
                person = self._trainee(rng, plan, seen)
                seen.add(person["id"])
                if self._enrol(rng, plan, person):
                    newly_graduated.append(person["id"])
        self.alumni.extend(newly_graduated)

    def _trainee(self, rng: random.Random, plan: CoursePlan, seen: set[int]) -> Row:
        ordered = plan.row["training_order_id"] is not None
        if self.alumni and not ordered and rng.random() < RETURNING_SHARE:
            for _ in range(5):
                candidate = self.build.persons[rng.choice(self.alumni)]
                if candidate["id"] not in seen:
                    return candidate
        course, today = plan.row, self.build.today
        enrolled = min(course["start_date"] - timedelta(days=rng.randint(0, 14)), today)
        band = "order" if ordered else (plan.level if plan.level in AGE_BANDS else "short")
        home = None
        if course["mobile"] and rng.random() < 0.88:
            home = course["venue_commune_code"]
        elif plan.institution.areas and rng.random() < FROM_OWN_AREA:
            home = self.population.commune_in(rng, plan.institution.areas).code
        return self.person(
            rng,
            on=enrolled,
            band=band,
            commune_code=home,
            female_share=profile_of(plan.occupation).female_share,
            consent=True if ordered else None,  # they signed up to be hired by the employer
        )

    def _enrol(self, rng: random.Random, plan: CoursePlan, person: Row) -> bool:
        """Add the enrolment; True when it ended in graduation."""
        course, today = plan.row, self.build.today
        enrolled = min(course["start_date"] - timedelta(days=rng.randint(0, 14)), today)
        status, result, graduated = EnrolmentStatus.STUDYING, None, None
        short = plan.level in SHORT_LEVELS
        if course["end_date"] < today:
            draw = rng.random()
            if draw < (0.05 if short else 0.10):
                status = EnrolmentStatus.DROPPED
            elif draw < (0.07 if short else 0.13):
                status, result = EnrolmentStatus.COMPLETED, "khong_dat"
            else:
                status, result = EnrolmentStatus.GRADUATED, "dat"
                graduated = min(course["end_date"] + timedelta(days=rng.randint(0, 10)), today)
        elif course["start_date"] <= today and rng.random() < 0.03:
            status = EnrolmentStatus.DROPPED
        row = self.build.add("enrolment", self._enrolment_row(rng, plan, person, enrolled))
        row.update(status=status.value, result=result, graduated_on=graduated)
        # Last changed when its result was recorded (COPY fills no column default).
        row["updated_at"] = local_time(graduated, 10) if graduated else row["created_at"]
        plan.enrolment_ids.append(row["id"])
        if graduated is not None:
            row["certificate_kind"] = CERTIFICATES[plan.level].value
            number = self.build.next_number(f"certificate:{plan.institution.id}")
            row["certificate_number"] = f"{plan.institution.code}/{graduated.year}/{number:05d}"
            self._graduate(rng, plan, person, row, graduated)
        return graduated is not None

    def _enrolment_row(self, rng: random.Random, plan: CoursePlan, person: Row, on: date) -> Row:
        amount = _support(rng, plan, person)
        policy = support_policy(plan.row["funding_source"], amount)
        if policy is not None and (person["id"], policy) in self.supported:
            amount, policy = 0, None  # QĐ 46 support is paid once per person
        if policy is not None:
            self.supported.add((person["id"], policy))
        return {
            "id": self.build.new_id("enrolment"),
            "person_id": person["id"],
            "course_id": plan.row["id"],
            "enrolled_on": on,
            "status": EnrolmentStatus.STUDYING.value,
            "result": None,
            "graduated_on": None,
            "certificate_kind": None,
            "certificate_number": None,
            "support_amount": amount,
            "support_policy": policy,
            "created_at": local_time(on, rng.randint(7, 16), rng.randint(0, 59)),
        }

    def _graduate(
        self, rng: random.Random, plan: CoursePlan, person: Row, enrolment: Row, graduated: date
    ) -> None:
        graduate = Graduate(
            person["id"], enrolment["id"], plan.occupation, plan.level, graduated, plan.row["id"]
        )
        self.build.graduates.append(graduate)
        self.build.course_graduates.setdefault(plan.row["id"], []).append(graduate)
        skills = list(dict.fromkeys([*person["skills"], *_skills(rng, plan)]))
        willing = _willing(rng, plan)
        person.update(
            skills=skills,
            willing_to_work=willing,
            expected_wage=_expected_wage(rng, willing),
            available_from=graduated,
            updated_at=local_time(graduated, 10),
        )


def _household(rng: random.Random, minority: bool, zone_iii: bool) -> str | None:
    poor, near = (
        (0.33, 0.14) if minority and zone_iii else ((0.12, 0.11) if minority else (0.04, 0.06))
    )
    draw = rng.random()
    if draw < poor:
        return HouseholdStatus.POOR.value
    return HouseholdStatus.NEAR_POOR.value if draw < poor + near else None


def _support(rng: random.Random, plan: CoursePlan, person: Row) -> int:
    """Learner support (QĐ 46/2015): training cost, meals at 30,000 a day and travel, for
    short courses paid by the programmes; none for fee-paying or employer-paid classes."""
    if plan.level not in SHORT_LEVELS or plan.row["funding_source"] in (
        "nguoi_hoc",
        "doanh_nghiep",
    ):
        return 0
    days = (plan.row["hours"] or 0) // 8
    amount = round_to((plan.row["hours"] or 0) * rng.uniform(9000, 12000), 1000)
    if person["is_ethnic_minority"] or person["household_status"] or person["has_disability"]:
        amount += days * 30_000 + (0 if plan.row["mobile"] else 200_000)
    return amount


def _skills(rng: random.Random, plan: CoursePlan) -> list[str]:
    aliases = list(plan.occupation.aliases) or [plan.occupation.name]
    return rng.sample(aliases, k=min(len(aliases), rng.randint(2, 3)))


def _willing(rng: random.Random, plan: CoursePlan) -> list[str]:
    occupation = plan.occupation
    scopes = [WillingScope.COMMUNE.value]
    if rng.random() < 0.7:
        scopes.append(WillingScope.PROVINCE.value)
    far = 0.6 if occupation.group in FAR_MINDED_GROUPS else 0.35
    if rng.random() < far or WillingScope.OTHER_PROVINCE.value in plan.willing_extra:
        scopes.append(WillingScope.OTHER_PROVINCE.value)
    abroad = 0.95 if occupation.key in ABROAD_MINDED else 0.08
    if rng.random() < abroad or WillingScope.ABROAD.value in plan.willing_extra:
        scopes.append(WillingScope.ABROAD.value)
    return scopes


def _expected_wage(rng: random.Random, willing: list[str]) -> int:
    low, high = (6.5e6, 9e6) if WillingScope.OTHER_PROVINCE.value in willing else (4e6, 6.5e6)
    return round_to(rng.uniform(low, high), 100_000)


class GraduatePools:
    """Graduates by graduation date, overall and per occupation group, for window draws."""

    def __init__(self, graduates: list[Graduate]) -> None:
        ordered = sorted(graduates, key=lambda g: (g.graduated_on, g.enrolment_id))
        self.all = (ordered, [g.graduated_on for g in ordered])
        grouped: dict[str, list[Graduate]] = {}
        for g in ordered:
            grouped.setdefault(g.occupation.group, []).append(g)
        self.groups = {k: (v, [g.graduated_on for g in v]) for k, v in grouped.items()}

    def draw(
        self, rng: random.Random, start: date, end: date, group: str | None = None
    ) -> Graduate | None:
        items, dates = self.groups.get(group, self.all) if group else self.all
        low, high = bisect.bisect_left(dates, start), bisect.bisect_right(dates, end)
        return items[rng.randrange(low, high)] if high > low else None
