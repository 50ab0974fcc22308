"""Learner support under QĐ 46/2015 is paid once per person (domain rules 7 and §4.2).

An enrolment records the support paid (`support_amount`, VND). When the course is funded under
QĐ 46 (`funding_source` "qd46") and the amount is above 0, the enrolment also names the policy
(`support_policy` "qd46"). A partial unique index on (person_id, support_policy) then keeps one
such enrolment per person, so two clerks recording support for the same person at the same
moment cannot both succeed. The forms and the imports check first, for a clear message; the
index is the guarantee.

Support on courses of other funding sources (the national target programmes, the province's
budget) is recorded without a policy and not checked here: the rule is QĐ 46's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.enums import FundingSource
from models.errors import InvalidError
from models.tables import Enrolment

# funding source -> the once-only policy its support is paid under
ONCE_ONLY_POLICIES = {FundingSource.LEARNER_SUPPORT.value: "qd46"}
MAX_SUPPORT = 50_000_000  # VND; QĐ 46 caps training at 6 million, plus meals and travel
_GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+")  # 1.500.000 or 1,500,000
INDEX_NAME = "uq_enrolment_support_once"
SUPPORT_TWICE = (
    "This person has already received learner support under QĐ 46/2015 on another course: it "
    "is paid once per person. Record 0 for this course."
)


def support_policy(funding_source: str, amount: int) -> str | None:
    """The once-only policy a payment of `amount` on a course of `funding_source` falls
    under, or None (no support, or a funding source without a once-only rule)."""
    return ONCE_ONLY_POLICIES.get(funding_source) if amount > 0 else None


def parse_support_amount(value: object, field: str = "support_amount") -> int:
    """VND as typed: blank is 0; 1500000, 1.500.000, 1,500,000 or 1 500 000."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "").removesuffix("₫").removesuffix("đ")
        if not (text.isascii() and (text.isdigit() or _GROUPED.fullmatch(text))):
            raise InvalidError(
                field, "Write the amount in đồng as a whole number, such as 1500000."
            )
        text = re.sub(r"[.,]", "", text)
        if len(text.lstrip("0")) > len(str(MAX_SUPPORT)):
            raise InvalidError(field, "The support is at most {max} đồng.", max=MAX_SUPPORT)
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidError(field, "Write the amount in đồng as a whole number, such as 1500000.")
    if value > MAX_SUPPORT:
        raise InvalidError(field, "The support is at most {max} đồng.", max=MAX_SUPPORT)
    return value


def people_supported(session: Session, person_ids: Iterable[int], policy: str) -> set[int]:
    """Which of these people already hold an enrolment with support under `policy`."""
    wanted = sorted(set(person_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found |= set(
            session.exec(
                select(Enrolment.person_id)
                .where(col(Enrolment.person_id).in_(chunk))
                .where(col(Enrolment.support_policy) == policy)
            ).all()
        )
    return found


def check_support_once(
    session: Session, person_id: int, policy: str | None, field: str = "support_amount"
) -> None:
    """InvalidError when the person already received support under `policy`."""
    if policy is not None and people_supported(session, [person_id], policy):
        raise InvalidError(field, SUPPORT_TWICE)


def is_second_support(error: IntegrityError) -> bool:
    """The unique index refused a second support payment (a race the check above lost).
    PostgreSQL names the index; SQLite names its columns."""
    text = str(error.orig)
    return INDEX_NAME in text or "enrolment.support_policy" in text
