"""Vietnamese text helpers: NFC storage form and a diacritics-free search key.

The search key is what search, de-duplication and fuzzy matching compare: "Mường Ảng",
"Muong Ang" and "muong  ang" share one key, and so do the two tone placements "Hòa"/"Hoà".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Punctuation that separates words in titles ("may-công nghiệp", "điện/nước") becomes a space;
# apostrophes inside names ("H'Mông") are dropped so "H'Mông" and "HMông" meet.
_SEPARATORS = re.compile(r"[\-_/,;:.()\[\]{}|+&]+")
_DROPPED = re.compile(r"['’`\"“”]")


def nfc(text: str | None) -> str:
    """Return ``text`` in Unicode NFC with runs of whitespace collapsed and ends trimmed."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; map đ/Đ to d/D. Case is kept."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def search_key(text: str | None) -> str:
    """Diacritics-free, lower-case, single-spaced key used for search and matching."""
    if not text:
        return ""
    key = strip_diacritics(unicodedata.normalize("NFC", text)).lower()
    key = _DROPPED.sub("", key)
    key = _SEPARATORS.sub(" ", key)
    return _SPACES.sub(" ", key).strip()


def split_vietnamese_name(full_name: str) -> tuple[str, str, str]:
    """Split a name written family–middle–given into (family, middle, given).

    One word is a given name only; two words are family and given. Anything longer keeps the
    first word as the family name and the last as the given name.
    """
    words = nfc(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> tuple[str, str, str, str]:
    """Vietnamese list order: given name, then middle, then family name (diacritics folded
    first, the exact spelling breaking ties)."""
    family, middle, given = split_vietnamese_name(full_name)
    return (search_key(given), search_key(middle), search_key(family), nfc(full_name))


SORT_SEPARATOR = "\x1f"  # below every character a key or a name holds, space included


def name_sort_text(given: str, middle: str, family: str, full_name: str) -> str:
    """:func:`name_sort_key` from the name parts as one string whose plain code-point order
    (a database's binary collation) is the tuple's order, so a database can sort and page a
    list of people the Vietnamese way."""
    parts = (
        cached_search_key(given),
        cached_search_key(middle),
        cached_search_key(family),
        full_name,
    )
    return SORT_SEPARATOR.join(part.replace(SORT_SEPARATOR, " ") for part in parts)


@lru_cache(maxsize=200_000)
def cached_search_key(text: str) -> str:
    """:func:`search_key` with a cache, for batches where the same strings repeat."""
    return search_key(text)
