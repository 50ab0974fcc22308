"""Charts drawn on the server as inline SVG: no script, no outside library, so the dashboard
reads the same offline and on a slow link. Each chart has a <title> (its accessible name)
and a <desc>; every bar and point has its own <title>; every value written on a bar opens the
records behind it (an SVG <a>) and carries the same data attributes as the tables' numbers.

Colours come from classes in static/dashboard.css (the site's CSP allows no inline style).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from math import ceil, floor, log10

from markupsafe import Markup, escape

from web.services.kpi_format import Shown

Href = Callable[[Shown], str | None]
Fmt = Callable[[float], str]

WIDTH = 460  # drawn about 1:1 in a half-width box, so the text stays readable
LABEL_WIDTH = 160
BAR_AREA = 240
BAR_HEIGHT = 13
_ids = count(1)


@dataclass(frozen=True, slots=True)
class BarRow:
    """One group of a bar chart: its label and one value per series (None: no value)."""

    label: str
    values: tuple[Shown | None, ...]


def data_attributes(number: Shown) -> str:
    """The attributes that let a reader (or a test) tell which figure a number is."""
    return (
        f' data-kpi="{escape(number.kpi)}" data-measure="{escape(number.measure)}"'
        f' data-dimension="{escape(number.dimension)}" data-key="{escape(number.key)}"'
        f' data-value="{escape(number.raw)}"'
    )


def _value_text(number: Shown, x: float, y: float, href: Href) -> str:
    text = f'<text x="{x:.1f}" y="{y:.1f}" class="chart-value">{escape(number.text)}</text>'
    link = href(number)
    if link is None:
        return f"<g{data_attributes(number)}>{text}</g>"
    return f'<a href="{escape(link)}"{data_attributes(number)}>{text}</a>'


def _head(chart_id: str, title: str, desc: str, height: float) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
    )


def _legend(series: Sequence[str], y: float) -> str:
    parts = []
    x = LABEL_WIDTH
    for index, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" class="s{index}"/>'
            f'<text x="{x + 14}" y="{y}" class="chart-legend">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return "".join(parts)


def bar_chart(
    title: str,
    desc: str,
    series: Sequence[str],
    rows: Sequence[BarRow],
    *,
    href: Href,
    fmt: Fmt,
) -> Markup:
    """Horizontal bars, one row per group and one bar per series, with the value after each
    bar and an axis with the scale at the bottom."""
    chart_id = f"chart{next(_ids)}"
    top = 22 if len(series) > 1 else 6
    row_height = len(series) * (BAR_HEIGHT + 2) + 8
    height = top + len(rows) * row_height + 24
    largest = max((v.value or 0 for row in rows for v in row.values if v is not None), default=0)
    ticks = nice_ticks(largest, 3)
    scale = BAR_AREA / ticks[-1]
    parts = [_head(chart_id, title, desc, height)]
    if len(series) > 1:
        parts.append(_legend(series, 14))
    for position, row in enumerate(rows):
        y = top + position * row_height
        middle = y + row_height / 2 + 3
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle:.1f}" class="chart-label">'
            f"{escape(_shorten(row.label))}<title>{escape(row.label)}</title></text>"
        )
        for index, number in enumerate(row.values):
            if number is None:
                continue
            bar_y = y + 4 + index * (BAR_HEIGHT + 2)
            width = (number.value or 0) * scale
            name = f"{row.label} — {series[index]}: {number.text}"
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{width:.1f}" height="{BAR_HEIGHT}"'
                f' class="s{index}"><title>{escape(name)}</title></rect>'
            )
            parts.append(_value_text(number, LABEL_WIDTH + width + 4, bar_y + 10.5, href))
    parts.append(_axis(top + len(rows) * row_height, ticks, scale, fmt))
    parts.append("</svg>")
    return Markup("".join(parts))


def _axis(y: float, ticks: Sequence[float], scale: float, fmt: Fmt) -> str:
    parts = [_line(LABEL_WIDTH, y, LABEL_WIDTH + BAR_AREA, y, "chart-axis")]
    for tick in ticks:
        parts.append(_text(LABEL_WIDTH + tick * scale, y + 14, "chart-tick", fmt(tick)))
    return "".join(parts)


def nice_ticks(largest: float, intervals: int) -> list[float]:
    """Round values for an axis from 0 to at least ``largest``: 1, 2 or 5 times a power of ten
    apart, never less than 1 (the charts count people)."""
    if largest <= 0:
        return [0.0, 1.0]
    raw = largest / intervals
    magnitude = 10.0 ** floor(log10(raw))
    step = max(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), 1.0)
    return [step * index for index in range(ceil(largest / step - 1e-9) + 1)]


def _line(x1: float, y1: float, x2: float, y2: float, css: str, title: str = "") -> str:
    head = f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="{css}"'
    return f"{head}><title>{escape(title)}</title></line>" if title else f"{head}/>"


def _text(x: float, y: float, css: str, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{css}">{escape(text)}</text>'


def _shorten(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class LinePoint:
    """A month of a cumulative series: its label, the total so far, and what to say of it."""

    label: str
    total: float | None  # None: the month has not come yet
    title: str


PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 450, 16, 196


def line_chart(
    title: str,
    desc: str,
    points: Sequence[LinePoint],
    *,
    target: float | None,
    target_label: str,
    target_word: str,
    pace_label: str,
    series_label: str,
    fmt: Fmt,
) -> Markup:
    """A cumulative series month by month against the target: a dashed line at the target
    and a dotted line of even progress from zero to the target at the year's end."""
    chart_id = f"chart{next(_ids)}"
    values = [p.total for p in points if p.total is not None]
    ticks = nice_ticks(max([*values, target or 0]), 4)
    top_value = ticks[-1] * 1.05  # room for the target's label
    step_x = (PLOT_RIGHT - PLOT_LEFT) / max(len(points), 1)

    def y_of(value: float) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top_value

    parts = [_head(chart_id, title, desc, PLOT_BOTTOM + 44)]
    parts.append(_line_legend(series_label, target_word if target else "", pace_label))
    for value in ticks:
        y = y_of(value)
        parts.append(_line(PLOT_LEFT, y, PLOT_RIGHT, y, "chart-gridline"))
        parts.append(_text(PLOT_LEFT - 4, y + 4, "chart-label", fmt(value)))
    for index, point in enumerate(points):
        x = PLOT_LEFT + step_x * (index + 0.5)
        parts.append(_text(x, PLOT_BOTTOM + 16, "chart-tick", point.label))
    if target:
        y = y_of(target)
        parts.append(_line(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, y, "chart-pace", pace_label))
        parts.append(_line(PLOT_LEFT, y, PLOT_RIGHT, y, "chart-target", target_label))
        parts.append(_text(PLOT_RIGHT, y - 4, "chart-target-label", target_label))
    parts.append(_series(points, step_x, y_of))
    parts.append("</svg>")
    return Markup("".join(parts))


def _line_legend(series: str, target: str, pace: str) -> str:
    y, left = PLOT_BOTTOM + 38, 10
    parts = [_line(left, y - 4, left + 18, y - 4, "chart-line")]
    parts.append(_text(left + 22, y, "chart-legend", series))
    if target:
        x = left + 40 + 6 * len(series)
        parts.append(_line(x, y - 4, x + 18, y - 4, "chart-target"))
        parts.append(_text(x + 22, y, "chart-legend", target))
        x += 40 + 6 * len(target)
        parts.append(_line(x, y - 4, x + 18, y - 4, "chart-pace"))
        parts.append(_text(x + 22, y, "chart-legend", pace))
    return "".join(parts)


def _series(points: Sequence[LinePoint], step_x: float, y_of: Callable[[float], float]) -> str:
    placed = [
        (PLOT_LEFT + step_x * (index + 0.5), y_of(point.total), point)
        for index, point in enumerate(points)
        if point.total is not None
    ]
    if not placed:
        return ""
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in placed)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="chart-dot">'
        f"<title>{escape(point.title)}</title></circle>"
        for x, y, point in placed
    )
    return f'<polyline points="{line}" class="chart-line"/>{dots}'
