"""A stored figure as a page shows it: the formatted value in the reader's language, what
identifies it (KPI, measure, dimension, group) and whether its records can be opened."""

from __future__ import annotations

from dataclasses import dataclass

from matching.kpi import Dimension, KpiId, Measure
from models.formatting import format_vnd
from models.monitoring.read import StoredFigure

COUNT, RATE, MONEY, DAYS = "count", "rate", "money", "days"
M = Measure
_FORMATS = {
    M.FILL: RATE,
    M.COMMITMENT_MET: RATE,
    M.EMPLOYED: RATE,
    M.IN_TRAINED_OCCUPATION: RATE,
    M.RESPONSE: RATE,
    M.SHARE: RATE,
    M.AGRICULTURE: RATE,
    M.INDUSTRY: RATE,
    M.SERVICES: RATE,
    M.COST: MONEY,
    M.COST_PER_PLACED: MONEY,
    M.MEDIAN_DAYS_TO_FILL: DAYS,
}
EMPTY = "—"


def format_of(measure: Measure) -> str:
    return _FORMATS.get(measure, COUNT)


@dataclass(frozen=True, slots=True)
class Shown:
    """One number on a page. ``figure_id`` is set when the records behind it can be listed;
    ``has_base`` when, for a rate, those behind its denominator can too."""

    kpi: KpiId
    measure: Measure
    dimension: Dimension
    key: str
    value: float | None
    text: str
    format: str
    figure_id: int | None = None
    has_base: bool = False
    numerator: int | None = None
    denominator: int | None = None
    numerator_text: str = ""
    denominator_text: str = ""

    @property
    def raw(self) -> str:
        """The value as data: an integer without decimals, a fraction as Python writes it."""
        if self.value is None:
            return ""
        if float(self.value).is_integer():
            return str(int(self.value))
        return repr(float(self.value))


# (thousands, decimal) separators: the same text Babel writes for vi_VN and en_GB, without
# its cost (a dashboard formats a few thousand numbers).
_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}


def _localised(text: str, lang: str) -> str:
    """Python's '1,234.5' written the reader's way."""
    group, decimal = _SEPARATORS.get(lang, _SEPARATORS["vi"])
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def whole(value: float, lang: str) -> str:
    """8.300 in Vietnamese, 8,300 in English."""
    return _localised(f"{round(value):,}", lang)


def format_value(value: float | None, kind: str, lang: str) -> str:
    """8.300 people, 62,5 %, 5.310.000 ₫, 12,5 days; a dash for no value."""
    if value is None:
        return EMPTY
    if kind == RATE:
        return f"{_localised(f'{value * 100:,.1f}', lang)} %"
    if kind == MONEY:
        return format_vnd(round(value), lang)
    if kind == DAYS:
        return _localised(f"{value:,.1f}".removesuffix(".0"), lang)
    return whole(value, lang)


def shown(
    figure: StoredFigure | None,
    lang: str,
    *,
    kpi: KpiId,
    measure: Measure,
    dimension: Dimension = Dimension.TOTAL,
    key: str = "",
    zero: bool = True,
) -> Shown:
    """The figure as shown; a missing figure is 0 for a count (``zero``), else no value."""
    kind = format_of(measure)
    if figure is None:
        value = 0.0 if zero and kind == COUNT else None
        return Shown(kpi, measure, dimension, key, value, format_value(value, kind, lang), kind)
    drill = figure.id if figure.record_kind else None
    numerator, denominator = figure.numerator, figure.denominator
    return Shown(
        kpi=kpi,
        measure=measure,
        dimension=dimension,
        key=key,
        value=figure.value,
        text=format_value(figure.value, kind, lang),
        format=kind,
        figure_id=drill,
        has_base=drill is not None and denominator is not None,
        numerator=numerator,
        denominator=denominator,
        numerator_text="" if numerator is None else whole(numerator, lang),
        denominator_text="" if denominator is None else whole(denominator, lang),
    )


def plain(kpi: KpiId, measure: Measure, value: float | None, lang: str, key: str = "") -> Shown:
    """A number computed on the page (a sum of groups): shown, but with no records of its own."""
    kind = format_of(measure)
    return Shown(kpi, measure, Dimension.TOTAL, key, value, format_value(value, kind, lang), kind)
