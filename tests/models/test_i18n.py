"""The translation catalogue: every message the models can raise reaches a Vietnamese user in
Vietnamese, placeholders survive translation, and amounts and dates read the local way."""

from __future__ import annotations

import ast
import string
from datetime import date
from pathlib import Path

import pytest

import models
from models import i18n
from models.errors import ConflictError, InvalidError, ValidationErrors
from models.formatting import Vnd, format_date, format_number, format_vnd
from models.i18n import message_for, messages_by_field, translate

MODELS_DIR = Path(models.__file__).parent
# Calls whose argument at this position is a message id.
_MSGID_POSITION_BY_SUFFIX = {"Error": 1, "Warning": 1}
_MSGID_POSITION_BY_NAME = {"__init__": 1, "translate": 0, "N_": 0}


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _msgid_position(name: str) -> int | None:
    for suffix, position in _MSGID_POSITION_BY_SUFFIX.items():
        if name.endswith(suffix):
            return position
    return _MSGID_POSITION_BY_NAME.get(name)


def msgids_used_in(package_dir: Path) -> dict[str, str]:
    """msgid -> first file using it: the literal message of every `XxxError(field, msgid)`,
    `XxxWarning(field, msgid)`, `translate(msgid)` and `super().__init__(field, msgid)`."""
    found: dict[str, str] = {}
    for path in sorted(package_dir.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            position = _msgid_position(_call_name(node))
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.setdefault(argument.value, str(path.relative_to(package_dir.parent)))
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


USED = msgids_used_in(MODELS_DIR)


def test_the_scan_finds_messages_of_every_kind():
    # Guards the test below: a scanner that finds nothing would let everything through.
    assert "The username {username} is already taken." in USED  # ConflictError in accounts
    assert "This vacancy has no place left." in USED  # placement
    assert "The form has errors." in USED  # super().__init__ in errors
    assert (
        "The sex code in the personal identification number does not match the declared sex."
        in USED
    )
    assert any(path.endswith("wages.py") for path in USED.values())
    assert len(USED) >= 40


@pytest.mark.parametrize("msgid", sorted(USED))
def test_every_message_in_models_has_a_vietnamese_translation(msgid):
    translation = i18n.catalogue("vi").get(msgid, "")
    assert translation.strip(), f"no Vietnamese for {msgid!r} (used in {USED[msgid]})"
    assert translation != msgid


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_translations_keep_exactly_the_placeholders_of_their_id(lang):
    wrong = {
        msgid: translation
        for msgid, translation in i18n.catalogue(lang).items()
        if _placeholders(msgid) != _placeholders(translation)
    }
    assert wrong == {}


def test_translate_picks_the_language_and_fills_parameters():
    msgid = "Password must have at least {n} characters."
    assert translate(msgid, "vi", n=8) == "Mật khẩu phải có ít nhất 8 ký tự."
    assert translate(msgid, "en", n=8) == "Password must have at least 8 characters."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "Mục này không được để trống."),
        ("", "Mục này không được để trống."),
        (None, "Mục này không được để trống."),
        ("EN", "This field is required."),
        ("en-US", "This field is required."),
        ("vi_VN", "Mục này không được để trống."),
    ],
)
def test_unknown_languages_fall_back_to_vietnamese(lang, expected):
    assert translate("This field is required.", lang) == expected


def test_an_unknown_message_is_shown_as_written_with_its_parameters():
    assert translate("Imported {count} rows.", "vi", count=3) == "Imported 3 rows."


def test_a_missing_parameter_stays_visible_instead_of_failing():
    assert translate("Unknown role: {role}.", "vi") == "Vai trò không hợp lệ: {role}."


def test_a_broken_translation_falls_back_to_the_english_text(monkeypatch):
    monkeypatch.setattr(i18n, "catalogue", lambda lang: {"Unknown role: {role}.": "Vai trò {"})
    assert translate("Unknown role: {role}.", "vi", role="x") == "Unknown role: x."


def test_money_and_dates_in_messages_are_formatted_for_the_reader():
    msgid = "The end date {end} is before the start date {start}."
    params = {"end": date(2026, 1, 4), "start": date(2026, 1, 5)}
    assert translate(msgid, "vi", **params) == (
        "Ngày kết thúc 04/01/2026 sớm hơn ngày bắt đầu 05/01/2026."
    )
    wage_msgid = "The highest wage {wage_max} is below the lowest wage {wage_min}."
    wages = {"wage_max": Vnd(4_000_000), "wage_min": Vnd(5_310_000)}
    assert translate(wage_msgid, "vi", **wages) == (
        "Mức lương cao nhất 4.000.000 ₫ thấp hơn mức lương thấp nhất 5.310.000 ₫."
    )
    assert translate(wage_msgid, "en", **wages) == (
        "The highest wage VND 4,000,000 is below the lowest wage VND 5,310,000."
    )


def test_plain_numbers_such_as_years_are_not_grouped():
    msgid = "The year {year} is out of range ({earliest}–{latest})."
    assert translate(msgid, "vi", year=1850, earliest=1900, latest=2100) == (
        "Năm 1850 nằm ngoài khoảng cho phép (1900–2100)."
    )


def test_message_for_an_error_in_each_language():
    error = ConflictError("username", "The username {username} is already taken.", username="an")
    assert message_for(error, "vi") == "Tên đăng nhập an đã có người sử dụng."
    assert message_for(error, "en") == "The username an is already taken."
    assert message_for(error) == message_for(error, "vi")


def test_messages_by_field_unpacks_a_form_full_of_errors():
    errors = ValidationErrors(
        [
            InvalidError("full_name", "A name must have at least 2 letters."),
            InvalidError("phone", "Only Vietnamese phone numbers are accepted."),
            InvalidError("phone", "This field is required."),
            InvalidError(None, "The form has errors."),
        ]
    )
    grouped = messages_by_field(errors, "vi")
    assert grouped["full_name"] == ["Họ tên phải có ít nhất 2 chữ cái."]
    assert grouped["phone"] == [
        "Chỉ chấp nhận số điện thoại Việt Nam.",
        "Mục này không được để trống.",
    ]
    assert grouped[i18n.FORM_WIDE] == ["Thông tin nhập vào có lỗi, vui lòng kiểm tra lại."]
    assert messages_by_field(
        InvalidError("quantity", "The quantity must be at least 1."), "en"
    ) == {"quantity": ["The quantity must be at least 1."]}


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (5_310_000, "vi", "5.310.000 ₫"),
        (3_700_000, "vi", "3.700.000 ₫"),
        (0, "vi", "0 ₫"),
        (950, "vi", "950 ₫"),
        (5_310_000, "en", "VND 5,310,000"),
        (5_310_000, "xx", "5.310.000 ₫"),
    ],
)
def test_format_vnd(amount, lang, expected):
    assert format_vnd(amount, lang) == expected


def test_format_date_and_number():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    assert format_date(date(2026, 12, 31), "en") == "31/12/2026"
    assert format_number(1_234_567) == "1.234.567"
    assert format_number(1_234_567, "en") == "1,234,567"


@pytest.mark.parametrize(("lang", "locale"), [("vi", "vi_VN"), ("en", "en_GB"), ("xx", "vi_VN")])
def test_whole_numbers_are_grouped_as_babel_groups_them(lang, locale):
    """Whole numbers skip Babel's pattern work for speed; the text must not change."""
    from babel.numbers import format_decimal

    values = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, 10**12, -(10**9) - 1]
    values += [Vnd(5_310_000), *(n * 7919 for n in range(-300, 300, 7))]
    assert [format_number(v, lang) for v in values] == [
        format_decimal(v, locale=locale) for v in values
    ]
    assert format_number(12.5, lang) == format_decimal(12.5, locale=locale)  # through Babel
