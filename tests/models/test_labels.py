"""Pages, CSVs and workbooks name the programmes of work abroad and the occupation groups in
the reader's language, never by their codes; a value outside the vocabulary is shown as
stored rather than hidden."""

from __future__ import annotations

import pytest

from matching.catalogue import load_catalogue
from models.i18n import translate
from models.queries.labels import (
    OCCUPATION_GROUP_LABELS,
    PROGRAMME_LABELS,
    Labels,
    vocabulary_text,
)


@pytest.mark.parametrize(
    ("key", "vi", "en"),
    [
        ("kr_eps", "Chương trình EPS (Hàn Quốc)", "Employment Permit System (Korea)"),
        ("jp_tts", "Thực tập sinh kỹ năng (Nhật Bản)", "Technical intern training (Japan)"),
    ],
)
def test_a_programme_is_named_not_coded(key: str, vi: str, en: str) -> None:
    assert Labels().text("programme", key, "vi") == vi
    assert Labels().text("programme", key, "en") == en


def test_every_occupation_group_of_the_catalogue_has_a_name_in_both_languages() -> None:
    groups = {occupation.group for occupation in load_catalogue()}
    assert groups <= set(OCCUPATION_GROUP_LABELS)
    for key in groups | set(PROGRAMME_LABELS):
        vocabulary = OCCUPATION_GROUP_LABELS if key in groups else PROGRAMME_LABELS
        shown = vocabulary_text(vocabulary, key, "vi")
        assert shown != key and shown != vocabulary[key]  # translated, not the code or msgid
    assert vocabulary_text(OCCUPATION_GROUP_LABELS, "che_bien", "vi") == "Chế biến thực phẩm"


def test_a_value_outside_the_vocabulary_is_shown_as_stored() -> None:
    assert Labels().text("programme", "EPS", "vi") == "EPS"
    assert vocabulary_text(OCCUPATION_GROUP_LABELS, "nghe_moi", "vi") == "nghe_moi"
    assert vocabulary_text(OCCUPATION_GROUP_LABELS, None, "vi") == ""
    assert translate("Tourism", "vi") == "Du lịch"
