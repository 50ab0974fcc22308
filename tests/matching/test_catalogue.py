"""The occupation catalogue resolves keys and national codes."""

from __future__ import annotations

import csv

from matching.catalogue import COLUMNS, DEFAULT_PATH, load_catalogue


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
