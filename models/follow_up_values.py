"""What a follow-up outcome holds and how it is checked, the same way for a row typed on the
follow-up page and for a row of an Excel file: the status, whether the work is in the trained
occupation (yes, no, unknown), the monthly income in đồng, how it was learned, and the day
it was observed (not in the future, not before graduation).

Values may be given as stored codes or as the Vietnamese words a spreadsheet uses, with or
without diacritics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from matching.text import search_key
from models.enums import EMPLOYED_FOLLOW_UP_STATUSES, FollowUpSource, FollowUpStatus
from models.errors import InvalidError
from models.excel.types import CellValue
from models.excel.values import NOT_ALLOWED, is_blank
from models.tables import FollowUp
from models.validation import ErrorCollector, clean_text, parse_date
from models.validation.base import stored_whole

# The words of the Excel sheet (a file format offices share: Vietnamese in every language).
STATUS_LABELS = {
    FollowUpStatus.WAGE.value: "Làm công ăn lương",
    FollowUpStatus.SELF_EMPLOYED.value: "Tự tạo việc làm",
    FollowUpStatus.HOUSEHOLD.value: "Sản xuất hộ gia đình",
    FollowUpStatus.ABROAD.value: "Làm việc ở nước ngoài",
    FollowUpStatus.IMPROVED_SAME_JOB.value: "Việc cũ, năng suất cao hơn",
    FollowUpStatus.UNEMPLOYED.value: "Chưa có việc làm",
    FollowUpStatus.STUDYING.value: "Đang học tiếp",
    FollowUpStatus.MILITARY.value: "Nghĩa vụ quân sự",
    FollowUpStatus.NOT_REACHED.value: "Không liên lạc được",
}
# A hire recorded on the platform is its own observation: nobody types that source.
RECORDABLE_SOURCES = tuple(s.value for s in FollowUpSource if s != FollowUpSource.PLATFORM_HIRE)
SOURCE_LABELS = {
    FollowUpSource.PHONE.value: "Điện thoại",
    FollowUpSource.VISIT.value: "Đến nhà",
    FollowUpSource.EMPLOYER.value: "Doanh nghiệp",
    FollowUpSource.SOCIAL_INSURANCE.value: "Bảo hiểm xã hội",
    FollowUpSource.COMMUNE_REPORT.value: "Báo cáo của xã",
}
DEFAULT_SOURCE = FollowUpSource.PHONE.value
YES, NO, UNKNOWN = "yes", "no", "unknown"
OCCUPATION_LABELS = {YES: "Có", NO: "Không", UNKNOWN: "Không rõ"}
WORK_NEEDED = "Only someone who works can work in the trained occupation."
INCOME_MAX = 1_000_000_000  # đồng a month: more is a typo
_EMPLOYED = {status.value for status in EMPLOYED_FOLLOW_UP_STATUSES}
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})+$")
_CURRENCY = re.compile(r"(?i)(₫|vnđ|vnd|đồng|đ)")


def _lookup(labels: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    found = {search_key(label): value for value, label in labels.items()}
    found |= {search_key(value): value for value in labels}
    return found | dict(extra or {})


_STATUSES = _lookup(STATUS_LABELS, {"that nghiep": "unemployed", "khong co viec lam": "unemployed"})
_SOURCES = _lookup(
    SOURCE_LABELS, {"dien thoai": "phone", "tham nha": "visit", "bhxh": "social_insurance"}
)
_OCCUPATION = _lookup(OCCUPATION_LABELS, {"x": YES, "1": YES, "0": NO, "dung nghe": YES})


def _choice(
    value: CellValue, table: Mapping[str, str], field: str, labels: Mapping[str, str]
) -> str:
    found = table.get(search_key(str(value)))
    if found is None:
        allowed = " / ".join(labels.values())
        raise InvalidError(field, NOT_ALLOWED, value=clean_text(value), allowed=allowed)
    return found


def parse_status(value: CellValue, field: str = "status") -> str:
    if is_blank(value):
        raise InvalidError(field, "Choose what the graduate is doing.")
    return _choice(value, _STATUSES, field, STATUS_LABELS)


def parse_source(value: CellValue, field: str = "source") -> str:
    """How the outcome was learned; blank is a phone call."""
    if is_blank(value):
        return DEFAULT_SOURCE
    return _choice(value, _SOURCES, field, SOURCE_LABELS)


def parse_occupation(value: CellValue, field: str = "in_trained_occupation") -> bool | None:
    """Whether the work is in the trained occupation: True, False, or None (not known)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    answer = _choice(value, _OCCUPATION, field, OCCUPATION_LABELS)
    return {YES: True, NO: False}.get(answer)


def parse_income(value: CellValue, field: str = "income") -> int | None:
    """Monthly income in đồng from 4500000, "4.500.000", "4,500,000 đ"; blank is unknown."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CURRENCY.sub("", clean_text(value)).replace(" ", "")
    digits = text.isascii() and (text.isdigit() or _GROUPED.match(text))
    if isinstance(value, bool) or not digits:
        raise InvalidError(
            field,
            "{value} is not an amount of money: write it in VND, for example 5000000.",
            value=clean_text(value),
        )
    amount = stored_whole(re.sub(r"[.,]", "", text), field)
    if amount > INCOME_MAX:
        raise InvalidError(field, "The monthly income is too large: write it in VND a month.")
    return amount


def parse_observed_on(value: CellValue, field: str, *, graduated_on: date, today: date) -> date:
    """The day the outcome was observed: not in the future, not before graduation."""
    observed = parse_date(value, field)
    if observed > today:
        raise InvalidError(field, "The observation date {date} is in the future.", date=observed)
    if observed < graduated_on:
        raise InvalidError(
            field,
            "The observation date {date} is before the graduation ({graduated}).",
            date=observed,
            graduated=graduated_on,
        )
    return observed


@dataclass(frozen=True)
class Outcome:
    """A checked follow-up outcome, ready to store."""

    status: str
    in_trained_occupation: bool | None
    income: int | None
    source: str
    observed_on: date

    def same_as(self, row: FollowUp) -> bool:
        """Whether a stored follow-up says exactly this (a form sent twice)."""
        return (
            row.status == self.status
            and row.in_trained_occupation == self.in_trained_occupation
            and row.income == self.income
            and row.source == self.source
            and row.observed_on == self.observed_on
        )


@dataclass(frozen=True)
class OutcomeCells:
    """An outcome as typed (a form row or a sheet row), before checking."""

    status: CellValue
    in_trained_occupation: CellValue
    income: CellValue
    source: CellValue
    observed_on: CellValue


def check_outcome(
    cells: OutcomeCells,
    errors: ErrorCollector,
    *,
    field: Callable[[str], str],
    graduated_on: date,
    today: date,
) -> Outcome | None:
    """The outcome, or None after adding each bad cell's error (under `field(name)`)."""
    before = len(errors.errors)
    status = errors.check(parse_status, cells.status, field("status"))
    occupation_field = field("in_trained_occupation")
    in_occupation = errors.check(parse_occupation, cells.in_trained_occupation, occupation_field)
    income = errors.check(parse_income, cells.income, field("income"))
    source = errors.check(parse_source, cells.source, field("source"))
    observed_on = errors.check(
        parse_observed_on,
        cells.observed_on,
        field("observed_on"),
        graduated_on=graduated_on,
        today=today,
    )
    if status is not None and status not in _EMPLOYED and in_occupation:
        errors.add(InvalidError(occupation_field, WORK_NEEDED))
    if len(errors.errors) > before or status is None or source is None or observed_on is None:
        return None
    return Outcome(status, in_occupation, income, source, observed_on)
