"""Formatting functions that pages call in their templates: wages and money (the vacancy, order
and board pages), target indicators, units and values (the targets and labour-force pages)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from models.clock import VIETNAM
from models.enums import TargetIndicator
from models.formatting import format_date, format_number, format_vnd
from models.i18n import translate
from web.labels import page_tools
from web.services import targets as service


def wage_text(low: int | None, high: int | None, lang: str) -> str:
    """A wage range the reader's way: "5.000.000 ₫ – 7.000.000 ₫", "from …", "up to …"."""
    if low is not None and high is not None:
        if low == high:
            return format_vnd(low, lang)
        return f"{format_vnd(low, lang)} – {format_vnd(high, lang)}"
    if low is not None:
        return translate("from {amount}", lang, amount=format_vnd(low, lang))
    if high is not None:
        return translate("up to {amount}", lang, amount=format_vnd(high, lang))
    return translate("Negotiable", lang)


def display_helpers(lang: str) -> dict[str, Callable[..., str]]:
    """Formatting functions the vacancy, order and board pages call in their templates."""

    def wage(low: int | None, high: int | None) -> str:
        return wage_text(low, high, lang)

    def money(amount: int | None) -> str:
        return "—" if amount is None else format_vnd(amount, lang)

    return {"wage_text": wage, "money": money}


# Indicator codes -> msgids of their labels (Vietnamese in models/locale/vi.po).
INDICATOR_LABELS = {
    TargetIndicator.TRAINED: "Trained people (all levels)",
    TargetIndicator.NEW_JOBS: "New jobs created",
    TargetIndicator.TRAINED_SHARE: "Trained share of the employed",
    TargetIndicator.CERTIFIED_SHARE: (
        "Share of the employed trained 3 months or more with a certificate"
    ),
    TargetIndicator.STRUCTURE_AGRICULTURE: "Labour structure: agriculture, forestry and fishery",
    TargetIndicator.STRUCTURE_INDUSTRY: "Labour structure: industry and construction",
    TargetIndicator.STRUCTURE_SERVICES: "Labour structure: services",
    TargetIndicator.ABROAD: "Workers leaving to work abroad under contract",
}
UNIT_LABELS = {service.PEOPLE: "people"}


def display_tools(lang: str) -> dict[str, Any]:
    """Labels of indicators and units, and values shown the reader's way (8.300; 62,5)."""

    def indicator(code: str) -> str:
        msgid = INDICATOR_LABELS.get(code)  # type: ignore[call-overload]
        return translate(msgid, lang) if msgid else code

    def value(amount: float | None, unit: str = "") -> str:
        if amount is None:
            return ""
        if float(amount).is_integer():
            text = format_number(int(amount), lang)
        else:
            text = format(amount, "g").replace(".", "," if lang == "vi" else ".")
        return f"{text} %" if unit == service.PERCENT else text

    def unit_label(unit: str) -> str:
        return translate(UNIT_LABELS.get(unit, unit), lang)

    def show_moment(moment: datetime) -> str:
        """dd/mm/yyyy hh:mm on Vietnam's clock (a naive time read back is UTC)."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        local = aware.astimezone(VIETNAM)
        return f"{format_date(local.date(), lang)} {local:%H:%M}"

    return {
        "indicator": indicator,
        "value": value,
        "unit_label": unit_label,
        "show_moment": show_moment,
        **page_tools(lang),
    }
