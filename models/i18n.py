"""The platform's one translation catalogue (gettext style, read with Babel).

Message ids are the English text with `{name}` placeholders; `locale/vi.po` holds the
Vietnamese and `locale/en.po` may leave a msgstr empty to fall back to the id. The .po files
are read at run time (no compile step) and cached per language. Parameters are formatted in
the reader's language when the message is built: a `datetime.date` as dd/mm/yyyy, a
`formatting.Vnd` as money; everything else with `str()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from babel.messages.pofile import read_po

from models.errors import AppError, ValidationErrors
from models.formatting import Vnd, format_date, format_vnd

SUPPORTED_LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).parent / "locale"
FORM_WIDE = ""  # the key for errors that belong to no single field


class Translatable(Protocol):
    """Anything that carries a message id and its parameters (errors, warnings)."""

    @property
    def msgid(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Any]: ...


def normalise_language(lang: str | None) -> str:
    """'en', 'EN', 'en-US' and 'en_GB' mean English; anything unknown means Vietnamese."""
    base = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for one language, from its .po file. Untranslated and fuzzy
    entries are left out so that the lookup falls back to the English id."""
    with (LOCALE_DIR / f"{lang}.po").open("rb") as po_file:
        parsed = read_po(po_file, locale=lang)
    return {
        str(message.id): str(message.string)
        for message in parsed
        if message.id and message.string and not message.fuzzy
    }


class _KeepMissing(dict[str, str]):
    """A placeholder without a value stays visible as `{name}` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(value: Any, lang: str) -> str:
    if isinstance(value, Vnd):
        return format_vnd(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    return str(value)


def _fill(template: str, lang: str, params: Mapping[str, Any]) -> str:
    if "{" not in template and "}" not in template:
        return template  # most labels: nothing to fill, nothing to unescape
    values = _KeepMissing({name: _render(value, lang) for name, value in params.items()})
    return template.format_map(values)


def translate(msgid: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message in `lang` (Vietnamese when the language is unknown), with its parameters
    filled in. A translation that cannot be filled (a translator's typo in a placeholder)
    falls back to the English id rather than breaking the page."""
    lang = normalise_language(lang)
    template = catalogue(lang).get(msgid, msgid)
    try:
        return _fill(template, lang, params)
    except (ValueError, IndexError, AttributeError):
        return _fill(msgid, lang, params)


def message_for(error: Translatable, lang: str = DEFAULT_LANGUAGE) -> str:
    """What the user reads for one error or warning."""
    return translate(error.msgid, lang, **error.params)


def messages_by_field(error: AppError, lang: str = DEFAULT_LANGUAGE) -> dict[str, list[str]]:
    """Every message of an error, grouped by field (form-wide ones under FORM_WIDE), so a
    form can show each next to its input. A ValidationErrors is unpacked."""
    errors = error.errors if isinstance(error, ValidationErrors) else [error]
    grouped: dict[str, list[str]] = {}
    for each in errors:
        grouped.setdefault(each.field or FORM_WIDE, []).append(message_for(each, lang))
    return grouped
