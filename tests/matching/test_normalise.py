"""Free-text occupations map to the right catalogue entry."""

from __future__ import annotations

import pytest
from sklearn.base import clone

from matching.catalogue import load_catalogue
from matching.normalise import GUESS_MIN, OccupationNormaliser
from matching.text import search_key


@pytest.fixture(scope="module")
def normaliser() -> OccupationNormaliser:
    return OccupationNormaliser().fit(load_catalogue())


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("thợ may", "MAY_CONG_NGHIEP"),
        ("tho may", "MAY_CONG_NGHIEP"),
        ("công nhân may", "MAY_CONG_NGHIEP"),
        ("cong nhan may", "MAY_CONG_NGHIEP"),
        ("may công nghiệp", "MAY_CONG_NGHIEP"),
        ("May công ngiệp", "MAY_CONG_NGHIEP"),
        ("sửa xe máy", "SUA_CHUA_XE_MAY"),
        ("sửa chữa xe máy", "SUA_CHUA_XE_MAY"),
        ("sua xe may", "SUA_CHUA_XE_MAY"),
        ("sủa xe may", "SUA_CHUA_XE_MAY"),
        ("thợ sửa xe máy", "SUA_CHUA_XE_MAY"),
        ("han dien", "HAN"),
        ("điện dân dụg", "DIEN_DAN_DUNG"),
        ("nau an", "CHE_BIEN_MON_AN"),
        ("tai xe", "LAI_XE"),
        ("nuôi gà", "CHAN_NUOI_GIA_CAM"),
        ("thiet ke thoi trang", "MAY_THOI_TRANG"),
        ("sửa ô tô", "CONG_NGHE_O_TO"),
        ("kaigo", "DIEU_DUONG_CHAM_SOC"),
    ],
)
def test_free_text_maps_to_catalogue_entry(normaliser: OccupationNormaliser, text, key) -> None:
    assert normaliser.predict(text)[0][0] == key


def test_tone_mark_placement_does_not_matter(normaliser: OccupationNormaliser) -> None:
    assert search_key("hoà") == search_key("hòa")
    assert normaliser.predict("sửa điều hoà", k=3) == normaliser.predict("sửa điều hòa", k=3)
    local = OccupationNormaliser().fit([("DIEN_LANH", ["sửa điều hòa"]), ("HAN", ["thợ hàn"])])
    for typed in ("sửa điều hoà", "sửa điều hòa", "sua dieu hoa"):
        [(key, confidence)] = local.predict(typed)
        assert key == "DIEN_LANH" and confidence == pytest.approx(1.0)


def test_national_codes_and_keys_resolve_with_full_confidence(normaliser) -> None:
    assert normaliser.predict("5540205") == [("MAY_THOI_TRANG", 1.0)]
    assert normaliser.predict("6520123") == [("HAN", 1.0)]
    assert normaliser.predict("MAY_CONG_NGHIEP") == [("MAY_CONG_NGHIEP", 1.0)]


def test_predict_many_matches_predict_and_ranks_best_first(normaliser) -> None:
    texts = ["tho may", "sua xe may", "tho may", "", "nau an"]
    many = normaliser.predict_many(texts, k=3)
    assert many == [normaliser.predict(t, k=3) for t in texts]
    assert many[3] == []
    for prediction in many[:3]:
        confidences = [c for _, c in prediction]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= c <= 1.0 for c in confidences)


def test_follows_the_estimator_contract() -> None:
    estimator = OccupationNormaliser(tfidf_weight=0.7)
    assert estimator.get_params()["tfidf_weight"] == 0.7
    assert not hasattr(estimator, "keys_")
    copy = clone(estimator)
    assert copy.fit([("A", ["thợ hàn"]), ("B", "nấu ăn")]) is copy
    assert copy.predict("tho han")[0][0] == "A"


def test_refuses_an_empty_catalogue() -> None:
    with pytest.raises(ValueError, match="empty"):
        OccupationNormaliser().fit([])


def test_fillers_do_not_make_electricity_and_electronics_one_trade(normaliser) -> None:
    """ "Nhân viên kỹ thuật điện tử" is electronics: the fillers it shares with "kỹ thuật viên
    điện" (an alias of industrial electricity) say nothing about the trade."""
    assert normaliser.predict("Nhân viên kỹ thuật điện tử")[0][0] == "DIEN_TU_CONG_NGHIEP"
    # "điện" alone is electricity (household or industrial), not electronics.
    assert normaliser.predict("kỹ thuật viên điện")[0][0] in {"DIEN_DAN_DUNG", "DIEN_CONG_NGHIEP"}


@pytest.mark.parametrize("text", ["Bán phụ tùng xe máy", "ban phu tung xe may"])
def test_selling_any_goods_is_the_sales_trade(normaliser, text) -> None:
    """Selling spare parts is selling, not the repair trade of the goods."""
    (key, confidence), *_ = normaliser.predict(text, k=2)
    assert key == "BAN_HANG" and confidence >= GUESS_MIN
    assert normaliser.predict("Sửa chữa xe máy")[0][0] == "SUA_CHUA_XE_MAY"


@pytest.mark.parametrize(
    ("text", "key"),
    [("Chăn nuôi gà thả vườn", "CHAN_NUOI_GIA_CAM"), ("Điều dưỡng kaigo", "DIEU_DUONG_CHAM_SOC")],
)
def test_a_title_that_starts_as_a_label_names_its_trade(normaliser, text, key) -> None:
    """The trade comes first and detail follows: "nuôi gà" + "thả vườn" (free-range)."""
    (found, confidence), *_ = normaliser.predict(text)
    assert found == key and confidence >= GUESS_MIN


def test_detail_after_another_trade_does_not_name_it(normaliser) -> None:
    """ "Sơn phủ đồ gỗ" (varnishing furniture) does not start as a label, so it is not
    guessed with confidence as any trade whose label it merely contains."""
    assert normaliser.predict("Công nhân sơn phủ đồ gỗ")[0][1] < GUESS_MIN
