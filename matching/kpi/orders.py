"""K9: training by employer order: ordered, enrolled, completed, graduated, certified and hired
against the hiring commitment, fill rate and cost per person placed.

A trainee belongs to an order when their course trains it (``training_order_id``); a person
enrolled twice for one order counts once, by their furthest enrolment (graduated, completed,
studying, dropped). A graduate counts as hired for the order when the ORDERING employer hired
them (a job at that employer starting on or after the day their training began); a job at any
other employer does not count for the order. Cost = unit cost × people enrolled; cost per
person placed = cost ÷ people hired (None while nobody is hired or the unit cost is unknown).
Declined orders are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from matching.kpi.cuts import count_of, cut, dimension_names
from matching.kpi.records import (
    ENROLMENT_GRADUATED,
    FINISHED_STATUSES,
    EmploymentRecord,
    EnrolmentRecord,
    OrderRecord,
    enrolment_id_of,
    spell_id_of,
)
from matching.kpi.results import Count, GroupKey, Rate, rate_of_totals, ratio

DECLINED = "declined"
# Which of a person's enrolments for one order decides how far they got.
STATUS_RANK = {"tot_nghiep": 0, "hoan_thanh": 1, "dang_hoc": 2, "bo_hoc": 3}


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    """One order's results, or the sum over a group of orders (``order_ids``)."""

    order_ids: tuple[int, ...]
    ordered: int
    hiring_commitment: int
    enrolled: Count  # record ids: enrolments
    completed: Count
    graduated: Count
    certified: Count
    hired: Count  # record ids: employment spells at the ordering employer
    fill: Rate  # enrolled ÷ ordered
    completion: Rate  # completed ÷ enrolled
    certification: Rate  # certified ÷ completed
    commitment_met: Rate  # hired ÷ hiring commitment
    cost: int | None  # VND: unit cost × enrolled, over the orders whose unit cost is known
    cost_per_placed: float | None  # VND per person hired, over those same orders


@dataclass(frozen=True, slots=True)
class Orders:
    """K9: each order's outcome, the total over all, and per group of orders."""

    orders: Mapping[int, OrderOutcome]
    total: OrderOutcome
    by: tuple[str, ...]
    groups: Mapping[GroupKey, OrderOutcome]


def orders(
    training_orders: Iterable[OrderRecord],
    enrolments: Iterable[EnrolmentRecord],
    spells: Iterable[EmploymentRecord],
    *,
    year: int | None = None,
    by: str | Sequence[str] | None = None,
) -> Orders:
    """K9 for the orders given (requested in ``year`` when given), cut by the orders' fields
    (occupation, institution, level, employer, month of request…)."""
    kept = [
        o
        for o in training_orders
        if o.status != DECLINED and (year is None or o.requested_on.year == year)
    ]
    trainees = _trainees(enrolments, {o.id for o in kept})
    hires = _hires(spells, kept, trainees)
    each = {o.id: _outcome([o], trainees, hires) for o in kept}
    groups: dict[GroupKey, OrderOutcome] = {}
    if by is not None:
        grouped = cut(kept, by, when=lambda o: o.requested_on, record_type=OrderRecord)
        groups = {key: _outcome(rows, trainees, hires) for key, rows in grouped.items()}
    return Orders(each, _outcome(kept, trainees, hires), dimension_names(by), groups)


def _trainees(
    enrolments: Iterable[EnrolmentRecord], order_ids: set[int]
) -> dict[int, dict[int, EnrolmentRecord]]:
    """Per order: each person's furthest enrolment for it."""
    found: dict[int, dict[int, EnrolmentRecord]] = {}
    for enrolment in enrolments:
        order = enrolment.training_order_id
        if order is None or order not in order_ids:
            continue
        people = found.setdefault(order, {})
        kept = people.get(enrolment.person_id)
        if kept is None or _furthest(enrolment) < _furthest(kept):
            people[enrolment.person_id] = enrolment
    return found


def _hires(
    spells: Iterable[EmploymentRecord],
    kept: Sequence[OrderRecord],
    trainees: Mapping[int, Mapping[int, EnrolmentRecord]],
) -> dict[int, dict[int, EmploymentRecord]]:
    """Per order: each graduate's first job at the ordering employer after training began."""
    wanted: dict[tuple[int, int], list[tuple[int, EnrolmentRecord]]] = {}
    for order in kept:
        for person, enrolment in trainees.get(order.id, {}).items():
            if enrolment.status == ENROLMENT_GRADUATED:
                wanted.setdefault((person, order.employer_id), []).append((order.id, enrolment))
    found: dict[int, dict[int, EmploymentRecord]] = {}
    for spell in spells:
        if spell.employer_id is None:
            continue
        # One job counts for one order: the latest training it followed.
        began = [
            (enrolment.started_on, order_id)
            for order_id, enrolment in wanted.get((spell.person_id, spell.employer_id), ())
            if enrolment.started_on <= spell.start_date
        ]
        if not began:
            continue
        people = found.setdefault(max(began)[1], {})
        first = people.get(spell.person_id)
        if first is None or (spell.start_date, spell.spell_id) < (first.start_date, first.spell_id):
            people[spell.person_id] = spell
    return found


def _outcome(
    group: Sequence[OrderRecord],
    trainees: Mapping[int, Mapping[int, EnrolmentRecord]],
    hires: Mapping[int, Mapping[int, EmploymentRecord]],
) -> OrderOutcome:
    people = [e for o in group for e in trainees.get(o.id, {}).values()]
    finished = [e for e in people if e.status in FINISHED_STATUSES]
    graduated = [e for e in finished if e.status == ENROLMENT_GRADUATED]
    certified = [e for e in graduated if e.certificate_kind is not None]
    hired = [s for o in group for s in hires.get(o.id, {}).values()]
    priced = [(o, o.unit_cost) for o in group if o.unit_cost is not None]
    cost = sum(unit * len(trainees.get(o.id, {})) for o, unit in priced) if priced else None
    placed = sum(len(hires.get(o.id, {})) for o, _ in priced)
    ordered = sum(o.quantity for o in group)
    commitment = sum(o.hiring_commitment for o in group)
    return OrderOutcome(
        order_ids=tuple(o.id for o in group),
        ordered=ordered,
        hiring_commitment=commitment,
        enrolled=count_of(people, enrolment_id_of),
        completed=count_of(finished, enrolment_id_of),
        graduated=count_of(graduated, enrolment_id_of),
        certified=count_of(certified, enrolment_id_of),
        hired=count_of(hired, spell_id_of),
        fill=rate_of_totals(len(people), ordered),
        completion=rate_of_totals(len(finished), len(people)),
        certification=rate_of_totals(len(certified), len(finished)),
        commitment_met=rate_of_totals(len(hired), commitment),
        cost=cost,
        cost_per_placed=ratio(cost, placed) if cost is not None else None,
    )


def _furthest(enrolment: EnrolmentRecord) -> tuple[int, int]:
    return (STATUS_RANK.get(enrolment.status, len(STATUS_RANK)), enrolment.enrolment_id)
