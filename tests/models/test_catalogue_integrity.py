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


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_msgid_has_a_msgstr(language: str) -> None:
    """A msgid left without its msgstr (a merge of two areas' additions) makes Babel warn on
    standard error each time the catalogue is read, which lands in a command's output."""
    from babel.messages.pofile import PoFileError, read_po

    with (LOCALE / f"{language}.po").open("rb") as handle:
        try:
            read_po(handle, abort_invalid=True)
        except PoFileError as error:
            pytest.fail(f"{language}.po: {error}")
