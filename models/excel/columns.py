"""The layouts of the sheets institutions exchange with the platform: trainees with their
enrolment in a course, and the graduation results of a course; and the exports of the same
lists. Headers and notes are Vietnamese whatever the reader's language: they are a file
format that offices share, like a form printed by the province.
"""

from __future__ import annotations

from dataclasses import replace

from models.excel.types import Column
from models.excel.values import (
    CERTIFICATE_LABELS,
    HOUSEHOLD_LABELS,
    NO,
    RESULT_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    YES,
)
from models.tables.training import Enrolment, PersonCreate
from models.validation.rules import max_length

COMMUNE_LIST = "Xã, phường"
ETHNICITY_LIST = "Dân tộc"

FULL_NAME = Column(
    "full_name",
    "Họ và tên",
    required=True,
    aliases=("Họ tên", "Tên học viên", "Họ và tên học viên"),
    note="Họ, chữ đệm và tên, viết có dấu (ví dụ: Lò Văn Minh).",
    width=26,
)
BIRTH_DATE = Column(
    "birth_date",
    "Ngày sinh (dd/mm/yyyy)",
    required=True,
    aliases=("Ngày tháng năm sinh", "Ngày, tháng, năm sinh"),
    note="Ngày/tháng/năm, ví dụ 04/05/2001. Người học từ 15 đến 65 tuổi.",
    kind="date",
    width=14,
)
SEX = Column(
    "sex",
    "Giới tính",
    required=True,
    note="Nam hoặc Nữ; phải khớp với chữ số giới tính trong số định danh.",
    choices=tuple(SEX_LABELS.values()),
    width=10,
)
ETHNICITY = Column(
    "ethnicity",
    "Dân tộc",
    required=True,
    note='Tên dân tộc (ví dụ "Thái", "Mông" hoặc "H\'Mông") hoặc mã 2 chữ số theo danh mục '
    '54 dân tộc (ví dụ "03"). Xem trang "Danh mục".',
    open_choices=True,
    list_name=ETHNICITY_LIST,
    width=12,
)
CITIZEN_ID = Column(
    "citizen_id",
    "Số định danh cá nhân (CCCD)",
    required=True,
    aliases=("Số CCCD", "CCCD", "Căn cước công dân", "Số căn cước", "Mã định danh", "Số định danh"),
    note="12 chữ số trên thẻ căn cước (nhập dạng văn bản để giữ số 0 ở đầu). Năm sinh và giới "
    "tính trong số phải khớp với ngày sinh và giới tính.",
    kind="code",
    width=18,
)
PHONE = Column(
    "phone",
    "Số điện thoại",
    aliases=("Điện thoại", "SĐT"),
    note="Không bắt buộc. Số di động hoặc cố định Việt Nam, ví dụ 0912 345 678.",
    kind="code",
    width=15,
)
COMMUNE = Column(
    "commune",
    "Xã/phường thường trú",
    required=True,
    aliases=("Xã, phường", "Xã phường", "Xã/phường", "Nơi thường trú", "Địa chỉ thường trú"),
    note="Tên xã, phường hiện nay (ví dụ: Xã Quài Tở) hoặc mã 5 chữ số. Có thể ghi tên xã "
    "trước 01/07/2025 kèm huyện cũ, cách nhau bằng dấu phẩy (ví dụ: Xã Nà Tòng, Huyện Tuần "
    "Giáo): hệ thống tự chuyển sang xã mới.",
    open_choices=True,
    list_name=COMMUNE_LIST,
    width=24,
)
VILLAGE = Column(
    "village",
    "Thôn/bản",
    aliases=("Thôn, bản", "Bản", "Thôn"),
    note="Không bắt buộc.",
    width=16,
    max_length=max_length(PersonCreate, "village"),
)
HOUSEHOLD = Column(
    "household",
    "Hộ nghèo/cận nghèo",
    aliases=("Hộ nghèo, cận nghèo", "Hộ nghèo"),
    note="Để trống nếu không thuộc hộ nghèo hoặc cận nghèo.",
    choices=tuple(HOUSEHOLD_LABELS.values()),
    width=16,
)
DISABILITY = Column(
    "disability",
    "Khuyết tật",
    aliases=("Người khuyết tật",),
    note="Có hoặc Không (để trống là Không).",
    choices=(YES, NO),
    width=11,
)
CONSENT = Column(
    "consent",
    "Đồng ý cho doanh nghiệp xem (Có/Không)",
    aliases=("Đồng ý cho doanh nghiệp xem hồ sơ", "Đồng ý chia sẻ"),
    note="Người học đồng ý cho doanh nghiệp tuyển dụng xem hồ sơ (số định danh và điện "
    "thoại vẫn bị che). Để trống là Không.",
    choices=(YES, NO),
    width=16,
)
ENROLLED_ON = Column(
    "enrolled_on",
    "Ngày nhập học (dd/mm/yyyy)",
    aliases=("Ngày nhập học",),
    note="Không bắt buộc: để trống là ngày khai giảng. Không sớm hơn 6 tháng trước ngày khai "
    "giảng, không muộn hơn ngày kết thúc khóa học.",
    kind="date",
    width=14,
)

SUPPORT_AMOUNT = Column(
    "support_amount",
    "Hỗ trợ người học (đồng)",
    aliases=("Hỗ trợ người học", "Tiền hỗ trợ", "Hỗ trợ QĐ 46"),
    note="Không bắt buộc: tiền hỗ trợ chi phí đào tạo, tiền ăn, tiền đi lại đã chi cho người học. "
    "Hỗ trợ theo Quyết định 46/2015 mỗi người chỉ được hưởng một lần.",
    width=14,
)

TRAINEE_COLUMNS: tuple[Column, ...] = (
    FULL_NAME,
    BIRTH_DATE,
    SEX,
    ETHNICITY,
    CITIZEN_ID,
    PHONE,
    COMMUNE,
    VILLAGE,
    HOUSEHOLD,
    DISABILITY,
    CONSENT,
    ENROLLED_ON,
    SUPPORT_AMOUNT,
)

RESULT_ID = Column(
    "citizen_id",
    CITIZEN_ID.header,
    aliases=CITIZEN_ID.aliases,
    note="Số định danh của học viên trong khóa. Nếu để trống, ghi Họ và tên và Ngày sinh.",
    kind="code",
    width=18,
)
RESULT = Column(
    "result",
    "Kết quả (Đạt/Không đạt)",
    aliases=("Kết quả",),
    note="Đạt hoặc Không đạt. Để trống nếu học viên còn đang học hoặc đã bỏ học.",
    choices=tuple(RESULT_LABELS.values()),
    width=12,
)
STATUS = Column(
    "status",
    "Trạng thái",
    note="Không bắt buộc: để trống thì Đạt là Tốt nghiệp, Không đạt là Hoàn thành.",
    choices=tuple(STATUS_LABELS.values()),
    width=13,
)
GRADUATED_ON = Column(
    "graduated_on",
    "Ngày tốt nghiệp (dd/mm/yyyy)",
    aliases=("Ngày tốt nghiệp", "Ngày cấp"),
    note="Bắt buộc với học viên tốt nghiệp; không trước ngày khai giảng và ngày nhập học, "
    "không quá 90 ngày sau ngày kết thúc khóa học, không sau hôm nay.",
    kind="date",
    width=14,
)
CERTIFICATE_KIND = Column(
    "certificate_kind",
    "Loại văn bằng/chứng chỉ",
    aliases=("Loại văn bằng", "Loại chứng chỉ", "Văn bằng, chứng chỉ"),
    note="Không bắt buộc: để trống là loại văn bằng của trình độ khóa học.",
    choices=tuple(CERTIFICATE_LABELS.values()),
    width=26,
)
CERTIFICATE_NUMBER = Column(
    "certificate_number",
    "Số hiệu văn bằng/chứng chỉ",
    aliases=("Số hiệu", "Số hiệu văn bằng", "Số hiệu chứng chỉ", "Số văn bằng", "Số chứng chỉ"),
    note="Không bắt buộc. Mỗi số hiệu chỉ dùng một lần trong cơ sở đào tạo.",
    kind="code",
    width=16,
    max_length=max_length(Enrolment, "certificate_number"),
)
RESULT_NAME = Column(
    "full_name", FULL_NAME.header, aliases=FULL_NAME.aliases, note="Cần khi không có số định danh."
)
RESULT_BIRTH = Column(
    "birth_date",
    BIRTH_DATE.header,
    aliases=BIRTH_DATE.aliases,
    note="Cần khi không có số định danh.",
    kind="date",
    width=14,
)

RESULT_COLUMNS: tuple[Column, ...] = (
    RESULT_ID,
    RESULT_NAME,
    RESULT_BIRTH,
    RESULT,
    STATUS,
    GRADUATED_ON,
    CERTIFICATE_KIND,
    CERTIFICATE_NUMBER,
)

COURSE_CODE = Column("course_code", "Mã khóa học", width=12)
COURSE_NAME = Column("course_name", "Tên khóa học", width=28)
# The trainee export: the course, then the import layout, then how the enrolment ended.
TRAINEE_EXPORT_COLUMNS: tuple[Column, ...] = (
    COURSE_CODE,
    COURSE_NAME,
    *TRAINEE_COLUMNS,
    STATUS,
    RESULT,
    GRADUATED_ON,
    CERTIFICATE_NUMBER,
)
# The result export is the result import layout, so it can be filled in and sent back.
RESULT_EXPORT_COLUMNS = RESULT_COLUMNS
# The trainee export can be sent back as results too: its course code is checked against the
# course chosen, and its other columns (the person's details) are accepted and left unread.
RESULT_READ_COLUMNS: tuple[Column, ...] = (*RESULT_COLUMNS, COURSE_CODE)
RESULT_IGNORED_COLUMNS: tuple[Column, ...] = tuple(
    replace(column, required=False)
    for column in TRAINEE_EXPORT_COLUMNS
    if column.key not in {read.key for read in RESULT_READ_COLUMNS}
)

TRAINEE_INTRO = (
    "Mẫu nhập học viên vào một khóa học.",
    "Mỗi dòng là một người học. Không đổi tên cột; có thể đổi thứ tự cột, thêm cột STT.",
    "Cột tô màu cam là bắt buộc. Dữ liệu chỉ được ghi khi toàn bộ tệp hợp lệ.",
)
RESULT_INTRO = (
    "Mẫu nhập kết quả tốt nghiệp của một khóa học.",
    "Mỗi dòng là một học viên đã có trong khóa học, nhận theo số định danh (hoặc họ tên và "
    "ngày sinh).",
    "Dữ liệu chỉ được ghi khi toàn bộ tệp hợp lệ.",
)
