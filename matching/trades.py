"""Reading a trade name the way Vietnamese builds it: a *head* (the trade or action: "sửa
chữa", "chế biến", "vận hành", "bán", "may", "hàn"), then an *object* (what is worked on:
"máy may", "gỗ", "điện thoại"), around *fillers* that say nothing about the trade ("thợ",
"công nhân", "kỹ thuật viên", "nhân viên", "lao động", "tuyển").

"Thợ sửa chữa máy may" is a repair trade whose object is the sewing machine; "công nhân may"
is the sewing trade. Both hold "may", but their heads differ, so they are different trades.
"Chế biến gỗ" and "chế biến nông sản" share their head, and their objects differ. Comparing
the heads and the objects of two texts gives :func:`trade_agreement`, a factor in [0, 1] that
the occupation similarity and the normaliser multiply by.

Syllables are compared with their marks when both texts carry marks ("máy" is then not "may",
"nấm" not "nam"), and folded (no marks) when either was typed without them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from matching.text import strip_diacritics

# Letters and digits; anything else separates syllables. Apostrophes inside names are dropped.
_SYLLABLE = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile(r"['’`]")
# A title's first clause holds the trade; what follows a comma, a dash or a bracket is detail.
_CLAUSE = re.compile(r"[,;:()\[\]\-–—/|]")

# Heads by kind, with marks. The longest phrase is taken at the head position.
HEADS: dict[str, tuple[str, ...]] = {
    "repair": ("sửa chữa", "sửa", "sc", "bảo dưỡng", "bảo trì", "sửa chữa bảo dưỡng"),
    # "Lái máy xúc", "lái máy cày": one drives a machine as one operates it, not as a driver.
    "operate": ("vận hành", "điều khiển", "lái máy"),
    "drive": ("lái", "lái xe", "tài xế"),
    "sell": ("bán", "bán hàng", "buôn bán", "kinh doanh", "bán lẻ", "tư vấn bán hàng"),
    "process": ("chế biến", "sản xuất"),
    "sew": ("may", "cắt may", "may mặc"),
    "weld": ("hàn",),
    "build": ("xây", "xây dựng", "nề"),
    "grow": ("trồng", "canh tác", "trồng trọt"),
    "raise": ("nuôi", "chăn nuôi", "nuôi trồng"),
    "cook": ("nấu", "nấu ăn", "đầu bếp", "phụ bếp"),
    "care": ("chăm sóc",),
    "weave": ("dệt", "thêu"),
    "knit": ("đan",),
    "install": ("lắp đặt", "lắp ráp"),
    "serve": ("phục vụ",),
    "cut": ("cắt",),
    "language": ("tiếng", "ngoại ngữ"),
}
# Heads whose object decides the trade: processing wood is not processing food, repairing a
# phone is not repairing a tractor. (Sewing "công nghiệp" or "xuất khẩu" is one trade.)
OBJECT_HEADS = frozenset(
    {"repair", "operate", "sell", "process", "grow", "raise", "care", "install", "cut"}
)
# Heads whose trade is one whatever the object: a sales clerk sells phones, clothes or spare
# parts alike (the officer rules grade every sales graduate "same" for a shop job), so "bán
# phụ tùng xe máy" is the sales trade named by "bán hàng" (selling goods), not the trade of
# the goods.
ANY_OBJECT_HEADS = frozenset({"sell"})
# Words that name no trade, anywhere in a title.
FILLERS: tuple[str, ...] = (
    "cần tuyển gấp",
    "cần tuyển",
    "tuyển dụng",
    "tuyển gấp",
    "tuyển",
    "thông báo",
    "công nhân",
    "kỹ thuật viên",
    "kỹ thuật",
    "nhân viên",
    "lao động",
    "học viên",
    "nghiệp vụ",
    "và",
    "nam nữ",
    "ktv",
    "kt",
    "cn",
    "thợ",
    "nghề",
    "người",
    "gấp",
    "làm",
)
# Roles that are never one another: who repairs a machine, who operates it, who sells it.
ROLES = frozenset({"repair", "operate", "drive", "sell"})
# Words that end the trade inside a clause ("chế biến gỗ tại Mường Ảng").
STOPS = frozenset({"tại", "ở", "cho", "đi", "làm việc", "lương"})
# Words of an object that say nothing about the material ("bán hàng điện thoại").
OBJECT_FILLERS = frozenset({"hàng", "các", "loại", "sản phẩm", "công nghiệp", "xuất khẩu"})

# Words that qualify a trade without naming it: "may công nghiệp" and "điện công nghiệp"
# share only these, and are two trades.
QUALIFIERS = frozenset({"công nghiệp", "dân dụng", "xuất khẩu", "nhà máy", "công ty", "khu"})

# Without a shared head, text likeness counts for this much; without a shared object (same
# object-taking head), for OBJECT_MISMATCH plus the object's own likeness.
HEAD_MISMATCH = 0.35
OBJECT_MISMATCH = 0.4
# Both texts name something and share no word of it but qualifiers.
NOTHING_SHARED = 0.6
# One names a role (repairing, selling...), the other no trade head ("kỹ thuật xe máy").
ROLE_UNSTATED = 0.7


@lru_cache(maxsize=100_000)
def _fold(syllable: str) -> str:
    return strip_diacritics(syllable).lower()


@lru_cache(maxsize=100_000)
def marked_syllables(text: str) -> tuple[str, ...]:
    """Syllables in NFC lower case with the tone mark on one canonical vowel ("hoà" = "hòa")."""
    clean = _APOSTROPHES.sub("", unicodedata.normalize("NFC", text)).lower()
    return tuple(_canonical(s) for s in _SYLLABLE.findall(clean))


_TONES = "\u0300\u0301\u0303\u0309\u0323"
_QUALITY = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_VOWELS = "aeiouyAEIOUY"


@lru_cache(maxsize=50_000)
def _canonical(syllable: str) -> str:
    """One spelling per syllable whatever vowel the tone was typed on ("hoà" = "hòa"): the
    tone goes on the last vowel with a quality mark (â, ê, ô, ơ, ư, ă), else on the second
    vowel of "oa", "oe", "uy", else where it was typed."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return syllable
    bare = decomposed.replace(tones[0], "")
    marked_vowels = [
        i for i, ch in enumerate(bare) if ch in _VOWELS and bare[i + 1 : i + 2] in _QUALITY
    ]
    if marked_vowels:
        at = marked_vowels[-1] + 2
    else:
        plain = strip_diacritics(bare).lower()
        cluster = next((plain.find(c) for c in ("oa", "oe", "uy") if c in plain), -1)
        if cluster < 0:
            return syllable
        at = cluster + 2  # no quality marks here, so letters and positions agree
    return unicodedata.normalize("NFC", bare[:at] + tones[0] + bare[at:])


@lru_cache(maxsize=100_000)
def has_marks(text: str) -> bool:
    """True when a letter of ``text`` carries a mark (or is đ)."""
    return any(_fold(s) != s for s in marked_syllables(text))


@lru_cache(maxsize=64)
def _phrases(words: tuple[str, ...], marked: bool) -> tuple[tuple[str, ...], ...]:
    forms = (tuple(marked_syllables(w)) for w in words)
    return tuple(f if marked else tuple(_fold(s) for s in f) for f in forms)


@lru_cache(maxsize=2)
def _lexicon(marked: bool) -> tuple[dict[tuple[str, ...], str], tuple[tuple[str, ...], ...]]:
    heads = {p: kind for kind, words in HEADS.items() for p in _phrases(words, marked)}
    fillers = tuple(sorted(_phrases(FILLERS, marked), key=len, reverse=True))
    return heads, fillers


@dataclass(frozen=True)
class TradeName:
    """What a trade text says: the head kinds of its clauses ("" none), the object's
    syllables, the trade's syllables, and those of them that are not qualifiers."""

    head: str  # of the first clause
    object: frozenset[str]
    words: tuple[str, ...]  # the trade's syllables, fillers dropped
    content: frozenset[str] = frozenset()  # those words, qualifiers dropped
    heads: frozenset[str] = frozenset()  # every clause's head ("Phụ bếp, chế biến món ăn")
    features: tuple[str, ...] = ()  # the words and pairs of neighbouring words ("máy may")


_Index = dict[str, tuple[tuple[str, ...], ...]]


@lru_cache(maxsize=16)
def _by_first(phrases: tuple[tuple[str, ...], ...]) -> _Index:
    """Phrases by their first syllable, the longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in index.items()}


def _longest(words: tuple[str, ...], at: int, index: _Index) -> int:
    """Length of the longest phrase of ``index`` (:func:`_by_first`) that starts at
    ``words[at]`` (0 if none)."""
    if at >= len(words):
        return 0
    for phrase in index.get(words[at], ()):
        if words[at : at + len(phrase)] == phrase:
            return len(phrase)
    return 0


def _without(words: tuple[str, ...], phrases: set[tuple[str, ...]]) -> list[str]:
    kept, i = [], 0
    while i < len(words):
        if tuple(words[i : i + 2]) in phrases:
            i += 2
        elif (words[i],) in phrases:
            i += 1
        else:
            kept.append(words[i])
            i += 1
    return kept


def _clause(words: tuple[str, ...], marked: bool) -> tuple[str, ...]:
    """A clause's syllables up to a stop word, fillers dropped."""
    _, fillers = _lexicon(marked)
    stops = _by_first(_stops(marked))
    fillers_index = _by_first(fillers)
    kept: list[str] = []
    i = 0
    while i < len(words):
        if kept and _longest(words, i, stops):
            break
        skip = _longest(words, i, fillers_index)
        if skip:
            i += skip
            continue
        kept.append(words[i])
        i += 1
    return tuple(kept)


@lru_cache(maxsize=2)
def _head_phrases(marked: bool) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted(_lexicon(marked)[0], key=len, reverse=True))


@lru_cache(maxsize=2)
def _stops(marked: bool) -> tuple[tuple[str, ...], ...]:
    return _phrases(tuple(sorted(STOPS)), marked)


@lru_cache(maxsize=2)
def _sets(marked: bool) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    return (
        set(_phrases(tuple(sorted(OBJECT_FILLERS)), marked)),
        set(_phrases(tuple(sorted(QUALIFIERS)), marked)),
    )


@lru_cache(maxsize=100_000)
def read_trade(text: str, marked: bool) -> TradeName:
    """Head and object of ``text``; syllables with marks when ``marked``, folded otherwise.
    The first clause holds the trade; a later clause counts when it starts with a head."""
    heads, _ = _lexicon(marked)
    head_phrases = _by_first(_head_phrases(marked))
    object_fillers, qualifiers = _sets(marked)
    words: list[str] = []
    obj: list[str] = []
    kinds: list[str] = []
    first = True
    for part in _CLAUSE.split(text):
        raw = marked_syllables(part)
        if not raw:
            continue
        clause = _clause(raw if marked else tuple(_fold(s) for s in raw), marked)
        size = _longest(clause, 0, head_phrases)
        if not (first or size):
            continue
        head = heads[clause[:size]] if size else ""
        if first:
            first_head = head
        first = False
        if head:
            kinds.append(head)
        words.extend(clause)
        obj.extend(_without(clause[size:], object_fillers))
    if first:
        return TradeName(head="", object=frozenset(), words=())
    return TradeName(
        head=first_head,
        object=frozenset([*obj, *(f"{a} {b}" for a, b in itertools.pairwise(obj))]),
        words=tuple(words),
        content=frozenset(_without(tuple(words), qualifiers)),
        heads=frozenset(kinds),
        features=(*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))),
    )


@lru_cache(maxsize=100_000)
def head_and_rest(text: str, marked: bool) -> tuple[str, tuple[str, ...]]:
    """The head kind that a trade name starts with ("" none) and its words after the head:
    "chăn nuôi gà thả vườn" → ("raise", ("gà", "thả", "vườn"))."""
    words = read_trade(text, marked).words
    size = _longest(words, 0, _by_first(_head_phrases(marked)))
    return (_lexicon(marked)[0][words[:size]] if size else ""), words[size:]


@lru_cache(maxsize=200_000)
def trade_agreement(a: str, b: str) -> float:
    """How far two trade texts can be the same trade, from their heads and objects (see
    :func:`agreement`); compared with marks only when both carry them."""
    marked = has_marks(a) and has_marks(b)
    return agreement(read_trade(a, marked), read_trade(b, marked))


def agreement(x: TradeName, y: TradeName) -> float:
    """1 when nothing tells the two apart; :data:`HEAD_MISMATCH` when both have heads and
    share none; for a shared object-taking head, :data:`OBJECT_MISMATCH` up to 1 by the share
    of the shorter object held by the other; :data:`ROLE_UNSTATED` when one names a role
    (repairing, operating, driving, selling) and the other no head at all; and at most
    :data:`NOTHING_SHARED` when one has a head and they share no word but qualifiers."""
    if x.heads and y.heads and not x.heads & y.heads:
        return HEAD_MISMATCH
    if x.heads & y.heads & OBJECT_HEADS and x.object and y.object:
        shared = len(x.object & y.object) / min(len(x.object), len(y.object))
        return OBJECT_MISMATCH + (1.0 - OBJECT_MISMATCH) * shared
    value = 1.0
    if (x.heads & ROLES and not y.heads and y.content) or (
        y.heads & ROLES and not x.heads and x.content
    ):
        value = ROLE_UNSTATED
    if (x.heads or y.heads) and x.content and y.content and not x.content & y.content:
        value = min(value, NOTHING_SHARED)
    return value


def syllable_features(text: str, marked: bool) -> list[str]:
    """Syllables and pairs of neighbouring syllables of the trade clause, fillers dropped:
    the words of a trade name ("máy may", "điện lạnh") as features beside character n-grams."""
    return list(read_trade(text, marked).features)


def trade_form(text: str | None) -> str:
    """The form a trade text is kept in: NFC, lower case, single spaces (marks kept)."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def contradicts(label: str, name: str) -> bool:
    """True when an alias gives an occupation another role than its name does (an operator's
    name filed under a repair trade): the normaliser does not learn such an alias."""
    head = read_trade(label, has_marks(label)).head
    own = read_trade(name, has_marks(name)).head
    return head in ROLES and own in ROLES and head != own
