"""The yearly report as an administrative document (Decree 30/2020/NĐ-CP, Appendix I; see
shared/reference/reporting-formats.md §5): the issuing agency under its parent, the number and
symbol ("Số: 05/BC-SNV"), the place and date, the signer and the recipients. The official gives
them when producing the report; what is not given has a default. Pure: the page, the workbook
and the Word document lay the same heading out.

Labour and employment moved to the provincial Department of Home Affairs (Sở Nội vụ) in the
2025 reorganisation, so the default issuer is the Sở Nội vụ under the Provincial People's
Committee; every part is typed in the form, so another agency issues it by changing the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from models.errors import InvalidError
from models.validation import clean_text, collect, parse_date, validate_full_name

DEFAULT_PARENT_AGENCY = "UBND tỉnh Điện Biên"
DEFAULT_AGENCY = "Sở Nội vụ"
DEFAULT_SYMBOL = "BC-SNV"  # Báo cáo (BC) of the Sở Nội vụ (SNV)
DEFAULT_PLACE = "Điện Biên"
DEFAULT_SIGNER_TITLE = "Giám đốc"
DEFAULT_RECIPIENTS = ("UBND tỉnh Điện Biên (để báo cáo)", "Lưu: VT")

AGENCY_MAX, SYMBOL_MAX, PLACE_MAX, SIGNER_MAX, LINE_MAX = 120, 30, 60, 80, 150
NUMBER_DIGITS = 6
RECIPIENTS_MAX = 12
_SYMBOL = re.compile(r"^[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$")
_NUMBER = re.compile(r"^[0-9]+$")
NO_NUMBER = "…"  # the number is given by the records office when the report is registered

FIELDS = (
    "parent_agency",
    "agency",
    "number",
    "symbol",
    "place",
    "report_date",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
    "recipients",
)


@dataclass(frozen=True, slots=True)
class Heading:
    """What the document says about itself: who issues it, its number, where and when, who
    signs it and who receives it. Text is kept as typed; the layouts upper-case it."""

    parent_agency: str
    agency: str
    number: int | None  # None: left for the records office ("Số: …/BC-SNV")
    symbol: str
    place: str
    issued_on: date
    signer_on_behalf: str  # "KT. Giám đốc" when a deputy signs; empty otherwise
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]

    @property
    def number_text(self) -> str:
        """The number with a leading zero under 10 ("05"), or "…" when none is given."""
        return NO_NUMBER if self.number is None else f"{self.number:02d}"

    @property
    def day_text(self) -> str:
        """The day with a leading zero under 10."""
        return f"{self.issued_on.day:02d}"

    @property
    def month_text(self) -> str:
        """The month as the decree writes it: a leading zero for January and February only."""
        month = self.issued_on.month
        return f"{month:02d}" if month < 3 else str(month)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        """ "- …;" for each recipient, "- ….": the decree's list under "Nơi nhận"."""
        last = len(self.recipients) - 1
        return tuple(f"- {r}{'.' if i == last else ';'}" for i, r in enumerate(self.recipients))


def default_heading(on: date) -> Heading:
    return Heading(
        DEFAULT_PARENT_AGENCY, DEFAULT_AGENCY, None, DEFAULT_SYMBOL, DEFAULT_PLACE, on,
        "", DEFAULT_SIGNER_TITLE, "", DEFAULT_RECIPIENTS,
    )  # fmt: skip


def default_fields(on: date) -> dict[str, str]:
    """The form's fields as first shown."""
    heading = default_heading(on)
    return {
        "parent_agency": heading.parent_agency,
        "agency": heading.agency,
        "number": "",
        "symbol": heading.symbol,
        "place": heading.place,
        "report_date": on.strftime("%d/%m/%Y"),
        "signer_on_behalf": "",
        "signer_title": heading.signer_title,
        "signer_name": "",
        "recipients": "\n".join(heading.recipients),
    }


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    text = clean_text(value)
    if required and not text:
        raise InvalidError(field, "This field is required.")
    if len(text) > limit:
        raise InvalidError(field, "At most {max} characters.", max=limit)
    return text


def _number(value: str) -> int | None:
    text = clean_text(value)
    if not text:
        return None
    if not _NUMBER.match(text) or len(text) > NUMBER_DIGITS or int(text) == 0:
        raise InvalidError(
            "number", "The report number is a whole number from 1, such as 15, or left empty."
        )
    return int(text)


def _symbol(value: str) -> str:
    symbol = _text(value, "symbol", SYMBOL_MAX, required=True).upper().replace(" ", "")
    if not _SYMBOL.match(symbol):
        raise InvalidError(
            "symbol",
            "The symbol holds capital letters, digits and hyphens between them, such as BC-SNV.",
        )
    return symbol


def _recipients(value: str) -> tuple[str, ...]:
    lines = [clean_text(line).lstrip("-–• ").rstrip(";.").strip() for line in value.splitlines()]
    kept = tuple(line for line in lines if line)
    if len(kept) > RECIPIENTS_MAX:
        raise InvalidError("recipients", "At most {max} recipients.", max=RECIPIENTS_MAX)
    for line in kept:
        if len(line) > LINE_MAX:
            raise InvalidError("recipients", "A recipient may have at most {max} characters.",
                               max=LINE_MAX)  # fmt: skip
    return kept


def _signer_name(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    _text(text, "signer_name", SIGNER_MAX)
    return validate_full_name(text, "signer_name")


def _date(value: str, on: date) -> date:
    return parse_date(value, "report_date") if clean_text(value) else on


def parse_heading(fields: Mapping[str, str], on: date) -> Heading:
    """The heading the official typed, every field checked at once (ValidationErrors); a
    blank date is ``on`` (the platform's today), a blank number is left for the records
    office."""
    raw = {name: str(fields.get(name, "")) for name in FIELDS}
    with collect() as errors:
        parent = errors.check(_text, raw["parent_agency"], "parent_agency", AGENCY_MAX)
        agency = errors.check(_text, raw["agency"], "agency", AGENCY_MAX, required=True)
        number = errors.check(_number, raw["number"])
        symbol = errors.check(_symbol, raw["symbol"])
        place = errors.check(_text, raw["place"], "place", PLACE_MAX, required=True)
        issued_on = errors.check(_date, raw["report_date"], on)
        behalf = errors.check(_text, raw["signer_on_behalf"], "signer_on_behalf", SIGNER_MAX)
        title = errors.check(_text, raw["signer_title"], "signer_title", SIGNER_MAX,
                             required=True)  # fmt: skip
        name = errors.check(_signer_name, raw["signer_name"])
        recipients = errors.check(_recipients, raw["recipients"])
    assert agency and symbol and place and issued_on and title  # checked above
    return Heading(
        parent or "", agency, number, symbol, place, issued_on, behalf or "", title,
        name or "", recipients or (),
    )  # fmt: skip
