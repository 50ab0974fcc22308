"""Foreign-language levels read from job ads and from what graduates type into their skills.

Programmes abroad ask for a language at a level ("tiếng Nhật N4", "JLPT N5", "đỗ EPS-TOPIK",
"TOCFL A1", "tiếng Trung cơ bản"); graduates type the certificate they hold the same way. Each
language has its levels in one order, counted from the first certificate:

- Japanese: JLPT N5 = 1, N4 = 2, N3 = 3, N2 = 4, N1 = 5;
- Korean: EPS-TOPIK passed (or TOPIK 1) = 1, TOPIK n = n;
- Chinese: TOCFL A1, HSK 1 or "basic / conversational Chinese" = 1, TOCFL A2 or HSK 2 = 2, …

A language named without a level ("tiếng Nhật") counts as level 1 in a job ad (the first
certificate) and as level 0 in a graduate's skills (studied, no certificate). A job ad that
names a Korean EPS programme asks for EPS-TOPIK: the programme takes only those who passed it.
A requirement written in the negative ("không yêu cầu tiếng Hàn") is no requirement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from matching.text import cached_search_key as search_key

LANGUAGES: tuple[str, ...] = ("ja", "ko", "zh")
# Language factor of the score: the requirement is met / one level short with a certificate /
# not met (no certificate, a lower one, or another language). The score is multiplied by it.
LANGUAGE_MET = 1.0
LANGUAGE_ONE_SHORT = 0.7
LANGUAGE_UNMET = 0.35

_NAMES = {"ja": r"nhat", "ko": r"han", "zh": r"(?:trung|hoa)"}
_NEGATION = re.compile(r"khong (?:can|yeu cau|doi hoi) (?:biet )?tieng (nhat|han|trung|hoa)")
_TIENG = re.compile(r"\btieng (nhat|han|trung|hoa)\b")
_JLPT = re.compile(r"\b(?:jlpt )?n ?([1-5])\b")
_TOPIK = re.compile(r"\btopik(?: ([1-6]))?\b")
_EPS = re.compile(r"\beps\b")
_TOCFL = re.compile(r"\btocfl (a|b|c)([12])\b")
_HSK = re.compile(r"\bhsk ?([1-6])\b")
# Taiwan's programmes ask for everyday Chinese, typed as such rather than as a certificate.
_BASIC_CHINESE = re.compile(r"\btieng (?:trung|hoa) (?:co ban|giao tiep)\b")
_WORD_LANGUAGE = {"nhat": "ja", "han": "ko", "trung": "zh", "hoa": "zh"}


@dataclass(frozen=True)
class Requirement:
    """A job's language requirement: ``language`` (ja, ko, zh) at ``level`` or above."""

    language: str
    level: int


def _levels(key: str, named_level: int) -> dict[str, int]:
    """Levels named in one folded text, by language (the highest of each)."""
    found: dict[str, int] = {}

    def note(language: str, level: int) -> None:
        found[language] = max(found.get(language, level), level)

    for word in _TIENG.findall(key):
        note(_WORD_LANGUAGE[word], named_level)
    for level in _JLPT.findall(key):
        note("ja", 6 - int(level))
    for level in _TOPIK.findall(key):
        note("ko", int(level) if level else 1)
    if _EPS.search(key):
        note("ko", 1)
    for band, step in _TOCFL.findall(key):
        note("zh", "abc".index(band) * 2 + int(step))
    for level in _HSK.findall(key):
        note("zh", int(level))
    if _BASIC_CHINESE.search(key):
        note("zh", 1)
    return found


@lru_cache(maxsize=8192)
def _required_in(key: str) -> tuple[tuple[str, int], ...]:
    waived = {_WORD_LANGUAGE[w] for w in _NEGATION.findall(key)}
    key = _NEGATION.sub(" ", key)
    found = _levels(key, named_level=1)
    return tuple((lang, level) for lang, level in found.items() if lang not in waived)


def without_languages(skills: Iterable[str]) -> tuple[str, ...]:
    """A job's skills without those that ask for a language: the language is its own
    requirement (:func:`required_language`), not a skill counted twice."""
    return tuple(skill for skill in skills if not _required_in(search_key(skill)))


def required_language(title: str, description: str, skills: Iterable[str]) -> Requirement | None:
    """The language a job ad asks for (title, then skills, then description), or None.

    When several languages are named, the one of the title wins; a level typed anywhere
    raises the requirement of that language.
    """
    texts = [title, " ; ".join(skills), description]
    levels: dict[str, int] = {}
    first: str | None = None
    for text in texts:
        for language, level in _required_in(search_key(text)):
            levels[language] = max(levels.get(language, 0), level)
            first = first or language
    if first is None:
        return None
    return Requirement(first, levels[first])


@lru_cache(maxsize=8192)
def _held_in(key: str) -> tuple[tuple[str, int], ...]:
    return tuple(_levels(key, named_level=0).items())


def held_languages(skills: Iterable[str]) -> dict[str, int]:
    """Levels a graduate holds, by language, read from the skills they typed."""
    held: dict[str, int] = {}
    for skill in skills:
        for language, level in _held_in(search_key(skill)):
            held[language] = max(held.get(language, 0), level)
    return held


def language_factor(requirement: Requirement | None, held: dict[str, int]) -> float:
    """Met (or no requirement) 1; one level short with a certificate 0.7; otherwise 0.35."""
    if requirement is None:
        return LANGUAGE_MET
    level = held.get(requirement.language)
    if level is not None and level >= requirement.level:
        return LANGUAGE_MET
    if level is not None and level >= 1 and level == requirement.level - 1:
        return LANGUAGE_ONE_SHORT
    return LANGUAGE_UNMET


_TOCFL_NAMES = ("A1", "A2", "B1", "B2", "C1", "C2")


def certificate_name(requirement: Requirement) -> str:
    """The certificate of a requirement by its international name: "JLPT N4", "EPS-TOPIK",
    "TOCFL A1" (the same in every language of the interface)."""
    language, level = requirement.language, requirement.level
    if language == "ja":
        return f"JLPT N{6 - min(max(level, 1), 5)}"
    if language == "ko":
        return "EPS-TOPIK" if level <= 1 else f"TOPIK {level}"
    return f"TOCFL {_TOCFL_NAMES[min(max(level, 1), 6) - 1]}"


def language_verdict(required: bool, factor: float) -> str:
    """ "met", "short" (one level short) or "unmet"; "" when no language is required."""
    if not required:
        return ""
    if factor >= LANGUAGE_MET:
        return "met"
    return "short" if factor >= LANGUAGE_ONE_SHORT else "unmet"


def strip_language(title: str) -> str:
    """The title without its language requirement, for reading the trade: "TTS may mặc Nhật
    Bản (N5)" is a sewing job, not a Japanese course."""
    return _STRIP.sub(" ", title)


# Countries and programme names say where and under which scheme, not the trade ("Hàn Quốc"
# is not welding); a language requirement says what to speak.
_STRIP = re.compile(
    r"(?i)\b(?:nhật bản|nhat ban|hàn quốc|han quoc|đài loan|dai loan|trung quốc|trung quoc"
    r"|kỹ năng đặc định|ky nang dac dinh|tts|thực tập sinh|thuc tap sinh|eps|e-[789])\b"
    r"|\b(?:yêu cầu\s+)?(?:tiếng\s+(?:nhật|hàn|trung|hoa)|tieng\s+(?:nhat|han|trung|hoa))"
    r"(?:\s+(?:N\s?[1-5]|cơ bản|co ban|giao tiếp|giao tiep))?|\b(?:yêu cầu\s+)?(?:JLPT\s+)?"
    r"N[1-5]\b|\bEPS[- ]TOPIK\b|\bTOCFL\s+[ABC][12]\b|\bHSK\s?[1-6]\b"
)
