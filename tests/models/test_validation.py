"""Validators: each bad input is refused with its own message in the user's language, each
good form is accepted and normalised."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from models.enums import Sex
from models.errors import InvalidError, ValidationErrors
from models.i18n import message_for, messages_by_field
from models.validation import (
    LEGACY_PROVINCE_CODES,
    check_citizen_id,
    collect,
    display_phone,
    mask_citizen_id,
    mask_phone,
    normalise_phone,
    parse_date,
    validate_age_range,
    validate_birth_date,
    validate_citizen_id,
    validate_date_range,
    validate_full_name,
    validate_quantity,
    validate_tax_code,
    validate_wage_range,
)

TODAY = date(2026, 3, 1)


def refusal(validator, *args, **kwargs) -> InvalidError:
    with pytest.raises(InvalidError) as caught:
        validator(*args, **kwargs)
    return caught.value


# --- personal identification number -------------------------------------------------------

# A man born in 2003 whose birth was registered in Điện Biên (011), digit 4 = 2 (2000s, male).
DIEN_BIEN_ID = "011203004567"


@pytest.mark.parametrize(
    "typed", ["011203004567", "011 203 004 567", "011.203.004.567", " 011203004567 "]
)
def test_a_valid_dien_bien_number_is_accepted_in_any_spacing(typed):
    check = check_citizen_id(typed, birth_date=date(2003, 4, 5), sex="nam", today=TODAY)
    assert check.value == DIEN_BIEN_ID
    assert (check.birth_year, check.sex, check.province_code) == (2003, "nam", "011")
    assert check.warnings == ()
    assert LEGACY_PROVINCE_CODES[check.province_code] == "Điện Biên"


@pytest.mark.parametrize(
    ("number", "birth_date", "sex", "birth_year"),
    [
        ("011099004567", date(1999, 12, 31), "nam", 1999),  # 0: 1900s, male
        ("011185004567", date(1985, 1, 1), "nu", 1985),  # 1: 1900s, female
        ("001307004567", date(2007, 6, 1), Sex.FEMALE, 2007),  # 3: 2000s, female (Hà Nội)
        ("079200004567", date(2000, 1, 1), Sex.MALE, 2000),  # 2: 2000s, male (TP.HCM)
    ],
)
def test_century_and_sex_digit_is_read_correctly(number, birth_date, sex, birth_year):
    check = check_citizen_id(number, birth_date=birth_date, sex=sex, today=TODAY)
    assert check.birth_year == birth_year
    assert check.sex == str(sex)


@pytest.mark.parametrize(
    ("number", "kwargs", "msgid"),
    [
        ("01120300456", {}, "The personal identification number must have exactly 12 digits"),
        ("0112030045678", {}, "The personal identification number must have exactly 12 digits"),
        ("01120300456A", {}, "The personal identification number may contain digits only."),
        ("O11203004567", {}, "The personal identification number may contain digits only."),
        ("０１１２０３００４５６７", {}, "The personal identification number may contain digits"),
        ("", {}, "This field is required."),
        (None, {}, "This field is required."),
        ("123456789", {}, "This looks like an old 9-digit identity card (CMND) number"),
        # born 1999 but digit 4 says the 2000s
        ("011299004567", {"birth_date": date(1999, 5, 1)}, "The year of birth in the personal"),
        ("011203004567", {"sex": "nu"}, "The sex code in the personal identification number"),
        ("011227004567", {"today": TODAY}, "The year of birth in the personal identification"),
        ("011430004567", {"today": TODAY}, "The year of birth in the personal identification"),
    ],
)
def test_bad_citizen_ids_are_refused(number, kwargs, msgid):
    error = refusal(validate_citizen_id, number, **kwargs)
    assert error.field == "citizen_id"
    assert error.msgid.startswith(msgid)


def test_citizen_id_messages_in_vietnamese_and_english():
    short = refusal(validate_citizen_id, "01120300456")
    assert (
        message_for(short, "vi")
        == "Số định danh cá nhân phải có đúng 12 chữ số (đã nhập 11 chữ số)."
    )
    assert message_for(short, "en") == (
        "The personal identification number must have exactly 12 digits (you entered 11)."
    )
    year = refusal(validate_citizen_id, "011299004567", birth_date=date(1999, 5, 1))
    assert (
        message_for(year, "vi")
        == "Năm sinh trong số định danh (2099) không khớp với ngày sinh (1999)."
    )
    sex = refusal(validate_citizen_id, DIEN_BIEN_ID, sex="nu", field="id_number")
    assert sex.field == "id_number"
    assert (
        message_for(sex, "vi")
        == "Mã giới tính trong số định danh không khớp với giới tính đã khai."
    )
    future = refusal(validate_citizen_id, "011227004567", today=TODAY)
    assert message_for(future, "en") == (
        "The year of birth in the personal identification number (2027) is in the future."
    )


def test_an_unknown_province_code_is_a_warning_not_an_error():
    check = check_citizen_id("003203004567", birth_date=date(2003, 1, 1), today=TODAY)
    assert check.value == "003203004567"
    assert [warning.params["code"] for warning in check.warnings] == ["003"]
    assert message_for(check.warnings[0], "vi") == (
        "Ba chữ số đầu 003 không phải là mã tỉnh nơi đăng ký khai sinh đã biết; "
        "vui lòng kiểm tra lại số định danh."
    )
    assert validate_citizen_id("003203004567", today=TODAY) == "003203004567"


def test_the_legacy_province_list_is_the_63_provinces():
    assert len(LEGACY_PROVINCE_CODES) == 63
    assert {"001", "011", "012", "014", "079", "096"} <= set(LEGACY_PROVINCE_CODES)
    assert "003" not in LEGACY_PROVINCE_CODES


def test_mask_citizen_id():
    assert mask_citizen_id("011203004567") == "011******567"
    assert mask_citizen_id("12345") == "*****"


# --- phone numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "0912345678",
        "84912345678",
        "+84 912 345 678",
        "+84912345678",
        "+84 0912 345 678",
        "(+84) 912 345 678",
    ],
)
def test_every_common_form_of_a_mobile_gives_the_same_e164(typed):
    assert normalise_phone(typed) == "+84912345678"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0215 3825 555", "+842153825555"),  # Điện Biên landline
        ("(0215) 382 5555", "+842153825555"),
        ("0388 123 456", "+84388123456"),  # Viettel 03x
        ("0869 123 456", "+84869123456"),  # Viettel 086
        ("0589 123 456", "+84589123456"),  # Vietnamobile 058
    ],
)
def test_landlines_and_other_ranges_are_accepted(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        ("0502 345 678", "The phone number {value} is not in a range in use in Vietnam."),
        ("0802 345 678", "The phone number {value} is not in a range in use in Vietnam."),
        ("0712 345 678", "The phone number {value} is not in a range in use in Vietnam."),
        ("1900 1234", "The phone number {value} is not in a range in use in Vietnam."),
        ("091 234 567", "A Vietnamese phone number has {digits} digits starting with 0"),
        ("09123456789", "A Vietnamese phone number has {digits} digits starting with 0"),
        ("0215 382 555", "A Vietnamese phone number has {digits} digits starting with 0"),
        ("0912 abc 678", "{value} is not a phone number."),
        ("---", "{value} is not a phone number."),
        ("+1 202 555 0100", "Only Vietnamese phone numbers are accepted."),
        ("  ", "This field is required."),
    ],
)
def test_bad_phone_numbers_are_refused(typed, msgid):
    error = refusal(normalise_phone, typed)
    assert error.field == "phone"
    assert error.msgid.startswith(msgid)


def test_phone_messages_name_the_length_expected():
    mobile = refusal(normalise_phone, "091 234 567")
    assert message_for(mobile, "vi") == (
        "Số điện thoại Việt Nam có 10 chữ số, bắt đầu bằng số 0 (đã nhập 091 234 567)."
    )
    landline = refusal(normalise_phone, "0215 382 555", field="contact_phone")
    assert landline.field == "contact_phone"
    assert landline.params["digits"] == 11
    unallocated = refusal(normalise_phone, "0502345678")
    assert message_for(unallocated, "en") == (
        "The phone number 0502345678 is not in a range in use in Vietnam."
    )


def test_display_and_mask_phone():
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone("+842153825555") == "0215 3825 555"
    assert mask_phone("+84912345678") == "0912 *** 678"
    assert display_phone("not a number") == "not a number"


# --- tax codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0100109106", "0100109106"),
        (" 0300 588 569 ", "0300588569"),
        ("01.00.112.437", "0100112437"),
        ("0314409058-002", "0314409058-002"),
        ("0314409058 - 002", "0314409058-002"),
        ("0314409058002", "0314409058-002"),
    ],
)
def test_good_tax_codes_are_normalised(typed, stored):
    assert validate_tax_code(typed) == stored


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        ("010010910", "A tax code has 10 digits, or 13 for a branch"),
        ("01001091066", "A tax code has 10 digits, or 13 for a branch"),
        ("0314409058-02", "A tax code has 10 digits, or 13 for a branch"),
        ("03144090580021", "A tax code has 10 digits, or 13 for a branch"),
        ("010010910A", "A tax code may contain only digits and one hyphen."),
        ("MST0100109106", "A tax code may contain only digits and one hyphen."),
        ("0100109107", "The tax code {code} is not valid: its check digit does not match."),
        ("0314409058-000", "A branch number of a tax code runs from 001 to 999."),
        ("", "This field is required."),
    ],
)
def test_bad_tax_codes_are_refused(typed, msgid):
    error = refusal(validate_tax_code, typed)
    assert error.field == "tax_code"
    assert error.msgid.startswith(msgid)


def test_tax_code_messages():
    error = refusal(validate_tax_code, "0100109107")
    assert (
        message_for(error, "vi")
        == "Mã số thuế 0100109107 không hợp lệ: chữ số kiểm tra không đúng."
    )
    length = refusal(validate_tax_code, "12345")
    assert message_for(length, "en") == (
        "A tax code has 10 digits, or 13 for a branch (written 0123456789-001); "
        "you entered 5 digits."
    )


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "05/01/2026",
        "5/1/2026",
        "05-01-2026",
        "05.01.2026",
        "2026-01-05",
        " 2026-01-05 ",
        date(2026, 1, 5),
        datetime(2026, 1, 5, 0, 0),  # what openpyxl yields for a date cell
    ],
)
def test_parse_date_accepts_the_usual_forms(typed):
    assert parse_date(typed) == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        ("5/1/26", "{value} is not a date: write it as dd/mm/yyyy."),
        ("January 5th", "{value} is not a date: write it as dd/mm/yyyy."),
        ("2026/01", "{value} is not a date: write it as dd/mm/yyyy."),
        ("31/02/2026", "The date {value} does not exist."),
        ("05/13/2026", "The date {value} does not exist."),
        ("01/01/1850", "The year {year} is out of range ({earliest}–{latest})."),
        ("01/01/2150", "The year {year} is out of range ({earliest}–{latest})."),
        (date(1800, 1, 1), "The year {year} is out of range ({earliest}–{latest})."),
        ("", "This field is required."),
    ],
)
def test_parse_date_refuses_bad_dates(typed, msgid):
    assert refusal(parse_date, typed, field="start_date").msgid == msgid


def test_date_messages_in_both_languages():
    error = refusal(parse_date, "5/1/26")
    assert message_for(error, "vi") == (
        "5/1/26 không phải là ngày: hãy nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)."
    )
    assert message_for(refusal(parse_date, "01/01/1850"), "en") == (
        "The year 1850 is out of range (1900–2100)."
    )


def test_birth_date_of_a_worker():
    assert validate_birth_date("01/03/2011", today=TODAY) == date(2011, 3, 1)  # 15 today
    assert validate_birth_date("02/03/1960", today=TODAY) == date(1960, 3, 2)  # still 65
    too_young = refusal(validate_birth_date, "02/03/2011", today=TODAY)
    assert (
        message_for(too_young, "vi") == "Người lao động phải từ đủ 15 tuổi trở lên (hiện 14 tuổi)."
    )
    too_old = refusal(validate_birth_date, "01/03/1960", today=TODAY)
    assert message_for(too_old, "en") == "The worker must be at most 65 years old (now 66)."
    future = refusal(validate_birth_date, "02/03/2026", today=TODAY)
    assert message_for(future, "vi") == "Ngày sinh 02/03/2026 là một ngày trong tương lai."
    assert refusal(validate_birth_date, "30/02/2000", today=TODAY).field == "birth_date"
    assert validate_birth_date(date(2016, 1, 1), today=TODAY, min_age=6) == date(2016, 1, 1)


def test_date_range():
    assert validate_date_range("01/02/2026", "01/02/2026", field_start="s", field_end="e") == (
        date(2026, 2, 1),
        date(2026, 2, 1),
    )
    assert validate_date_range("01/02/2026", "", field_start="s", field_end="e") == (
        date(2026, 2, 1),
        None,
    )
    backwards = refusal(
        validate_date_range, "05/01/2026", "04/01/2026", field_start="start", field_end="end"
    )
    assert backwards.field == "end"
    assert (
        message_for(backwards, "vi") == "Ngày kết thúc 04/01/2026 sớm hơn ngày bắt đầu 05/01/2026."
    )


def test_date_range_reports_both_bad_dates_at_once():
    with pytest.raises(ValidationErrors) as caught:
        validate_date_range("32/01/2026", "soon", field_start="start", field_end="end")
    assert [(e.field, e.msgid) for e in caught.value.errors] == [
        ("start", "The date {value} does not exist."),
        ("end", "{value} is not a date: write it as dd/mm/yyyy."),
    ]


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Lò   Văn  Minh ", "Lò Văn Minh"),
        ("Giàng Thị Dua", "Giàng Thị Dua"),
        ("giàng thị dua", "giàng thị dua"),  # case left as typed
        ("Vừ A Sùng", "Vừ A Sùng"),
        ("H'Mông Thị Mai", "H'Mông Thị Mai"),
        ("H’Mông Thị Mai", "H'Mông Thị Mai"),  # typographic apostrophe stored as plain
        ("Nguyễn Thị Ngọc-Anh", "Nguyễn Thị Ngọc-Anh"),
        ("Lò\tVăn\nMinh", "Lò Văn Minh"),
        ("Yê", "Yê"),
    ],
)
def test_good_names_are_normalised(typed, stored):
    assert validate_full_name(typed) == stored


def test_names_are_stored_in_nfc():
    decomposed = "Nguyễn Văn An".replace("ễ", "e\u0302\u0303")
    assert len(decomposed) > len("Nguyễn Văn An")
    assert validate_full_name(decomposed) == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        ("A", "A name must have at least 2 letters."),
        ("'-", "A name must have at least 2 letters."),
        ("Lò Văn 2", "A name may not contain digits."),
        ("Lò@Văn", "A name may contain only letters, spaces, apostrophes and hyphens"),
        ("Lò Văn Minh.", "A name may contain only letters, spaces, apostrophes and hyphens"),
        ("x" * 121, "A name may have at most {max} characters."),
        ("   ", "This field is required."),
    ],
)
def test_bad_names_are_refused(typed, msgid):
    assert refusal(validate_full_name, typed).msgid.startswith(msgid)


def test_name_message_shows_the_bad_character():
    error = refusal(validate_full_name, "Lò@Văn")
    assert message_for(error, "vi") == (
        "Họ tên chỉ được gồm chữ cái, dấu cách, dấu nháy (') và dấu gạch ngang (không dùng “@”)."
    )


# --- wages, ages, quantities -------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (5_310_000, 7_000_000, (5_310_000, 7_000_000)),
        ("5.310.000", "7.000.000 đ", (5_310_000, 7_000_000)),
        ("5,310,000 VND", None, (5_310_000, None)),
        ("5 310 000 ₫", "", (5_310_000, None)),
        (None, 8_000_000, (None, 8_000_000)),
        (None, None, (None, None)),  # negotiable
        (6_000_000.0, 6_000_000, (6_000_000, 6_000_000)),
    ],
)
def test_good_wage_ranges(low, high, expected):
    assert validate_wage_range(low, high) == expected


@pytest.mark.parametrize(
    ("low", "high", "field", "msgid"),
    [
        ("năm triệu", None, "wage_min", "{value} is not an amount of money"),
        ("5.31", None, "wage_min", "{value} is not an amount of money"),
        (None, "5.310.00", "wage_max", "{value} is not an amount of money"),
        (0, None, "wage_min", "A wage must be more than zero."),
        (-1_000_000, None, "wage_min", "A wage must be more than zero."),
        (7_000_000, 5_000_000, "wage_max", "The highest wage {wage_max} is below"),
    ],
)
def test_bad_wage_ranges(low, high, field, msgid):
    error = refusal(validate_wage_range, low, high)
    assert (error.field, error.msgid[: len(msgid)]) == (field, msgid)


def test_wage_range_message_shows_amounts_the_local_way():
    error = refusal(validate_wage_range, 7_000_000, 5_000_000)
    assert message_for(error, "vi") == (
        "Mức lương cao nhất 5.000.000 ₫ thấp hơn mức lương thấp nhất 7.000.000 ₫."
    )
    assert error.params == {"wage_max": 5_000_000, "wage_min": 7_000_000}


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(18, 35, (18, 35)), ("15", "65", (15, 65)), (None, 40, (None, 40)), (20, 20, (20, 20))],
)
def test_good_age_ranges(low, high, expected):
    assert validate_age_range(low, high) == expected


@pytest.mark.parametrize(
    ("low", "high", "field", "msgid"),
    [
        (14, 30, "age_min", "An age limit may not be below {lowest}, the legal working age."),
        (18, 70, "age_max", "An age limit may not be above {highest}."),
        (30, 18, "age_max", "The maximum age {age_max} is below the minimum age {age_min}."),
        ("mười tám", None, "age_min", "{value} is not a whole number."),
        (18.5, None, "age_min", "{value} is not a whole number."),
    ],
)
def test_bad_age_ranges(low, high, field, msgid):
    error = refusal(validate_age_range, low, high)
    assert (error.field, error.msgid) == (field, msgid)


@pytest.mark.parametrize(("typed", "expected"), [(1, 1), ("12", 12), (" 30 ", 30), (5.0, 5)])
def test_good_quantities(typed, expected):
    assert validate_quantity(typed) == expected


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        (0, "The quantity must be at least 1."),
        ("-3", "The quantity must be at least 1."),
        (2.5, "{value} is not a whole number."),
        ("mười", "{value} is not a whole number."),
        (True, "{value} is not a whole number."),
        ("", "This field is required."),
        (None, "This field is required."),
    ],
)
def test_bad_quantities(typed, msgid):
    assert refusal(validate_quantity, typed).msgid == msgid


def test_quantity_ceiling():
    error = refusal(validate_quantity, 501, maximum=500)
    assert message_for(error, "vi") == "Số lượng không được vượt quá 500."


# --- collecting a whole form --------------------------------------------------------------


def test_collect_reports_every_field_error_of_a_form_at_once():
    form = {"full_name": "A", "phone": "0502345678", "citizen_id": "0112", "quantity": "3"}
    with pytest.raises(ValidationErrors) as caught, collect() as errors:
        name = errors.check(validate_full_name, form["full_name"])
        phone = errors.check(normalise_phone, form["phone"])
        number = errors.check(validate_citizen_id, form["citizen_id"])
        quantity = errors.check(validate_quantity, form["quantity"])
    assert (name, phone, number, quantity) == (None, None, None, 3)
    grouped = messages_by_field(caught.value, "vi")
    assert set(grouped) == {"full_name", "phone", "citizen_id"}
    assert grouped["full_name"] == ["Họ tên phải có ít nhất 2 chữ cái."]


def test_collect_passes_quietly_when_everything_is_valid():
    with collect() as errors:
        name = errors.check(validate_full_name, "Lò Văn Minh")
        dates = errors.check(
            validate_date_range, "01/02/2026", "01/03/2026", field_start="s", field_end="e"
        )
    assert errors.errors == []
    assert name == "Lò Văn Minh"
    assert dates == (date(2026, 2, 1), date(2026, 3, 1))


def test_collect_flattens_nested_validation_errors():
    with pytest.raises(ValidationErrors) as caught, collect() as errors:
        errors.check(validate_date_range, "x", "y", field_start="s", field_end="e")
        errors.check(validate_quantity, 0)
    assert [error.field for error in caught.value.errors] == ["s", "e", "quantity"]
    assert errors.has_error("s")
    assert not errors.has_error("phone")
