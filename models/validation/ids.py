"""Identity numbers: the 12-digit personal identification number (số định danh cá nhân, on
the CCCD card) and an enterprise tax code (mã số thuế)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.clock import today as clock_today
from models.errors import InvalidError
from models.validation.base import FieldWarning, require_text

# Province of birth registration, first three digits of the ID number (TT 07/2016/TT-BCA,
# appendix 1). A closed historical list: numbers issued keep these codes after the 2025
# mergers, so the 63 former provinces stay valid prefixes for good.
LEGACY_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP. Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-]+")
_SEXES = ("nam", "nu")  # models.enums.Sex values, indexed by the parity of the 4th digit


@dataclass(frozen=True)
class CitizenIdCheck:
    """A well-formed ID number and what it says (the year and sex of the holder, where the
    birth was registered), with warnings that do not block the save."""

    value: str
    birth_year: int
    sex: str
    province_code: str
    warnings: tuple[FieldWarning, ...] = ()


def _id_digits(value: object, field: str) -> str:
    number = _SEPARATORS.sub("", require_text(value, field))
    if not number.isascii() or not number.isdigit():
        raise InvalidError(field, "The personal identification number may contain digits only.")
    if len(number) == 9:
        raise InvalidError(
            field,
            "This looks like an old 9-digit identity card (CMND) number; enter the 12-digit "
            "personal identification number.",
        )
    if len(number) != 12:
        raise InvalidError(
            field,
            "The personal identification number must have exactly 12 digits (you entered {count}).",
            count=len(number),
        )
    return number


def check_citizen_id(
    value: object,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    field: str = "citizen_id",
    today: date | None = None,
) -> CitizenIdCheck:
    """Check a personal identification number against its structure (TT 59/2021/TT-BCA) and,
    when given, the holder's date of birth and sex. Raises InvalidError on a definite error;
    returns an unknown province prefix as a warning. There is no check digit to verify."""
    number = _id_digits(value, field)
    century_sex = int(number[3])
    birth_year = 1900 + 100 * (century_sex // 2) + int(number[4:6])
    coded_sex = _SEXES[century_sex % 2]
    if birth_date is not None and birth_date.year != birth_year:
        raise InvalidError(
            field,
            "The year of birth in the personal identification number ({year}) does not match "
            "the date of birth ({birth_year}).",
            year=birth_year,
            birth_year=birth_date.year,
        )
    if birth_year > (today or clock_today()).year:
        raise InvalidError(
            field,
            "The year of birth in the personal identification number ({year}) is in the future.",
            year=birth_year,
        )
    if sex is not None and str(sex) != coded_sex:
        raise InvalidError(
            field,
            "The sex code in the personal identification number does not match the declared sex.",
        )
    return CitizenIdCheck(
        number, birth_year, coded_sex, number[:3], _prefix_warnings(number, field)
    )


def _prefix_warnings(number: str, field: str) -> tuple[FieldWarning, ...]:
    if number[:3] in LEGACY_PROVINCE_CODES:
        return ()
    warning = FieldWarning(
        field,
        "The first three digits {code} are not a known province code of birth registration; "
        "please check the number.",
        {"code": number[:3]},
    )
    return (warning,)


def validate_citizen_id(
    value: object,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    field: str = "citizen_id",
    today: date | None = None,
) -> str:
    """The normalised 12-digit number, or InvalidError. Warnings are dropped: call
    check_citizen_id to show them."""
    return check_citizen_id(value, birth_date=birth_date, sex=sex, field=field, today=today).value


def mask_citizen_id(number: str) -> str:
    """`011******567`: enough to tell records apart, not enough to misuse."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 6) + number[-3:]


# Weights of the tax code's check digit (10th digit). The same weights are used by
# python-stdnum (stdnum.vn.mst) and several public validators, and every well-known
# enterprise code we tried satisfies them (e.g. 0100109106, 0300588569, 0101248141).
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")


def _tax_check_digit_ok(code: str) -> bool:
    remainder = sum(w * int(d) for w, d in zip(_TAX_WEIGHTS, code, strict=False)) % 11
    # Remainder 0 would ask for a check digit of 10; the sources disagree on how such codes
    # are written, so we do not refuse them on the check digit.
    return remainder == 0 or int(code[9]) == 10 - remainder


def validate_tax_code(value: object, field: str = "tax_code") -> str:
    """An enterprise tax code as `0123456789` or, for a branch, `0123456789-001` (also typed
    as 13 digits without the hyphen, or with spaces and dots)."""
    compact = re.sub(r"[\s.]+", "", require_text(value, field))
    if re.search(r"[^0-9-]", compact):
        raise InvalidError(field, "A tax code may contain only digits and one hyphen.")
    match = _TAX_CODE.match(compact)
    if match is None:
        raise InvalidError(
            field,
            "A tax code has 10 digits, or 13 for a branch (written 0123456789-001); you "
            "entered {count} digits.",
            count=sum(ch.isdigit() for ch in compact),
        )
    head, branch = match.groups()
    if not _tax_check_digit_ok(head) or head[2:9] == "0000000":
        raise InvalidError(
            field, "The tax code {code} is not valid: its check digit does not match.", code=head
        )
    if branch == "000":
        raise InvalidError(field, "A branch number of a tax code runs from 001 to 999.")
    return f"{head}-{branch}" if branch else head
