"""Whole-syllable matching of Vietnamese text, with and without tone marks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matching.syllables import (
    Advert,
    advert_key,
    folded_key,
    match_field,
    parse_query,
    relevance,
    syllables,
    title_key,
)


def test_syllables_split_on_punctuation_and_keep_marks():
    assert syllables("Thợ hàn/điện, H'Mông!") == ["thợ", "hàn", "điện", "hmông"]
    assert folded_key("Thợ hàn/điện") == " tho han dien "
    assert title_key("  Công-nhân   MAY ") == "cong nhan may"
    assert advert_key("Thợ hàn", "Hạn: 30/12", ["đọc bản vẽ"]) == " tho han doc ban ve han 30 12 "


def test_a_query_drops_fillers_unless_nothing_else_is_left():
    assert parse_query("Cần tuyển gấp thợ may").terms == ("may",)
    assert parse_query("công nhân").terms == ("công", "nhân")
    assert parse_query("thợ may").exact_marks and not parse_query("tho may").exact_marks


def test_marks_typed_must_match_and_tone_placement_does_not_matter():
    assert match_field(parse_query("hàn"), "Thợ hàn").found == 1
    assert match_field(parse_query("hàn"), "thời hạn, nhân, hàng").found == 0
    assert match_field(parse_query("han"), "thời hạn").found == 1
    assert match_field(parse_query("han"), "nhân hàng").found == 0
    assert match_field(parse_query("hòa"), "Hoà Bình").exact == 1
    assert match_field(parse_query("dan"), "Đan lát").found == 1
    assert match_field(parse_query("đan"), "dán").found == 0


@given(st.text(alphabet="aăâdđeêhnoôơuưy àáảãạ", max_size=30))
def test_a_syllable_found_is_always_a_whole_syllable_of_the_text(text: str):
    for word in syllables(text):
        query = parse_query(word)
        if query.empty:
            continue
        assert relevance(query, Advert(title=text)).matches
        assert f" {' '.join(query.folded)} " in folded_key(text)
