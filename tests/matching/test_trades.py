"""Trade names read as Vietnamese builds them: the head (the trade) and the object (what is
worked on) decide, the fillers do not, and a syllable is compared whole, with its tone marks
when both texts carry them."""

from __future__ import annotations

import pytest

from matching.catalogue import DEFAULT_PATH, load_catalogue, read_synonyms
from matching.engine import Matcher
from matching.normalise import catalogue_normaliser, guess_keys
from matching.similarity import occupation_text, text_similarity
from matching.trades import HEAD_MISMATCH, read_trade, trade_agreement
from tests.matching.factories import TODAY, graduate, vacancy


def _similarity(trade: str, title: str) -> float:
    return text_similarity(occupation_text(load_catalogue()), trade, title, "")


@pytest.mark.parametrize(
    ("text", "head", "object_words"),
    [
        ("Thợ sửa chữa máy may công nghiệp", "repair", {"máy", "may"}),
        ("Công nhân may", "sew", set()),
        ("Tuyển gấp công nhân chế biến gỗ tại Mường Ảng", "process", {"gỗ"}),
        ("Nhân viên bán hàng điện thoại", "sell", {"điện", "thoại"}),
        ("Kỹ thuật viên vận hành máy nông nghiệp", "operate", {"máy", "nông", "nghiệp"}),
        ("Điện công nghiệp", "", {"điện"}),  # no head: "công nghiệp" is a qualifier
    ],
)
def test_a_title_reads_as_head_and_object_without_fillers(text, head, object_words) -> None:
    read = read_trade(text, marked=True)
    assert read.head == head
    assert {w for w in read.object if " " not in w} == object_words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("may công nghiệp", "Thợ sửa chữa máy may"),  # repair is not the machine's user
        ("sửa chữa máy nông nghiệp", "Vận hành máy nông nghiệp"),
        ("lái xe", "Sửa chữa ô tô"),
        ("sửa chữa điện thoại", "Bán hàng điện thoại"),  # selling is not repairing
        ("may", "Bán quần áo"),  # nor making
        ("may cong nghiep", "sua chua may may"),  # without marks too
        ("Tiếng Hàn", "Thợ hàn"),  # a language is not welding
        ("May công nghiệp", "Điện công nghiệp"),  # a shared qualifier is not a shared trade
    ],
)
def test_different_heads_are_different_trades(a, b) -> None:
    assert trade_agreement(a, b) <= 0.6
    assert _similarity(a, b) < 0.45


def test_one_head_on_different_materials_is_different_work() -> None:
    assert trade_agreement("chế biến nông sản", "Công nhân chế biến gỗ") < 0.5
    assert _similarity("chế biến nông sản", "Công nhân chế biến gỗ") < 0.3
    assert _similarity("chế biến gỗ", "Công nhân chế biến gỗ") > 0.8
    assert trade_agreement("nuôi cá", "nuôi ong") < 0.5


def test_the_same_trade_under_its_fillers_agrees_fully() -> None:
    assert trade_agreement("thợ may", "Tuyển công nhân may") == 1.0
    assert trade_agreement("sửa xe máy", "Thợ sửa chữa xe máy") == 1.0
    assert _similarity("sửa chữa máy may", "Thợ sửa chữa máy may") > 0.9


def test_a_syllable_never_matches_inside_another() -> None:
    # "hàn" (welding) shares letters with "nhân" and "hàng", not a syllable.
    assert _similarity("thợ hàn", "Nhân viên bán hàng") < 0.15
    assert _similarity("thợ hàn", "Thợ hàn điện") > 0.7


def test_tone_marks_count_when_both_texts_have_them_and_fold_when_one_has_none() -> None:
    # "nấm" (mushroom) is not "nam" (men) when both are written with marks...
    assert trade_agreement("Trồng nấm", "Thợ cắt tóc nam nữ") == HEAD_MISMATCH
    marked = read_trade("máy may", marked=True)
    assert marked.words == ("máy", "may")
    # ...and a bare title is compared without marks: "sua chua may may" is "sửa chữa máy may".
    assert _similarity("sửa chữa máy may", "sua chua may may") > 0.9


def test_the_normaliser_does_not_guess_across_heads() -> None:
    catalogue = load_catalogue()
    # The operator, the mechanic of farm machines and the mechanic of sewing machines are
    # three trades of the catalogue; none is guessed as another.
    assert guess_keys(catalogue, ["Vận hành máy nông nghiệp"]) == ["VAN_HANH_MAY_NONG_NGHIEP"]
    assert guess_keys(catalogue, ["Thợ sửa chữa máy may"]) == ["SUA_CHUA_MAY_MAY"]
    assert guess_keys(catalogue, ["sửa chữa máy nông nghiệp"]) == ["SUA_CHUA_MAY_NONG_NGHIEP"]
    # A sewing title suggests no electrical trade ("công nghiệp" is a qualifier).
    for title in ("May công nghiệp", "Công nhân may công nghiệp"):
        predictions = catalogue_normaliser(catalogue).predict(title, 3)
        assert predictions[0][0] == "MAY_CONG_NGHIEP"
        assert all(score < 0.5 for key, score in predictions if key.startswith("DIEN"))


def test_a_repair_vacancy_ranks_the_mechanic_above_the_sewing_worker() -> None:
    seamstress = graduate(id="G1", occupation="công nhân may", occupation_code=None, skills=())
    mechanic = graduate(id="G2", occupation="sửa chữa máy may", occupation_code=None, skills=())
    job = vacancy(title="Thợ sửa chữa máy may công nghiệp", occupation_code=None, skills=())
    ranked = Matcher(today=TODAY).fit([seamstress, mechanic], [job]).rank_graduates()["V1"]
    assert [m.graduate_id for m in ranked] == ["G2", "G1"]
    assert ranked[1].components["occupation"] < 0.3
    # The reason still names the components.
    assert ranked[0].reason.startswith("Nghề đào tạo phù hợp")


def test_synonyms_and_regional_names_are_labels_with_a_source() -> None:
    rows = read_synonyms(DEFAULT_PATH.with_name("synonyms.csv"))
    catalogue = load_catalogue()
    assert rows and all(source for _, _, source in rows)
    assert all(catalogue.resolve(key) is not None for key, _, _ in rows)
    assert "nuôi heo" in catalogue.resolve("CHAN_NUOI_GIA_SUC").labels  # type: ignore[union-attr]
    assert guess_keys(catalogue, ["nuôi heo", "sửa máy lạnh", "sửa xe hơi"]) == [
        "CHAN_NUOI_GIA_SUC",
        "DIEN_DAN_DUNG",
        "CONG_NGHE_O_TO",
    ]
