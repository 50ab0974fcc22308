"""The years the platform offers and accepts, defined once for validation, pages and seed."""

from __future__ import annotations

from models.errors import InvalidError

# The first year a year picker offers: the dashboard's stored figures start with 2016.
PICKER_FIRST_YEAR = 2016
# A typed year must lie in this range (inclusive); anything outside is a typo.
YEAR_MIN, YEAR_MAX = 2000, 2100


def check_year(
    year: int, *, field: str = "year", first: int = YEAR_MIN, last: int = YEAR_MAX
) -> int:
    """The year, if it lies between `first` and `last`; InvalidError naming the range if not."""
    if not first <= year <= last:
        raise InvalidError(
            field, "The year must be between {first} and {last}.", first=first, last=last
        )
    return year


def parse_year(
    raw: str, *, field: str = "year", first: int = YEAR_MIN, last: int = YEAR_MAX
) -> int:
    """A typed year ("2025", spaces around allowed) between `first` and `last`."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(last)):
        raise InvalidError(
            field, "The year must be between {first} and {last}.", first=first, last=last
        )
    return check_year(int(text), field=field, first=first, last=last)


def year_or_none(raw: str) -> int | None:
    """A year filter from the query string: a typed year in the accepted range, or None for
    junk, which a list ignores like any other junk filter."""
    try:
        return parse_year(raw)
    except InvalidError:
        return None
