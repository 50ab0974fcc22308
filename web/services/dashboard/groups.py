"""The groups of a stored dimension in the order a reader looks for them: places, occupations
and organisations by name, levels from short courses up, channels in the province's order,
months and bands as the KPI gave them; records without a value last."""

from __future__ import annotations

from collections.abc import Sequence

from matching.kpi import CHANNELS, LEVELS, PRIORITY_GROUPS, Dimension, KpiId, Measure
from matching.text import search_key
from models.monitoring.figures import NONE_KEY
from models.monitoring.read import FigureTable, StoredFigure
from models.queries.kpi_names import NAMED_DIMENSIONS
from web.services.kpi_labels import Labeller

_FIXED_ORDER: dict[Dimension, Sequence[str]] = {
    Dimension.LEVEL: LEVELS,
    Dimension.CHANNEL: CHANNELS,
    Dimension.PRIORITY_GROUP: (*PRIORITY_GROUPS, "none"),
    Dimension.SEX: ("nam", "nu"),
    Dimension.ZONE: ("I", "II", "III"),
}


def ordered_groups(
    table: FigureTable, kpi: KpiId, measure: Measure, dimension: Dimension, labeller: Labeller
) -> list[tuple[StoredFigure, str]]:
    """(figure, label) of each group of a measure, in reading order."""
    figures = {figure.group_key: figure for figure in table.groups(kpi, measure, dimension)}
    return [
        (figures[key], label) for key, label in ordered_keys(dimension, list(figures), labeller)
    ]


def ordered_keys(
    dimension: Dimension, keys: Sequence[str], labeller: Labeller
) -> list[tuple[str, str]]:
    """(key, label) of groups of a dimension, in reading order."""
    labeller.load(dimension, keys)
    labelled = [(key, labeller.group(dimension, key)) for key in keys]
    if dimension in NAMED_DIMENSIONS:
        labelled.sort(key=lambda pair: (pair[0] == NONE_KEY, search_key(pair[1])))
    elif dimension in _FIXED_ORDER:
        rank = {key: index for index, key in enumerate(_FIXED_ORDER[dimension])}
        labelled.sort(key=lambda pair: rank.get(pair[0], len(rank)))
    return labelled


def fixed_keys(dimension: Dimension) -> Sequence[str]:
    """Groups always shown for a dimension, zeros included (the six channels)."""
    return CHANNELS if dimension == Dimension.CHANNEL else ()
