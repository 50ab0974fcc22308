"""How amounts and dates are shown: `5.310.000 ₫` and dd/mm/yyyy for Vietnamese readers.

Values travel raw (ints, dates) inside errors and pages and are formatted only when shown, in
the reader's language; `Vnd` marks an int that is money so the translator knows to format it.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.numbers import format_decimal, get_group_symbol

_BABEL_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


class Vnd(int):
    """An amount of Vietnamese đồng. An int everywhere (JSON, arithmetic), but rendered as
    money when it is a parameter of a translated message."""

    __slots__ = ()


def _locale(lang: str) -> str:
    return _BABEL_LOCALES.get(lang, _BABEL_LOCALES["vi"])


@lru_cache(maxsize=8)
def _group_symbol(lang: str) -> str:
    return get_group_symbol(_locale(lang))


def format_number(value: int, lang: str = "vi") -> str:
    """Group thousands the reader's way: 1.234.567 in Vietnamese, 1,234,567 in English.
    Whole numbers (nearly every figure on a page) are grouped directly with the locale's
    separator, as Babel groups them but without its per-call pattern work; other numbers go
    through Babel."""
    if type(value) is int or isinstance(value, Vnd):
        return f"{int(value):,}".replace(",", _group_symbol(lang))
    return format_decimal(value, locale=_locale(lang))


def format_vnd(amount: int, lang: str = "vi") -> str:
    """`5.310.000 ₫` in Vietnamese, `VND 5,310,000` in English. A plain space, not Babel's
    no-break space, so the text is the same wherever it is compared or copied."""
    digits = format_number(int(amount), lang)
    return f"VND {digits}" if lang == "en" else f"{digits} ₫"


def format_date(value: date, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages: the form every Vietnamese document uses."""
    if isinstance(value, datetime):
        value = value.date()
    # Babel's "dd/MM/yyyy" written directly: the pattern holds only digits, the same in every
    # language, and parsing the locale and the pattern at each call cost more than the page's
    # queries on long lists of dates.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
