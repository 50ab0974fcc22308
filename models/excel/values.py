"""The words a spreadsheet uses for closed vocabularies (Nam/Nữ, Có/Không, Đạt/Không đạt, the
kinds of certificate), both ways: the label written in an export, and the stored value read
back from what people type (with or without diacritics, in any case, or the stored value)."""

from __future__ import annotations

from collections.abc import Mapping

from matching.text import search_key
from models.enums import CertificateKind, EnrolmentStatus, HouseholdStatus, Sex
from models.errors import InvalidError
from models.excel.types import CellValue

YES, NO = "Có", "Không"
NOT_ALLOWED = "“{value}” is not allowed here: write {allowed}."
SEX_LABELS = {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"}
HOUSEHOLD_LABELS = {
    HouseholdStatus.POOR.value: "Hộ nghèo",
    HouseholdStatus.NEAR_POOR.value: "Hộ cận nghèo",
}
RESULT_LABELS = {"dat": "Đạt", "khong_dat": "Không đạt"}
STATUS_LABELS = {
    EnrolmentStatus.STUDYING.value: "Đang học",
    EnrolmentStatus.DROPPED.value: "Bỏ học",
    EnrolmentStatus.COMPLETED.value: "Hoàn thành",
    EnrolmentStatus.GRADUATED.value: "Tốt nghiệp",
}
CERTIFICATE_LABELS = {
    CertificateKind.COLLEGE_DIPLOMA.value: "Bằng tốt nghiệp cao đẳng",
    CertificateKind.INTERMEDIATE_DIPLOMA.value: "Bằng tốt nghiệp trung cấp",
    CertificateKind.ELEMENTARY_CERTIFICATE.value: "Chứng chỉ sơ cấp",
    CertificateKind.TRAINING_CERTIFICATE.value: "Chứng chỉ đào tạo",
    CertificateKind.COMPLETION_CERTIFICATE.value: "Giấy chứng nhận hoàn thành",
    CertificateKind.NATIONAL_SKILLS.value: "Chứng chỉ kỹ năng nghề quốc gia",
}
# The credential a course of each level leads to, when the sheet does not say.
CERTIFICATE_BY_LEVEL = {
    "cao_dang": CertificateKind.COLLEGE_DIPLOMA.value,
    "trung_cap": CertificateKind.INTERMEDIATE_DIPLOMA.value,
    "so_cap": CertificateKind.ELEMENTARY_CERTIFICATE.value,
    "duoi_3_thang": CertificateKind.TRAINING_CERTIFICATE.value,
}

_EXTRA_SEX = {"nu": "nu", "n": "nu", "female": "nu", "f": "nu", "male": "nam", "m": "nam"}
_EXTRA_HOUSEHOLD = {"ngheo": "ngheo", "can ngheo": "can_ngheo", "ho can ngheo": "can_ngheo"}
_TRUE = {"co", "x", "1", "yes", "y", "dong y", "true"}
_FALSE = {"khong", "0", "no", "n", "false", "khong dong y"}
_BLANK_HOUSEHOLD = {"khong", "0", "no"}


def _lookup(labels: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Key of each label and each stored value -> stored value."""
    found = {search_key(label): value for value, label in labels.items()}
    found |= {search_key(value): value for value in labels}
    return found | dict(extra or {})


_SEXES = _lookup(SEX_LABELS, _EXTRA_SEX)
_HOUSEHOLDS = _lookup(HOUSEHOLD_LABELS, _EXTRA_HOUSEHOLD)
_RESULTS = _lookup(RESULT_LABELS, {"pass": "dat", "fail": "khong_dat"})
_STATUSES = _lookup(STATUS_LABELS)
_CERTIFICATES = _lookup(CERTIFICATE_LABELS)


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _choice(value: CellValue, table: Mapping[str, str], field: str, allowed: str) -> str:
    found = table.get(search_key(str(value)))
    if found is None:
        raise InvalidError(field, NOT_ALLOWED, value=value, allowed=allowed)
    return found


def parse_sex(value: CellValue, field: str = "sex") -> str:
    if is_blank(value):
        raise InvalidError(field, "This field is required.")
    return _choice(value, _SEXES, field, "Nam / Nữ")


def parse_yes_no(value: CellValue, field: str) -> bool:
    """Có/Không, x, 1/0, TRUE/FALSE; blank is Không."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    key = search_key(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise InvalidError(field, NOT_ALLOWED, value=value, allowed="Có / Không")


def parse_household(value: CellValue, field: str = "household") -> str | None:
    if is_blank(value) or search_key(str(value)) in _BLANK_HOUSEHOLD:
        return None
    allowed = " / ".join(HOUSEHOLD_LABELS.values())
    return _choice(value, _HOUSEHOLDS, field, allowed)


def parse_result(value: CellValue, field: str = "result") -> str | None:
    if is_blank(value):
        return None
    return _choice(value, _RESULTS, field, " / ".join(RESULT_LABELS.values()))


def parse_status(value: CellValue, field: str = "status") -> str | None:
    if is_blank(value):
        return None
    return _choice(value, _STATUSES, field, " / ".join(STATUS_LABELS.values()))


def parse_certificate_kind(value: CellValue, field: str = "certificate_kind") -> str | None:
    if is_blank(value):
        return None
    return _choice(value, _CERTIFICATES, field, "; ".join(CERTIFICATE_LABELS.values()))


def yes_no(flag: bool) -> str:
    return YES if flag else NO
