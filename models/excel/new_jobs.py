"""The sheet of new jobs that communes, the Employment Service Centre, employers and officials
send to the new-jobs register: one row per person who started a new job. Headers, notes and the
words of the closed lists are Vietnamese, like a form printed by the province."""

from __future__ import annotations

from matching.text import search_key
from models.enums import LocationKind, NewJobChannel
from models.errors import InvalidError
from models.excel.columns import BIRTH_DATE, CITIZEN_ID, COMMUNE, ETHNICITY, FULL_NAME, SEX
from models.excel.types import CellValue, Column
from models.excel.values import NOT_ALLOWED, is_blank
from models.tables.register import NewJobLine
from models.validation.rules import max_length

SHEET_TITLE = "Việc làm mới"
TEMPLATE_FILE = "mau-bao-cao-viec-lam-moi.xlsx"

CHANNEL_NAMES = {
    NewJobChannel.LOAN.value: "Vay vốn tạo việc làm",
    NewJobChannel.ABROAD.value: "Đi làm việc ở nước ngoài theo hợp đồng",
    NewJobChannel.OUTSIDE_PROVINCE.value: "Doanh nghiệp ngoài tỉnh",
    NewJobChannel.INSIDE_PROVINCE.value: "Doanh nghiệp trong tỉnh",
    NewJobChannel.PUBLIC_BODY.value: "Cơ quan hành chính, đơn vị sự nghiệp",
    NewJobChannel.OTHER_PROGRAMME.value: "Chương trình khác, tự tạo việc làm",
}
PLACE_NAMES = {
    LocationKind.COMMUNE.value: "Trong tỉnh",
    LocationKind.OTHER_PROVINCE.value: "Tỉnh khác",
    LocationKind.ABROAD.value: "Nước ngoài",
}
CONTRACT_NAMES = {
    "indefinite": "Không xác định thời hạn",
    "fixed_term": "Xác định thời hạn",
    "short": "Dưới 1 tháng, thời vụ",
    "none": "Không có hợp đồng",
}
SELF_EMPLOYED_WORDS = {search_key(w) for w in ("Tự tạo việc làm", "Tự làm", "Tự kinh doanh")}

JOB = Column(
    "job",
    "Công việc, nghề",
    required=True,
    aliases=("Công việc", "Nghề", "Vị trí việc làm", "Việc làm"),
    note="Việc người lao động làm (ví dụ: Công nhân may, Nuôi lợn, Thợ hàn).",
    width=22,
    max_length=max_length(NewJobLine, "job_title"),
)
SECTOR = Column(
    "sector",
    "Ngành kinh tế",
    aliases=("Ngành", "Lĩnh vực"),
    note="Không bắt buộc. Mã ngành cấp 1 (A–U, ví dụ C là công nghiệp chế biến, chế tạo) "
    "hoặc tên ngành.",
    width=14,
)
EMPLOYER = Column(
    "employer",
    "Đơn vị làm việc (doanh nghiệp, cơ quan)",
    aliases=("Doanh nghiệp", "Đơn vị tuyển dụng", "Tên doanh nghiệp", "Nơi làm việc"),
    note='Tên doanh nghiệp, cơ quan hoặc hộ kinh doanh; ghi "Tự tạo việc làm" nếu tự làm. '
    "Báo cáo của doanh nghiệp: để trống là chính doanh nghiệp.",
    width=26,
    max_length=max_length(NewJobLine, "employer_name"),
)
CHANNEL = Column(
    "channel",
    "Kênh tạo việc làm",
    required=True,
    aliases=("Kênh", "Hình thức tạo việc làm", "Nguồn tạo việc làm"),
    note="Một trong sáu kênh của tỉnh: " + "; ".join(CHANNEL_NAMES.values()) + ".",
    choices=tuple(CHANNEL_NAMES.values()),
    width=30,
)
PLACE = Column(
    "place",
    "Địa bàn làm việc (Trong tỉnh/Tỉnh khác/Nước ngoài)",
    aliases=("Địa bàn",),
    note="Không bắt buộc: để trống là Trong tỉnh.",
    choices=tuple(PLACE_NAMES.values()),
    width=16,
)
PROVINCE = Column(
    "province",
    "Mã tỉnh (nếu tỉnh khác)",
    aliases=("Tỉnh", "Mã tỉnh"),
    note="Bắt buộc khi làm việc ở tỉnh khác: mã tỉnh 2 chữ số (ví dụ 01 Hà Nội, 79 Thành "
    "phố Hồ Chí Minh).",
    kind="code",
    width=10,
)
COUNTRY = Column(
    "country",
    "Nước (nếu nước ngoài)",
    aliases=("Nước đến", "Quốc gia"),
    note="Bắt buộc khi làm việc ở nước ngoài: tên nước (ví dụ Nhật Bản) hoặc mã 2 chữ cái (JP).",
    width=14,
)
PROGRAMME = Column(
    "programme",
    "Chương trình (nếu nước ngoài)",
    aliases=("Chương trình", "Diện đi"),
    note="Không bắt buộc: ví dụ Thực tập sinh kỹ năng, EPS Hàn Quốc.",
    width=18,
)
SENDING_COMPANY = Column(
    "sending_company",
    "Doanh nghiệp đưa đi",
    aliases=("Công ty đưa đi", "Doanh nghiệp dịch vụ"),
    note="Không bắt buộc: doanh nghiệp đưa người lao động đi làm việc ở nước ngoài.",
    width=22,
    max_length=max_length(NewJobLine, "sending_company"),
)
START_DATE = Column(
    "start_date",
    "Ngày bắt đầu làm việc (dd/mm/yyyy)",
    required=True,
    aliases=("Ngày bắt đầu", "Ngày bắt đầu làm việc", "Ngày xuất cảnh", "Ngày tuyển dụng"),
    note="Ngày bắt đầu làm việc hoặc ngày xuất cảnh; phải thuộc kỳ báo cáo.",
    kind="date",
    width=14,
)
CONTRACT = Column(
    "contract",
    "Loại hợp đồng",
    aliases=("Hợp đồng", "Loại HĐLĐ"),
    note="Không bắt buộc. " + "; ".join(CONTRACT_NAMES.values()) + ".",
    choices=tuple(CONTRACT_NAMES.values()),
    width=18,
)
WAGE = Column(
    "wage",
    "Tiền lương (đồng/tháng)",
    aliases=("Tiền lương", "Thu nhập", "Lương"),
    note="Không bắt buộc. Số tiền đồng một tháng, ví dụ 6500000.",
    width=14,
)

NEW_JOB_COLUMNS: tuple[Column, ...] = (
    FULL_NAME,
    CITIZEN_ID,
    BIRTH_DATE,
    SEX,
    ETHNICITY,
    COMMUNE,
    JOB,
    SECTOR,
    EMPLOYER,
    CHANNEL,
    PLACE,
    PROVINCE,
    COUNTRY,
    PROGRAMME,
    SENDING_COMPANY,
    START_DATE,
    CONTRACT,
    WAGE,
)
NEW_JOB_INTRO = (
    "Mỗi dòng là một người lao động bắt đầu việc làm mới trong kỳ báo cáo.",
    "Nhập cả tệp hoặc không nhập dòng nào: nếu có dòng lỗi, hệ thống báo lỗi từng dòng và "
    "không ghi gì.",
    "Một người được báo cáo bởi nhiều nơi (xã, trung tâm, doanh nghiệp) vẫn chỉ được tính "
    "một việc làm mới trong năm, theo thứ tự ưu tiên của kênh.",
)


def _lookup(names: dict[str, str]) -> dict[str, str]:
    found = {search_key(name): code for code, name in names.items()}
    return found | {search_key(code): code for code in names}


_CHANNELS = _lookup(CHANNEL_NAMES) | {
    search_key("Xuất khẩu lao động"): NewJobChannel.ABROAD.value,
    search_key("Tự tạo việc làm"): NewJobChannel.OTHER_PROGRAMME.value,
}
_PLACES = _lookup(PLACE_NAMES) | {search_key("Ngoài tỉnh"): LocationKind.OTHER_PROVINCE.value}
_CONTRACTS = _lookup(CONTRACT_NAMES)


def _choice(value: CellValue, table: dict[str, str], field: str, names: dict[str, str]) -> str:
    found = table.get(search_key(str(value)))
    if found is None:
        raise InvalidError(field, NOT_ALLOWED, value=value, allowed="; ".join(names.values()))
    return found


def parse_channel(value: CellValue, field: str = "channel") -> str:
    if is_blank(value):
        raise InvalidError(field, "This field is required.")
    return _choice(value, _CHANNELS, field, CHANNEL_NAMES)


def parse_place(value: CellValue, field: str = "place") -> str:
    if is_blank(value):
        return LocationKind.COMMUNE.value
    return _choice(value, _PLACES, field, PLACE_NAMES)


def parse_contract(value: CellValue, field: str = "contract") -> str | None:
    if is_blank(value):
        return None
    return _choice(value, _CONTRACTS, field, CONTRACT_NAMES)


def is_self_employed(value: CellValue) -> bool:
    return not is_blank(value) and search_key(str(value)) in SELF_EMPLOYED_WORDS
