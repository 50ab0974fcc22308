"""The occupation catalogue resolves keys and national codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matching.catalogue import COLUMNS, DEFAULT_PATH, load_catalogue, read_catalogue, read_synonyms
from matching.engine import Matcher
from matching.normalise import catalogue_normaliser, guess_keys
from matching.reference import reference_score
from tests.matching.factories import TODAY, graduate, vacancy


def test_resolves_key_trung_cap_and_cao_dang_codes_to_one_occupation() -> None:
    catalogue = load_catalogue()
    by_key = catalogue.resolve("MAY_THOI_TRANG")
    assert by_key is not None
    assert catalogue.resolve("5540205") is by_key
    assert catalogue.resolve("6540205") is by_key
    assert catalogue.resolve("nonexistent") is None
    assert catalogue.resolve(None) is None


def test_same_and_related_codes() -> None:
    catalogue = load_catalogue()
    assert catalogue.same("HAN", "6520123")
    assert not catalogue.same("HAN", "CAT_GOT_KIM_LOAI")
    assert catalogue.related("HAN", "CAT_GOT_KIM_LOAI")  # both co_khi
    assert catalogue.related("MAY_CONG_NGHIEP", "5540205")  # both may
    assert not catalogue.related("MAY_CONG_NGHIEP", "HAN")
    assert not catalogue.related("HAN", None)


def test_csv_keeps_its_columns_and_every_row_has_a_name() -> None:
    with open(DEFAULT_PATH, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    assert len(rows) == len(load_catalogue())
    assert all(row["key"] and row["name"] and row["group"] for row in rows)


# --- short courses, sources and group relations --------------------------------------------


def test_every_trade_has_a_group_and_a_source_that_says_whether_it_was_verified() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 50
    for occupation in catalogue:
        assert occupation.group, occupation.key
        assert occupation.source.startswith(("verified", "unverified")), occupation.key
        # An unverified trade says why it is in the catalogue all the same.
        assert len(occupation.source) > len("unverified: "), occupation.key


def test_the_short_courses_the_province_runs_are_in_the_catalogue() -> None:
    catalogue = load_catalogue()
    for key in ("TRONG_NAM", "NUOI_ONG", "DICH_VU_HOMESTAY", "XOA_BOP_BAM_HUYET",
                "VAN_HANH_MAY_XUC", "SUA_CHUA_MAY_MAY", "VAN_HANH_MAY_NONG_NGHIEP",
                "SUA_CHUA_DIEN_THOAI", "BAN_HANG", "CHE_BIEN_GO",
                "CHE_BIEN_THUC_AN_CHAN_NUOI"):  # fmt: skip
        occupation = catalogue.resolve(key)
        assert occupation is not None and "so_cap" in occupation.levels, key
        assert occupation.aliases, key


def test_every_group_relation_has_a_reason_and_names_groups_of_the_catalogue() -> None:
    catalogue = load_catalogue()
    assert catalogue.relations
    for relation in catalogue.relations:
        assert relation.reason and relation.source
        assert {relation.group_a, relation.group_b} <= set(catalogue.groups)
        assert relation.group_a != relation.group_b
        assert catalogue.groups_related(relation.group_b, relation.group_a)  # both ways


def test_related_trades_follow_the_groups_and_their_relations() -> None:
    catalogue = load_catalogue()
    assert catalogue.related("TIN_HOC_VAN_PHONG", "KE_TOAN_DOANH_NGHIEP")  # related groups
    assert catalogue.related("VAN_HANH_MAY_XUC", "LAI_XE")  # operators and drivers
    assert catalogue.related("TRONG_NAM", "TRONG_RAU")  # one group
    # Trades that only share a word are not second choices for one another.
    assert not catalogue.related("SUA_CHUA_DIEN_THOAI", "DIEN_DAN_DUNG")
    assert not catalogue.related("SUA_CHUA_MAY_MAY", "MAY_CONG_NGHIEP")
    assert not catalogue.related("VAN_HANH_MAY_NONG_NGHIEP", "SUA_CHUA_MAY_NONG_NGHIEP")
    assert not catalogue.related("CHE_BIEN_GO", "CHE_BIEN_NONG_SAN")
    assert not catalogue.related("NUOI_ONG", "CHAN_NUOI_GIA_CAM")
    assert not catalogue.related("BAN_HANG", "SUA_CHUA_DIEN_THOAI")


def _write_catalogue(directory: Path, relations: str) -> Path:
    path = directory / "occupations.csv"
    with open(DEFAULT_PATH, encoding="utf-8") as source:
        path.write_text(source.read(), encoding="utf-8")
    (directory / "group_relations.csv").write_text(
        "group_a,group_b,reason,source\n" + relations, encoding="utf-8"
    )
    return path


def test_a_relation_without_a_reason_or_with_an_unknown_group_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no reason"):
        read_catalogue(_write_catalogue(tmp_path, "may,dien,,somewhere\n"))
    with pytest.raises(ValueError, match="unknown groups"):
        read_catalogue(_write_catalogue(tmp_path, "may,nghe_moi,a reason,somewhere\n"))
    catalogue = read_catalogue(_write_catalogue(tmp_path, "may,dien,a reason,somewhere\n"))
    assert catalogue.related("MAY_CONG_NGHIEP", "DIEN_DAN_DUNG")


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("nuôi heo", "CHAN_NUOI_GIA_SUC"),  # synonym: Southern heo = Northern lợn
        ("sửa máy lạnh", "DIEN_DAN_DUNG"),  # Southern máy lạnh = điều hoà (điện lạnh)
        ("lái máy múc", "VAN_HANH_MAY_XUC"),  # Southern máy múc = máy xúc
        ("mát xa", "XOA_BOP_BAM_HUYET"),
        ("trồng nấm sò", "TRONG_NAM"),
        ("nuoi ong", "NUOI_ONG"),  # typed without marks
        ("Nhân viên phục vụ homestay", "DICH_VU_HOMESTAY"),
        ("thợ sửa máy may", "SUA_CHUA_MAY_MAY"),
        ("lái máy cày", "VAN_HANH_MAY_NONG_NGHIEP"),
        ("sửa chữa điện thoại", "SUA_CHUA_DIEN_THOAI"),
        ("nhân viên bán hàng", "BAN_HANG"),
        ("công nhân chế biến gỗ", "CHE_BIEN_GO"),
        ("chế biến thức ăn gia súc", "CHE_BIEN_THUC_AN_CHAN_NUOI"),
    ],
)
def test_aliases_and_synonyms_resolve_to_their_trade(typed: str, key: str) -> None:
    assert guess_keys(load_catalogue(), [typed]) == [key]


def test_a_regional_name_alone_finds_its_trade_first() -> None:
    # "heo" (Southern) is "lợn" (Northern): one syllable, so a suggestion, not a sure guess.
    assert catalogue_normaliser(load_catalogue()).predict("heo", 1)[0][0] == "CHAN_NUOI_GIA_SUC"


def test_every_synonym_names_a_trade_and_gives_its_source() -> None:
    catalogue = load_catalogue()
    rows = read_synonyms(DEFAULT_PATH.with_name("synonyms.csv"))
    assert rows
    for key, synonym, source in rows:
        assert catalogue.resolve(key) is not None and synonym in catalogue.resolve(key).labels
        assert source.split(":")[0] in ("regional", "usage"), synonym


def test_a_text_only_mushroom_grower_is_the_mushroom_vacancy_s_trade() -> None:
    grower = graduate(id="G1", occupation="trồng nấm rơm", occupation_code=None, skills=())
    fish = graduate(id="G2", occupation="nuôi cá lồng", occupation_code=None, skills=())
    job = vacancy(title="Công nhân trại nấm", occupation_code="TRONG_NAM", skills=())
    ranked = Matcher(today=TODAY).fit([grower, fish], [job]).rank_graduates(2)["V1"]
    assert [m.graduate_id for m in ranked] == ["G1", "G2"]
    assert ranked[0].components["occupation"] >= 0.9 > 0.5 > ranked[1].components["occupation"]
    slow = reference_score(grower, job, today=TODAY)
    assert ranked[0].score == pytest.approx(slow.score, abs=1e-9)
