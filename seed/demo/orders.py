"""Demo training orders (đào tạo theo đơn đặt hàng): an employer orders trained workers from an
institution, which trains them in a course linked to the order; at the end of the course the
employer posts a vacancy for the hires it committed to, linked to the order too.

Statuses follow the dates against `today`: requested (not yet answered), declined or closed
with a reason, accepted (course not started), in_training, trained, and fulfilled once the
committed hires are made (closed, with the count, when the employer stops short of it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from models.enums import LocationKind, TrainingOrderStatus, WillingScope
from seed.demo.context import DemoBuild, Row, add_months, local_time, random_date, round_to
from seed.demo.employers import EXPORT, LINE_BY_KEY, LOCAL, OUTSIDE
from seed.demo.snapshot import Occupation
from seed.demo.training import SHORT_LEVELS, CoursePlan, CoursePlanner
from seed.demo.vacancies import VacancyPlan, vacancy

ORDERS_PER_YEAR = 14  # at scale 1
ORDERING_KINDS = {OUTSIDE: 50, LOCAL: 30, EXPORT: 20}
UNIT_COST = {"duoi_3_thang": (2.0e6, 3.5e6), "so_cap": (3.5e6, 6.5e6)}
COMMITTED_WAGE = {LOCAL: (4.8e6, 6.5e6), OUTSIDE: (6.5e6, 9.0e6), EXPORT: (25e6, 35e6)}
DECLINE_REASONS = (
    "Cơ sở chưa đủ giáo viên cho nghề này trong thời gian yêu cầu",
    "Số lượng đặt hàng vượt quá năng lực tuyển sinh của cơ sở",
    "Hai bên chưa thống nhất được đơn giá đào tạo",
)
WITHDRAW_REASONS = (
    "Doanh nghiệp rút đơn đặt hàng do thay đổi kế hoạch sản xuất",
    "Doanh nghiệp rút đơn đặt hàng: không đủ người đăng ký học",
)
FALLBACK_OCCUPATIONS = ("MAY_CONG_NGHIEP", "CHE_BIEN_NONG_SAN", "CHE_BIEN_MON_AN")


@dataclass
class OrderPlan:
    row: Row
    employer: Row
    kind: str
    occupation: Occupation
    course: CoursePlan | None = None
    vacancy: VacancyPlan | None = None


def plan_orders(build: DemoBuild, year: int, planner: CoursePlanner) -> list[OrderPlan]:
    """This year's orders; accepted ones get their course (returned in `.course`)."""
    rng = build.rng("orders", year)
    employers = [
        e for e in build.rows["employer"] if build.employer_kind[e["id"]] in ORDERING_KINDS
    ]
    last = min(date(year, 7, 31), build.today)
    if not employers or last < date(year, 1, 10):
        return []
    weights = [ORDERING_KINDS[build.employer_kind[e["id"]]] for e in employers]
    plans = []
    for _ in range(build.count(ORDERS_PER_YEAR)):
        employer = rng.choices(employers, weights=weights, k=1)[0]
        occupation, level = _occupation_and_level(build, rng, employer, planner)
        if occupation is None:
            continue
        requested = random_date(rng, date(year, 1, 10), last)
        plans.append(_order(build, rng, planner, employer, occupation, level, requested))
    return plans


def _occupation_and_level(
    build: DemoBuild, rng: random.Random, employer: Row, planner: CoursePlanner
) -> tuple[Occupation | None, str]:
    line = LINE_BY_KEY[build.employer_line[employer["id"]]]
    options = _teachable(build, planner, [k for k in line.occupations if k])
    options = options or _teachable(build, planner, list(FALLBACK_OCCUPATIONS))
    if not options:
        return None, ""
    occupation, level, _ = rng.choices(options, weights=[w for *_, w in options], k=1)[0]
    return occupation, level


def _teachable(
    build: DemoBuild, planner: CoursePlanner, keys: list[str]
) -> list[tuple[Occupation, str, int]]:
    """(occupation, short level, weight) that some institution can teach."""
    options = []
    for key in keys:
        occupation = build.ref.occupation(key)
        for level in SHORT_LEVELS if occupation else ():
            if any(i.teaches(occupation, level) for i in planner.institutions):  # type: ignore[arg-type]
                options.append((occupation, level, 7 if level == "so_cap" else 3))
    return options  # type: ignore[return-value]


def _order(
    build: DemoBuild,
    rng: random.Random,
    planner: CoursePlanner,
    employer: Row,
    occupation: Occupation,
    level: str,
    requested: date,
) -> OrderPlan:
    kind = build.employer_kind[employer["id"]]
    quantity = rng.randint(15, 40)
    institution = planner.institution_for(rng, occupation, level)
    row: Row = {
        "id": build.new_id("training_order"),
        "employer_id": employer["id"],
        "institution_id": institution.id,
        "occupation_id": occupation.id,
        "level_code": level,
        "quantity": quantity,
        "needed_by": add_months(requested, rng.randint(4, 8)),
        "unit_cost": round_to(rng.uniform(*UNIT_COST[level]), 50_000),
        "hiring_commitment": max(1, round(quantity * rng.uniform(0.5, 0.9))),
        "committed_wage": round_to(rng.uniform(*COMMITTED_WAGE[kind]), 100_000),
        "funding_source": rng.choices(
            ["doanh_nghiep", "ngan_sach_tinh", "ctmtqg_dtts"], [60, 25, 15]
        )[0],
        "note": "Đào tạo theo đơn đặt hàng; doanh nghiệp cam kết tuyển dụng sau khóa học.",
        "status": TrainingOrderStatus.REQUESTED.value,
        "status_reason": "",
        "requested_at": local_time(requested, rng.randint(8, 16)),
        "decided_at": None,
        "closed_at": None,
        **_work_place(employer, kind),
    }
    plan = OrderPlan(build.add("training_order", row), employer, kind, occupation)
    _decide(build, rng, planner, plan, requested)
    return plan


def _work_place(employer: Row, kind: str) -> Row:
    if kind == EXPORT:
        return {
            "location_kind": LocationKind.ABROAD.value,
            "commune_code": None,
            "province_code": None,
            "country_code": "JP",
        }
    return {
        key: employer[key]
        for key in ("location_kind", "commune_code", "province_code", "country_code")
    }


def _decide(
    build: DemoBuild, rng: random.Random, planner: CoursePlanner, plan: OrderPlan, requested: date
) -> None:
    row, today = plan.row, build.today
    decided = requested + timedelta(days=rng.randint(5, 15))
    if decided > today:
        return
    draw = rng.random()
    row["decided_at"] = local_time(decided, rng.randint(8, 16))
    if draw < 0.08:
        row.update(
            status=TrainingOrderStatus.DECLINED.value, status_reason=rng.choice(DECLINE_REASONS)
        )
        return
    if draw < 0.13:
        closed = min(decided + timedelta(days=rng.randint(5, 30)), today)
        row.update(
            status=TrainingOrderStatus.CLOSED.value,
            status_reason=rng.choice(WITHDRAW_REASONS),
            closed_at=local_time(closed, 15),
        )
        return
    capacity = min(35, max(20, row["quantity"]))  # one class; a larger order trains fewer
    size = min(capacity, max(1, round(row["quantity"] * rng.uniform(0.9, 1.0))))
    institution = next(i for i in planner.institutions if i.id == row["institution_id"])
    course = planner.course(
        rng,
        requested.year,
        plan.occupation,
        row["level_code"],
        size,
        capacity,
        institution=institution,
        earliest=decided + timedelta(days=15),
        order_id=row["id"],
    )
    course.row["funding_source"] = row["funding_source"]
    course.willing_extra = _scopes(plan.kind)
    build.ordered_courses.add(course.row["id"])
    plan.course = course
    row["status"] = _course_status(course.row, today).value


def _scopes(kind: str) -> tuple[str, ...]:
    if kind == EXPORT:
        return (WillingScope.ABROAD.value,)
    return (
        (WillingScope.OTHER_PROVINCE.value,) if kind == OUTSIDE else (WillingScope.PROVINCE.value,)
    )


def _course_status(course: Row, today: date) -> TrainingOrderStatus:
    if course["start_date"] > today:
        return TrainingOrderStatus.ACCEPTED
    return (
        TrainingOrderStatus.IN_TRAINING
        if course["end_date"] >= today
        else TrainingOrderStatus.TRAINED
    )


def order_vacancies(build: DemoBuild, orders: list[OrderPlan]) -> list[VacancyPlan]:
    """The hiring vacancy of each trained order, posted ten days before the course ends."""
    plans = []
    for order in orders:
        if order.course is None or order.row["status"] != TrainingOrderStatus.TRAINED.value:
            continue
        rng = build.rng("order-vacancy", order.row["id"])
        posted = order.course.row["end_date"] - timedelta(days=10)
        order.vacancy = vacancy(
            build,
            rng,
            order.employer,
            posted,
            occupation=order.occupation,
            quantity=order.row["hiring_commitment"],
            order_id=order.row["id"],
        )
        order.vacancy.pool = build.course_graduates.get(order.course.row["id"], [])
        plans.append(order.vacancy)
    return plans


def finish_orders(build: DemoBuild, orders: list[OrderPlan]) -> None:
    """Fulfilled when the committed hires are made; closed, with the count, four months after
    the course when they were not; otherwise still trained."""
    for order in orders:
        if order.vacancy is None or order.course is None:
            continue
        row, hired = order.row, order.vacancy.row["filled"]
        if hired >= row["hiring_commitment"]:
            row.update(
                status=TrainingOrderStatus.FULFILLED.value, closed_at=order.vacancy.row["filled_at"]
            )
        elif order.course.row["end_date"] + timedelta(days=120) < build.today:
            closed = order.course.row["end_date"] + timedelta(days=120)
            committed = row["hiring_commitment"]
            row.update(
                status=TrainingOrderStatus.CLOSED.value,
                status_reason=f"Doanh nghiệp đã tuyển {hired}/{committed} người theo cam kết",
                closed_at=local_time(closed, 15),
            )
