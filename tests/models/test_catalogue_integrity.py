"""The catalogue files stay valid as areas append to them."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "models" / "locale"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_msgid_is_defined_twice(language: str) -> None:
    text = (LOCALE / f"{language}.po").read_text(encoding="utf-8")
    ids = re.findall(r'^msgid "(.+)"$', text, re.M)
    duplicates = [msgid for msgid, n in collections.Counter(ids).items() if n > 1]
    assert duplicates == []
