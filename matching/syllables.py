"""Search by whole Vietnamese syllables, with or without tone marks.

Vietnamese writes one syllable per word-space, so a search matches whole syllables, never
part of one: "hàn" is not in "nhân" or "hàng". A query written with marks asks for exactly
those marks ("hàn" is not "hạn"); a query written without any asks for any marks ("han"
finds "hàn", "hân", "hạn"; "d" finds "đ"). Words that name no trade ("thợ", "công nhân",
"nhân viên", "lao động") are left out of what must match, since "thợ may" and "công nhân may"
are one trade.

Texts are compared through two forms of each syllable: the *folded* form (no marks, đ -> d,
lower case), which a database can match with ``LIKE '% han %'`` on a stored key, and the
*marked* form, which only Python compares. Tone placement ("hoà"/"hòa") does not matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from matching.normalise import OccupationNormaliser
from matching.text import strip_diacritics

# Runs of letters and digits; everything else (spaces, punctuation, "/", "-") separates.
_SYLLABLE = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile(r"['’`]")  # inside names ("H'Mông"): dropped, not a separator

# Words that name no trade, folded; the longest first so "cong nhan" goes before "cong".
FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "can tuyen gap",
        "can tuyen",
        "tuyen dung",
        "tuyen gap",
        "tuyen",
        "cong nhan",
        "nhan vien",
        "lao dong",
        "tho",
    )
)


def syllables(text: str | None) -> list[str]:
    """The syllables of ``text`` in NFC, lower case, in order."""
    if not text:
        return []
    clean = _APOSTROPHES.sub("", unicodedata.normalize("NFC", text)).lower()
    return _SYLLABLE.findall(clean)


@lru_cache(maxsize=50_000)
def fold(syllable: str) -> str:
    """A syllable without marks, đ -> d, lower case."""
    return strip_diacritics(syllable).lower()


@lru_cache(maxsize=50_000)
def marked(syllable: str) -> tuple[str, str]:
    """A syllable's letters and its marks, whatever vowel the tone was put on ("hoà" and
    "hòa" are one)."""
    lower = unicodedata.normalize("NFD", syllable.lower())
    marks = sorted(ch for ch in lower if unicodedata.combining(ch))
    return fold(syllable), "".join(marks) + ("đ" if "đ" in syllable.lower() else "")


def has_marks(text: str) -> bool:
    """True when any letter of ``text`` carries a mark (or is đ)."""
    return any(fold(s) != s for s in syllables(text))


def folded_key(text: str | None) -> str:
    """The folded syllables of ``text`` between single spaces, with a space at each end, so
    ``LIKE '% han %'`` finds a whole syllable."""
    words = [fold(s) for s in syllables(text)]
    return f" {' '.join(words)} " if words else ""


def folded_pattern(folded_syllable: str) -> str:
    """The LIKE pattern that finds ``folded_syllable`` whole in a :func:`folded_key`."""
    return f"% {folded_syllable} %"


def _drop_fillers(folded: Sequence[str]) -> list[int]:
    """Positions of the syllables that are not fillers."""
    kept, i = [], 0
    while i < len(folded):
        filler = next((f for f in FILLERS if tuple(folded[i : i + len(f)]) == f), None)
        if filler:
            i += len(filler)
        else:
            kept.append(i)
            i += 1
    return kept


@dataclass(frozen=True)
class Query:
    """What a search text asks for: the syllables that must appear (fillers left out unless
    nothing else is left), and whether they must carry the marks typed."""

    terms: tuple[str, ...]  # syllables as typed, lower case
    folded: tuple[str, ...]  # the same, folded
    exact_marks: bool  # typed with marks: every term must match its marks
    typed: tuple[str, ...] = ()  # every syllable typed, fillers included

    @property
    def empty(self) -> bool:
        return not self.terms

    def as_typed(self) -> Query:
        """The query with its fillers: a company's name ("Công ty Lao động") is searched
        as typed."""
        return Query(self.typed, tuple(fold(s) for s in self.typed), self.exact_marks, self.typed)


def parse_query(text: str, *, max_terms: int = 12) -> Query:
    """A search text as a :class:`Query`. A text written with marks anywhere counts as written
    with marks throughout ("thợ may" asks for "may", not "máy")."""
    typed = syllables(text)
    folded = [fold(s) for s in typed]
    kept = _drop_fillers(folded) or list(range(len(typed)))
    terms, keys = [], []
    for i in kept:
        if typed[i] not in terms:
            terms.append(typed[i])
            keys.append(folded[i])
    return Query(
        terms=tuple(terms[:max_terms]),
        folded=tuple(keys[:max_terms]),
        exact_marks=has_marks(text),
        typed=tuple(dict.fromkeys(typed))[:max_terms],
    )


@dataclass(frozen=True)
class FieldMatch:
    """How a query meets one text: terms found (with any marks) and terms found with the
    marks typed."""

    found: int
    exact: int


def match_field(query: Query, text: str | None) -> FieldMatch:
    """Count the query's terms that ``text`` holds as whole syllables. Under
    ``query.exact_marks`` a term counts only with its marks. Each term is one compiled
    pattern searched over the text, not a split of the text: a description is long."""
    found = exact = 0
    if not text:
        return FieldMatch(found=0, exact=0)
    lower = _lower(text)
    for term in query.terms:
        if _exact_pattern(term).search(lower):
            found += 1
            exact += 1
        elif not query.exact_marks and _folded_pattern(term).search(lower):
            found += 1
    return FieldMatch(found=found, exact=exact)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = "aeiouy"
# Every lower-case letter by its folded form: "a" -> "aàáảãạăằ...", "d" -> "dđ".
_LETTERS: dict[str, str] = {"d": "dđ"}
for _vowel in "aăâeêioôơuưy":
    for _tone in ("", *_TONES):
        _letter = unicodedata.normalize("NFC", _vowel + _tone)
        _LETTERS[fold(_letter)] = _LETTERS.get(fold(_letter), "") + _letter
_WHOLE = "(?<![^\\W_]){}(?![^\\W_])"


@lru_cache(maxsize=4096)
def _folded_pattern(term: str) -> re.Pattern[str]:
    """The term whole, with any marks."""
    letters = "".join(
        f"[{re.escape(_LETTERS[c])}]" if c in _LETTERS else re.escape(c) for c in fold(term)
    )
    return re.compile(_WHOLE.format(letters))


def _lower(text: str) -> str:
    return _APOSTROPHES.sub("", unicodedata.normalize("NFC", text)).lower()


def _spellings(term: str) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(_placements(term)))) + ")"


@lru_cache(maxsize=4096)
def _exact_pattern(term: str) -> re.Pattern[str]:
    """The term whole with its marks, the tone on any of its vowels ("hoà" or "hòa")."""
    return re.compile(_WHOLE.format(_spellings(term)))


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """Any of the names, each syllable whole with its marks, the syllables side by side."""
    phrases = ("[\\W_]+".join(_spellings(s) for s in name) for name in names)
    return re.compile(_WHOLE.format("(?:" + "|".join(phrases) + ")"))


def _placements(term: str) -> set[str]:
    """The spellings of a syllable with its tone mark put on each of its vowels."""
    decomposed = unicodedata.normalize("NFD", term)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return {term}
    bare = decomposed.replace(tones[0], "")
    spellings = {term}
    for i, ch in enumerate(bare):
        if ch in _VOWELS:
            end = i + 1
            while end < len(bare) and unicodedata.combining(bare[end]):
                end += 1
            spellings.add(unicodedata.normalize("NFC", bare[:end] + tones[0] + bare[end:]))
    return spellings


@dataclass(frozen=True)
class Advert:
    """The texts of a job advert that a search reads."""

    title: str
    description: str = ""
    skills: tuple[str, ...] = ()
    occupation_name: str | None = None
    employer_name: str = ""
    occupation_key: str | None = None


@dataclass(frozen=True)
class Trade:
    """The trade a query names, from the occupation normaliser: its catalogue keys and the
    names people give it (name and aliases) of two syllables or more, as marked syllables.
    One-syllable names ("hàn") are left to the syllable match."""

    keys: frozenset[str] = frozenset()
    names: tuple[tuple[str, ...], ...] = ()  # syllables, lower case

    @classmethod
    def of(cls, keys: Iterable[str], labels: Iterable[str]) -> Trade:
        names = {tuple(syllables(label)) for label in labels}
        return cls(frozenset(keys), tuple(sorted(n for n in names if len(n) > 1)))

    def folded_names(self) -> list[str]:
        """The names as folded syllables, for a database's LIKE."""
        return [" ".join(fold(s) for s in name) for name in self.names]

    def named_in(self, text: str) -> bool:
        """True when ``text`` holds one of the names, marks as written."""
        return bool(self.names) and bool(_names_pattern(self.names).search(_lower(text)))


@dataclass(frozen=True)
class Relevance:
    """How well an advert answers a query; larger ranks sort first."""

    matches: bool
    rank: tuple[int, ...]


def relevance(query: Query, advert: Advert, trade: Trade = Trade()) -> Relevance:
    """Whether ``advert`` answers ``query`` and how well.

    It answers when one of its texts (title, occupation, skills, description) holds every
    term, or the employer's name every syllable typed, or when it is of the trade the query
    names (its occupation, or a name of the trade in its title). Ranked by: the trade, the
    most terms one text holds, the most terms held with the marks typed, the syllables typed
    (fillers too) in the title, the title holding every term, terms in the title.
    """
    title = match_field(query, advert.title)
    typed = query.as_typed()
    employer = match_field(typed, advert.employer_name)
    n = len(query.terms)
    fields = [title]
    if title.exact < n:  # else no other text can hold more, nor with more marks right
        fields += [
            match_field(query, advert.occupation_name),
            match_field(query, " , ".join(advert.skills)),
            match_field(query, advert.description),
        ]
    of_trade = advert.occupation_key in trade.keys or trade.named_in(advert.title)
    found = max(f.found for f in fields)
    by_name = employer.found == len(typed.terms)
    return Relevance(
        matches=found == n or of_trade or by_name,
        rank=(
            int(of_trade),
            found,
            max(f.exact for f in fields),
            match_field(typed, advert.title).found,
            int(title.found == n),
            title.exact,
            title.found,
        ),
    )


# The normaliser's confidence from which a query names a trade (its own GUESS_MIN lets
# "điện" pass for welding; a search needs the query to be one of the trade's names).
TRADE_MIN = 0.95


def query_trade(
    query: Query, text: str, normaliser: OccupationNormaliser, labels: Mapping[str, Sequence[str]]
) -> Trade:
    """The trade ``text`` names (``labels``: catalogue key -> name and aliases), or none. A
    query typed with marks names only trades of which a name holds its terms with those marks
    ("hạn" is not welding, "hàn" is)."""
    if query.empty:
        return Trade()
    keys = [key for key, score in normaliser.predict(text, k=3) if score >= TRADE_MIN]
    if query.exact_marks:
        wanted = {marked(term) for term in query.terms}
        keys = [
            key
            for key in keys
            if wanted <= {marked(s) for label in labels.get(key, ()) for s in syllables(label)}
        ]
    return Trade.of(keys, [label for key in keys for label in labels.get(key, ())])


def title_key(title: str) -> str:
    """A title's folded syllables between single spaces (``vacancy.title_key``)."""
    return folded_key(title).strip()


def advert_key(title: str, description: str = "", skills: Iterable[str] = ()) -> str:
    """The folded syllables of an advert's own texts with a space at each end
    (``vacancy.search_text``): a database finds a whole syllable with ``LIKE '% han %'``."""
    return folded_key("\n".join([title, *skills, description]))
